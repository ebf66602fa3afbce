package proposals_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// TestAcceptedOpeningsBecomeSituations: each kind of opening, and each
// contract of a job offer, makes the situation the rule sets count.
func TestAcceptedOpeningsBecomeSituations(t *testing.T) {
	const today = civil.Date("2026-12-02")
	job := func(contract string, months int, start, end civil.Date) jobs.Opportunity {
		return jobs.Opportunity{Kind: jobs.KindJob, Title: "Commis", Employer: "Traiteur", ROME: "G1602", Start: start, End: end,
			Contract: &jobs.Contract{Type: contract, Months: months}}
	}
	type got struct {
		Kind     pathways.SituationKind
		Start    civil.Date
		End      civil.Date
		Months   int
		Employer string
	}
	tests := []struct {
		name string
		kind proposals.Kind
		o    jobs.Opportunity
		want got
	}{
		{"a CDI from its start", proposals.KindJob, job("cdi", 0, "2027-01-04", ""), got{pathways.SituationCDI, "2027-01-04", "", 0, "Traiteur"}},
		{"a CDD of 6 months", proposals.KindJob, job("cdd", 6, "2027-01-04", ""), got{pathways.SituationCDD, "2027-01-04", "", 6, "Traiteur"}},
		{"an intérim without months lasts to its end, started months counted", proposals.KindJob, job("interim", 0, "2027-01-04", "2027-03-10"), got{pathways.SituationInterim, "2027-01-04", "", 3, "Traiteur"}},
		{"a start already past starts today", proposals.KindJob, job("cdd", 2, "2026-11-02", ""), got{pathways.SituationCDD, today, "", 2, "Traiteur"}},
		{"a professionalisation contract is an alternance", proposals.KindJob, job("professionnalisation", 0, "2027-01-04", "2028-01-03"), got{pathways.SituationAlternance, "2027-01-04", "2028-01-03", 0, "Traiteur"}},
		{"an IAE contract is subsidised", proposals.KindJob, job("iae", 0, "2027-01-04", ""), got{pathways.SituationSubsidised, "2027-01-04", "", 0, "Traiteur"}},
		{"a placement keeps its dates", proposals.KindPMSMP, jobs.Opportunity{Kind: jobs.KindPMSMP, Start: "2027-01-04", End: "2027-01-29"}, got{pathways.SituationPMSMP, "2027-01-04", "2027-01-29", 0, ""}},
		{"a training with a trade qualifies", proposals.KindTraining, jobs.Opportunity{Kind: jobs.KindTraining, ROME: "G1602", Start: "2027-01-04", End: "2027-06-30"}, got{pathways.SituationQualifyingTraining, "2027-01-04", "2027-06-30", 0, ""}},
		{"a course without a trade is a language course", proposals.KindTraining, jobs.Opportunity{Kind: jobs.KindTraining, Start: "2027-01-04"}, got{pathways.SituationFLE, "2027-01-04", "", 0, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := proposals.SituationOf(proposals.Proposal{ID: "pro_1", Kind: tt.kind, BeneficiaryID: "ben_1", OrganisationID: "org_1"}, tt.o, today)
			if err := s.Validate(); err != nil {
				t.Fatalf("the situation is not valid: %v", err)
			}
			if s.ID != "sit_pro_1" || s.BeneficiaryID != "ben_1" || s.OrganisationID != "org_1" {
				t.Errorf("recorded as %s for %s of %s", s.ID, s.BeneficiaryID, s.OrganisationID)
			}
			if diff := cmp.Diff(tt.want, got{s.Kind, s.Start, s.End, s.DurationMonths, s.Employer}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
