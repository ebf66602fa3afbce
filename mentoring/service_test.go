package mentoring_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/proposals"
)

func TestFollowUpAt(t *testing.T) {
	now := time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC)
	checkIns := func(dates ...civil.Date) []mentoring.CheckIn {
		var out []mentoring.CheckIn
		for _, d := range dates {
			out = append(out, mentoring.CheckIn{Date: d})
		}
		return out
	}
	tests := []struct {
		name string
		m    mentoring.Mentorship
		want mentoring.FollowUp
	}{
		{"diagnosis month: no check-in yet is fine", mentoring.Mentorship{State: mentoring.MentorshipActive, StartedOn: "2026-11-20"}, mentoring.FollowUpOK},
		{"no check-in after the first month: alert", mentoring.Mentorship{State: mentoring.MentorshipActive, StartedOn: "2026-10-01"}, mentoring.FollowUpAlert},
		{"one check-in in 30 days: alert", mentoring.Mentorship{State: mentoring.MentorshipActive, StartedOn: "2026-10-01", CheckIns: checkIns("2026-12-01")}, mentoring.FollowUpAlert},
		{"two check-ins in 30 days: ok", mentoring.Mentorship{State: mentoring.MentorshipActive, StartedOn: "2026-10-01", CheckIns: checkIns("2026-11-20", "2026-12-10")}, mentoring.FollowUpOK},
		{"two check-ins but one older than 30 days: alert", mentoring.Mentorship{State: mentoring.MentorshipActive, StartedOn: "2026-10-01", CheckIns: checkIns("2026-11-10", "2026-12-10")}, mentoring.FollowUpAlert},
		{"ended mentorships have no follow-up", mentoring.Mentorship{State: mentoring.MentorshipEnded, StartedOn: "2026-10-01"}, mentoring.FollowUpNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.FollowUpAt(now); got != tt.want {
				t.Errorf("FollowUpAt = %q, want %q", got, tt.want)
			}
		})
	}
}

// crashWorld holds a mentor and proposals sent to it, in a real store.
type crashWorld struct {
	db     *mongodb.DB
	svc    *mentoring.Service
	mentor mentoring.Mentor
	now    time.Time
}

func newCrashWorld(t *testing.T) *crashWorld {
	t.Helper()
	db := openDB(t)
	trained := civil.Date("2026-10-01")
	cw := &crashWorld{db: db, svc: &mentoring.Service{Proposals: db, Mentorships: db, Mentors: db, Places: db}, now: t0}
	cw.mentor = mentoring.Mentor{ID: ids.New("men"), OrganisationID: "org_a", FirstName: "Julien", Capacity: 2, TrainedAt: &trained,
		Status: mentoring.MentorActive, CreatedAt: t0, UpdatedAt: t0, Version: 1}
	if err := db.CreateMentor(context.Background(), cw.mentor); err != nil {
		t.Fatal(err)
	}
	return cw
}

