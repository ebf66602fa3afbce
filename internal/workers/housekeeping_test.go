package workers_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/workers"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/proposals"
)

// jobs:expire closes the open offers whose end date has passed, and only
// those; mentoring:remind expires the sent proposals nobody answered.
func TestHousekeeping(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	status := map[string]jobs.Status{}
	for name, o := range map[string]struct {
		status jobs.Status
		end    civil.Date
	}{
		"ended yesterday":  {jobs.StatusOpen, "2026-11-19"},
		"ends today":       {jobs.StatusOpen, "2026-11-20"},
		"open-ended":       {jobs.StatusOpen, ""},
		"closed and ended": {jobs.StatusClosed, "2026-10-01"},
	} {
		op := jobs.Opportunity{ID: ids.New("opp"), OrganisationID: "org-a", Kind: jobs.KindJob, Status: o.status, Title: name, ROME: "G1602",
			Place: geo.Place{Department: "69"}, Start: "2026-09-01", End: o.end, Positions: 1, CreatedAt: t0, UpdatedAt: t0, Version: 1}
		if err := db.CreateOpportunity(ctx, op); err != nil {
			t.Fatal(err)
		}
		status[op.ID] = o.status
		if name == "ended yesterday" {
			status[op.ID] = jobs.StatusExpired
		}
	}
	late := now.Add(-time.Hour)
	sent := proposals.Proposal{ID: ids.New("pro"), OrganisationID: "org-a", BeneficiaryID: "ben-1", Kind: proposals.KindJob, OpeningID: "opp-x",
		Source: proposals.SourceAdviser, State: proposals.Sent, History: []proposals.Transition{}, ExpiresAt: &late,
		CreatedAt: t0, UpdatedAt: t0, Version: 3}
	if err := db.CreateProposal(ctx, sent); err != nil {
		t.Fatal(err)
	}

	svc := app.New(db, nil, app.Settings{})
	h := &workers.Handlers{
		Expire: db.ExpireOpportunities,
		Remind: workers.ProposalHousekeeping(svc.Proposals, svc.Mentoring, quiet),
		Now:    func() time.Time { return now }, Logger: quiet,
	}
	for i := 0; i < 2; i++ { // a second run changes nothing more
		if err := h.HandleExpire(ctx, asynq.NewTask(workers.TypeExpire, nil)); err != nil {
			t.Fatal(err)
		}
		if err := h.HandleRemind(ctx, asynq.NewTask(workers.TypeRemind, nil)); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]jobs.Status{}
	for id := range status {
		o, err := db.Opportunity(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got[id] = o.Status
		if o.Status == jobs.StatusExpired && o.Version != 2 {
			t.Errorf("expired offer at version %d, want 2: any change moves the version", o.Version)
		}
	}
	if diff := cmp.Diff(status, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	p, err := db.Proposal(ctx, "org-a", sent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != proposals.Expired {
		t.Errorf("unanswered proposal is %s, want expired", p.State)
	}
}
