package workers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"sort"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// openDB opens a fresh database with its indexes.
func openDB(tb testing.TB) *mongodb.DB {
	tb.Helper()
	env := testenv.Get(tb)
	name := env.Database(tb).Name()
	ctx := context.Background()
	db, err := mongodb.Open(ctx, env.MongoURI(), name)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close(context.Background()) })
	if err := db.EnsureIndexes(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// redisOpt is this test binary's Redis database, for Asynq.
func redisOpt(tb testing.TB) asynq.RedisClientOpt {
	tb.Helper()
	o := testenv.Get(tb).RedisOpt(tb)
	return asynq.RedisClientOpt{Addr: o.Addr, Username: o.Username, Password: o.Password, DB: o.DB}
}

// t0 is the instant batches are created at in tests.
var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// romes are trades of the synthetic population, in a few families so that
// the index has work to do.
var romes = []string{"G1602", "G1603", "H2913", "N1103", "K2204", "F1703", "J1501", "I1604", "D1507", "A1414", "M1805", "K1304"}

// seed stores n beneficiaries of org and m job offers around Lyon, from a
// fixed seed: the same call makes the same population (ids aside).
func seed(tb testing.TB, db *mongodb.DB, org string, n, m int, rnd int64) {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewSource(rnd))
	levels := []string{"a1", "a2", "b1", "b2"}
	today := civil.Of(t0)
	for i := 0; i < n; i++ {
		lvl := levels[rng.Intn(len(levels))]
		b := pathways.Beneficiary{
			ID: ids.New("ben"), OrganisationID: org, FirstName: "P", LastName: fmt.Sprint(i),
			BirthDate: "1990-01-01", Protection: pathways.ProtectionRefugee,
			Enrolment:    pathways.Enrolment{Programme: "AGIR", EntryDate: today.AddDate(0, -2, 0), Cohort: "c1"},
			Department:   "69",
			Address:      pathways.Address{Postcode: "69007", Location: &geo.Point{Lat: 45.70 + rng.Float64()*0.15, Lon: 4.78 + rng.Float64()*0.15}},
			French:       pathways.French{OralComprehension: lvl, WrittenComprehension: lvl, OralProduction: lvl, WrittenProduction: lvl},
			Project:      pathways.Project{TargetROME: []string{romes[rng.Intn(len(romes))]}},
			PastJobs:     []pathways.PastJob{{ROME: romes[rng.Intn(len(romes))], Title: "x"}},
			Availability: pathways.Availability{From: today, HoursPerWeek: 35},
			Mobility:     pathways.Mobility{MaxKm: 10 + rng.Intn(30), PublicTransport: true},
			ConsentAt:    today, CreatedAt: t0, UpdatedAt: t0, Version: 1,
		}
		if err := db.CreateBeneficiary(ctx, b); err != nil {
			tb.Fatal(err)
		}
	}
	for j := 0; j < m; j++ {
		o := jobs.Opportunity{
			ID: ids.New("opp"), OrganisationID: org, Kind: jobs.KindJob, Status: jobs.StatusOpen,
			Title: "offer", ROME: romes[rng.Intn(len(romes))],
			Place: geo.Place{Department: "69", Postcode: "69003", Location: &geo.Point{Lat: 45.70 + rng.Float64()*0.15, Lon: 4.78 + rng.Float64()*0.15}},
			Start: today, HoursPerWeek: 35, Positions: 1 + rng.Intn(2),
			Contract:  &jobs.Contract{Type: "cdi"},
			French:    jobs.FrenchRequirement{OralComprehension: levels[rng.Intn(2)]},
			CreatedAt: t0, UpdatedAt: t0, Version: 1,
		}
		if err := db.CreateOpportunity(ctx, o); err != nil {
			tb.Fatal(err)
		}
	}
}

// runner is a batch runner on db with the default engine and a fixed clock.
func runner(db *mongodb.DB, w batches.ProposalWriter) *batches.Runner {
	r := app.New(db, nil, app.Settings{Now: func() time.Time { return t0 }}).Runner
	r.Proposals, r.Logger, r.ProgressEvery = w, quiet, 5
	return r
}

// newBatch records a queued job batch of org created at t0.
func newBatch(tb testing.TB, db *mongodb.DB, org string) batches.Batch {
	tb.Helper()
	b := batches.Batch{ID: ids.New("bat"), OrganisationID: org, Kind: "job", Scope: batches.Scope{Department: "69"},
		MinScore: 0.2, Status: batches.Queued, CreatedAt: t0, Progress: batches.Progress{Phase: "queued"}}
	if err := db.CreateBatch(context.Background(), b); err != nil {
		tb.Fatal(err)
	}
	return b
}

// pair is a proposal's identity within its batch.
type pair struct{ Seeker, Opening string }

// proposalsOf lists the pairs a batch proposed, sorted, duplicates kept.
func proposalsOf(tb testing.TB, db *mongodb.DB, org, batch string) []pair {
	tb.Helper()
	var out []pair
	after := ""
	for {
		list, next, err := db.Proposals(context.Background(), proposals.Filter{OrganisationID: org, BatchID: batch, After: after, Limit: 200})
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range list {
			out = append(out, pair{p.BeneficiaryID, p.OpeningID})
		}
		if next == "" {
			break
		}
		after = next
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Seeker < out[j].Seeker || out[i].Seeker == out[j].Seeker && out[i].Opening < out[j].Opening
	})
	return out
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(tb testing.TB, d time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
