package mentoring_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/proposals"
)

// TestDuplicateAcceptsFillEveryPlace: each of three proposals to a mentor
// with three places is accepted twice at once, three rounds over. The
// duplicates never take a place of their own, so every round ends with the
// three mentees placed and the count at three.
func TestDuplicateAcceptsFillEveryPlace(t *testing.T) {
	for round := range 3 {
		ctx := context.Background()
		cw := newCrashWorld(t)
		m := cw.mentor
		m.Capacity, m.Version = 3, m.Version+1
		if err := cw.db.ReplaceMentor(ctx, m); err != nil {
			t.Fatal(err)
		}
		ps := []proposals.Proposal{cw.sent(t, "ben_1"), cw.sent(t, "ben_2"), cw.sent(t, "ben_3")}
		var wg sync.WaitGroup
		errs := make(chan error, 2*len(ps))
		for _, p := range ps {
			for range 2 {
				wg.Go(func() {
					if _, _, err := cw.svc.Accept(ctx, "org_a", p.ID, m, "usr_men", t0); err != nil {
						errs <- err
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if !apperr.Is(err, apperr.Conflict) || errors.Is(err, mentoring.ErrNoCapacity) {
				t.Errorf("round %d: a duplicate answered %v, want a conflict about the proposal, never a full mentor", round, err)
			}
		}
		for _, p := range ps {
			ms, err := cw.db.MentorshipOfProposal(ctx, "org_a", p.ID)
			if err != nil || ms.State != mentoring.MentorshipActive {
				t.Errorf("round %d: %s has mentorship %+v (%v), want an active one", round, p.BeneficiaryID, ms, err)
			}
		}
		got, err := cw.db.Mentor(ctx, "org_a", m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Active != 3 || len(got.PlaceHolders) != 3 {
			t.Errorf("round %d: active %d, holders %v; want the three proposals", round, got.Active, got.PlaceHolders)
		}
	}
}

// TestAcceptancesInFlightDoNotCrowdOthersOut: two acceptances of one
// proposal have each taken their step 1 when another mentee's proposal is
// accepted: the first proposal holds one place, so the other finds the
// second free.
func TestAcceptancesInFlightDoNotCrowdOthersOut(t *testing.T) {
	ctx := context.Background()
	cw := newCrashWorld(t) // capacity 2
	p1, p2 := cw.sent(t, "ben_1"), cw.sent(t, "ben_2")
	for range 2 {
		if err := cw.db.TakeMentorPlace(ctx, "org_a", cw.mentor.ID, cw.mentor.Capacity, p1.ID, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, ms, err := cw.svc.Accept(ctx, "org_a", p2.ID, cw.mentor, "usr_men", t0); err != nil || ms.State != mentoring.MentorshipActive {
		t.Fatalf("the other mentee's acceptance = %+v, %v; want an active mentorship", ms, err)
	}
	// The first proposal's acceptance completes on the place it holds.
	if _, ms, err := cw.svc.Accept(ctx, "org_a", p1.ID, cw.mentor, "usr_men", t0); err != nil || ms.State != mentoring.MentorshipActive {
		t.Fatalf("the first acceptance = %+v, %v; want it active on its own place", ms, err)
	}
	m, _ := cw.db.Mentor(ctx, "org_a", cw.mentor.ID)
	if m.Active != 2 {
		t.Errorf("active = %d, want 2", m.Active)
	}
	// Giving a place back twice gives it back once.
	for range 2 {
		if err := cw.db.ReleaseMentorPlace(ctx, "org_a", m.ID, p1.ID, t0); err != nil {
			t.Fatal(err)
		}
	}
	if m, _ = cw.db.Mentor(ctx, "org_a", m.ID); m.Active != 1 {
		t.Errorf("after two releases of one place, active = %d, want 1", m.Active)
	}
}

// TestAnAcceptanceAnswersWhatItCommitted: the request's context ends just
// after the proposal is accepted (a deadline, a client gone); the answer
// is still the active mentorship, and accepting again answers the same.
func TestAnAcceptanceAnswersWhatItCommitted(t *testing.T) {
	cw := newCrashWorld(t)
	p := cw.sent(t, "ben_1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cw.svc.Changed = func(context.Context, proposals.Proposal) { cancel() }
	_, ms, err := cw.svc.Accept(ctx, "org_a", p.ID, cw.mentor, "usr_men", t0)
	if err != nil || ms.State != mentoring.MentorshipActive {
		t.Fatalf("Accept = %+v, %v; want the committed acceptance, active", ms, err)
	}
	cw.svc.Changed = nil
	again, ams, err := cw.svc.Accept(context.Background(), "org_a", p.ID, cw.mentor, "usr_men", t0)
	if err != nil || ams.ID != ms.ID || again.State != proposals.Accepted {
		t.Errorf("accepting again = %s %+v, %v; want the same mentorship", again.State, ams, err)
	}
	m, _ := cw.db.Mentor(context.Background(), "org_a", cw.mentor.ID)
	if m.Active != 1 {
		t.Errorf("active = %d after a repeated acceptance, want 1", m.Active)
	}
}
