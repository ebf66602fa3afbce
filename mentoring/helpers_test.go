package mentoring_test

import (
	"context"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/proposals"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// openDB opens a fresh database with its indexes.
func openDB(t *testing.T) *mongodb.DB {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	db, err := mongodb.Open(ctx, env.MongoURI(), env.Database(t).Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	if err := db.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newProposal(org, ben, kind, opening, batch string) proposals.Proposal {
	return proposals.Proposal{
		ID: ids.New("pro"), OrganisationID: org, BeneficiaryID: ben, Kind: proposals.Kind(kind), OpeningID: opening,
		BatchID: batch, Source: proposals.SourceEngine, State: proposals.Proposed, Score: 0.5,
		Explanation: []byte(`{"eligible":true,"score":0.5}`), History: []proposals.Transition{},
		CreatedAt: t0, UpdatedAt: t0, Version: 1,
	}
}