func (cw *crashWorld) sent(t *testing.T, ben string) proposals.Proposal {
	t.Helper()
	p := newProposal("org_a", ben, "mentor", cw.mentor.ID, "")
	p.State, p.Version = proposals.Sent, 3
	p.History = []proposals.Transition{{From: proposals.Approved, To: proposals.Sent, At: t0, By: "usr_adv"}}
	if err := cw.db.CreateProposal(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

// pending plays Accept up to its second step (place taken, mentorship
// pending) and stops, as a crash would.
func (cw *crashWorld) pending(t *testing.T, p proposals.Proposal) mentoring.Mentorship {
	t.Helper()
	ctx := context.Background()
	if err := cw.db.TakeMentorPlace(ctx, "org_a", cw.mentor.ID, cw.mentor.Capacity, p.ID, cw.now); err != nil {
		t.Fatal(err)
	}
	ms := mentoring.Mentorship{ID: ids.New("msh"), OrganisationID: "org_a", ProposalID: p.ID, MentorID: cw.mentor.ID, BeneficiaryID: p.BeneficiaryID,
		State: mentoring.MentorshipPending, StartedOn: civil.Of(cw.now), CheckIns: []mentoring.CheckIn{}, CreatedAt: cw.now, UpdatedAt: cw.now, Version: 1}
	if err := cw.db.CreateMentorship(ctx, ms); err != nil {
		t.Fatal(err)
	}
	return ms
}

func (cw *crashWorld) state(t *testing.T, p proposals.Proposal, ms mentoring.Mentorship) (proposals.State, mentoring.MentorshipState, int) {
	t.Helper()
	ctx := context.Background()
	gp, err := cw.db.Proposal(ctx, "org_a", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	gm, err := cw.db.Mentorship(ctx, "org_a", ms.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, err := cw.db.Mentor(ctx, "org_a", cw.mentor.ID)
	if err != nil {
		t.Fatal(err)
	}
	return gp.State, gm.State, m.Active
}

type outcome struct {
	Proposal   proposals.State
	Mentorship mentoring.MentorshipState
	Active     int
}

func TestRepairSettlesAcceptancesACrashLeftPending(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// meanwhile runs after the crash, before the repair.
		meanwhile func(t *testing.T, cw *crashWorld, p proposals.Proposal)
		after     time.Duration
		want      outcome
	}{
		{
			name:  "proposal still sent: accepted and the mentorship activated",
			after: 11 * time.Minute,
			want:  outcome{proposals.Accepted, mentoring.MentorshipActive, 1},
		},
		{
			name: "proposal withdrawn meanwhile: mentorship cancelled and the place given back",
			meanwhile: func(t *testing.T, cw *crashWorld, p proposals.Proposal) {
				next, _ := p.Advance(proposals.Withdrawn, "usr_adv", "", t0)
				if err := cw.db.TransitionProposal(ctx, proposals.Sent, next); err != nil {
					t.Fatal(err)
				}
			},
			after: 11 * time.Minute,
			want:  outcome{proposals.Withdrawn, mentoring.MentorshipCancelled, 0},
		},
		{
			name: "crash after the proposal was accepted: the mentorship is activated",
			meanwhile: func(t *testing.T, cw *crashWorld, p proposals.Proposal) {
				next, _ := p.Advance(proposals.Accepted, "usr_men", "", t0)
				if err := cw.db.TransitionProposal(ctx, proposals.Sent, next); err != nil {
					t.Fatal(err)
				}
			},
			after: 11 * time.Minute,
			want:  outcome{proposals.Accepted, mentoring.MentorshipActive, 1},
		},
		{
			name:  "within the grace period an acceptance may be under way: left alone",
			after: time.Minute,
			want:  outcome{proposals.Sent, mentoring.MentorshipPending, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cw := newCrashWorld(t)
			p := cw.sent(t, "ben_1")
			other := cw.sent(t, "ben_1") // to another mentor in real life; same one here
			ms := cw.pending(t, p)
			if tt.meanwhile != nil {
				tt.meanwhile(t, cw, p)
			}
			if _, err := cw.svc.Repair(ctx, t0.Add(tt.after)); err != nil {
				t.Fatal(err)
			}
			var got outcome
			got.Proposal, got.Mentorship, got.Active = cw.state(t, p, ms)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("after repair (-want +got):\n%s", diff)
			}
			// The beneficiary's other open mentor proposals go once one is accepted.
			o, err := cw.db.Proposal(ctx, "org_a", other.ID)
			if err != nil {
				t.Fatal(err)
			}
			if wantOther := map[bool]proposals.State{true: proposals.Withdrawn, false: proposals.Sent}[tt.want.Proposal == proposals.Accepted]; o.State != wantOther {
				t.Errorf("other proposal is %s, want %s", o.State, wantOther)
			}
		})
	}
}

func TestReconcileRecountsPlacesACrashLeftTaken(t *testing.T) {
	ctx := context.Background()
	cw := newCrashWorld(t)
	// A crash right after taking the place: the counter is one too high.
	if err := cw.db.TakeMentorPlace(ctx, "org_a", cw.mentor.ID, cw.mentor.Capacity, "pro_crashed", t0); err != nil {
		t.Fatal(err)
	}
	if n, err := cw.svc.Reconcile(ctx, "org_a", cw.mentor.ID, t0.Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("within the grace period Reconcile = %d, %v; want the count left at 1", n, err)
	}
	if n, err := cw.svc.ReconcileAll(ctx, t0.Add(11*time.Minute)); err != nil || n != 1 {
		t.Errorf("after the grace period ReconcileAll = %d, %v; want 1 count corrected", n, err)
	}
	m, err := cw.db.Mentor(ctx, "org_a", cw.mentor.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Active != 0 || m.Version != cw.mentor.Version+2 {
		t.Errorf("mentor active %d at version %d, want 0 at version %d (each change moves the version)", m.Active, m.Version, cw.mentor.Version+2)
	}
}

func TestCapacityChangeDuringAcceptIsReread(t *testing.T) {
	ctx := context.Background()
	cw := newCrashWorld(t)
	p := cw.sent(t, "ben_1")
	// The mentor lowers their capacity to 1 after the service could have read 2.
	m := cw.mentor
	m.Capacity, m.Version = 1, m.Version+1
	if err := cw.db.ReplaceMentor(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := cw.db.TakeMentorPlace(ctx, "org_a", m.ID, 2, "pro_stale", t0); err == nil {
		t.Fatal("a place was taken against a stale capacity")
	}
	if _, ms, err := cw.svc.Accept(ctx, "org_a", p.ID, m, "usr_men", t0); err != nil || ms.State != mentoring.MentorshipActive {
		t.Fatalf("Accept = %+v, %v; want an active mentorship", ms, err)
	}
	p2 := cw.sent(t, "ben_2")
	if _, _, err := cw.svc.Accept(ctx, "org_a", p2.ID, m, "usr_men", t0); err == nil {
		t.Error("a second mentee was accepted beyond the new capacity of 1")
	}
}
