package matching_test

import (
	"math"
	"strings"
	"testing"

	"github.com/parcours-emploi/parcours/matching"
)

// componentSentences says, for each component, which sentences may stand
// beside an eligible pair: none may deny what eligibility established.
var componentSentences = map[matching.ComponentName]func(c matching.Component, en string) bool{
	matching.ComponentROME: func(c matching.Component, en string) bool {
		// The trade constraint held: "no ROME link" would contradict it.
		return !strings.HasPrefix(en, "No ROME link")
	},
	matching.ComponentSkills:       func(c matching.Component, en string) bool { return c.Of == 0 || strings.Contains(en, "skills asked") },
	matching.ComponentFrench:       func(c matching.Component, en string) bool { return !strings.Contains(en, "below") },
	matching.ComponentDistance:     func(c matching.Component, en string) bool { return !strings.Contains(en, "beyond") },
	matching.ComponentAvailability: func(c matching.Component, en string) bool { return strings.HasPrefix(en, "Available") },
	matching.ComponentSector:       func(c matching.Component, en string) bool { return strings.Contains(en, "sector") },
	matching.ComponentInterests:    func(c matching.Component, en string) bool { return strings.Contains(en, "in common") },
	matching.ComponentLanguages:    func(c matching.Component, en string) bool { return strings.Contains(en, "in common") },
	matching.ComponentOutcome: func(c matching.Component, en string) bool {
		return strings.HasPrefix(en, "Leads to") || strings.Contains(en, "not known")
	},
}

// TestExplanationsNeverContradictEligibility evaluates every pair of
// generated pools of each kind, with the rarer cases: an eligible pair has
// no failure, its components add up to its score, and each component's
// sentence agrees with eligibility (a table over every component); an
// ineligible pair has failures, each of a known constraint and worded in
// both languages, and no component. Every component and the common
// constraints occur.
func TestExplanationsNeverContradictEligibility(t *testing.T) {
	e := newEngine(t)
	seenComponent := map[matching.ComponentName]int{}
	seenReason := map[matching.Reason]int{}
	known := map[matching.Reason]bool{}
	for _, r := range []matching.Reason{matching.ReasonKind, matching.ReasonCapacity, matching.ReasonTrade, matching.ReasonDistance, matching.ReasonFrench,
		matching.ReasonDiploma, matching.ReasonRecognition, matching.ReasonLicence, matching.ReasonDates, matching.ReasonHours, matching.ReasonDays,
		matching.ReasonUntrained, matching.ReasonDeclined, matching.ReasonTaken} {
		known[r] = true
	}
	for i, kind := range []matching.Kind{matching.KindJob, matching.KindMentor, matching.KindPMSMP, matching.KindTraining} {
		seekers, openings := makePool(uint64(40+i), poolShape{seekers: 60, openings: 60, kind: kind, odd: true}, testNow)
		for si := range seekers {
			if si%3 == 0 {
				seekers[si].OutcomeValues = map[matching.Outcome]float64{matching.OutcomeFixedShort: 0.3, matching.OutcomeCDI: 1, matching.OutcomePlacement: 0.6}
			}
			for oi := range openings {
				o := openings[oi]
				if kind == matching.KindJob {
					o.Outcome = []matching.Outcome{"", matching.OutcomeCDI, matching.OutcomeFixedShort}[oi%3]
				}
				ev := e.Evaluate(&seekers[si], &o, testNow)
				if !ev.Eligible {
					if len(ev.Failures) == 0 || len(ev.Components) != 0 || ev.Score != 0 {
						t.Fatalf("%s × %s: ineligible with %d failures, %d components, score %v", ev.SeekerID, ev.OpeningID, len(ev.Failures), len(ev.Components), ev.Score)
					}
					for _, f := range ev.Failures {
						seenReason[f.Code]++
						if !known[f.Code] && !strings.HasPrefix(string(f.Code), "pmsmp-") || f.Text.EN == "" || f.Text.FR == "" || strings.Contains(f.Text.EN, "%!") {
							t.Errorf("%s × %s: failure %+v", ev.SeekerID, ev.OpeningID, f)
						}
					}
					continue
				}
				if len(ev.Failures) != 0 {
					t.Fatalf("%s × %s: eligible with failures %+v", ev.SeekerID, ev.OpeningID, ev.Failures)
				}
				sum := 0.0
				for _, c := range ev.Components {
					seenComponent[c.Name]++
					sum += c.Contribution
					text := c.Text()
					ok := componentSentences[c.Name]
					if text.EN == "" || text.FR == "" || strings.Contains(text.EN, "()") || strings.Contains(text.EN, "%!") || ok == nil || !ok(c, text.EN) {
						t.Errorf("%s × %s (%s): component %s = %.2f (%s) says %q", ev.SeekerID, ev.OpeningID, kind, c.Name, c.Value, c.Basis, text.EN)
					}
				}
				if math.Abs(sum-ev.Score) > 1e-9 {
					t.Errorf("%s × %s: contributions add up to %v, score %v", ev.SeekerID, ev.OpeningID, sum, ev.Score)
				}
			}
		}
	}
	for name := range componentSentences {
		if seenComponent[name] == 0 {
			t.Errorf("no eligible pair showed the component %s", name)
		}
	}
	for _, r := range []matching.Reason{matching.ReasonCapacity, matching.ReasonTrade, matching.ReasonDistance, matching.ReasonFrench, matching.ReasonDates} {
		if seenReason[r] == 0 {
			t.Errorf("no pair failed the constraint %s", r)
		}
	}
	t.Logf("components %v; failures %v", seenComponent, seenReason)
}

