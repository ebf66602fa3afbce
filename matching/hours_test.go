package matching_test

import (
	"testing"

	"github.com/parcours-emploi/parcours/matching"
)

// A job of a few more hours than the seeker can do, within the tolerance
// (10 % unless the programme says), is a soft penalty shown in the
// explanation; beyond it, the pair is excluded; the fast check and the
// full one agree.
func TestHoursWithinToleranceAreASoftPenalty(t *testing.T) {
	e := newEngine(t)
	s := baseSeeker()
	o := baseOpening()
	o.HoursPerWeek = 35
	exact := e.Evaluate(&s, &o, testNow)

	o.HoursPerWeek = 38 // 35 + 8.6 %
	ev := e.Evaluate(&s, &o, testNow)
	if !ev.Eligible {
		t.Fatalf("38 hours for 35 is excluded: %+v", ev.Failures)
	}
	found := false
	for _, u := range ev.Unmet {
		if u.Code == matching.UnmetHours && u.Text.FR == "L'offre demande 38 heures par semaine, 3 de plus que les 35 de la personne." {
			found = true
		}
	}
	if !found || ev.Score >= exact.Score {
		t.Errorf("38 hours: unmet %+v, score %.3f (exact fit %.3f)", ev.Unmet, ev.Score, exact.Score)
	}
	if _, ok := e.Score(&s, &o, testNow); !ok {
		t.Errorf("the fast check excludes what the full one keeps")
	}

	o.HoursPerWeek = 39 // beyond 10 %
	if ev := e.Evaluate(&s, &o, testNow); ev.Eligible || fast(e, &s, &o) {
		t.Errorf("39 hours for 35 is kept: %+v", ev)
	}
	s.HoursTolerance = 0.15 // a programme that allows more
	if ev := e.Evaluate(&s, &o, testNow); !ev.Eligible || !fast(e, &s, &o) {
		t.Errorf("39 hours for 35 with a 15 %% tolerance is excluded: %+v", ev.Failures)
	}
}

// fast is the engine's quick eligibility check (what suggestions and
// batches use).
func fast(e *matching.Engine, s *matching.Seeker, o *matching.Opening) bool {
	_, ok := e.Score(s, o, testNow)
	return ok
}
