package batching

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/matchinput"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/pmsmp"
)

// ProposalWriter writes a batch's proposals; pathways.ProposalStore is one.
// The runner inserts with CreateProposal, a single write, and only when
// that meets a conflict (the pair was written by an earlier attempt, or a
// limit of the store) asks CreateProposalOnce which it was. On the embedded
// store a lookup by batch key scans the collection, so looking up before
// every insert would make a batch quadratic in its size.
type ProposalWriter interface {
	CreateProposal(ctx context.Context, p pathways.Proposal) error
	CreateProposalOnce(ctx context.Context, p pathways.Proposal) (stored pathways.Proposal, created bool, err error)
}

// DeclineSource lists proposals, to find the pairs declined lately;
// pathways.ProposalStore is one. A batch reads its organisation's declined
// proposals at once rather than asking for each beneficiary's.
type DeclineSource interface {
	Proposals(ctx context.Context, f pathways.ProposalFilter) ([]pathways.Proposal, string, error)
}

// BatchRunner runs matching batches: load, build, solve, write.
type BatchRunner struct {
	Batches       BatchStore
	Beneficiaries pathways.Store
	Opportunities jobs.Store
	Mentors       mentoring.MentorStore
	Proposals     ProposalWriter
	// Declines, when set, keeps recently declined pairs out of the batch.
	Declines DeclineSource
	// PMSMP, when set, gives the beneficiaries' PMSMP conventions, so a
	// batch never proposes a placement the PMSMP rules forbid.
	PMSMP  jobs.PMSMPStore
	Engine *matching.Engine
	Logger *slog.Logger
	Now    func() time.Time
	// ProgressEvery is how many proposal writes pass between two progress
	// records (0: 200).
	ProgressEvery int
}

// pageSize is how many records one store read returns while loading. The
// embedded store sorts a whole collection for every page, so a batch loads
// in as few pages as memory allows: 10,000 beneficiaries are about 30 MB.
const pageSize = 10000

// Run runs batch id. A batch already done or failed is left as it is (nil),
// so a task delivered twice does nothing the second time. A canceled ctx
// stops it between two proposal writes; running it again recomputes the
// same assignment (the batch evaluates at its creation instant) and writes
// only the proposals still missing. Invalid batches fail for good with an
// apperr.Invalid or apperr.NotFound error.
func (r *BatchRunner) Run(ctx context.Context, id string) error {
	b, err := r.Batches.StartBatch(ctx, id, r.Now())
	if apperr.Is(err, apperr.Conflict) {
		return nil // done or failed already
	}
	if err != nil {
		return err
	}
	log := r.logger().With("batch", b.ID, "attempt", b.Attempts)
	start := time.Now()
	err = r.run(ctx, &b, start)
	switch {
	case err == nil:
		return nil
	case apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound):
		b.Status, b.Error = BatchFailed, err.Error()
		now := r.Now()
		b.FinishedAt = &now
		if ferr := r.Batches.FinishBatch(context.WithoutCancel(ctx), b); ferr != nil {
			log.Error("record failed batch", "error", ferr.Error())
		}
		log.Warn("batch failed for good", "error", err.Error())
		return err
	default:
		log.Warn("batch interrupted; it will be retried", "error", err.Error(), "written", b.Progress.Written)
		return err
	}
}

// Fail records a running batch as failed with err: the queue gave up on it
// (its last retry failed), so it must not look as if it were still running.
func (r *BatchRunner) Fail(ctx context.Context, id string, cause error) error {
	b, err := r.Batches.BatchByID(ctx, id)
	if err != nil || b.Status != BatchRunning {
		return err
	}
	now := r.Now()
	b.Status, b.Error, b.FinishedAt = BatchFailed, cause.Error(), &now
	return r.Batches.FinishBatch(ctx, b)
}

func (r *BatchRunner) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.Default()
	}
	return r.Logger
}

