package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parcours-emploi/parcours/batches"

	"github.com/hibiken/asynq"
)

// Config configures the worker server and its scheduler.
type Config struct {
	Redis asynq.RedisConnOpt
	// Queue is the queue name ("" is "default"); tests use their own.
	Queue string
	// Concurrency is how many tasks run at once (0: 4).
	Concurrency int
	// ShutdownTimeout is how long Shutdown lets running tasks finish before
	// it cancels them and hands them back to the queue (0: 20 s).
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
	// DelayedCheck is how often delayed tasks (retries) are moved to the
	// queue (0: Asynq's 5 s).
	DelayedCheck time.Duration
	// RetryDelay is how long a failed task waits before its next try (nil:
	// Asynq's exponential backoff, from about 15 s).
	RetryDelay func(retried int, err error, t *asynq.Task) time.Duration
}

func (c Config) queue() string {
	if c.Queue == "" {
		return "default"
	}
	return c.Queue
}

// Server processes tasks.
type Server struct {
	srv *asynq.Server
	h   *Handlers
	cfg Config
}

// NewServer returns a server that runs h's handlers.
func NewServer(cfg Config, h *Handlers) *Server {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 20 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	log := cfg.Logger
	srv := asynq.NewServer(cfg.Redis, asynq.Config{
		Concurrency:              cfg.Concurrency,
		Queues:                   map[string]int{cfg.queue(): 1},
		ShutdownTimeout:          cfg.ShutdownTimeout,
		DelayedTaskCheckInterval: cfg.DelayedCheck,
		RetryDelayFunc:           cfg.RetryDelay,
		Logger:                   slogAdapter{log},
		LogLevel:                 asynq.WarnLevel,
		IsFailure: func(err error) bool {
			// A task interrupted by shutdown is handed back, not a failure.
			return !errors.Is(err, context.Canceled)
		},
		ErrorHandler: asynq.ErrorHandlerFunc(func(_ context.Context, t *asynq.Task, err error) {
			log.Warn("task failed", "type", t.Type(), "error", err.Error())
		}),
	})
	return &Server{srv: srv, h: h, cfg: cfg}
}

// Start sweeps the batches left unqueued, then starts taking tasks. A
// sweep that fails (the queue is down) is only logged: the periodic sweep
// will catch up.
func (s *Server) Start(ctx context.Context) error {
	if s.h.Batches != nil && s.h.Queue != nil {
		if n, err := batches.Sweep(ctx, s.h.Batches, s.h.Queue, s.h.now(), 0); err != nil {
			s.cfg.Logger.Warn("start-up sweep", "error", err.Error())
		} else if n > 0 {
			s.cfg.Logger.Info("start-up sweep enqueued batches", "count", n)
		}
	}
	if s.h.Notify != nil {
		if _, err := s.h.Notify.Sweep(ctx); err != nil {
			s.cfg.Logger.Warn("start-up sweep of messages", "error", err.Error())
		}
	}
	if err := s.srv.Start(s.h.Mux()); err != nil {
		return fmt.Errorf("start worker server: %w", err)
	}
	return nil
}

// Shutdown stops taking tasks, lets the running ones finish within
// ShutdownTimeout, then cancels the rest, which go back to the queue.
func (s *Server) Shutdown() { s.srv.Shutdown() }

// Schedule is when periodic tasks run (cron specs, UTC). Empty specs take
// the defaults.
type Schedule struct {
	Measure string // outcomes:measure, default "0 3 * * *" (daily at 03:00)
	Expire  string // jobs:expire, default "15 * * * *" (hourly)
	Remind  string // mentoring:remind, default "0 8 * * *" (daily at 08:00)
	Sweep   string // matching:sweep, default "@every 1m"
	// Announce is notify:announce, default "@every 5m"; Digest is
	// notify:digest, default "0 16 * * *" (daily at 16:00 UTC, the end of
	// the working day in France).
	Announce string
	Digest   string
	// Fairness is fairness:watch, default "0 6 * * 1" (Mondays at 06:00 UTC).
	Fairness string
}

