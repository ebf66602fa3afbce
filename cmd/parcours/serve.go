package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/internal/ratelimit"
	"github.com/parcours-emploi/parcours/internal/web"
)

// serveOptions say what a serving process runs besides the API.
type serveOptions struct {
	demo bool // seed demo data and serve the dev tools (dev)
	// work runs the workers and the scheduler in the same process (dev).
	work bool
	// ready, when set, receives the address the API listens on.
	ready func(addr string)
}

// runServe runs the API and the console until ctx ends, then drains
// requests and closes the stores.
func runServe(ctx context.Context, cfg config, stdout, stderr io.Writer, opts serveOptions) error {
	log := newLogger(stderr, cfg.LogLevel)
	log.Info("parcours starting", cfg.logAttrs()...)
	st, err := openStores(ctx, cfg, log, opts.demo)
	if err != nil {
		return err
	}
	defer st.Close()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	cfg.PublicURL = publicURL(cfg.PublicURL, ln.Addr())

	bg, err := newBackground(st, cfg, log)
	if err != nil {
		return err
	}
	defer bg.close()
	var dev *web.Dev
	if opts.demo {
		if dev, err = seedDemo(ctx, bg, st, cfg, stdout, log); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
	}
	if opts.work {
		if err := bg.start(ctx); err != nil {
			return err
		}
		defer bg.stop() // after the API has drained its requests
		if st.EmbeddedRedis {
			// The in-memory queue started empty: what it held before the
			// restart is enqueued again.
			if n, err := batches.Resume(ctx, st.DB, bg.client, time.Now()); err != nil {
				log.Warn("resume unfinished batches", "error", err.Error())
			} else if n > 0 {
				log.Info("unfinished batches enqueued again", "count", n)
			}
		}
	}

	console, err := web.New(web.Deps{Services: bg.svc, Inputs: httpapi.NewInputs(), PublicURL: cfg.PublicURL, Dev: dev, Logger: log})
	if err != nil {
		return err
	}
	api := httpapi.New(httpapi.Deps{
		Services: bg.svc,
		Console:  console,
		Checks: map[string]func(context.Context) error{
			"mongodb": st.DB.Ping,
			"redis":   func(ctx context.Context) error { return st.Redis.Ping(ctx).Err() },
		},
		Logger:    log,
		RateLimit: cfg.RateLimit,
		// Counted in Redis, so API replicas share one budget per key.
		RateCounter: &ratelimit.Redis{Client: st.Redis},
	})
	log.Info("API and console listening", "addr", ln.Addr().String(), "console", cfg.PublicURL)
	if opts.ready != nil {
		opts.ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- api.Listener(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: no new requests, draining those under way")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := api.ShutdownWithContext(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Error("shutdown", "error", err.Error())
	}
	<-errc
	log.Info("stopped")
	return nil
}

// publicURL is the console's address as configured, or the local address
// the server listens on.
func publicURL(configured string, addr net.Addr) string {
	if configured != "" {
		return configured
	}
	port := "80"
	if tcp, ok := addr.(*net.TCPAddr); ok {
		port = fmt.Sprint(tcp.Port)
	}
	return "http://localhost:" + port
}
