package pathways_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/pathways"
)

func TestReportCSVNeutralisesFormulas(t *testing.T) {
	r := pathways.Report{Programme: "AGIR", Horizon: 6, RuleSet: "agir", RuleSetVersion: "agir-2026-1",
		Cohorts: []pathways.CohortOutcome{
			{Cohort: "=HYPERLINK(\"http://x\",\"clic\")", Enrolled: 2, Measured: 2, Positive: 1, RatePercent: 50},
			{Cohort: "-2026", Enrolled: 1},
			{Cohort: "2026-A", Enrolled: 1},
		}}
	var b bytes.Buffer
	if err := r.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var cohorts []string
	for _, row := range rows[1:] {
		cohorts = append(cohorts, row[1])
	}
	want := []string{"'=HYPERLINK(\"http://x\",\"clic\")", "'-2026", "2026-A"}
	if diff := cmp.Diff(want, cohorts); diff != "" {
		t.Errorf("cohort cells (-want +got):\n%s", diff)
	}
}
