package web

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/conventions"
	"github.com/parcours-emploi/parcours/internal/httpapi"
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

// assessmentView is the page the tutor's assessment link opens.
type assessmentView struct {
	// State: open, done, expired or unknown.
	State string
	Doc   conventions.Document
	Path  string
}

func (c *Console) assessmentOf(ctx *fiber.Ctx) (assessmentView, int, error) {
	av := assessmentView{Path: ctx.Path()}
	l, err := c.svc.Documents.OpenAssessment(ctx.UserContext(), ctx.Params("doc"), ctx.Params("token"))
	if apperr.Is(err, apperr.NotFound) {
		av.State = "unknown"
		return av, fiber.StatusNotFound, nil
	}
	if err != nil {
		return av, 0, err
	}
	av.Doc, av.State = l.Document, "open"
	switch {
	case l.Done:
		av.State = "done"
	case l.Expired:
		av.State = "expired"
	}
	return av, fiber.StatusOK, nil
}

func (c *Console) assessmentPage(ctx *fiber.Ctx) error {
	av, status, err := c.assessmentOf(ctx)
	if err != nil {
		return err
	}
	ctx.Set("Referrer-Policy", "no-referrer")
	v := c.page(ctx, "assessment.title", "", av)
	v.Form = newForm(url.Values{})
	return c.render(ctx, status, "assessment", v)
}

// assess records the tutor's assessment through their link.
func (c *Console) assess(ctx *fiber.Ctx) error {
	ctx.Set("Referrer-Policy", "no-referrer")
	values := formValues(ctx)
	f := newForm(values)
	lang := string(c.lang(ctx))
	again := func(status int) error {
		av, st, err := c.assessmentOf(ctx)
		if err != nil {
			return err
		}
		if st != fiber.StatusOK {
			status = st
		}
		v := c.page(ctx, "assessment.title", "", av)
		v.Form = f
		return c.render(ctx, status, "assessment", v)
	}
	var in httpapi.AssessmentInput
	if err := c.decodeForm(ctx, values, &in, lang); err != nil {
		if c.addErrors(f, err, lang) {
			return again(fiber.StatusUnprocessableEntity)
		}
		return err
	}
	_, err := c.svc.Documents.AssessByLink(ctx.UserContext(), ctx.Params("doc"), ctx.Params("token"), conventions.Assessment{
		Outcome: in.Outcome, Skills: in.Skills, Hired: in.Hired, Contract: in.Contract, Months: in.Months})
	if err != nil && !apperr.Is(err, apperr.Conflict) {
		if c.addErrors(f, err, lang) {
			return again(fiber.StatusUnprocessableEntity)
		}
		return err
	}
	return again(fiber.StatusOK)
}
