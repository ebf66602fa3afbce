package pathways_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/pathways"
)

func TestCheckTransition(t *testing.T) {
	allowed := map[[2]pathways.ProposalState]bool{
		{pathways.ProposalProposed, pathways.ProposalApproved}:  true,
		{pathways.ProposalProposed, pathways.ProposalWithdrawn}: true,
		{pathways.ProposalApproved, pathways.ProposalSent}:      true,
		{pathways.ProposalApproved, pathways.ProposalWithdrawn}: true,
		{pathways.ProposalSent, pathways.ProposalAccepted}:      true,
		{pathways.ProposalSent, pathways.ProposalDeclined}:      true,
		{pathways.ProposalSent, pathways.ProposalExpired}:       true,
		{pathways.ProposalSent, pathways.ProposalWithdrawn}:     true,
	}
	// Every pair of states: exactly the lifecycle's edges are allowed, and a
	// refusal is a conflict naming the current state.
	for _, from := range pathways.ProposalStates {
		for _, to := range pathways.ProposalStates {
			err := pathways.CheckTransition(from, to)
			if want := allowed[[2]pathways.ProposalState{from, to}]; want != (err == nil) {
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
	base := pathways.Proposal{ID: "pro_1", State: pathways.ProposalSent, Version: 3,
		History: []pathways.Transition{{From: pathways.ProposalApproved, To: pathways.ProposalSent, At: t0, By: "usr_adv"}}}

	tests := []struct {
		name   string
		to     pathways.ProposalState
		reason string
		want   pathways.Proposal
	}{
		{
			name: "accepted by the mentor: recorded with who and when, version moves",
			to:   pathways.ProposalAccepted,
			want: pathways.Proposal{ID: "pro_1", State: pathways.ProposalAccepted, Version: 4, UpdatedAt: t1,
				History: []pathways.Transition{base.History[0], {From: pathways.ProposalSent, To: pathways.ProposalAccepted, At: t1, By: "usr_men"}}},
		},
		{
			name: "declined with a reason: the reason is kept on the proposal and the transition",
			to:   pathways.ProposalDeclined, reason: "no time this semester",
			want: pathways.Proposal{ID: "pro_1", State: pathways.ProposalDeclined, Version: 4, UpdatedAt: t1, DeclineReason: "no time this semester",
				History: []pathways.Transition{base.History[0], {From: pathways.ProposalSent, To: pathways.ProposalDeclined, At: t1, By: "usr_men", Reason: "no time this semester"}}},
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
			if len(base.History) != 1 || base.State != pathways.ProposalSent {
				t.Errorf("Advance changed the proposal it was called on: %+v", base)
			}
		})
	}

	t.Run("forbidden: accepted again leaves the proposal as it was", func(t *testing.T) {
		accepted, _ := base.Advance(pathways.ProposalAccepted, "usr_men", "", t1)
		got, err := accepted.Advance(pathways.ProposalDeclined, "usr_men", "", t1)
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("err = %v, want a conflict", err)
		}
		if diff := cmp.Diff(accepted, got); diff != "" {
			t.Errorf("refused Advance changed the proposal (-want +got):\n%s", diff)
		}
	})
}

func TestProposalStateOpen(t *testing.T) {
	var open []pathways.ProposalState
	for _, s := range pathways.ProposalStates {
		if s.Open() {
			open = append(open, s)
		}
	}
	if diff := cmp.Diff(pathways.OpenProposalStates, open); diff != "" {
		t.Errorf("open states (-want +got):\n%s", diff)
	}
}
