package proposals_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pmsmp"
	"github.com/parcours-emploi/parcours/proposals"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

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

// placement stores a PMSMP placement with host, objective and dates, and a
// proposal of it to the beneficiary, sent and waiting for the answer.
func placement(t *testing.T, db *mongodb.DB, org, ben, host string, obj pmsmp.Objective, start, end civil.Date) proposals.Proposal {
	t.Helper()
	ctx := context.Background()
	o := jobs.Opportunity{ID: ids.New("opp"), OrganisationID: org, Kind: jobs.KindPMSMP, Status: jobs.StatusOpen,
		Title: "Découverte", ROME: "G1602", Place: geo.Place{Department: "69"}, Start: start, End: end, Positions: 1,
		PMSMP: &jobs.PMSMP{HostID: host, Objective: obj}, CreatedAt: t0, UpdatedAt: t0, Version: 1}
	if err := db.CreateOpportunity(ctx, o); err != nil {
		t.Fatal(err)
	}
	p := proposals.Proposal{ID: ids.New("pro"), OrganisationID: org, BeneficiaryID: ben, Kind: proposals.KindPMSMP, OpeningID: o.ID,
		Source: proposals.SourceAdviser, State: proposals.Sent, Score: 0.5, Explanation: []byte(`{}`),
		History:   []proposals.Transition{{From: proposals.Approved, To: proposals.Sent, At: t0, By: "usr_adv"}},
		CreatedAt: t0, UpdatedAt: t0, Version: 3}
	if err := db.CreateProposal(ctx, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// flakyConventions fails the first recording of a convention (pending to
// recorded), as a crash between the acceptance and that write would.
type flakyConventions struct {
	jobs.ConventionStore
	mu     sync.Mutex
	failed bool
}

func (f *flakyConventions) SetConventionState(ctx context.Context, org, id string, from, to jobs.ConventionState, at time.Time) error {
	f.mu.Lock()
	fail := !f.failed && to == jobs.ConventionRecorded
	f.failed = f.failed || fail
	f.mu.Unlock()
	if fail {
		return errors.New("connection reset")
	}
	return f.ConventionStore.SetConventionState(ctx, org, id, from, to, at)
}

func TestPlacementAcceptanceSurvivesAFailedConventionWrite(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	now := t0
	flaky := &flakyConventions{ConventionStore: db}
	svc := &proposals.Service{Store: db, Opportunities: db, Conventions: flaky, Now: func() time.Time { return now }}
	adviser := access.Principal{UserID: "usr_adv", OrganisationID: "org_a", Role: access.Adviser}

	first := placement(t, db, "org_a", "ben_1", "host_1", pmsmp.Discover, "2027-01-11", "2027-01-22")
	got, err := svc.Answer(ctx, adviser, first.ID, true, "")
	if err != nil || got.State != proposals.Accepted {
		t.Fatalf("accept = %s, %v; want accepted: the acceptance holds though the convention write failed", got.State, err)
	}
	list, err := db.Conventions(ctx, "org_a", "ben_1")
	if err != nil || len(list) != 1 || list[0].State != jobs.ConventionPending {
		t.Fatalf("conventions after the failed write: %+v, %v; want one pending", list, err)
	}

	// The pending convention already counts: a second placement with the
	// same host and the same objective is refused.
	again := placement(t, db, "org_a", "ben_1", "host_1", pmsmp.Discover, "2027-03-01", "2027-03-05")
	if _, err := svc.Answer(ctx, adviser, again.ID, true, ""); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("same host and objective while the first convention is pending: %v, want a conflict", err)
	}

	// The repair leaves a convention alone while an acceptance may be under
	// way, then records it.
	if n, err := svc.RepairConventions(ctx, now); err != nil || n != 0 {
		t.Errorf("repair at once settled %d (%v), want 0", n, err)
	}
	if n, err := svc.RepairConventions(ctx, now.Add(11*time.Minute)); err != nil || n != 1 {
		t.Errorf("repair after the grace period settled %d (%v), want 1", n, err)
	}
	list, err = db.Conventions(ctx, "org_a", "ben_1")
	if err != nil || len(list) != 1 || list[0].State != jobs.ConventionRecorded || list[0].ProposalID != first.ID {
		t.Errorf("conventions after the repair: %+v, %v; want the first one recorded", list, err)
	}
}

func TestRepairSettlesAConventionLeftPendingByACrash(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	svc := &proposals.Service{Store: db, Opportunities: db, Conventions: db, Now: func() time.Time { return t0 }}
	// A crash after the reservation: the proposal still sent. A crash of an
	// acceptance whose proposal was withdrawn meanwhile: the proposal closed.
	stillSent := placement(t, db, "org_a", "ben_1", "host_1", pmsmp.Discover, "2027-01-11", "2027-01-22")
	withdrawn := placement(t, db, "org_a", "ben_2", "host_1", pmsmp.Discover, "2027-01-11", "2027-01-22")
	for _, p := range []proposals.Proposal{stillSent, withdrawn} {
		o, err := db.Opportunity(ctx, p.OpeningID)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := jobs.ConventionFor("pmc_"+p.ID, p.BeneficiaryID, o)
		if err := db.ReserveConvention(ctx, jobs.Convention{Convention: c, OrganisationID: "org_a", ProposalID: p.ID,
			State: jobs.ConventionPending, CreatedAt: t0, UpdatedAt: t0}, 0); err != nil {
			t.Fatal(err)
		}
	}
	next, err := withdrawn.Advance(proposals.Withdrawn, "usr_adv", "", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.TransitionProposal(ctx, proposals.Sent, next); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.RepairConventions(ctx, t0.Add(time.Hour)); err != nil || n != 2 {
		t.Fatalf("repair settled %d (%v), want 2", n, err)
	}
	for _, tt := range []struct {
		p        proposals.Proposal
		proposal proposals.State
		conv     jobs.ConventionState
	}{{stillSent, proposals.Accepted, jobs.ConventionRecorded}, {withdrawn, proposals.Withdrawn, jobs.ConventionCancelled}} {
		p, err := db.Proposal(ctx, "org_a", tt.p.ID)
		if err != nil || p.State != tt.proposal {
			t.Errorf("proposal of %s: %s %v, want %s", tt.p.BeneficiaryID, p.State, err, tt.proposal)
		}
		list, err := db.Conventions(ctx, "org_a", tt.p.BeneficiaryID)
		if err != nil || len(list) != 1 || list[0].State != tt.conv {
			t.Errorf("conventions of %s: %+v %v, want one %s", tt.p.BeneficiaryID, list, err, tt.conv)
		}
	}
}

// Ten placements with one host for one beneficiary, accepted at once: the
// PMSMP rules allow two conventions with different objectives in 12
// months, and exactly two are accepted, whatever the order.
func TestConcurrentPlacementAcceptancesHoldTheRules(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	svc := &proposals.Service{Store: db, Opportunities: db, Conventions: db, Now: func() time.Time { return t0 }}
	adviser := access.Principal{UserID: "usr_adv", OrganisationID: "org_a", Role: access.Adviser}
	objectives := []pmsmp.Objective{pmsmp.Discover, pmsmp.Confirm, pmsmp.Recruit}
	var props []proposals.Proposal
	for i := range 10 {
		start := civil.Date(fmt.Sprintf("2027-%02d-04", i+1))
		props = append(props, placement(t, db, "org_a", "ben_1", "host_1", objectives[i%3], start, start.AddDate(0, 0, 9)))
	}
	statuses := make([]int, len(props))
	var wg sync.WaitGroup
	for i, p := range props {
		wg.Go(func() {
			_, err := svc.Answer(ctx, adviser, p.ID, true, "")
			switch {
			case err == nil:
				statuses[i] = http.StatusOK
			case apperr.Is(err, apperr.Conflict):
				statuses[i] = http.StatusConflict
			default:
				t.Errorf("accept %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	accepted := 0
	for _, st := range statuses {
		if st == http.StatusOK {
			accepted++
		}
	}
	if accepted != 2 {
		t.Errorf("%d acceptances went through (%v), want 2", accepted, statuses)
	}
	list, err := db.Conventions(ctx, "org_a", "ben_1")
	if err != nil {
		t.Fatal(err)
	}
	held := jobs.Holding(list)
	if len(held) != 2 {
		t.Fatalf("conventions that hold: %+v, want 2", held)
	}
	for i, c := range held {
		others := append(append([]pmsmp.Convention{}, held[:i]...), held[i+1:]...)
		if v := pmsmp.Check(c, others); len(v) > 0 {
			t.Errorf("recorded conventions break the rules: %+v", v)
		}
	}
	for _, p := range props {
		got, err := db.Proposal(ctx, "org_a", p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if (got.State == proposals.Accepted) != hasConvention(list, p.ID) {
			t.Errorf("proposal %s is %s, convention recorded: %v", p.ID, got.State, hasConvention(list, p.ID))
		}
	}
}

func hasConvention(list []jobs.Convention, proposalID string) bool {
	for _, c := range list {
		if c.ProposalID == proposalID && c.State == jobs.ConventionRecorded {
			return true
		}
	}
	return false
}
