package proposals

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/apperr"
)

func TestCheckTransition(t *testing.T) {
	allowed := map[[2]State]bool{
		{Proposed, Approved}:  true,
		{Proposed, Withdrawn}: true,
		{Approved, Sent}:      true,
		{Approved, Withdrawn}: true,
		{Sent, Accepted}:      true,
		{Sent, Declined}:      true,
		{Sent, Expired}:       true,
		{Sent, Withdrawn}:     true,
	}
	// Every pair of states: exactly the lifecycle's edges are allowed, and a
	// refusal is a conflict naming the current state.
	for _, from := range States {
		for _, to := range States {
			err := CheckTransition(from, to)
			if want := allowed[[2]State{from, to}]; want != (err == nil) {
				t.Errorf("CheckTransition(%s, %s) = %v, want allowed %v", from, to, err, want)
				continue
			}
			if err == nil {
				continue
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Conflict {
				t.Errorf("CheckTransition(%s, %s) = %v, want a conflict", from, to, err)
				continue
			}
			if got := e.Extra["currentState"]; got != string(from) {
				t.Errorf("CheckTransition(%s, %s) currentState = %v, want %s", from, to, got, from)
			}
		}
	}
}

func TestAdvance(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	base := Proposal{ID: "pro_1", State: Sent, Version: 3,
		History: []Transition{{From: Approved, To: Sent, At: t0, By: "usr_adv"}}}

	tests := []struct {
		name   string
		to     State
		reason string
		want   Proposal
	}{
		{
			name: "accepted by the mentor: recorded with who and when, version moves",
			to:   Accepted,
			want: Proposal{ID: "pro_1", State: Accepted, Version: 4, UpdatedAt: t1,
				History: []Transition{base.History[0], {From: Sent, To: Accepted, At: t1, By: "usr_men"}}},
		},
		{
			name: "declined with a reason: the reason is kept on the proposal and the transition",
			to:   Declined, reason: "no time this semester",
			want: Proposal{ID: "pro_1", State: Declined, Version: 4, UpdatedAt: t1, DeclineReason: "no time this semester",
				History: []Transition{base.History[0], {From: Sent, To: Declined, At: t1, By: "usr_men", Reason: "no time this semester"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := base.Advance(tt.to, "usr_men", tt.reason, t1)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Advance (-want +got):\n%s", diff)
			}
			if len(base.History) != 1 || base.State != Sent {
				t.Errorf("Advance changed the proposal it was called on: %+v", base)
			}
		})
	}

	t.Run("forbidden: accepted again leaves the proposal as it was", func(t *testing.T) {
		accepted, _ := base.Advance(Accepted, "usr_men", "", t1)
		got, err := accepted.Advance(Declined, "usr_men", "", t1)
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("err = %v, want a conflict", err)
		}
		if diff := cmp.Diff(accepted, got); diff != "" {
			t.Errorf("refused Advance changed the proposal (-want +got):\n%s", diff)
		}
	})
}

func TestProposalStateOpen(t *testing.T) {
	var open []State
	for _, s := range States {
		if s.Open() {
			open = append(open, s)
		}
	}
	if diff := cmp.Diff(OpenStates, open); diff != "" {
		t.Errorf("open states (-want +got):\n%s", diff)
	}
}
