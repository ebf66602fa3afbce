package httpapi

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
)

type principalLocal = access.Principal

// authenticate resolves the bearer key to a principal. Unknown, malformed and
// revoked keys all answer 401 alike.
func (s *Server) authenticate(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || !strings.HasPrefix(secret, access.SecretPrefix) || len(secret) > 128 {
		return s.unauthorized(c)
	}
	hash := access.HashSecret(secret)
	p, ok := s.keys.get(hash, s.Now())
	if !ok {
		key, err := s.svc.Access.KeyByHash(c.UserContext(), hash)
		if apperr.Is(err, apperr.NotFound) {
			return s.unauthorized(c)
		}
		if err != nil {
			return err
		}
		if !key.Matches(secret) || key.RevokedAt != nil {
			return s.unauthorized(c)
		}
		p = access.Principal{UserID: key.UserID, OrganisationID: key.OrganisationID, Role: key.Role, KeyID: key.ID}
		s.keys.put(hash, p, s.Now().Add(s.KeyCacheTTL))
	}
	c.Locals(localPrincipal, p)
	return c.Next()
}

// keyCache remembers valid keys for a short time, so a request costs no key
// lookup in the store. A revoked key stops working within the cache's TTL.
// Only valid keys are kept, at most keyCacheMax of them.
type keyCache struct {
	mu sync.Mutex
	m  map[string]cachedKey
}

type cachedKey struct {
	p       access.Principal
	expires time.Time
}

const keyCacheMax = 10000

func (kc *keyCache) get(hash string, now time.Time) (access.Principal, bool) {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	e, ok := kc.m[hash]
	if !ok || !now.Before(e.expires) {
		return access.Principal{}, false
	}
	return e.p, true
}

func (kc *keyCache) put(hash string, p access.Principal, expires time.Time) {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	if kc.m == nil || len(kc.m) >= keyCacheMax {
		kc.m = map[string]cachedKey{}
	}
	kc.m[hash] = cachedKey{p, expires}
}

func (s *Server) unauthorized(c *fiber.Ctx) error {
	c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="parcours"`)
	return newHTTPError(fiber.StatusUnauthorized,
		"A valid API key is required: Authorization: Bearer prc_….",
		"Une clé d'API valide est requise : Authorization: Bearer prc_….")
}

// RateCounter counts a key's requests in a window shared by every
// instance: it returns the window's count and when the window ends.
type RateCounter interface {
	Hit(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error)
}

func tooMany() error {
	return newHTTPError(fiber.StatusTooManyRequests,
		"This key made too many requests; wait for the time Retry-After gives.",
		"Cette clé a fait trop de requêtes ; attendez le délai indiqué par Retry-After.")
}

// rateLimit allows RateLimit requests per key and minute, then answers 429
// with Retry-After: counted by the RateCounter when there is one, so one
// budget holds across instances; in this process otherwise.
func (s *Server) rateLimit() fiber.Handler {
	if s.RateCounter != nil {
		return func(c *fiber.Ctx) error {
			n, left, err := s.RateCounter.Hit(c.UserContext(), principal(c).KeyID, time.Minute)
			if err != nil {
				// The counter's store does not answer: serve rather than
				// refuse, and say so in the log.
				s.Logger.Warn("rate limit not counted", "error", err.Error())
				return c.Next()
			}
			if n > int64(s.RateLimit) {
				c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(left.Seconds())+1))
				return tooMany()
			}
			return c.Next()
		}
	}
	return limiter.New(limiter.Config{
		Max:        s.RateLimit,
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			return principal(c).KeyID
		},
		LimiterMiddleware: limiter.SlidingWindow{},
		LimitReached:      func(c *fiber.Ctx) error { return tooMany() },
	})
}

// allow lets through the roles given; others get 403. Object checks come
// after, in the handlers.
func (s *Server) allow(roles []access.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !principal(c).Is(roles...) {
			return newHTTPError(fiber.StatusForbidden,
				"Your role may not use this endpoint.",
				"Votre rôle ne permet pas d'utiliser ce point d'accès.")
		}
		return c.Next()
	}
}

// principal returns who is asking (set by authenticate).
func principal(c *fiber.Ctx) access.Principal {
	p, _ := c.Locals(localPrincipal).(access.Principal)
	return p
}

// bodyLimit answers 413 for bodies over n bytes.
func bodyLimit(n int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if len(c.Body()) > n {
			return fiber.ErrRequestEntityTooLarge
		}
		return c.Next()
	}
}
