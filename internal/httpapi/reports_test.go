package httpapi_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/pathways"
)

func TestSituations(t *testing.T) {
	w := newWorld(t, withBatches(t, testRedis(t), testenv.Get(t).Prefix(t)))
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated).json(t, &b)
	path := "/api/v1/beneficiaries/" + b.ID + "/situations"

	bad := []struct {
		name string
		body map[string]any
		ptrs []string
	}{
		{"a CDD needs a duration", map[string]any{"kind": "cdd", "startDate": "2026-05-04"}, []string{"/durationMonths"}},
		{"an end cannot precede a start", map[string]any{"kind": "qualifying-training", "startDate": "2026-05-04", "endDate": "2026-05-03"}, []string{"/endDate"}},
		{"an exit needs a reason", map[string]any{"kind": "programme-exit", "startDate": "2026-05-04"}, []string{"/exitReason"}},
		{"unknown kind", map[string]any{"kind": "astronaut", "startDate": "2026-05-04"}, []string{"/kind"}},
		{"no start", map[string]any{"kind": "cdi"}, []string{"/startDate"}},
		{"a housing needs its tenure", map[string]any{"kind": "housing", "startDate": "2026-05-04"}, []string{"/tenure"}},
		{"an unknown tenure", map[string]any{"kind": "housing", "startDate": "2026-05-04", "tenure": "castle"}, []string{"/tenure"}},
		{"only a housing has a tenure", map[string]any{"kind": "cdi", "startDate": "2026-05-04", "tenure": "cph"}, []string{"/tenure"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			p := w.must(w.do(w.advA, "POST", path, tt.body), http.StatusUnprocessableEntity).problem(t)
			var got []string
			for _, e := range p.Errors {
				got = append(got, e.Pointer)
			}
			if diff := cmp.Diff(tt.ptrs, got); diff != "" {
				t.Errorf("error pointers (-want +got):\n%s", diff)
			}
		})
	}

	var cdd, cdi httpapi.Situation
	w.must(w.do(w.advA, "POST", path, map[string]any{"kind": "cdi", "startDate": "2026-09-01", "employer": "Restaurant Le Garet"}), http.StatusCreated).json(t, &cdi)
	w.must(w.do(w.advA2, "POST", path, map[string]any{"kind": "cdd", "startDate": "2026-05-04", "durationMonths": 3}), http.StatusCreated).json(t, &cdd)
	if cdd.BeneficiaryID != b.ID || cdd.OrganisationID != w.orgA.ID || cdd.RecordedBy != w.advA2.user.ID || (pathways.Situation{Kind: pathways.SituationKind(cdd.Kind), Start: cdd.Start, End: cdd.End, DurationMonths: cdd.DurationMonths}).EffectiveEnd() != "2026-08-03" {
		t.Errorf("recorded %+v", cdd)
	}
	var list struct{ Items []httpapi.Situation }
	w.must(w.do(w.advA, "GET", path, nil), http.StatusOK).json(t, &list)
	if diff := cmp.Diff([]httpapi.Situation{cdd, cdi}, list.Items); diff != "" {
		t.Errorf("list by start date (-want +got):\n%s", diff)
	}

	w.must(w.do(w.advB, "GET", path, nil), http.StatusNotFound)
	w.must(w.do(w.advB, "POST", path, map[string]any{"kind": "cdi", "startDate": "2026-09-01"}), http.StatusNotFound)
	w.must(w.do(w.mentorA, "GET", path, nil), http.StatusForbidden)
	trail, err := w.db.AuditTrail(context.Background(), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
	}
	if diff := cmp.Diff([]string{"create", "update", "update", "read"}, actions); diff != "" {
		t.Errorf("audit trail (-want +got):\n%s", diff)
	}
}

// kodikoBody is a beneficiary of the Kodiko programme's Tours cohort.
func kodikoBody(referent string, i int) map[string]any {
	b := amina(referent)
	b["firstName"] = fmt.Sprintf("Person %d", i)
	b["enrolment"] = map[string]any{"programme": "Kodiko", "entryDate": "2026-01-05", "cohort": "tours-1", "referents": []string{referent}}
	return b
}

