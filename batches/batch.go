// Package batches runs matching batches over stored records: a batch is
// recorded before it is queued, run deterministically (the same inputs give
// the same proposals), its proposals written once per batch, seeker and
// opening, and its progress, objective and exact instance kept for audit.
// It loads through candidates, solves with matching, and knows nothing of
// the queue: internal/workers runs it on Asynq behind Enqueuer.
package batches

import (
	"context"
	"io"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/proposals"
)

// Status is where a matching batch is.
type Status string

// Batch statuses: queued (recorded, maybe not yet on the queue), running,
// done, failed (a permanent failure: bad scope, gone organisation).
const (
	Queued  Status = "queued"
	Running Status = "running"
	Done    Status = "done"
	Failed  Status = "failed"
)

// French names the status in French, for people's sentences.
func (s Status) French() string {
	switch s {
	case Queued:
		return "en file d'attente"
	case Running:
		return "en cours"
	case Done:
		return "terminé"
	case Failed:
		return "en échec"
	}
	return string(s)
}

// Scope selects the seekers of a batch: the organisation's
// beneficiaries of a programme and/or a département; the département, when
// given, also selects the openings.
type Scope struct {
	Department string
	Programme  string
}

// Progress says how far a running batch got: its phase (load, build,
// solve, write, done) and how many proposals it wrote out of Total.
type Progress struct {
	Phase   string
	Written int
	Total   int
}

// Counts are the sizes of a batch.
type Counts struct {
	Seekers    int
	Openings   int
	Candidates int
	Assigned   int
	// Created counts proposals this batch inserted; Existing those an
	// earlier attempt had inserted already; Skipped those the proposal
	// store refused (e.g. a beneficiary's open mentor proposals limit).
	Created  int
	Existing int
	Skipped  int
}

// Durations are the milliseconds each phase took in the last attempt.
type Durations struct {
	LoadMs  int64
	BuildMs int64
	SolveMs int64
	WriteMs int64
	TotalMs int64
}

// Batch is one matching batch: what was asked, and what the worker did.
type Batch struct {
	ID             string
	OrganisationID string
	Kind           proposals.Kind
	Scope          Scope
	MinScore       float64
	Status         Status
	CreatedBy      string
	CreatedAt      time.Time
	// EnqueuedAt is empty while the task is not on the queue (Redis was
	// unreachable); the sweeper enqueues such batches.
	EnqueuedAt *time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
	Attempts   int

	Progress  Progress
	Counts    Counts
	Objective int64
	Durations Durations
	// WeightsVersion and TaxonomyVersion are the engine's, for reproduction.
	WeightsVersion  string
	TaxonomyVersion string
	Error           string
}

// Store keeps batches and the exact instance each one solved.
type Store interface {
	// CreateBatch inserts b.
	CreateBatch(ctx context.Context, b Batch) error
	// Batch returns org's batch, or apperr.NotFound.
	Batch(ctx context.Context, org, id string) (Batch, error)
	// Batches returns org's latest batches, newest first, at most limit.
	Batches(ctx context.Context, org string, limit int) ([]Batch, error)
	// BatchByID returns the batch whatever its organisation, or apperr.NotFound.
	BatchByID(ctx context.Context, id string) (Batch, error)
	// MarkEnqueued sets EnqueuedAt if it is not set.
	MarkEnqueued(ctx context.Context, id string, at time.Time) error
	// StartBatch moves a queued or running batch to running, counts the
	// attempt and returns it; apperr.Conflict (currentState) if it is done
	// or failed, apperr.NotFound if gone.
	StartBatch(ctx context.Context, id string, at time.Time) (Batch, error)
	// RecordProgress stores the progress of a running batch; Written never
	// goes down.
	RecordProgress(ctx context.Context, id string, p Progress) error
	// FinishBatch stores the final state of a running batch (done or failed).
	FinishBatch(ctx context.Context, b Batch) error
	// UnqueuedBatches returns up to limit queued batches never enqueued,
	// created before the instant, oldest first.
	UnqueuedBatches(ctx context.Context, createdBefore time.Time, limit int) ([]Batch, error)
	// StaleBatches returns up to limit batches whose task may have been lost
	// with the queue's data: queued and enqueued before enqueuedBefore, or
	// running since before startedBefore; oldest first.
	StaleBatches(ctx context.Context, enqueuedBefore, startedBefore time.Time, limit int) ([]Batch, error)
	// SaveInstance stores the DIMACS text of the instance the batch solved,
	// replacing an earlier attempt's.
	SaveInstance(ctx context.Context, id string, dimacs []byte) error
	// WriteInstance writes the stored DIMACS text to w; apperr.NotFound
	// while the batch has not built it.
	WriteInstance(ctx context.Context, id string, w io.Writer) error
}

// Request is what a user asks for.
type Request struct {
	OrganisationID string
	UserID         string
	Kind           proposals.Kind
	Scope          Scope
	MinScore       float64
}

