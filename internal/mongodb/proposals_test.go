package mongodb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
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
	name := env.Database(t).Name()
	ctx := context.Background()
	db, err := mongodb.Open(ctx, env.MongoURI(), name)
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

func TestCreateProposalOnceIsIdempotentPerBatchPair(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	first := newProposal("org_a", "ben_1", "job", "opp_1", "bat_1")
	got, created, err := db.CreateProposalOnce(ctx, first)
	if err != nil || !created {
		t.Fatalf("first CreateProposalOnce = created %v, %v; want created", created, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("created proposal (-want +got):\n%s", diff)
	}
	// Concurrent retries of the same batch pair: one proposal, all answers name it.
	var wg sync.WaitGroup
	results := make([]proposals.Proposal, 8)
	errs := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _, errs[i] = db.CreateProposalOnce(ctx, newProposal("org_a", "ben_1", "job", "opp_1", "bat_1"))
		}()
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil || results[i].ID != first.ID {
			t.Errorf("retry %d = %s, %v; want %s, no error", i, results[i].ID, errs[i], first.ID)
		}
	}
	list, _, err := db.Proposals(ctx, proposals.Filter{OrganisationID: "org_a", BatchID: "bat_1"})
	if err != nil || len(list) != 1 {
		t.Fatalf("proposals of the batch = %d, %v; want 1", len(list), err)
	}
	// Another batch may propose the same pair.
	if _, created, err := db.CreateProposalOnce(ctx, newProposal("org_a", "ben_1", "job", "opp_1", "bat_2")); err != nil || !created {
		t.Errorf("other batch: created %v, %v; want created", created, err)
	}
}

func TestOpenMentorProposalsPerBeneficiaryAreCapped(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.CreateProposal(ctx, newProposal("org_a", "ben_1", "mentor", fmt.Sprintf("men_%d", i), ""))
		}()
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case apperr.Is(err, apperr.Conflict):
			conflicts++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != proposals.MaxOpenMentorProposals || conflicts != len(errs)-ok {
		t.Fatalf("created %d, refused %d; want %d created, the rest refused", ok, conflicts, proposals.MaxOpenMentorProposals)
	}
	// Job proposals do not count; closing a mentor proposal frees a place.
	if err := db.CreateProposal(ctx, newProposal("org_a", "ben_1", "job", "opp_1", "")); err != nil {
		t.Errorf("job proposal refused: %v", err)
	}
	open, _, err := db.Proposals(ctx, proposals.Filter{OrganisationID: "org_a", BeneficiaryID: "ben_1", Kind: proposals.KindMentor})
	if err != nil {
		t.Fatal(err)
	}
	next, err := open[0].Advance(proposals.Withdrawn, "usr_adv", "", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.TransitionProposal(ctx, proposals.Proposed, next); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateProposal(ctx, newProposal("org_a", "ben_1", "mentor", "men_new", "")); err != nil {
		t.Errorf("after a withdrawal, a new mentor proposal was refused: %v", err)
	}
}

func TestTransitionProposalOnlyOneConcurrentWinner(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	p := newProposal("org_a", "ben_1", "job", "opp_1", "")
	if err := db.CreateProposal(ctx, p); err != nil {
		t.Fatal(err)
	}
	targets := []proposals.State{proposals.Approved, proposals.Withdrawn}
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next, err := p.Advance(targets[i%2], "usr_adv", "", t0.Add(time.Minute))
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = db.TransitionProposal(ctx, proposals.Proposed, next)
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Conflict || e.Extra["currentState"] == nil {
			t.Errorf("loser got %v, want a conflict with currentState", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d transitions won, want exactly 1", wins)
	}
	got, err := db.Proposal(ctx, "org_a", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.History) != 1 || got.Version != 2 {
		t.Errorf("stored proposal has %d transitions at version %d, want 1 at version 2", len(got.History), got.Version)
	}
	if _, err := db.Proposal(ctx, "org_b", p.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another organisation read the proposal: %v", err)
	}
}

func TestSendProposalCapsSentPerMentor(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const maxSent = 3
	var approved []proposals.Proposal
	for i := range 5 {
		p := newProposal("org_a", fmt.Sprintf("ben_%d", i), "mentor", "men_1", "")
		p.State = proposals.Approved
		if err := db.CreateProposal(ctx, p); err != nil {
			t.Fatal(err)
		}
		approved = append(approved, p)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(approved))
	for i, p := range approved {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next, _ := p.Advance(proposals.Sent, "usr_adv", "", t0)
			errs[i] = db.SendProposal(ctx, next, maxSent)
		}()
	}
	wg.Wait()
	sent := 0
	var refused proposals.Proposal
	for i, err := range errs {
		switch {
		case err == nil:
			sent++
		case apperr.Is(err, apperr.Conflict):
			refused = approved[i]
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if sent != maxSent {
		t.Fatalf("sent %d, want %d", sent, maxSent)
	}
	// An answer frees a place.
	list, _, _ := db.Proposals(ctx, proposals.Filter{OrganisationID: "org_a", OpeningID: "men_1", States: []proposals.State{proposals.Sent}})
	declined, _ := list[0].Advance(proposals.Declined, "usr_men", "not my trade", t0.Add(time.Hour))
	if err := db.TransitionProposal(ctx, proposals.Sent, declined); err != nil {
		t.Fatal(err)
	}
	next, _ := refused.Advance(proposals.Sent, "usr_adv", "", t0.Add(2*time.Hour))
	if err := db.SendProposal(ctx, next, maxSent); err != nil {
		t.Errorf("after a decline, sending was refused: %v", err)
	}
	declines, err := db.DeclinesOf(ctx, list[0].BeneficiaryID, t0, civil.InFrance(t0))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]proposals.Decline{{OpeningID: "men_1", At: t0.Add(time.Hour)}}, declines); diff != "" {
		t.Errorf("DeclinesOf (-want +got):\n%s", diff)
	}
	// A decline older than the instant is still read when its pair is
	// available again only later.
	if declines, err = db.DeclinesOf(ctx, list[0].BeneficiaryID, t0.Add(2*time.Hour), civil.InFrance(t0)); err != nil || len(declines) != 0 {
		t.Errorf("declines made before the instant: %v %v", declines, err)
	}
	old := proposals.Proposal{ID: "pro_old", OrganisationID: "org_a", BeneficiaryID: list[0].BeneficiaryID, Kind: proposals.KindMentor,
		OpeningID: "men_2", Source: proposals.SourceAdviser, State: proposals.Declined, AvailableFrom: civil.InFrance(t0).AddDate(0, 6, 0),
		CreatedAt: t0.AddDate(0, -5, 0), UpdatedAt: t0.AddDate(0, -5, 0), Version: 3}
	if err := db.CreateProposal(ctx, old); err != nil {
		t.Fatal(err)
	}
	declines, err = db.DeclinesOf(ctx, list[0].BeneficiaryID, t0.Add(2*time.Hour), civil.InFrance(t0))
	if err != nil || len(declines) != 1 || declines[0].OpeningID != "men_2" || declines[0].AvailableFrom != old.AvailableFrom {
		t.Errorf("a decline of five months ago, available again in six: %+v %v", declines, err)
	}
}
