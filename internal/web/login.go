package web

import (
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
)

// root sends people where their day starts.
func (c *Console) root(ctx *fiber.Ctx) error {
	if _, ok := userOf(ctx); !ok {
		return ctx.Redirect("/connexion", fiber.StatusSeeOther)
	}
	return ctx.Redirect(homeOf(who(ctx).Role), fiber.StatusSeeOther)
}

// homeOf is the first page of a role.
func homeOf(r access.Role) string {
	switch r {
	case access.Mentor:
		return "/mentor"
	case access.Agency:
		return "/agence"
	default:
		return "/accueil"
	}
}

type loginView struct {
	Next    string
	Expired bool
	Limited bool
}

// loginPage asks for an e-mail address.
func (c *Console) loginPage(ctx *fiber.Ctx) error {
	if _, ok := userOf(ctx); ok {
		return ctx.Redirect(homeOf(who(ctx).Role), fiber.StatusSeeOther)
	}
	v := c.page(ctx, "login.title", "login", loginView{Next: access.SafeNext(ctx.Query("suite")), Expired: ctx.Query("expiree") == "1"})
	v.Form = newForm(url.Values{"email": {ctx.Query("email")}})
	return c.render(ctx, fiber.StatusOK, "login", v)
}

// requestLink sends a login link to the address given, if it is a user's.
// Known and unknown addresses get the same answer; a client asking too
// often is told to wait.
func (c *Console) requestLink(ctx *fiber.Ctx) error {
	email := strings.TrimSpace(ctx.FormValue("email"))
	next := access.SafeNext(ctx.FormValue("suite"))
	v := c.page(ctx, "login.title", "login", loginView{Next: next})
	v.Form = newForm(url.Values{"email": {email}})
	if !strings.Contains(email, "@") || len(email) > 254 {
		v.Form.Errors["email"] = v.T("login.email.invalid")
		v.Form.Order = []string{"email"}
		return c.render(ctx, fiber.StatusUnprocessableEntity, "login", v)
	}
	if !c.limiter.allow(ctx.IP(), c.now()) {
		v.Data = loginView{Next: next, Limited: true}
		return c.render(ctx, fiber.StatusTooManyRequests, "login", v)
	}
	if err := c.svc.Logins.RequestLink(ctx.UserContext(), email, next); err != nil {
		return err
	}
	return ctx.Redirect("/connexion/envoye?email="+url.QueryEscape(email), fiber.StatusSeeOther)
}

// linkSentPage says a link was sent, if the address is known.
func (c *Console) linkSentPage(ctx *fiber.Ctx) error {
	v := c.page(ctx, "login.sent.title", "login", map[string]string{"Email": ctx.Query("email")})
	return c.render(ctx, fiber.StatusOK, "login-sent", v)
}

type linkView struct {
	Secret string
	State  string // "", used, expired, unknown
	Email  string
	// Next is where the link leads; a new link asked for leads there too.
	Next string
}

// linkPage is where a link opens: a page that asks to continue, so that a
// mail scanner fetching the link does not use it; or, for a used or
// expired link, a form to send a new one.
func (c *Console) linkPage(ctx *fiber.Ctx) error {
	secret := ctx.Params("secret")
	link, err := c.svc.Logins.OpenLink(ctx.UserContext(), secret)
	// A link opened in a browser logged in as its person already leads
	// straight where it points, used or not: a mentor who stays logged in
	// on their phone opens each proposal from its e-mail in one tap.
	if u, ok := userOf(ctx); ok && link.UserID != "" && u.ID == link.UserID && ctx.Method() == fiber.MethodGet {
		next := link.Next
		if next == "" {
			next = homeOf(u.Role)
		}
		return ctx.Redirect(next, fiber.StatusSeeOther)
	}
	lv := linkView{Secret: secret, Email: link.Email, Next: link.Next}
	status := fiber.StatusOK
	switch {
	case err == nil:
	case apperr.Is(err, apperr.NotFound):
		lv.State, status = "unknown", fiber.StatusNotFound
	case apperr.Is(err, apperr.Conflict):
		ae, _ := apperr.As(err)
		lv.State, status = ae.Extra[apperr.CurrentState].(string), fiber.StatusGone
	default:
		return err
	}
	ctx.Set("Referrer-Policy", "no-referrer")
	v := c.page(ctx, "login.link.title", "login", lv)
	v.Form = newForm(url.Values{"email": {link.Email}})
	return c.render(ctx, status, "login-link", v)
}