// TestTheOutcomeWeightOnAGeneratedPool: 2,000 people and 1,000 job offers,
// a third each CDI, CDD of 6 months or more and shorter contracts, the
// people valuing them as AGIR does. Under the current weights the batch
// sends more people to an outcome AGIR counts than under the weights
// before the outcome component, and assigns about as many people. The
// figures go to the README:
//
//	go test ./matching -run TestTheOutcomeWeightOnAGeneratedPool -v
func TestTheOutcomeWeightOnAGeneratedPool(t *testing.T) {
	seekers, openings := makePool(2026, poolShape{seekers: 2000, openings: 1000}, testNow)
	agir := map[matching.Outcome]float64{matching.OutcomeCDI: 1, matching.OutcomeFixedLong: 0.9, matching.OutcomeFixedShort: 0.3}
	for i := range seekers {
		seekers[i].OutcomeValues = agir
	}
	for j := range openings {
		openings[j].Outcome = []matching.Outcome{matching.OutcomeCDI, matching.OutcomeFixedLong, matching.OutcomeFixedShort}[j%3]
	}
	run := func(w matching.Weights) (assigned, positive int, mean float64) {
		e, err := matching.NewEngine(nil, w)
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := e.BuildProblem(seekers, openings, 0.2, testNow)
		if err != nil {
			t.Fatal(err)
		}
		sol, err := matching.Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range sol.Assigned {
			if o < 0 {
				continue
			}
			assigned++
			if agir[openings[o].Outcome] >= 0.85 {
				positive++
			}
		}
		return assigned, positive, float64(sol.Objective) / 1000 / float64(max(assigned, 1))
	}
	before := matching.DefaultWeights()
	before.Version, before.Outcome = "weights-2026-11-1", 0
	a0, p0, m0 := run(before)
	a1, p1, m1 := run(matching.DefaultWeights())
	t.Logf("before: %d assigned, %d to a positive exit (%.1f %%), mean score %.3f", a0, p0, 100*float64(p0)/float64(a0), m0)
	t.Logf("now:    %d assigned, %d to a positive exit (%.1f %%), mean score %.3f", a1, p1, 100*float64(p1)/float64(a1), m1)
	if p1 <= p0 || float64(a1) < 0.97*float64(a0) {
		t.Errorf("the outcome weight sends %d of %d to a positive exit, before %d of %d", p1, a1, p0, a0)
	}
}