// A cohort of 25: 9 positive at T+6, 21 at T+12 under kodiko, so the report
// says 36% and 84%; in CSV too; under agir, fewer count.
func TestPositiveExitReport(t *testing.T) {
	w := newWorld(t, withBatches(t, testRedis(t), testenv.Get(t).Prefix(t)))
	for i := 0; i < 25; i++ {
		var b httpapi.Beneficiary
		w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", kodikoBody(w.advA.user.ID, i)), http.StatusCreated).json(t, &b)
		path := "/api/v1/beneficiaries/" + b.ID + "/situations"
		var sits []map[string]any
		switch {
		case i < 9: // a CDD of 3 months, then a CDI: positive at both horizons
			sits = []map[string]any{{"kind": "cdd", "startDate": "2026-04-01", "durationMonths": 3}, {"kind": "cdi", "startDate": "2026-07-01"}}
		case i < 15: // qualifying training from exactly T+12
			sits = []map[string]any{{"kind": "job-search", "startDate": "2026-01-05"}, {"kind": "qualifying-training", "startDate": "2027-01-05", "endDate": "2027-09-30"}}
		case i < 21: // an alternance from month 9
			sits = []map[string]any{{"kind": "fle-training", "startDate": "2026-01-05", "endDate": "2026-09-30"}, {"kind": "alternance", "startDate": "2026-10-01", "endDate": "2028-09-30"}}
		default:
			sits = []map[string]any{{"kind": "job-search", "startDate": "2026-01-05"}}
		}
		for _, s := range sits {
			w.must(w.do(w.advA, "POST", path, s), http.StatusCreated)
		}
	}
	// Before the nightly run nobody is measured: the rate is null, not 0.
	var before struct {
		Cohorts []map[string]any `json:"cohorts"`
	}
	w.must(w.do(w.coordA, "GET", "/api/v1/reports/positive-exits?programme=Kodiko&horizon=6", nil), http.StatusOK).json(t, &before)
	if len(before.Cohorts) != 1 || before.Cohorts[0]["enrolled"] != float64(25) {
		t.Fatalf("before the run the report lists %v, want the enrolled cohort", before.Cohorts)
	}
	for _, c := range before.Cohorts {
		if rate, ok := c["rate"]; !ok || rate != nil || c["ratePercent"] != nil {
			t.Errorf("an unmeasured cohort reads rate %v (%v)", rate, c)
		}
	}
	if n, err := pathways.MeasureDue(context.Background(), w.db, time.Date(2027, 1, 6, 3, 0, 0, 0, time.UTC)); err != nil || n != 50 {
		t.Fatalf("measured %d, %v; want 25 enrolments at 2 horizons", n, err)
	}

	type line struct {
		RuleSet, Version   string
		Cohort             string
		Enrolled, Measured int
		Positive           int
		Percent            float64
	}
	report := func(query string) line {
		t.Helper()
		var r httpapi.Report
		w.must(w.do(w.coordA, "GET", "/api/v1/reports/positive-exits?"+query, nil), http.StatusOK).json(t, &r)
		if len(r.Cohorts) != 1 {
			t.Fatalf("%s: %d cohorts", query, len(r.Cohorts))
		}
		c := r.Cohorts[0]
		if c.RatePercent == nil {
			t.Fatalf("%s: a measured cohort has no rate", query)
		}
		return line{r.RuleSet, r.RuleSetVersion, c.Cohort, c.Enrolled, c.Measured, c.Positive, *c.RatePercent}
	}
	got := []line{
		report("programme=Kodiko&cohort=tours-1&horizon=6"),
		report("programme=Kodiko&horizon=12"),
		report("programme=Kodiko&horizon=12&ruleset=agir"),
	}
	want := []line{
		{"kodiko", pathways.RuleSetKodiko.Version, "tours-1", 25, 25, 9, 36},
		{"kodiko", pathways.RuleSetKodiko.Version, "tours-1", 25, 25, 21, 84},
		{"agir", pathways.RuleSetAGIR.Version, "tours-1", 25, 25, 21, 84}, // AGIR counts the alternance too
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}

	r := w.must(w.do(w.advA, "GET", "/api/v1/reports/positive-exits?programme=Kodiko&horizon=12", nil, hdr{"Accept": "text/csv"}), http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantCSV := [][]string{
		{"programme", "cohort", "horizon", "from", "ruleSet", "ruleSetVersion", "enrolled", "excluded", "measured", "positive", "ratePercent", "cdi-or-cdd", "internship-or-alternance", "qualifying-training", "not-positive"},
		{"Kodiko", "tours-1", "12", "entry", "kodiko", pathways.RuleSetKodiko.Version, "25", "0", "25", "21", "84.0", "9", "6", "6", "4"},
	}
	if diff := cmp.Diff(wantCSV, rows); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}

	// Coordinators and advisers of the organisation only.
	var other httpapi.Report
	w.must(w.do(w.advB, "GET", "/api/v1/reports/positive-exits?programme=Kodiko&horizon=12", nil), http.StatusOK).json(t, &other)
	if len(other.Cohorts) != 0 {
		t.Errorf("another organisation sees %+v", other.Cohorts)
	}
	w.must(w.do(w.mentorA, "GET", "/api/v1/reports/positive-exits?programme=Kodiko&horizon=12", nil), http.StatusForbidden)
	w.must(w.do(w.agencyK, "GET", "/api/v1/reports/positive-exits?programme=Kodiko&horizon=12", nil), http.StatusForbidden)
	for _, q := range []string{"programme=Kodiko&horizon=3", "horizon=6", "programme=Kodiko&horizon=6&ruleset=nope"} {
		w.must(w.do(w.coordA, "GET", "/api/v1/reports/positive-exits?"+q, nil), http.StatusUnprocessableEntity)
	}
}

// TestHousingIsASituation: a housing is recorded with its tenure, which
// groups as autonomous, supported or other.
func TestHousingIsASituation(t *testing.T) {
	w := newWorld(t)
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated).json(t, &b)
	path := "/api/v1/beneficiaries/" + b.ID + "/situations"
	var housing httpapi.Situation
	w.must(w.do(w.advA, "POST", path, map[string]any{"kind": "housing", "startDate": "2026-05-04", "tenure": "private-landlord"}), http.StatusCreated).json(t, &housing)
	if housing.Kind != "housing" || housing.Tenure != "private-landlord" || pathways.HousingGroup(housing.Tenure) != pathways.HousingAutonomous {
		t.Errorf("housing %+v", housing)
	}
	var list struct{ Items []httpapi.Situation }
	w.must(w.do(w.advA, "GET", path, nil), http.StatusOK).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Tenure != "private-landlord" {
		t.Errorf("situations %+v", list.Items)
	}
	p := w.must(w.do(w.advA, "POST", path, map[string]any{"kind": "housing", "startDate": "2026-05-04"}, hdr{"Accept-Language": "fr"}), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "/tenure" || !strings.Contains(p.Errors[0].Detail, "bailleur social") {
		t.Errorf("a housing without tenure: %+v", p.Errors)
	}
}