// consumeLink uses the link and opens the session.
func (c *Console) consumeLink(ctx *fiber.Ctx) error {
	secret := ctx.Params("secret")
	link, _ := c.svc.Logins.OpenLink(ctx.UserContext(), secret)
	s, sessionSecret, err := c.svc.Logins.ConsumeLink(ctx.UserContext(), secret)
	if apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Conflict) {
		return c.linkPage(ctx)
	}
	if err != nil {
		return err
	}
	c.startSession(ctx, s, sessionSecret)
	next := link.Next
	if next == "" {
		next = homeOf(s.Role)
	}
	return ctx.Redirect(next, fiber.StatusSeeOther)
}

// startSession gives the browser its session cookie. It lasts as long as
// the session may stay idle; the store decides whether it is still live.
func (c *Console) startSession(ctx *fiber.Ctx, s access.Session, secret string) {
	c.setCookie(ctx, sessionCookie, secret, s.Idle)
	c.clearCookie(ctx, csrfCookie)
}

func (c *Console) logout(ctx *fiber.Ctx) error {
	if err := c.svc.Logins.Logout(ctx.UserContext(), ctx.Cookies(sessionCookie)); err != nil {
		return err
	}
	c.clearCookie(ctx, sessionCookie)
	return ctx.Redirect("/connexion?note=loggedout", fiber.StatusSeeOther)
}

func (c *Console) logoutEverywhere(ctx *fiber.Ctx) error {
	if err := c.svc.Logins.LogoutEverywhere(ctx.UserContext(), who(ctx).UserID); err != nil {
		return err
	}
	c.clearCookie(ctx, sessionCookie)
	return ctx.Redirect("/connexion?note=loggedouteverywhere", fiber.StatusSeeOther)
}

// setLanguage records the language chosen: on the user when logged in, in
// a cookie before.
func (c *Console) setLanguage(ctx *fiber.Ctx) error {
	l := access.LangOf(ctx.FormValue("lang"))
	if u, ok := userOf(ctx); ok {
		u.Lang = l
		if err := c.svc.Access.ReplaceUser(ctx.UserContext(), u); err != nil {
			return err
		}
	} else {
		c.setCookie(ctx, langCookie, string(l), 365*24*time.Hour)
	}
	next := access.SafeNext(ctx.FormValue("suite"))
	if next == "" {
		next = "/"
	}
	return ctx.Redirect(next, fiber.StatusSeeOther)
}

func (c *Console) accessibilityPage(ctx *fiber.Ctx) error {
	return c.render(ctx, fiber.StatusOK, "accessibility", c.page(ctx, "a11y.title", "", nil))
}

// clientLimiter counts the login link requests of each client (by
// address) in a sliding window, in memory: one process's share.
type clientLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	seen   map[string][]time.Time
}

func newClientLimiter(max int, window time.Duration) *clientLimiter {
	return &clientLimiter{max: max, window: window, seen: map[string][]time.Time{}}
}

func (l *clientLimiter) allow(client string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) > 10000 {
		l.seen = map[string][]time.Time{}
	}
	kept := l.seen[client][:0]
	for _, t := range l.seen[client] {
		if now.Sub(t) < l.window {
			kept = append(kept, t)
		}
	}
	if len(kept) >= l.max {
		l.seen[client] = kept
		return false
	}
	l.seen[client] = append(kept, now)
	return true
}
