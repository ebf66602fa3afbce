package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/internal/batching"
	"github.com/parcours-emploi/parcours/internal/matchinput"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/suggest"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/workers"
)

// The store finds the seekers an opportunity change may concern.
var _ workers.SeekerFinder = (*mongodb.DB)(nil)

// background is the background-work side of a process: the client the API
// enqueues through (batches, suggestion refreshes) and, in work and dev,
// the worker server and the scheduler.
type background struct {
	client  *workers.Client
	batches *batching.Batches
	log     *slog.Logger
	// One engine and one suggestion service serve the API and the workers,
	// so suggestions, proposals and batches explain alike.
	engine  *matching.Engine
	suggest *suggest.Service

	handlers *workers.Handlers
	cfg      workers.Config
	server   *workers.Server // set by start
	sched    *workers.Scheduler
}

// newBackground connects the queue client and builds the handlers on the
// process's stores. Nothing runs until start.
func newBackground(st *stores, log *slog.Logger) (*background, error) {
	redisOpt, err := asynq.ParseRedisURI(st.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	engine := matchinput.NewEngine(matchinput.DefaultDeclineCooldown)
	client := workers.NewClient(redisOpt, "", log)
	bg := &background{client: client, log: log}
	bg.batches = &batching.Batches{
		Store: st.DB, Queue: client, Now: time.Now,
		OnEnqueueError: func(id string, err error) {
			log.Warn("batch recorded but not queued; the sweeper will enqueue it", "batch", id, "error", err.Error())
		},
	}
	sug := &suggest.Service{
		Engine: engine, Beneficiaries: st.DB, Opportunities: st.DB, Mentors: st.DB,
		Declines: st.DB, PMSMP: st.DB, Proposals: st.DB, Cooldown: matchinput.DefaultDeclineCooldown, Now: time.Now,
	}
	bg.engine, bg.suggest = engine, sug
	h := &workers.Handlers{
		Runner: &batching.BatchRunner{
			Batches: st.DB, Beneficiaries: st.DB, Opportunities: st.DB, Mentors: st.DB,
			Proposals: st.DB, Declines: st.DB, PMSMP: st.DB, Engine: engine, Logger: log, Now: time.Now,
		},
		Batches: st.DB, Queue: client, Measurements: st.DB,
		Refresher: workers.RefreshFunc(func(ctx context.Context, org, id string) error {
			return sug.Refresh(ctx, st.DB, org, id, 20)
		}),
		Seekers: st.DB, Opportunities: st.DB, Engine: engine,
		Expire: st.DB.ExpireOpportunities,
		Remind: workers.MentoringHousekeeping(&mentoring.Service{
			Proposals: st.DB, Mentorships: st.DB, Mentors: st.DB, Places: st.DB,
		}, log),
		Now: time.Now, Logger: log,
	}
	bg.handlers = h
	bg.cfg = workers.Config{Redis: redisOpt, Logger: log, ShutdownTimeout: 20 * time.Second}
	return bg, nil
}

// start starts the worker server and the scheduler.
func (bg *background) start(ctx context.Context) error {
	sched, err := workers.NewScheduler(bg.cfg, workers.Schedule{})
	if err != nil {
		return err
	}
	bg.server = workers.NewServer(bg.cfg, bg.handlers)
	if err := bg.server.Start(ctx); err != nil {
		return err
	}
	if err := sched.Start(); err != nil {
		bg.server.Shutdown()
		return fmt.Errorf("start scheduler: %w", err)
	}
	bg.sched = sched
	bg.log.Info("workers and scheduler started")
	return nil
}

// stop stops scheduling, lets running tasks finish (or hands them back to
// the queue after the shutdown timeout) and closes the client.
func (bg *background) stop() {
	if bg.sched == nil {
		return
	}
	bg.sched.Shutdown()
	bg.server.Shutdown()
	bg.log.Info("workers stopped")
}

func (bg *background) close() { _ = bg.client.Close() }

// runWork runs the Asynq server and the scheduler until ctx ends. It needs
// the shared stores of a deployment: embedded ones would be private to this
// process (dev runs the workers inside the API process instead).
func runWork(ctx context.Context, cfg config, stderr io.Writer) error {
	if cfg.MongoURI == "" || cfg.RedisURL == "" {
		return errors.New("work needs MONGODB_URI and REDIS_URL (the stores the API uses); with embedded stores run dev, which runs the workers in the same process")
	}
	log := newLogger(stderr, cfg.LogLevel)
	log.Info("parcours workers starting", cfg.logAttrs()...)
	st, err := openStores(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	bg, err := newBackground(st, log)
	if err != nil {
		return err
	}
	defer bg.close()
	if err := bg.start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	log.Info("shutting down: no new tasks, finishing or handing back those under way")
	bg.stop()
	return nil
}
