package pathways_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

// TestFollowUpsFallDueAfterExitAndBeforeTheLimit: AGIR's interviews 3 and
// 6 months after the exit become tasks two weeks ahead and stay a month;
// its 24-month limit warns two months ahead; a programme without a limit
// or exit horizons has none.
func TestFollowUpsFallDueAfterExitAndBeforeTheLimit(t *testing.T) {
	agir := pathways.ProgrammeDefaults(pathways.Programme{Name: "AGIR"})
	iae := pathways.ProgrammeDefaults(pathways.Programme{Name: "Accelair"})
	if agir.DurationMonths != 24 || !cmp.Equal(agir.ExitHorizons, []int{3, 6}) || iae.DurationMonths != 0 || len(iae.ExitHorizons) != 0 {
		t.Fatalf("defaults: AGIR %+v, IAE %+v", agir, iae)
	}
	person := func(entry, exited civil.Date) pathways.Beneficiary {
		return pathways.Beneficiary{ID: "ben", FirstName: "Amina", LastName: "Haidari", Enrolment: pathways.Enrolment{EntryDate: entry}, ExitedOn: exited}
	}
	type due struct {
		Kind   string
		Months int
		Date   civil.Date
	}
	tests := []struct {
		name  string
		b     pathways.Beneficiary
		p     pathways.Programme
		today civil.Date
		want  []due
	}{
		{"3 months after an exit on 30 November, two weeks ahead", person("2025-01-06", "2026-11-30"), agir, "2027-02-14", []due{{pathways.FollowUpAfterExit, 3, "2027-02-28"}}},
		{"not yet 15 days ahead", person("2025-01-06", "2026-11-30"), agir, "2027-02-13", nil},
		{"still a task 30 days after", person("2025-01-06", "2026-11-30"), agir, "2027-03-30", []due{{pathways.FollowUpAfterExit, 3, "2027-02-28"}}},
		{"gone 31 days after", person("2025-01-06", "2026-11-30"), agir, "2027-03-31", nil},
		{"6 months after", person("2025-01-06", "2026-11-30"), agir, "2027-05-20", []due{{pathways.FollowUpAfterExit, 6, "2027-05-30"}}},
		{"the 24-month limit, 60 days ahead", person("2025-01-31", ""), agir, "2026-12-02", []due{{pathways.FollowUpLimit, 24, "2027-01-31"}}},
		{"the limit, 61 days ahead: not yet", person("2025-02-01", ""), agir, "2026-12-02", nil},
		{"no limit once exited", person("2025-01-31", "2026-10-01"), agir, "2026-12-02", nil},
		{"a programme with neither", person("2025-01-31", "2026-11-30"), iae, "2027-02-20", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []due
			for _, f := range pathways.FollowUpsOf(tt.b, tt.p, tt.today) {
				if f.Name != "Amina Haidari" || f.BeneficiaryID != "ben" {
					t.Errorf("follow-up of %q (%s)", f.Name, f.BeneficiaryID)
				}
				got = append(got, due{f.Kind, f.Months, f.Date})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