// Enqueuer puts a batch on the queue; a second enqueue of the same batch is
// a no-op.
type Enqueuer interface {
	EnqueueBatch(ctx context.Context, batchID string) error
}

// Service records batches and puts them on the queue: what httpapi calls.
type Service struct {
	Store Store
	Queue Enqueuer
	Now   func() time.Time
	// OnEnqueueError is told when the queue is unreachable (the batch stays
	// recorded for the sweeper); it may be nil.
	OnEnqueueError func(batchID string, err error)
}

// Submit records the batch as queued, then enqueues it. A failure to
// enqueue does not fail Submit: the batch stays queued with no EnqueuedAt
// and the sweeper enqueues it when the queue answers again.
func (s *Service) Submit(ctx context.Context, r Request) (Batch, error) {
	if !r.Kind.Valid() {
		return Batch{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/kind", Detail: "The kind must be job, pmsmp, training or mentor.",
			DetailFR: "Le type doit être emploi, PMSMP, formation ou mentorat.", Tag: "oneof"}}, "Unknown kind.").FR("Type inconnu.")
	}
	now := s.Now().UTC().Truncate(time.Millisecond)
	b := Batch{
		ID: ids.NewAt("bat", now), OrganisationID: r.OrganisationID, Kind: r.Kind, Scope: r.Scope,
		MinScore: r.MinScore, Status: Queued, CreatedBy: r.UserID, CreatedAt: now,
		Progress: Progress{Phase: "queued"},
	}
	if err := s.Store.CreateBatch(ctx, b); err != nil {
		return Batch{}, err
	}
	if err := s.Queue.EnqueueBatch(ctx, b.ID); err != nil {
		if s.OnEnqueueError != nil {
			s.OnEnqueueError(b.ID, err)
		}
		return b, nil
	}
	if err := s.Store.MarkEnqueued(ctx, b.ID, now); err != nil {
		// The task is on the queue; the mark only spares the sweeper a no-op.
		return b, nil
	}
	b.EnqueuedAt = &now
	return b, nil
}

// Batch returns org's batch.
func (s *Service) Batch(ctx context.Context, org, id string) (Batch, error) {
	return s.Store.Batch(ctx, org, id)
}

// List returns org's latest batches, newest first.
func (s *Service) List(ctx context.Context, org string, limit int) ([]Batch, error) {
	return s.Store.Batches(ctx, org, limit)
}

// WriteInstance writes org's batch's DIMACS instance to w.
func (s *Service) WriteInstance(ctx context.Context, org, id string, w io.Writer) error {
	if _, err := s.Store.Batch(ctx, org, id); err != nil {
		return err
	}
	return s.Store.WriteInstance(ctx, id, w)
}

// Sweep enqueues the batches recorded but never enqueued, created before
// olderThan ago, and returns how many it enqueued. It also enqueues again
// the batches queued for more than StaleAfter or running for more than
// twice the task timeout, in case the queue lost their task (a Redis
// restarted without its data): a task still there keeps its id, so the
// enqueue is a no-op.
func Sweep(ctx context.Context, st Store, q Enqueuer, now time.Time, olderThan time.Duration) (int, error) {
	list, err := st.UnqueuedBatches(ctx, now.Add(-olderThan), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range list {
		if err := q.EnqueueBatch(ctx, b.ID); err != nil {
			return n, err
		}
		if err := st.MarkEnqueued(ctx, b.ID, now); err != nil {
			return n, err
		}
		n++
	}
	stale, err := st.StaleBatches(ctx, now.Add(-StaleAfter), now.Add(-2*Timeout), 500)
	if err != nil {
		return n, err
	}
	for _, b := range stale {
		if err := q.EnqueueBatch(ctx, b.ID); err != nil {
			return n, err
		}
	}
	return n, nil
}

// Resume enqueues every batch not finished: what a queue that lost its
// tasks held (dev's in-memory queue after a restart). A batch running when
// the process died runs again from the start of its attempt, writing only
// the proposals still missing. It returns how many it enqueued.
func Resume(ctx context.Context, st Store, q Enqueuer, now time.Time) (int, error) {
	never, err := st.UnqueuedBatches(ctx, now, 1000)
	if err != nil {
		return 0, err
	}
	queued, err := st.StaleBatches(ctx, now, now, 1000)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range append(never, queued...) {
		if err := q.EnqueueBatch(ctx, b.ID); err != nil {
			return n, err
		}
		if b.EnqueuedAt == nil {
			if err := st.MarkEnqueued(ctx, b.ID, now); err != nil {
				return n, err
			}
		}
		n++
	}
	return n, nil
}

// Timeout bounds one attempt of a batch (the queue's task timeout).
const Timeout = 2 * time.Hour

// StaleAfter is how long a batch may wait on the queue before the sweeper
// makes sure its task still exists.
const StaleAfter = 15 * time.Minute
