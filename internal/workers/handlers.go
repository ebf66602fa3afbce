package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parcours-emploi/parcours/announce"
	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/notify"

	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

// Handlers hold what the tasks need. Optional parts may be nil: their tasks
// then do nothing (and say so in the log).
type Handlers struct {
	Runner       *batches.Runner
	Batches      batches.Store
	Queue        batches.Enqueuer
	Measurements pathways.MeasurementStore

	// Expire closes the opportunities past their end date (jobs:expire).
	Expire func(ctx context.Context, today civil.Date, now time.Time) (int, error)
	// Remind runs the mentoring reminders and the proposal expiry sweep
	// (mentoring:remind).
	Remind func(ctx context.Context, now time.Time) error
	// Fairness raises the fairness alerts to the coordinators
	// (fairness:watch).
	Fairness func(ctx context.Context, now time.Time) error

	// Notify and Mailer send the e-mails (notify:email); the sweep queues
	// again the messages the queue lost.
	Notify *notify.Service
	Mailer notify.Sender
	// Sessions removes the expired console sessions (with jobs:expire).
	Sessions func(ctx context.Context) (int, error)
	// Announce tells what nobody was told yet (notify:announce), and
	// Notify sends the daily summaries (notify:digest).
	Announce *announce.Service

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
	mux.HandleFunc(TypeMeasure, h.HandleMeasure)
	mux.HandleFunc(TypeExpire, h.HandleExpire)
	mux.HandleFunc(TypeRemind, h.HandleRemind)
	mux.HandleFunc(TypeSweep, h.HandleSweep)
	mux.HandleFunc(TypeEmail, h.HandleEmail)
	mux.HandleFunc(TypeAnnounce, h.HandleAnnounce)
	mux.HandleFunc(TypeDigest, h.HandleDigest)
	mux.HandleFunc(TypeFairness, h.HandleFairness)
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

// HandleExpire closes the opportunities past their end date and removes
// the expired sessions.
func (h *Handlers) HandleExpire(ctx context.Context, _ *asynq.Task) error {
	if h.Sessions != nil {
		if n, err := h.Sessions(ctx); err != nil {
			return err
		} else if n > 0 {
			h.log().Info("expired sessions removed", "count", n)
		}
	}
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

// HandleEmail sends one message, once.
func (h *Handlers) HandleEmail(ctx context.Context, t *asynq.Task) error {
	var p EmailPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	if p.MessageID == "" {
		return fmt.Errorf("%s: no message id: %w", t.Type(), asynq.SkipRetry)
	}
	if h.Notify == nil || h.Mailer == nil {
		return fmt.Errorf("%s: no mailer configured: %w", t.Type(), asynq.SkipRetry)
	}
	return permanent(h.Notify.Deliver(ctx, p.MessageID, h.Mailer))
}

// HandleAnnounce tells people what the records say happened and nobody
// told them yet.
func (h *Handlers) HandleAnnounce(ctx context.Context, _ *asynq.Task) error {
	if h.Announce == nil {
		return nil
	}
	n, err := h.Announce.Scan(ctx)
	h.log().Debug("announcements scanned", "events", n)
	return err
}

// HandleDigest sends the daily summaries.
func (h *Handlers) HandleDigest(ctx context.Context, _ *asynq.Task) error {
	if h.Notify == nil {
		return nil
	}
	n, err := h.Notify.SendDigests(ctx)
	if n > 0 {
		h.log().Info("daily summaries sent", "count", n)
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

// HandleFairness raises the fairness alerts of the week.
func (h *Handlers) HandleFairness(ctx context.Context, _ *asynq.Task) error {
	if h.Fairness == nil {
		h.log().Info("fairness watch skipped: none configured")
		return nil
	}
	return h.Fairness(ctx, h.now())
}

// HandleSweep enqueues the batches and messages recorded while the queue
// was unreachable.
func (h *Handlers) HandleSweep(ctx context.Context, _ *asynq.Task) error {
	if h.Notify != nil {
		if n, err := h.Notify.Sweep(ctx); err != nil {
			return err
		} else if n > 0 {
			h.log().Info("messages recorded but not sent were queued again", "count", n)
		}
	}
	if h.Batches == nil || h.Queue == nil {
		return nil
	}
	n, err := batches.Sweep(ctx, h.Batches, h.Queue, h.now(), SweepAge)
	if n > 0 {
		h.log().Info("batches recorded but not queued were enqueued", "count", n)
	}
	return err
}

// SweepAge is how old an unqueued batch must be before the sweeper takes
// it: younger ones may still be on their way to the queue from the API.
const SweepAge = 10 * time.Second
