package matching

import (
	"math"
	"time"
)

// Inputs are what the engine evaluated a pair from: the seeker and the
// opening as it saw them, and the instant. A proposal keeps them, so that
// its score can be derived again (Derive) and audited.
type Inputs struct {
	Seeker  Seeker    `json:"seeker"`
	Opening Opening   `json:"opening"`
	At      time.Time `json:"at"`
}

// Derive evaluates the pair again from its inputs, under the engine's
// weights and taxonomy.
func (e *Engine) Derive(in Inputs) Evaluation {
	return e.Evaluate(&in.Seeker, &in.Opening, in.At)
}

// Difference is a component whose stored and derived values differ.
type Difference struct {
	Name       ComponentName `json:"name"`
	Stored     *Component    `json:"stored"`
	Recomputed *Component    `json:"recomputed"`
}

// Compare lists the components of two evaluations of one pair that differ
// (by more than 1e-9, so that the text of a float does not count), and
// whether the scores and eligibility agree.
func Compare(stored, recomputed Evaluation) (diffs []Difference, equal bool) {
	byName := map[ComponentName]*Component{}
	for i := range stored.Components {
		byName[stored.Components[i].Name] = &stored.Components[i]
	}
	seen := map[ComponentName]bool{}
	for i := range recomputed.Components {
		r := &recomputed.Components[i]
		seen[r.Name] = true
		s := byName[r.Name]
		if s == nil || !sameComponent(*s, *r) {
			diffs = append(diffs, Difference{Name: r.Name, Stored: s, Recomputed: r})
		}
	}
	for i := range stored.Components {
		if s := &stored.Components[i]; !seen[s.Name] {
			diffs = append(diffs, Difference{Name: s.Name, Stored: s})
		}
	}
	equal = len(diffs) == 0 && stored.Eligible == recomputed.Eligible && math.Abs(stored.Score-recomputed.Score) < 1e-9
	return diffs, equal
}

func sameComponent(a, b Component) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	return near(a.Value, b.Value) && near(a.Weight, b.Weight) && near(a.Contribution, b.Contribution) &&
		a.Basis == b.Basis && a.Code == b.Code && near(a.Measure, b.Measure) && near(a.Of, b.Of)
}
