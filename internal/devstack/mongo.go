package devstack

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Mongo is an embedded FerretDB (SQLite files under a data directory) behind
// a proxy that serializes write commands. Clients connect to URI.
type Mongo struct {
	dir   string
	proxy *proxy

	ferret *ferretdb.FerretDB
	cancel context.CancelFunc
	done   chan struct{} // closed when FerretDB has stopped
	unlock func()        // releases the data directory

	closeOnce sync.Once
	closeErr  error
}

// newFerretMu serializes ferretdb.New, which writes a package-level version
// field: two stores started at once would race on it.
var newFerretMu sync.Mutex

// StartMongo starts FerretDB with its SQLite files in dir (created if
// missing, and locked: a second store on the same dir fails to start) and the
// write-serializing proxy in front of it, both on free ports
// of 127.0.0.1. ctx bounds the start only; Close stops the store. Data
// written through one Mongo is found by the next one started on the same dir.
//
// FerretDB makes no outbound connection: its telemetry is disabled and its
// state is kept in memory. Its own log lines below Error are dropped. A nil
// logger means slog.Default().
func StartMongo(ctx context.Context, dir string, logger *slog.Logger) (*Mongo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.Default()
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded mongo data dir: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("embedded mongo data dir: %w", err)
	}
	unlock, err := lockDir(abs)
	if err != nil {
		return nil, err
	}

	sqliteURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/"}).String()
	newFerretMu.Lock()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:   slog.New(minLevel{h: logger.Handler(), min: slog.LevelError}).With("component", "ferretdb"),
		Handler:  "sqlite",

		SQLiteURL: sqliteURL,
	})
	newFerretMu.Unlock()
	if err != nil {
		unlock()
		return nil, fmt.Errorf("start embedded ferretdb: %w", err)
	}

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m := &Mongo{dir: abs, ferret: f, cancel: cancel, done: make(chan struct{}), unlock: unlock}
	go func() {
		defer close(m.done)
		_ = f.Run(runCtx) // always nil; it returns once runCtx is canceled
	}()

	backend, err := url.Parse(f.MongoDBURI())
	if err != nil {
		m.stopFerret()
		return nil, fmt.Errorf("embedded ferretdb address: %w", err)
	}
	m.proxy, err = startProxy(backend.Host, logger)
	if err != nil {
		m.stopFerret()
		return nil, fmt.Errorf("start mongo proxy: %w", err)
	}

	logger.Warn("DEV MODE: embedded MongoDB-compatible store (FerretDB on SQLite), not for production",
		slog.String("data_dir", abs), slog.String("uri", m.URI()))
	return m, nil
}

// URI is the MongoDB connection string of the proxy: mongodb://127.0.0.1:PORT/.
func (m *Mongo) URI() string {
	return "mongodb://" + m.proxy.addr() + "/"
}

// Dir is the absolute data directory.
func (m *Mongo) Dir() string { return m.dir }

// Close stops the proxy, then FerretDB, and waits for their goroutines.
// It is safe to call more than once.
func (m *Mongo) Close() error {
	m.closeOnce.Do(func() {
		m.closeErr = m.proxy.close()
		m.stopFerret()
	})
	return m.closeErr
}

// directURI is FerretDB's own address, bypassing the proxy (for tests and
// measurements only).
func (m *Mongo) directURI() string { return m.ferret.MongoDBURI() }

func (m *Mongo) stopFerret() {
	m.cancel()
	<-m.done
	m.unlock()
}

// minLevel drops records below min; FerretDB logs every connection at Info
// and every abnormal disconnection at Warn.
type minLevel struct {
	h   slog.Handler
	min slog.Level
}

func (l minLevel) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= l.min && l.h.Enabled(ctx, level)
}

func (l minLevel) Handle(ctx context.Context, r slog.Record) error { return l.h.Handle(ctx, r) }

func (l minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{h: l.h.WithAttrs(attrs), min: l.min}
}

func (l minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h: l.h.WithGroup(name), min: l.min}
}
