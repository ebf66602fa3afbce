package batches

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/candidates"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/proposals"
)

// ProposalWriter writes a batch's proposals; proposals.Store is one. The
// runner inserts with CreateProposal, a single write, and only when that
// meets a conflict (the pair was written by an earlier attempt, or a limit
// of the store) asks CreateProposalOnce which it was. On the embedded store
// a lookup by batch key scans the collection, so looking up before every
// insert would make a batch quadratic in its size.
type ProposalWriter interface {
	CreateProposal(ctx context.Context, p proposals.Proposal) error
	CreateProposalOnce(ctx context.Context, p proposals.Proposal) (stored proposals.Proposal, created bool, err error)
}

// Runner runs matching batches: load, build, solve, write.
type Runner struct {
	Store     Store
	Loader    *candidates.Loader
	Proposals ProposalWriter
	Engine    *matching.Engine
	Logger    *slog.Logger
	Now       func() time.Time
	// ProgressEvery is how many proposal writes pass between two progress
	// records (0: 200).
	ProgressEvery int
	// Finished, if set, hears of each batch once it is recorded done or
	// failed (who launched it is told; a periodic scan tells whoever a
	// crash left untold).
	Finished func(ctx context.Context, b Batch)
}

// Run runs batch id. A batch already done or failed is left as it is (nil),
// so a task delivered twice does nothing the second time. A canceled ctx
// stops it between two proposal writes; running it again recomputes the
// same assignment (the batch evaluates at its creation instant) and writes
// only the proposals still missing. Invalid batches fail for good with an
// apperr.Invalid or apperr.NotFound error.
func (r *Runner) Run(ctx context.Context, id string) error {
	b, err := r.Store.StartBatch(ctx, id, r.Now())
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
		r.finished(ctx, b)
		return nil
	case apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound):
		b.Status, b.Error = Failed, err.Error()
		now := r.Now()
		b.FinishedAt = &now
		if ferr := r.Store.FinishBatch(context.WithoutCancel(ctx), b); ferr != nil {
			log.Error("record failed batch", "error", ferr.Error())
		} else {
			r.finished(ctx, b)
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
func (r *Runner) Fail(ctx context.Context, id string, cause error) error {
	b, err := r.Store.BatchByID(ctx, id)
	if err != nil || b.Status != Running {
		return err
	}
	now := r.Now()
	b.Status, b.Error, b.FinishedAt = Failed, cause.Error(), &now
	return r.Store.FinishBatch(ctx, b)
}

func (r *Runner) finished(ctx context.Context, b Batch) {
	if r.Finished != nil {
		r.Finished(context.WithoutCancel(ctx), b)
	}
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.Default()
	}
	return r.Logger
}

func (r *Runner) run(ctx context.Context, b *Batch, start time.Time) error {
	// The engine evaluates at the batch's creation instant, so every attempt
	// computes the same candidates from the same records.
	at := b.CreatedAt
	phase := func(name string) {
		b.Progress.Phase = name
		_ = r.Store.RecordProgress(ctx, b.ID, b.Progress)
	}

	phase("load")
	t := time.Now()
	// Proposals made before the batch by others (earlier batches, advisers)
	// that still hold their seeker and a place keep the seeker out of the
	// batch, which gives each seeker at most one opening of its kind, and
	// take their place off its opening, so a second batch never proposes
	// the same places again. The batch's own proposals do not count, so a
	// retried batch solves the same problem.
	held, err := r.Loader.Held(ctx, b.OrganisationID, matching.Kind(b.Kind), func(p proposals.Proposal) bool {
		return p.BatchID != b.ID && p.CreatedAt.Before(b.CreatedAt)
	})
	if err != nil {
		return err
	}
	seekers, err := r.Loader.Seekers(ctx, b.OrganisationID, candidates.Scope{Programme: b.Scope.Programme, Department: b.Scope.Department}, matching.Kind(b.Kind), at, held.Seekers)
	if err != nil {
		return err
	}
	loaded, err := r.Loader.Openings(ctx, b.OrganisationID, matching.Kind(b.Kind), b.Scope.Department, held.Places)
	if err != nil {
		return err
	}
	openings := loaded.Engine
	b.Durations.LoadMs = time.Since(t).Milliseconds()
	b.Counts.Seekers, b.Counts.Openings = len(seekers), len(openings)

	phase("build")
	t = time.Now()
	p, _, err := r.Engine.BuildProblemWith(seekers, openings, b.MinScore, at, matching.BatchOptions{SkipEvaluations: true})
	if err != nil {
		return apperr.Wrap(apperr.Invalid, err, "The batch cannot be built.").FR("Le lot ne peut pas être construit.")
	}
	var inst bytes.Buffer
	if err := matching.WriteDIMACS(&inst, p); err != nil {
		return err
	}
	if err := r.Store.SaveInstance(ctx, b.ID, inst.Bytes()); err != nil {
		return err
	}
	b.Durations.BuildMs = time.Since(t).Milliseconds()
	b.Counts.Candidates = len(p.Arcs)

	phase("solve")
	t = time.Now()
	sol, err := matching.Solve(p)
	if err != nil {
		return apperr.Wrap(apperr.Invalid, err, "The batch cannot be solved.").FR("Le lot ne peut pas être résolu.")
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
	b.Progress = Progress{Phase: "write", Total: len(pairs)}
	_ = r.Store.RecordProgress(ctx, b.ID, b.Progress)
	every := r.ProgressEvery
	if every <= 0 {
		every = 200
	}
	proposalOf := make(map[int32]string, len(pairs))
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
		inputs, err := json.Marshal(matching.Inputs{Seeker: *s, Opening: *o, At: at})
		if err != nil {
			return err
		}
		now := r.Now().UTC().Truncate(time.Millisecond)
		prop := proposals.Proposal{
			ID: ids.NewAt(proposals.IDPrefix, now), OrganisationID: b.OrganisationID, BeneficiaryID: s.ID,
			Kind: b.Kind, OpeningID: o.ID, BatchID: b.ID,
			Source: proposals.SourceEngine, State: proposals.Proposed, Score: ev.Score,
			Explanation: expl, Inputs: inputs, History: []proposals.Transition{}, CreatedAt: now, UpdatedAt: now, Version: 1,
		}
		created := true
		err = r.Proposals.CreateProposal(ctx, prop)
		if apperr.Is(err, apperr.Conflict) {
			var stored proposals.Proposal
			stored, created, err = r.Proposals.CreateProposalOnce(ctx, prop)
			prop.ID = stored.ID
		}
		if err == nil {
			proposalOf[pair[0]] = prop.ID
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
			if err := r.Store.RecordProgress(ctx, b.ID, b.Progress); err != nil && !errors.Is(err, context.Canceled) {
				r.logger().Warn("record batch progress", "batch", b.ID, "error", err.Error())
			}
		}
	}
	if err := r.Store.SaveInstance(ctx, MappingID(b.ID), mappingOf(b.ID, seekers, openings, proposalOf)); err != nil {
		return err
	}
	b.Durations.WriteMs = time.Since(t).Milliseconds()
	b.Durations.TotalMs = time.Since(start).Milliseconds()
	b.Progress.Phase = "done"
	b.Status = Done
	now := r.Now()
	b.FinishedAt = &now
	return r.Store.FinishBatch(ctx, *b)
}
