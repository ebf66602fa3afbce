package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/internal/mail"
	"github.com/parcours-emploi/parcours/internal/workers"
)

// background is the background-work side of a process: the queue client
// the services enqueue through, the services themselves (built once, for
// the API and the workers alike) and, in work and dev, the worker server
// and the scheduler.
type background struct {
	client *workers.Client
	svc    *app.Services
	log    *slog.Logger

	handlers *workers.Handlers
	cfg      workers.Config
	server   *workers.Server // set by start
	sched    *workers.Scheduler
}

// newBackground connects the queue client and builds the services and the
// handlers on the process's stores. Nothing runs until start.
func newBackground(st *stores, cfg config, log *slog.Logger) (*background, error) {
	redisOpt, err := asynq.ParseRedisURI(st.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	client := workers.NewClient(redisOpt, "", log)
	svc := app.New(st.DB, client, cfg.settings())
	svc.Batches.OnEnqueueError = func(id string, err error) {
		log.Warn("batch recorded but not queued; the sweeper will enqueue it", "batch", id, "error", err.Error())
	}
	svc.Notify.OnQueueError = func(id string, err error) {
		log.Warn("message recorded but not queued; the sweeper will queue it", "message", id, "error", err.Error())
	}
	svc.Runner.Logger = log
	if svc.Announce != nil {
		svc.Announce.Logger = log
	}
	bg := &background{client: client, svc: svc, log: log}
	housekeeping := workers.ProposalHousekeeping(svc.Proposals, svc.Mentoring, log)
	bg.handlers = &workers.Handlers{
		Runner: svc.Runner, Batches: st.DB, Queue: client, Measurements: st.DB,
		Expire: st.DB.ExpireOpportunities,
		// With the proposals' housekeeping, the PMSMP conventions: the
		// reminder before the start, and the start itself.
		Remind: func(ctx context.Context, now time.Time) error {
			if err := housekeeping(ctx, now); err != nil {
				return err
			}
			if n, err := svc.Documents.Remind(ctx, now); err != nil {
				return err
			} else if n > 0 {
				log.Info("PMSMP start reminders sent", "conventions", n)
			}
			return nil
		},
		Notify:   svc.Notify,
		Announce: svc.Announce,
		Fairness: func(ctx context.Context, now time.Time) error {
			if svc.Announce == nil {
				return nil
			}
			n, err := svc.Announce.FairnessAlerts(ctx, now)
			if err == nil {
				log.Info("fairness watch", "alerts", n)
			}
			return err
		},
		Sessions: svc.Logins.SweepSessions,
		Now:      time.Now, Logger: log,
	}
	if st.SMTPURL != "" {
		writer, err := mail.NewWriter(cfg.PublicURL)
		if err != nil {
			return nil, err
		}
		if bg.handlers.Mailer, err = mail.NewSender(st.SMTPURL, cfg.MailFrom, writer); err != nil {
			return nil, err
		}
	} else {
		log.Warn("no SMTP_URL: e-mails (login links) wait in the outbox until a mail server is configured")
	}
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
	if cfg.MongoURI == "" || cfg.RedisURL == "" || cfg.SMTPURL == "" || cfg.PublicURL == "" {
		return errors.New("work needs MONGODB_URI and REDIS_URL (the stores the API uses), SMTP_URL (the mail server) and PARCOURS_PUBLIC_URL (for the links in e-mails); with embedded stores run dev, which runs the workers in the same process")
	}
	log := newLogger(stderr, cfg.LogLevel)
	log.Info("parcours workers starting", cfg.logAttrs()...)
	st, err := openStores(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer st.Close()
	bg, err := newBackground(st, cfg, log)
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
