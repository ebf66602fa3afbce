package workers_test

import (
	"context"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/proposals"
)

// TestEveryProposalOfABatchIsDerivedAgain: a batch over 300 people and 200
// offers; every proposal it wrote kept its inputs, and deriving its score
// again from them gives the stored components, one by one.
func TestEveryProposalOfABatchIsDerivedAgain(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const org = "org-d"
	seed(t, db, org, 300, 200, 3)
	b := newBatch(t, db, org)
	if err := runner(db, db).Run(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	svc := app.New(db, nil, app.Settings{Now: func() time.Time { return t0 }})
	who := access.Principal{UserID: "usr_coord", OrganisationID: org, Role: access.Coordinator}
	n, after := 0, ""
	for {
		list, next, err := db.Proposals(ctx, proposals.Filter{OrganisationID: org, BatchID: b.ID, After: after, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			d, err := svc.Proposals.Derive(p)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Derivable || !d.Equal || len(d.Differences) != 0 || d.Recomputed.Score != p.Score {
				t.Errorf("proposal %s: derivable %v, equal %v, differences %+v, %s", p.ID, d.Derivable, d.Equal, d.Differences, d.Reason.EN)
			}
			n++
		}
		if next == "" {
			break
		}
		after = next
	}
	// The API's derivation of one, with today's records beside it: nothing changed.
	list, _, err := db.Proposals(ctx, proposals.Filter{OrganisationID: org, BatchID: b.ID, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	if d, err := svc.Proposals.Derivation(ctx, who, list[0].ID); err != nil || !d.Equal || d.Current == nil || len(d.Changed) != 0 {
		t.Errorf("the derivation with today's records: equal %v, current %v, changed %+v, %v", d.Equal, d.Current != nil, d.Changed, err)
	}
	if n < 100 {
		t.Fatalf("the batch proposed %d pairs: too few to say much", n)
	}
	t.Logf("%d proposals derived again", n)
}
