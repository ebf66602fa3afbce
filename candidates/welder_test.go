package candidates_test

import (
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/candidates"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/pathways"
)

// TestTheWelderGetsTheContractAGIRCounts replays the batch that gave a
// welder a 3-month intérim over a 6-month CDD: the only difference was
// French above the intérim's requirement. Under weights without the
// outcome the intérim wins; under the current weights, whose outcome
// follows AGIR's rule set (a CDD of 6 months is a positive exit, a
// 3-month intérim is not), the batch assigns the CDD.
func TestTheWelderGetsTheContractAGIRCounts(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	welder := pathways.Beneficiary{ID: "ben_welder", Department: "69", Enrolment: pathways.Enrolment{Programme: "AGIR"},
		Address:      pathways.Address{Postcode: "69008", Location: &geo.Point{Lat: 45.734, Lon: 4.869}},
		French:       pathways.French{OralComprehension: "b1", WrittenComprehension: "a2", OralProduction: "b1", WrittenProduction: "a2"},
		Project:      pathways.Project{TargetROME: []string{"H2913"}},
		Availability: pathways.Availability{From: "2026-12-01", HoursPerWeek: 35},
		Mobility:     pathways.Mobility{MaxKm: 30, PublicTransport: true},
	}
	offer := func(id, contract string, months int, oral string) jobs.Opportunity {
		return jobs.Opportunity{ID: id, Kind: jobs.KindJob, Status: jobs.StatusOpen, Title: "Soudeur", ROME: "H2913", Positions: 1,
			Place: geo.Place{Department: "69", Postcode: "69007", Location: &geo.Point{Lat: 45.745, Lon: 4.842}},
			Start: civil.Of(now).AddDate(0, 0, 7), HoursPerWeek: 35, Contract: &jobs.Contract{Type: contract, Months: months},
			French: jobs.FrenchRequirement{OralComprehension: oral, OralProduction: oral}}
	}
	openings := []matching.Opening{candidates.Opening(offer("opp_interim", "interim", 3, "a2"), 0), candidates.Opening(offer("opp_cdd", "cdd", 6, "b1"), 0)}
	seekers := []matching.Seeker{candidates.Seeker(welder, candidates.SeekerExtras{RuleSet: pathways.RuleSetAGIR})}

	assigned := func(w matching.Weights) (string, []float64) {
		t.Helper()
		e, err := matching.NewEngine(nil, w)
		if err != nil {
			t.Fatal(err)
		}
		p, evs, err := e.BuildProblem(seekers, openings, 0, now)
		if err != nil {
			t.Fatal(err)
		}
		sol, err := matching.Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		var scores []float64
		for _, ev := range evs {
			scores = append(scores, ev.Score)
		}
		if sol.Assigned[0] < 0 {
			t.Fatalf("the welder is not assigned: %v", scores)
		}
		return openings[sol.Assigned[0]].ID, scores
	}
	before := matching.DefaultWeights()
	before.Version, before.Outcome = "weights-2026-11-1", 0
	if got, scores := assigned(before); got != "opp_interim" {
		t.Errorf("without the outcome the batch assigns %s (scores %v); the case no longer shows the problem", got, scores)
	}
	if got, scores := assigned(matching.DefaultWeights()); got != "opp_cdd" {
		t.Errorf("under AGIR the batch assigns %s (scores %v), want the 6-month CDD", got, scores)
	}
}