func (r *BatchRunner) run(ctx context.Context, b *Batch, start time.Time) error {
	// The engine evaluates at the batch's creation instant, so every attempt
	// computes the same candidates from the same records.
	at := b.CreatedAt
	phase := func(name string) {
		b.Progress.Phase = name
		_ = r.Batches.RecordProgress(ctx, b.ID, b.Progress)
	}

	phase("load")
	t := time.Now()
	busy, taken, err := r.pending(ctx, b)
	if err != nil {
		return err
	}
	seekers, err := r.loadSeekers(ctx, b, at, busy)
	if err != nil {
		return err
	}
	openings, err := r.loadOpenings(ctx, b, taken)
	if err != nil {
		return err
	}
	b.Durations.LoadMs = time.Since(t).Milliseconds()
	b.Counts.Seekers, b.Counts.Openings = len(seekers), len(openings)

	phase("build")
	t = time.Now()
	p, _, err := r.Engine.BuildProblemWith(seekers, openings, b.MinScore, at, matching.BatchOptions{SkipEvaluations: true})
	if err != nil {
		return apperr.Wrap(apperr.Invalid, err, "The batch cannot be built.")
	}
	var inst bytes.Buffer
	if err := matching.WriteDIMACS(&inst, p); err != nil {
		return err
	}
	if err := r.Batches.SaveInstance(ctx, b.ID, inst.Bytes()); err != nil {
		return err
	}
	b.Durations.BuildMs = time.Since(t).Milliseconds()
	b.Counts.Candidates = len(p.Arcs)

	phase("solve")
	t = time.Now()
	sol, err := matching.Solve(p)
	if err != nil {
		return apperr.Wrap(apperr.Invalid, err, "The batch cannot be solved.")
	}
	b.Durations.SolveMs = time.Since(t).Milliseconds()
	b.Objective = sol.Objective
	b.WeightsVersion, b.TaxonomyVersion = r.Engine.Weights().Version, r.Engine.Taxonomy().Version()

	// Write in seeker order: the same order on every attempt.
	t = time.Now()
	var pairs [][2]int32
	for s, o := range sol.Assigned {
		if o >= 0 {
			pairs = append(pairs, [2]int32{int32(s), o})
		}
	}
	b.Counts.Assigned = len(pairs)
	b.Counts.Created, b.Counts.Existing, b.Counts.Skipped = 0, 0, 0
	b.Progress = BatchProgress{Phase: "write", Total: len(pairs)}
	_ = r.Batches.RecordProgress(ctx, b.ID, b.Progress)
	every := r.ProgressEvery
	if every <= 0 {
		every = 200
	}
	for i, pair := range pairs {
		if err := ctx.Err(); err != nil {
			return err
		}
		s, o := &seekers[pair[0]], &openings[pair[1]]
		ev := r.Engine.Evaluate(s, o, at)
		expl, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		now := r.Now().UTC().Truncate(time.Millisecond)
		prop := pathways.Proposal{
			ID: ids.NewAt("prp", now), OrganisationID: b.OrganisationID, BeneficiaryID: s.ID,
			Kind: pathways.OpeningKind(b.Kind), OpeningID: o.ID, BatchID: b.ID,
			Source: pathways.SourceEngine, State: pathways.ProposalProposed, Score: ev.Score,
			Explanation: expl, History: []pathways.Transition{}, CreatedAt: now, UpdatedAt: now, Version: 1,
		}
		created := true
		err = r.Proposals.CreateProposal(ctx, prop)
		if apperr.Is(err, apperr.Conflict) {
			_, created, err = r.Proposals.CreateProposalOnce(ctx, prop)
		}
		switch {
		case apperr.Is(err, apperr.Conflict):
			b.Counts.Skipped++
		case err != nil:
			return fmt.Errorf("write proposal %s → %s: %w", s.ID, o.ID, err)
		case created:
			b.Counts.Created++
		default:
			b.Counts.Existing++
		}
		b.Progress.Written = i + 1
		if (i+1)%every == 0 {
			if err := r.Batches.RecordProgress(ctx, b.ID, b.Progress); err != nil && !errors.Is(err, context.Canceled) {
				r.logger().Warn("record batch progress", "batch", b.ID, "error", err.Error())
			}
		}
	}
	b.Durations.WriteMs = time.Since(t).Milliseconds()
	b.Durations.TotalMs = time.Since(start).Milliseconds()
	b.Progress.Phase = "done"
	b.Status = BatchDone
	now := r.Now()
	b.FinishedAt = &now
	return r.Batches.FinishBatch(ctx, *b)
}