// Scheduler enqueues the periodic tasks. Several schedulers may run (one
// per worker process): each periodic task has a fixed task id and is
// retained after it ran for a little less than its period, so a second
// scheduler's enqueue of the same run conflicts and is dropped. The tasks
// are idempotent besides, so a duplicate that slipped through would change
// nothing (measurements are unique per enrolment, horizon and version).
type Scheduler struct {
	s     *asynq.Scheduler
	insp  *asynq.Inspector
	queue string
	log   *slog.Logger
}

// periodic is one scheduled task: its id and how long it is retained.
type periodic struct {
	typ, spec, id string
	retain        time.Duration
}

// NewScheduler returns a scheduler of the periodic tasks.
func NewScheduler(cfg Config, sch Schedule) (*Scheduler, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	or := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	s := &Scheduler{
		s: asynq.NewScheduler(cfg.Redis, &asynq.SchedulerOpts{
			Location: time.UTC, Logger: slogAdapter{log}, LogLevel: asynq.WarnLevel,
			PostEnqueueFunc: func(info *asynq.TaskInfo, err error) {
				if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
					log.Warn("scheduler could not enqueue", "error", err.Error())
				}
			},
		}),
		insp: asynq.NewInspector(cfg.Redis), queue: cfg.queue(), log: log,
	}
	for _, p := range []periodic{
		{TypeMeasure, or(sch.Measure, "0 3 * * *"), "periodic:" + TypeMeasure, 20 * time.Hour},
		{TypeExpire, or(sch.Expire, "15 * * * *"), "periodic:" + TypeExpire, 50 * time.Minute},
		{TypeRemind, or(sch.Remind, "0 8 * * *"), "periodic:" + TypeRemind, 20 * time.Hour},
		{TypeSweep, or(sch.Sweep, "@every 1m"), "periodic:" + TypeSweep, 30 * time.Second},
		{TypeAnnounce, or(sch.Announce, "@every 5m"), "periodic:" + TypeAnnounce, 2 * time.Minute},
		{TypeDigest, or(sch.Digest, "0 16 * * *"), "periodic:" + TypeDigest, 20 * time.Hour},
		{TypeFairness, or(sch.Fairness, "0 6 * * 1"), "periodic:" + TypeFairness, 6 * 24 * time.Hour},
	} {
		// A short spec (tests) shortens the retention to stay under the period.
		retain := p.retain
		if d, ok := everyDuration(p.spec); ok && d <= retain {
			retain = d / 2
		}
		_, err := s.s.Register(p.spec, asynq.NewTask(p.typ, nil),
			asynq.Queue(s.queue), asynq.TaskID(p.id), asynq.Retention(retain), asynq.MaxRetry(5))
		if err != nil {
			return nil, fmt.Errorf("schedule %s: %w", p.typ, err)
		}
	}
	return s, nil
}

// everyDuration reads "@every D".
func everyDuration(spec string) (time.Duration, bool) {
	const prefix = "@every "
	if len(spec) <= len(prefix) || spec[:len(prefix)] != prefix {
		return 0, false
	}
	d, err := time.ParseDuration(spec[len(prefix):])
	return d, err == nil
}

// Start starts the scheduler. An archived run of a periodic task (one that
// failed every retry) would keep its id and block the next runs: Start
// deletes those first.
func (s *Scheduler) Start() error {
	for _, typ := range []string{TypeMeasure, TypeExpire, TypeRemind, TypeSweep, TypeAnnounce, TypeDigest, TypeFairness} {
		id := "periodic:" + typ
		if info, err := s.insp.GetTaskInfo(s.queue, id); err == nil && info.State == asynq.TaskStateArchived {
			if err := s.insp.DeleteTask(s.queue, id); err != nil {
				s.log.Warn("delete archived periodic task", "task", id, "error", err.Error())
			}
		}
	}
	return s.s.Start()
}

// Shutdown stops the scheduler.
func (s *Scheduler) Shutdown() {
	s.s.Shutdown()
	_ = s.insp.Close()
}

// slogAdapter makes a slog.Logger an asynq.Logger.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Info(args ...any)  { a.l.Info(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Error(args ...any) { a.l.Error(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...), "component", "asynq") }
