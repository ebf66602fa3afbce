package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parcours-emploi/parcours/internal/batching"

	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/internal/matchinput"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/pathways"
)

// Refresher recomputes and stores one beneficiary's suggestions (the
// suggestion service of internal/suggest, adapted in cmd/parcours).
type Refresher interface {
	Refresh(ctx context.Context, org, beneficiaryID string) error
}

// RefreshFunc adapts a function to Refresher.
type RefreshFunc func(ctx context.Context, org, beneficiaryID string) error

// Refresh calls f.
func (f RefreshFunc) Refresh(ctx context.Context, org, id string) error { return f(ctx, org, id) }

// SeekerFinder finds the beneficiaries an opportunity may concern: live
// ones of every organisation in a département, at most limit.
type SeekerFinder interface {
	SeekersIn(ctx context.Context, department string, limit int) ([]pathways.Beneficiary, error)
}

// Handlers hold what the tasks need. Optional parts may be nil: their tasks
// then do nothing (and say so in the log).
type Handlers struct {
	Runner       *batching.BatchRunner
	Batches      batching.BatchStore
	Queue        batching.Enqueuer
	Measurements pathways.MeasurementStore

	Refresher     Refresher
	Seekers       SeekerFinder
	Opportunities jobs.Store
	Engine        *matching.Engine
	// RefreshSeekers bounds the seekers refreshed after an opportunity
	// change (0: 50).
	RefreshSeekers int

	// Expire closes the opportunities past their end date (jobs:expire).
	Expire func(ctx context.Context, today civil.Date, now time.Time) (int, error)
	// Remind runs the mentoring reminders and the proposal expiry sweep
	// (mentoring:remind).
	Remind func(ctx context.Context, now time.Time) error

	Now    func() time.Time
	Logger *slog.Logger
}

func (h *Handlers) now() time.Time {
	if h.Now == nil {
		return time.Now().UTC()
	}
	return h.Now().UTC()
}

func (h *Handlers) log() *slog.Logger {
	if h.Logger == nil {
		return slog.Default()
	}
	return h.Logger
}

// Mux routes every task type to its handler.
func (h *Handlers) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeBatch, h.HandleBatch)
	mux.HandleFunc(TypeRefresh, h.HandleRefresh)
	mux.HandleFunc(TypeMeasure, h.HandleMeasure)
	mux.HandleFunc(TypeExpire, h.HandleExpire)
	mux.HandleFunc(TypeRemind, h.HandleRemind)
	mux.HandleFunc(TypeSweep, h.HandleSweep)
	return mux
}

// permanent wraps errors not worth retrying (invalid, not found) with
// asynq.SkipRetry.
func permanent(err error) error {
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}

// HandleBatch runs a matching batch.
func (h *Handlers) HandleBatch(ctx context.Context, t *asynq.Task) error {
	var p BatchPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	if p.BatchID == "" {
		return fmt.Errorf("%s: no batch id: %w", t.Type(), asynq.SkipRetry)
	}
	err := permanent(h.Runner.Run(ctx, p.BatchID))
	if err != nil && !errors.Is(err, asynq.SkipRetry) && ctx.Err() == nil {
		retried, _ := asynq.GetRetryCount(ctx)
		if maxRetry, ok := asynq.GetMaxRetry(ctx); ok && retried >= maxRetry {
			if ferr := h.Runner.Fail(context.WithoutCancel(ctx), p.BatchID, err); ferr != nil {
				h.log().Error("record a batch given up", "batch", p.BatchID, "error", ferr.Error())
			}
		}
	}
	return err
}

