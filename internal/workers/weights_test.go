package workers_test

import (
	"context"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/candidates"
	"github.com/parcours-emploi/parcours/demo"
	"github.com/parcours-emploi/parcours/matching"
)

// figures are what a weighting does to a batch: how many people it
// assigns, how many to an outcome their programme counts as a positive
// exit (a value of at least 0.85), and the mean of the scores of the pairs
// assigned under the engine's current weights.
type figures struct {
	Assigned, Positive int
}

func batchFigures(t *testing.T, w matching.Weights, seekers []matching.Seeker, openings []matching.Opening, now time.Time) figures {
	t.Helper()
	e, err := matching.NewEngine(nil, w)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := e.BuildProblem(seekers, openings, 0.2, now)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := matching.Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	var f figures
	for s, o := range sol.Assigned {
		if o < 0 {
			continue
		}
		f.Assigned++
		if seekers[s].OutcomeValue(openings[o].Outcome) >= 0.85 {
			f.Positive++
		}
	}
	return f
}

// TestTheOutcomeWeightSendsMorePeopleToPositiveExits compares, on the
// demo's job offers, the batch under the weights before the outcome
// component (weights-2026-11-1) and under the current ones: the current
// weights send at least as many people to an outcome their programme
// counts, and assign as many people. The figures go to the README:
//
//	go test ./internal/workers -run TestTheOutcomeWeight -v
func TestTheOutcomeWeightSendsMorePeopleToPositiveExits(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	now := time.Now()
	svc := app.New(db, nil, app.Settings{})
	w, err := demo.Seed(ctx, svc, db, now)
	if err != nil {
		t.Fatal(err)
	}
	org := w.Orgs[demo.Programme].ID
	seekers, err := svc.Loader.Seekers(ctx, org, candidates.Scope{}, matching.KindJob, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := svc.Loader.Openings(ctx, org, matching.KindJob, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	before := matching.DefaultWeights()
	before.Version, before.Outcome = "weights-2026-11-1", 0
	old, cur := batchFigures(t, before, seekers, loaded.Engine, now), batchFigures(t, matching.DefaultWeights(), seekers, loaded.Engine, now)
	t.Logf("demo, %d people, %d job offers: before %+v, now %+v", len(seekers), len(loaded.Engine), old, cur)
	if cur.Positive < old.Positive || cur.Assigned < old.Assigned {
		t.Errorf("the outcome weight assigns %+v, before %+v", cur, old)
	}
}