// loadSeekers converts the organisation's live beneficiaries in scope.
func (r *BatchRunner) loadSeekers(ctx context.Context, b *Batch, at time.Time, busy map[string]bool) ([]matching.Seeker, error) {
	declines, err := r.declines(ctx, b.OrganisationID, at.Add(-matchinput.DefaultDeclineCooldown))
	if err != nil {
		return nil, err
	}
	var history map[string][]pmsmp.Convention
	if r.PMSMP != nil && b.Kind == matching.KindPMSMP {
		if history, err = r.PMSMP.PMSMPConventionsOf(ctx, b.OrganisationID); err != nil {
			return nil, err
		}
	}
	var out []matching.Seeker
	after := ""
	for {
		list, next, err := r.Beneficiaries.Beneficiaries(ctx, pathways.Filter{
			OrganisationID: b.OrganisationID, Programme: b.Scope.Programme, Department: b.Scope.Department,
			After: after, Limit: pageSize,
		})
		if err != nil {
			return nil, err
		}
		for _, ben := range list {
			if busy[ben.ID] {
				continue
			}
			out = append(out, matchinput.Seeker(ben, matchinput.SeekerExtras{Declines: declines[ben.ID], PMSMPHistory: history[ben.ID]}))
		}
		if next == "" {
			return out, nil
		}
		after = next
	}
}

// declines maps each beneficiary of org to the openings of the proposals
// declined since the instant, and when (the engine's Declines).
func (r *BatchRunner) declines(ctx context.Context, org string, since time.Time) (map[string]map[string]time.Time, error) {
	out := map[string]map[string]time.Time{}
	if r.Declines == nil {
		return out, nil
	}
	after := ""
	for {
		list, next, err := r.Declines.Proposals(ctx, pathways.ProposalFilter{
			OrganisationID: org, States: []pathways.ProposalState{pathways.ProposalDeclined}, After: after, Limit: pageSize,
		})
		if err != nil {
			return nil, err
		}
		for _, p := range list {
			if p.UpdatedAt.Before(since) {
				continue
			}
			m := out[p.BeneficiaryID]
			if m == nil {
				m = map[string]time.Time{}
				out[p.BeneficiaryID] = m
			}
			if at := p.UpdatedAt.UTC(); at.After(m[p.OpeningID]) {
				m[p.OpeningID] = at
			}
		}
		if next == "" {
			return out, nil
		}
		after = next
	}
}

// loadOpenings converts the open opportunities of the batch's kind (in the
// scope's département when it names one), or the organisation's active
// mentors.
func (r *BatchRunner) loadOpenings(ctx context.Context, b *Batch, taken map[string]int) ([]matching.Opening, error) {
	var out []matching.Opening
	after := ""
	for {
		var next string
		if b.Kind == matching.KindMentor {
			list, n, err := r.Mentors.Mentors(ctx, mentoring.MentorFilter{
				OrganisationID: b.OrganisationID, Status: mentoring.MentorActive, Department: b.Scope.Department, After: after, Limit: pageSize,
			})
			if err != nil {
				return nil, err
			}
			for _, m := range list {
				op := matchinput.MentorOpening(m)
				op.Capacity = max(op.Capacity-taken[m.ID], 0)
				out = append(out, op)
			}
			next = n
		} else {
			list, n, err := r.Opportunities.Opportunities(ctx, jobs.Filter{
				Published: true, Kind: jobs.Kind(b.Kind), Status: jobs.StatusOpen, Department: b.Scope.Department, After: after, Limit: pageSize,
			})
			if err != nil {
				return nil, err
			}
			for _, o := range list {
				out = append(out, matchinput.Opening(o, taken[o.ID]))
			}
			next = n
		}
		if next == "" {
			return out, nil
		}
		after = next
	}
}

// pending reads the organisation's proposals of the batch's kind made before
// the batch by others (earlier batches, advisers) that still hold their
// seeker and a place: their seekers are left out of the batch, which gives
// each seeker at most one opening of its kind, and their places are taken
// from their openings' capacity, so a second batch never proposes the same
// places again. The batch's own proposals do not count, so a retried batch
// solves the same problem.
func (r *BatchRunner) pending(ctx context.Context, b *Batch) (busy map[string]bool, taken map[string]int, err error) {
	if r.Declines == nil {
		return map[string]bool{}, map[string]int{}, nil
	}
	h, err := pathways.HeldBy(ctx, r.Declines, b.OrganisationID, pathways.OpeningKind(b.Kind), func(p pathways.Proposal) bool {
		return p.BatchID != b.ID && p.CreatedAt.Before(b.CreatedAt)
	})
	if err != nil {
		return nil, nil, err
	}
	return h.Seekers, h.Places, nil
}
