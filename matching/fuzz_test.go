package matching_test

import (
	"math"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/matching"
)

// FuzzEvaluate checks, for arbitrary pairs and weights, that a score is in
// [0, 1], that contributions add up to it, that the fast path agrees with
// the explained one, and that evaluating twice gives the same answer.
func FuzzEvaluate(f *testing.F) {
	f.Add(uint8(3), uint8(4), int8(2), 12.5, 20.0, 35, 24, 10, "H2913", "H2909", "H2914", "soudure", "ar", 0.35, 0.2, 0.1, uint8(0))
	f.Add(uint8(0), uint8(7), int8(-3), 0.0, 0.0, 0, 0, -400, "G1602", "", "", "", "", 0.0, 1.0, 0.0, uint8(3))
	f.Fuzz(func(t *testing.T, held, req uint8, margin int8, dLat, maxKm float64, sh, oh int, startDays int,
		project, past, rome, skill, lang string, w1, w2, w3 float64, kind uint8) {
		w := matching.DefaultWeights()
		w.ROME, w.Skills, w.Interests = math.Abs(w1), math.Abs(w2), math.Abs(w3)
		e, err := matching.NewEngine(nil, w)
		if err != nil {
			return // invalid weights are refused, never used
		}
		s := matching.Seeker{ID: "s", Project: []string{project}, PastJobs: []string{past}, Skills: []string{skill},
			French: matching.Uniform(matching.Level(held % 8)), Place: matching.Place{Department: "69", Coords: &matching.LatLon{Lat: 45, Lon: 4}},
			MaxKm: maxKm, HoursPerWeek: sh, Languages: []string{lang}, Interests: []string{skill},
			AvailableFrom: testNow.AddDate(0, 0, int(margin))}
		o := matching.Opening{ID: "o", Kind: []matching.Kind{matching.KindJob, matching.KindTraining, matching.KindPMSMP, matching.KindMentor}[kind%4],
			ROME: []string{rome}, Skills: []string{skill, "autre"}, French: matching.French{matching.OralProduction: matching.Level(req % 8)},
			Place:        matching.Place{Department: "69", Coords: &matching.LatLon{Lat: 45 + math.Mod(dLat, 10), Lon: 4}},
			HoursPerWeek: oh, Start: testNow.AddDate(0, 0, startDays%1000), Capacity: 1, Trained: true, Sector: rome,
			Languages: []string{lang}, Interests: []string{skill}, HostID: "h", Objective: "discover"}
		ev := e.Evaluate(&s, &o, testNow)
		if ev.Score < 0 || ev.Score > 1 || math.IsNaN(ev.Score) {
			t.Fatalf("score %v outside [0, 1]", ev.Score)
		}
		sum := 0.0
		for _, c := range ev.Components {
			if c.Value < 0 || c.Value > 1 || math.IsNaN(c.Value) {
				t.Fatalf("component %s = %v outside [0, 1]", c.Name, c.Value)
			}
			sum += c.Contribution
		}
		if ev.Eligible && math.Abs(sum-ev.Score) > 1e-9 {
			t.Fatalf("contributions add up to %v, score %v", sum, ev.Score)
		}
		if !ev.Eligible && (ev.Score != 0 || len(ev.Failures) == 0) {
			t.Fatalf("ineligible with score %v and failures %v", ev.Score, ev.Failures)
		}
		score, ok := e.Score(&s, &o, testNow)
		if ok != ev.Eligible || score != ev.Score {
			t.Fatalf("Score = %v, %v; Evaluate = %v, %v", score, ok, ev.Score, ev.Eligible)
		}
		if diff := gocmp.Diff(ev, e.Evaluate(&s, &o, testNow)); diff != "" {
			t.Fatalf("second evaluation differs (-first +second):\n%s", diff)
		}
	})
}

// Suggestions do not depend on the order of the openings given to the index.
func TestTopOpeningsIsDeterministic(t *testing.T) {
	e := newEngine(t)
	seekers, openings := makePool(11, poolShape{seekers: 50, openings: 500, odd: true}, testNow)
	reversed := make([]matching.Opening, len(openings))
	for i := range openings {
		reversed[len(openings)-1-i] = openings[i]
	}
	a, b := e.NewIndex(openings), e.NewIndex(reversed)
	for i := range seekers {
		ra := rankedOf(a.TopOpenings(&seekers[i], 20, testNow), false)
		rb := rankedOf(b.TopOpenings(&seekers[i], 20, testNow), false)
		if diff := gocmp.Diff(ra, rb); diff != "" {
			t.Fatalf("%s: order depends on input order (-given +reversed):\n%s", seekers[i].ID, diff)
		}
	}
}
