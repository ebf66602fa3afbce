package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/parcours-emploi/parcours/internal/httpapi"
)

// serveOptions say what a serving process runs besides the API.
type serveOptions struct {
	demo bool // seed demo data (dev)
	// work runs the workers and the scheduler in the same process (dev).
	work bool
	// ready, when set, receives the address the API listens on.
	ready func(addr string)
}

// runServe runs the API until ctx ends, then drains requests and closes the stores.
func runServe(ctx context.Context, cfg config, stdout, stderr io.Writer, opts serveOptions) error {
	log := newLogger(stderr, cfg.LogLevel)
	log.Info("parcours starting", cfg.logAttrs()...)
	st, err := openStores(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if opts.demo {
		if err := seedDemo(ctx, st.DB, cfg, stdout, log); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
	}

	bg, err := newBackground(st, cfg, log)
	if err != nil {
		return err
	}
	defer bg.close()
	if opts.work {
		if err := bg.start(ctx); err != nil {
			return err
		}
		defer bg.stop() // after the API has drained its requests
	}

	api := httpapi.New(httpapi.Deps{
		Services: bg.svc,
		Checks: map[string]func(context.Context) error{
			"mongodb": st.DB.Ping,
			"redis":   func(ctx context.Context) error { return st.Redis.Ping(ctx).Err() },
		},
		Logger:    log,
		RateLimit: cfg.RateLimit,
	})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("API listening", "addr", ln.Addr().String())
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
