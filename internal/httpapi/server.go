// Package httpapi serves Parcours' HTTP API with Fiber: the routes (all listed
// in routes.go), bearer-key authentication and per-object access checks,
// strict JSON decoding and validation with answers in French or English,
// RFC 9457 problem documents, and the OpenAPI document generated from the same
// route table.
package httpapi

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/app"
)

// Body limits: every JSON body up to DefaultBodyLimit, bulk agency openings
// up to BatchBodyLimit.
const (
	DefaultBodyLimit = 1 << 20
	BatchBodyLimit   = 8 << 20
)

// Console is the people's side of Parcours served beside the API on the
// same address (internal/web): it adds its routes to the app, and answers
// the errors of every path outside the API its own way (pages, not
// problem documents).
type Console interface {
	Routes(app *fiber.App)
	HandleError(c *fiber.Ctx, err error) error
}

// Deps are what the API needs: the services, built once for every
// adapter, and the API's own settings.
type Deps struct {
	Services *app.Services
	// Console, when set, is served beside the API.
	Console Console

	// Checks are the readiness probes (database, queue) by name.
	Checks map[string]func(context.Context) error

	Logger *slog.Logger
	// Now is the clock of the API's own work (key cache); time.Now when nil.
	Now func() time.Time
	// RateLimit is the number of requests a key may make per minute (0: 600).
	RateLimit int
	// RateCounter counts them where every instance sees the same counts
	// (Redis); nil counts in this process only.
	RateCounter RateCounter
	// StoreTimeout bounds each request's store calls (0: 10 s).
	StoreTimeout time.Duration
	// KeyCacheTTL is how long a valid key is trusted without a lookup, hence
	// how long a revocation may take to apply (0: 30 s; negative: no cache).
	KeyCacheTTL time.Duration
}

// Server holds the dependencies the handlers use.
type Server struct {
	Deps
	svc   *app.Services
	valid *validation
	keys  keyCache

	docOnce sync.Once
	doc     []byte
	docErr  error
}

// New returns the Fiber app serving the API.
func New(d Deps) *fiber.App {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.RateLimit <= 0 {
		d.RateLimit = 600
	}
	if d.KeyCacheTTL == 0 {
		d.KeyCacheTTL = 30 * time.Second
	}
	if d.StoreTimeout <= 0 {
		d.StoreTimeout = 10 * time.Second
	}
	s := &Server{Deps: d, svc: d.Services, valid: newValidation()}

	app := fiber.New(fiber.Config{
		AppName:               "parcours",
		BodyLimit:             BatchBodyLimit,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           60 * time.Second,
		Immutable:             true, // strings taken from requests outlive handlers safely
		DisableStartupMessage: true,
		ErrorHandler:          s.dispatchError,
		CaseSensitive:         true,
		StrictRouting:         false,
	})
	app.Use(s.requestID, s.accessLog)
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(helmet.New())
	app.Use(s.withDeadline)

	// One limiter for every route: a key's budget is one, whatever routes
	// it spreads its requests over.
	limit := s.rateLimit()
	for _, r := range s.routes() {
		handlers := []fiber.Handler{}
		if r.Roles != nil {
			handlers = append(handlers, s.authenticate, limit, s.allow(r.Roles))
		}
		if r.Request != nil {
			limit := DefaultBodyLimit
			if strings.HasSuffix(r.Path, `openings\:batch`) {
				limit = BatchBodyLimit
			}
			handlers = append(handlers, bodyLimit(limit))
		}
		handlers = append(handlers, r.Handler)
		app.Add(r.Method, r.Path, handlers...)
	}
	if d.Console != nil {
		d.Console.Routes(app)
	}
	app.Use(func(c *fiber.Ctx) error { return errNoRoute(c) })
	return app
}

// isAPI reports whether a path is the API's: its errors are problem
// documents; every other path's are the console's pages.
func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz"
}

// dispatchError answers an error as the API or as the console.
func (s *Server) dispatchError(c *fiber.Ctx, err error) error {
	if s.Console != nil && !isAPI(c.Path()) {
		return s.Console.HandleError(c, err)
	}
	return s.handleError(c, err)
}

// withDeadline gives every request a context with a deadline for store calls;
// handlers use c.UserContext(), never the fasthttp context.
func (s *Server) withDeadline(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.StoreTimeout)
	defer cancel()
	c.SetUserContext(access.WithRequestID(ctx, requestIDOf(c)))
	return c.Next()
}
