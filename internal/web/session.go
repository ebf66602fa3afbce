package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
)

// Cookie names. The session cookie holds the session's secret; the CSRF
// cookie holds the token of forms shown before logging in (double
// submit); the language cookie, a choice made before logging in.
const (
	sessionCookie = "parcours_session"
	csrfCookie    = "parcours_csrf"
	langCookie    = "parcours_lang"
	csrfField     = "_csrf"
	csrfHeader    = "X-CSRF-Token"
)

type localKey int

const (
	localSession localKey = iota
	localNonce
	localCSRF
	localUser
)

func randomToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// headers sets the security headers of every page: a Content-Security-
// Policy whose only scripts are those carrying this response's nonce, no
// framing, no referrer beyond the origin.
func (c *Console) headers(ctx *fiber.Ctx) error {
	nonce := randomToken()
	ctx.Locals(localNonce, nonce)
	ctx.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce+"'; style-src 'self'; img-src 'self' data:; "+
		"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	ctx.Set("X-Content-Type-Options", "nosniff")
	ctx.Set("Referrer-Policy", "same-origin")
	ctx.Set("X-Frame-Options", "DENY")
	ctx.Set("Cache-Control", "no-store")
	ctx.Vary("HX-Request", "Cookie")
	return ctx.Next()
}

// session reads the session the browser holds, if any and live; a stale
// cookie is dropped.
func (c *Console) session(ctx *fiber.Ctx) error {
	secret := ctx.Cookies(sessionCookie)
	if secret == "" {
		return ctx.Next()
	}
	s, err := c.svc.Logins.Session(ctx.UserContext(), secret)
	switch {
	case apperr.Is(err, apperr.Unauthorized):
		c.clearCookie(ctx, sessionCookie)
		ctx.Locals(localSession, expiredMark{})
	case err != nil:
		return err
	default:
		ctx.Locals(localSession, s)
		if u, err := c.svc.Access.User(ctx.UserContext(), s.UserID); err == nil && u.Active() {
			ctx.Locals(localUser, u)
		} else if err == nil {
			_ = c.svc.Logins.Logout(ctx.UserContext(), secret)
			c.clearCookie(ctx, sessionCookie)
			ctx.Locals(localSession, nil)
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
	}
	return ctx.Next()
}

// expiredMark says the browser came with a session that has ended.
type expiredMark struct{}

func sessionOf(ctx *fiber.Ctx) (access.Session, bool) {
	s, ok := ctx.Locals(localSession).(access.Session)
	return s, ok
}

func userOf(ctx *fiber.Ctx) (access.User, bool) {
	u, ok := ctx.Locals(localUser).(access.User)
	return u, ok
}

// who is the principal of the request's session.
func who(ctx *fiber.Ctx) access.Principal {
	s, _ := sessionOf(ctx)
	return s.Principal()
}

// loggedIn sends a visitor without a live session to the login page, and
// back here after: by a redirect, or by HX-Redirect for an htmx request
// (which would otherwise swap the login page into a fragment).
func (c *Console) loggedIn(ctx *fiber.Ctx) error {
	if _, ok := sessionOf(ctx); ok {
		if _, ok := userOf(ctx); ok {
			return ctx.Next()
		}
	}
	next := ctx.OriginalURL()
	if ctx.Get("HX-Request") == "true" {
		if cur := ctx.Get("HX-Current-URL"); cur != "" {
			if u, err := url.Parse(cur); err == nil {
				next = u.RequestURI()
			}
		}
	}
	if ctx.Method() != fiber.MethodGet && ctx.Get("HX-Request") != "true" {
		next = ""
	}
	target := "/connexion"
	if _, expired := ctx.Locals(localSession).(expiredMark); expired {
		target += "?expiree=1"
	}
	if next = access.SafeNext(next); next != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "suite=" + url.QueryEscape(next)
	}
	if ctx.Get("HX-Request") == "true" {
		ctx.Set("HX-Redirect", target)
		return ctx.SendStatus(fiber.StatusOK)
	}
	return ctx.Redirect(target, fiber.StatusSeeOther)
}

// allow lets through the roles given; for another role the page does not
// exist (404), as an object of another organisation.
func (c *Console) allow(roles ...access.Role) fiber.Handler {
	return func(ctx *fiber.Ctx) error {
		if !who(ctx).Is(roles...) {
			return fiber.ErrNotFound
		}
		return ctx.Next()
	}
}

// csrfToken is the token the page's forms carry: the session's, or before
// logging in, the one of the CSRF cookie (set here when missing).
func (c *Console) csrfToken(ctx *fiber.Ctx) string {
	if s, ok := sessionOf(ctx); ok {
		return s.CSRF
	}
	if t, ok := ctx.Locals(localCSRF).(string); ok {
		return t
	}
	t := ctx.Cookies(csrfCookie)
	if len(t) < 20 {
		t = randomToken()
		c.setCookie(ctx, csrfCookie, t, 0)
	}
	ctx.Locals(localCSRF, t)
	return t
}

// checkCSRF refuses a state-changing request whose token, from the form
// or the X-CSRF-Token header, is not the page's: 403, nothing changed.
func (c *Console) checkCSRF(ctx *fiber.Ctx) error {
	got := ctx.FormValue(csrfField)
	if got == "" {
		got = ctx.Get(csrfHeader)
	}
	want := ""
	if s, ok := sessionOf(ctx); ok {
		want = s.CSRF
	} else {
		want = ctx.Cookies(csrfCookie)
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errCSRF
	}
	return ctx.Next()
}

// errCSRF is a forged or stale form.
var errCSRF = fiber.NewError(fiber.StatusForbidden, "csrf")

func (c *Console) setCookie(ctx *fiber.Ctx, name, value string, maxAge time.Duration) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.secure}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge / time.Second)
	}
	ctx.Cookie(ck)
}

func (c *Console) clearCookie(ctx *fiber.Ctx, name string) {
	ctx.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: c.secure, MaxAge: -1, Expires: time.Unix(0, 0)})
}

// lang is the language of the page: the user's choice, else the choice of
// the browser's cookie, else Accept-Language, else French.
func (c *Console) lang(ctx *fiber.Ctx) access.Lang {
	if u, ok := userOf(ctx); ok && u.Lang != "" {
		return u.Lang
	}
	if l := ctx.Cookies(langCookie); l == "fr" || l == "en" {
		return access.Lang(l)
	}
	if ctx.AcceptsLanguages("fr", "en") == "en" {
		return access.English
	}
	return access.French
}