// HandleRefresh recomputes the suggestions a change makes stale: the
// beneficiary's own, or those of the seekers an opportunity suits best.
func (h *Handlers) HandleRefresh(ctx context.Context, t *asynq.Task) error {
	var p RefreshPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	if h.Refresher == nil {
		h.log().Info("suggestion refresh skipped: no refresher configured")
		return nil
	}
	var err error
	switch {
	case p.BeneficiaryID != "":
		err = h.Refresher.Refresh(ctx, p.OrganisationID, p.BeneficiaryID)
	case p.OpportunityID != "":
		err = h.refreshOpportunity(ctx, p.OpportunityID)
	default:
		return fmt.Errorf("%s: names nothing to refresh: %w", t.Type(), asynq.SkipRetry)
	}
	if err == nil || apperr.Is(err, apperr.NotFound) {
		return nil // a record gone has nothing left to refresh
	}
	// A refresh that failed its last try ends without error: an archived
	// task would keep its id and swallow every later change of the record.
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, ok := asynq.GetMaxRetry(ctx)
	if ok && retried >= maxRetry {
		h.log().Error("suggestion refresh given up", "beneficiary", p.BeneficiaryID, "opportunity", p.OpportunityID, "error", err.Error())
		return nil
	}
	return err
}

// refreshOpportunity refreshes the seekers the opportunity suits best among
// those of its département, a bounded number.
func (h *Handlers) refreshOpportunity(ctx context.Context, id string) error {
	if h.Opportunities == nil || h.Seekers == nil || h.Engine == nil {
		return nil
	}
	o, err := h.Opportunities.Opportunity(ctx, id)
	if err != nil {
		return err
	}
	limit := h.RefreshSeekers
	if limit <= 0 {
		limit = 50
	}
	bens, err := h.Seekers.SeekersIn(ctx, o.Place.Department, 20*limit)
	if err != nil {
		return err
	}
	seekers := make([]matching.Seeker, len(bens))
	for i, b := range bens {
		seekers[i] = matchinput.Seeker(b, matchinput.SeekerExtras{})
	}
	op := matchinput.Opening(o, 0)
	if op.Capacity == 0 {
		op.Capacity = 1 // a closed or full opportunity still leaves stale suggestions to drop
	}
	for _, s := range h.Engine.NewSeekerIndex(seekers).TopSeekers(&op, limit, h.now()) {
		b := bens[s.Index]
		if err := h.Refresher.Refresh(ctx, b.OrganisationID, b.ID); err != nil {
			return err
		}
	}
	return nil
}

// HandleMeasure measures every enrolment whose T+6 or T+12 has passed, on
// the payload's day or today.
func (h *Handlers) HandleMeasure(ctx context.Context, t *asynq.Task) error {
	var p MeasurePayload
	if len(t.Payload()) > 0 {
		if err := decode(t, &p); err != nil {
			return err
		}
	}
	now := h.now()
	today := civil.Of(now)
	if p.Date != "" {
		if !p.Date.Valid() {
			return fmt.Errorf("%s: bad date %q: %w", t.Type(), p.Date, asynq.SkipRetry)
		}
		today = p.Date
	}
	n, err := pathways.MeasureDueOn(ctx, h.Measurements, today, now)
	h.log().Info("outcomes measured", "day", today, "inserted", n)
	return err
}

// HandleExpire closes the opportunities past their end date.
func (h *Handlers) HandleExpire(ctx context.Context, _ *asynq.Task) error {
	if h.Expire == nil {
		return nil
	}
	now := h.now()
	n, err := h.Expire(ctx, civil.Of(now), now)
	if n > 0 {
		h.log().Info("opportunities expired", "count", n)
	}
	return err
}

// HandleRemind runs the mentoring reminders.
func (h *Handlers) HandleRemind(ctx context.Context, _ *asynq.Task) error {
	if h.Remind == nil {
		h.log().Info("mentoring reminders skipped: none configured")
		return nil
	}
	return h.Remind(ctx, h.now())
}

// HandleSweep enqueues the batches recorded while the queue was unreachable.
func (h *Handlers) HandleSweep(ctx context.Context, _ *asynq.Task) error {
	if h.Batches == nil || h.Queue == nil {
		return nil
	}
	n, err := batching.Sweep(ctx, h.Batches, h.Queue, h.now(), SweepAge)
	if n > 0 {
		h.log().Info("batches recorded but not queued were enqueued", "count", n)
	}
	return err
}

// SweepAge is how old an unqueued batch must be before the sweeper takes
// it: younger ones may still be on their way to the queue from the API.
const SweepAge = 10 * time.Second
