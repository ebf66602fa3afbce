package web

import (
	"crypto/subtle"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/notify"
)

// The e-mails people receive are theirs to choose: on the account page,
// kind by kind; and from any e-mail, with no login, a link that stops its
// kind.

type kindChoice struct {
	Kind   notify.Kind
	Choice notify.Choice
}

type accountView struct {
	Kinds []kindChoice
	Daily bool
}

func (c *Console) accountPage(ctx *fiber.Ctx) error {
	u, _ := userOf(ctx)
	fresh, err := c.svc.Access.User(ctx.UserContext(), u.ID)
	if err != nil {
		return err
	}
	kinds, daily := notify.Choices(fresh.Role)
	av := accountView{Daily: daily}
	for _, k := range kinds {
		av.Kinds = append(av.Kinds, kindChoice{Kind: k, Choice: notify.ChoiceOf(fresh, k)})
	}
	return c.render(ctx, fiber.StatusOK, "account", c.page(ctx, "account.title", "account", av))
}

// chooseNotices records the choices of the account page's form.
func (c *Console) chooseNotices(ctx *fiber.Ctx) error {
	u, _ := userOf(ctx)
	kinds, _ := notify.Choices(u.Role)
	choices := map[notify.Kind]notify.Choice{}
	for _, k := range kinds {
		choices[k] = notify.Choice(ctx.FormValue(string(k)))
	}
	if _, err := c.svc.Preferences.Choose(ctx.UserContext(), who(ctx), choices); err != nil {
		return c.actionFailed(ctx, err, "/compte#notifications")
	}
	return ctx.Redirect("/compte?note=notices#notifications", fiber.StatusSeeOther)
}

type unsubscribeView struct {
	Kind  notify.Kind
	State string // "", done, unknown
	Path  string
}

// unsubscribePage asks to confirm: a mail scanner that follows the link
// stops nothing.
func (c *Console) unsubscribePage(ctx *fiber.Ctx) error {
	uv := unsubscribeView{Kind: notify.Kind(ctx.Params("kind")), Path: ctx.Path()}
	status := fiber.StatusOK
	if u, err := c.svc.Access.User(ctx.UserContext(), ctx.Params("user")); err != nil || u.MailToken == "" ||
		subtle.ConstantTimeCompare([]byte(u.MailToken), []byte(ctx.Params("token"))) != 1 {
		uv.State, status = "unknown", fiber.StatusNotFound
	}
	ctx.Set("Referrer-Policy", "no-referrer")
	return c.render(ctx, status, "unsubscribe", c.page(ctx, "unsubscribe.title", "", uv))
}

// unsubscribe stops the kind: the page's button, or a mail program's
// one-click POST (RFC 8058), which the token authenticates, not a CSRF
// token.
func (c *Console) unsubscribe(ctx *fiber.Ctx) error {
	uv := unsubscribeView{Kind: notify.Kind(ctx.Params("kind")), Path: ctx.Path(), State: "done"}
	_, _, err := c.svc.Preferences.Unsubscribe(ctx.UserContext(), ctx.Params("user"), uv.Kind, ctx.Params("token"))
	status := fiber.StatusOK
	if apperr.Is(err, apperr.NotFound) {
		uv.State, status = "unknown", fiber.StatusNotFound
	} else if err != nil {
		return err
	}
	ctx.Set("Referrer-Policy", "no-referrer")
	return c.render(ctx, status, "unsubscribe", c.page(ctx, "unsubscribe.title", "", uv))
}
