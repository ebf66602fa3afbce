package web

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/conventions"
)

// signatureView is the page a signature link opens: the whole convention,
// and the form that signs it while the link may.
type signatureView struct {
	// State: open, signed (by this link), expired, closed (no longer
	// awaiting signatures) or unknown.
	State     string
	StateText string
	Doc       conventions.Document
	Party     conventions.Party
	SignedAt  time.Time
	Path      string
}

func (c *Console) signatureOf(ctx *fiber.Ctx) (signatureView, int, error) {
	sv := signatureView{Path: ctx.Path(), Party: conventions.Party(ctx.Params("party"))}
	l, err := c.svc.Documents.Open(ctx.UserContext(), ctx.Params("doc"), sv.Party, ctx.Params("token"))
	if apperr.Is(err, apperr.NotFound) {
		sv.State = "unknown"
		return sv, fiber.StatusNotFound, nil
	}
	if err != nil {
		return sv, 0, err
	}
	sv.Doc, sv.State = l.Document, "open"
	sig, _ := l.Document.Signatory(sv.Party)
	switch {
	case l.Used:
		sv.State, sv.SignedAt = "signed", sig.Signed.At
	case l.Expired:
		sv.State = "expired"
	case l.Document.State != conventions.Sent && l.Document.State != conventions.PartiallySigned:
		sv.State, sv.StateText = "closed", l.Document.State.French()
	}
	return sv, fiber.StatusOK, nil
}

func (c *Console) signaturePage(ctx *fiber.Ctx) error {
	sv, status, err := c.signatureOf(ctx)
	if err != nil {
		return err
	}
	ctx.Set("Referrer-Policy", "no-referrer")
	v := c.page(ctx, "signature.title", "", sv)
	sig, _ := sv.Doc.Signatory(sv.Party)
	v.Form = newForm(url.Values{"name": {sig.Name}})
	return c.render(ctx, status, "signature", v)
}

// sign signs through the link, which authenticates the request: a used or
// expired link changes nothing and says so.
func (c *Console) sign(ctx *fiber.Ctx) error {
	ctx.Set("Referrer-Policy", "no-referrer")
	values := formValues(ctx)
	f := newForm(values)
	lang := string(c.lang(ctx))
	_, err := c.svc.Documents.Sign(ctx.UserContext(), ctx.Params("doc"), conventions.Party(ctx.Params("party")), ctx.Params("token"),
		values.Get("name"), ctx.IP(), ctx.Get(fiber.HeaderUserAgent))
	sv, status, rerr := c.signatureOf(ctx)
	if rerr != nil {
		return rerr
	}
	if err != nil && !apperr.Is(err, apperr.Conflict) {
		if !c.addErrors(f, err, lang) {
			return err
		}
		status = fiber.StatusUnprocessableEntity
	}
	v := c.page(ctx, "signature.title", "", sv)
	v.Form = f
	return c.render(ctx, status, "signature", v)
}
