package web

import (
	"crypto/subtle"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parcours-emploi/parcours/access"
)

// The dev tools exist in dev only: Routes registers them when Deps.Dev is
// set, which cmd/parcours does for dev and never for serve.

type devMail struct {
	To       string
	Subject  string
	Text     string
	Received time.Time
}

// devMailPage shows the mail the embedded SMTP server received, newest
// first, so the demo's magic links work with no mail server.
func (c *Console) devMailPage(ctx *fiber.Ctx) error {
	var list []devMail
	if c.Dev.Mail != nil {
		for _, m := range c.Dev.Mail.Mails() {
			to := ""
			if len(m.To) > 0 {
				to = m.To[0]
			}
			list = append(list, devMail{To: to, Subject: m.Subject(), Text: m.Part("text/plain"), Received: m.Received})
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Received.After(list[j].Received) })
	return c.render(ctx, fiber.StatusOK, "dev-mail", c.page(ctx, "dev.mail.title", "", list))
}

// devPersona logs in as a demo persona in one click, then opens the
// console path given as suite, or the persona's home.
func (c *Console) devPersona(ctx *fiber.Ctx) error {
	p, ok := c.Dev.Personas[ctx.Params("name")]
	if !ok || subtle.ConstantTimeCompare([]byte(p.Secret), []byte(ctx.Query("secret"))) != 1 {
		return fiber.ErrNotFound
	}
	u, err := c.svc.Access.User(ctx.UserContext(), p.UserID)
	if err != nil {
		return err
	}
	s, secret, err := c.svc.Logins.OpenSession(ctx.UserContext(), u)
	if err != nil {
		return err
	}
	c.startSession(ctx, s, secret)
	if next := access.SafeNext(ctx.Query("suite")); next != "" {
		return ctx.Redirect(next, fiber.StatusSeeOther)
	}
	return ctx.Redirect(homeOf(u.Role), fiber.StatusSeeOther)
}
