package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/pmsmp"
)

// renewalView is the page that renews a PMSMP convention: the convention,
// and the days the renewal may cover.
type renewalView struct {
	B pathways.Beneficiary
	C jobs.Convention
	// From and To are the convention's days; Start is the renewal's first
	// day, Last the latest it may end (one month).
	From, To, Start, Last civil.Date
	// Host is the host as the directory names it.
	Host string
}

// hostLabel names a PMSMP host: "Name (SIRET …)" when the organisation's
// directory knows it, its SIRET (or the name written before SIRETs) otherwise.
func (c *Console) hostLabel(ctx *fiber.Ctx, hostID string) (string, error) {
	h, err := c.svc.Opportunities.Host(ctx.UserContext(), who(ctx), hostID)
	switch {
	case err == nil:
		return h.Host.Name + " (SIRET " + h.Host.SIRET + ")", nil
	case apperr.Is(err, apperr.NotFound):
		return hostID, nil
	}
	return "", err
}

func (c *Console) renewalOf(ctx *fiber.Ctx) (renewalView, error) {
	uctx, w := ctx.UserContext(), who(ctx)
	b, err := c.svc.Beneficiaries.Get(uctx, w, ctx.Params("id"))
	if err != nil {
		return renewalView{}, err
	}
	convs, err := c.svc.Proposals.ConventionsOf(uctx, w, b.ID)
	if err != nil {
		return renewalView{}, err
	}
	for _, cv := range convs {
		if cv.ID == ctx.Params("conventionId") {
			start := civil.Of(cv.End).AddDate(0, 0, 1)
			host, err := c.hostLabel(ctx, cv.HostID)
			if err != nil {
				return renewalView{}, err
			}
			return renewalView{B: b, C: cv, From: civil.Of(cv.Start), To: civil.Of(cv.End), Start: start,
				Last: civil.Of(pmsmp.MaxEnd(start.Time())), Host: host}, nil
		}
	}
	return renewalView{}, apperr.NotFoundf("No such convention.").FR("Aucune convention de ce type.")
}

func (c *Console) renewalPage(ctx *fiber.Ctx) error {
	rv, err := c.renewalOf(ctx)
	if err != nil {
		return err
	}
	v := c.page(ctx, "renewal.title", "beneficiaries", rv)
	v.Form = newForm(url.Values{"endDate": {string(rv.Last)}})
	return c.render(ctx, fiber.StatusOK, "convention-renewal", v)
}

func (c *Console) renewConvention(ctx *fiber.Ctx) error {
	rv, err := c.renewalOf(ctx)
	if err != nil {
		return err
	}
	values := formValues(ctx)
	lang := string(c.lang(ctx))
	f := newForm(values)
	again := func() error {
		v := c.page(ctx, "renewal.title", "beneficiaries", rv)
		v.Form = f
		return c.render(ctx, fiber.StatusUnprocessableEntity, "convention-renewal", v)
	}
	var in httpapi.RenewalInput
	if err := c.decodeForm(ctx, values, &in, lang); err != nil {
		if c.addErrors(f, err, lang) {
			return again()
		}
		return err
	}
	if _, err := c.svc.Proposals.RenewConvention(ctx.UserContext(), who(ctx), rv.B.ID, rv.C.ID, in.EndDate); err != nil {
		if c.addErrors(f, err, lang) {
			return again()
		}
		return err
	}
	return ctx.Redirect("/beneficiaires/"+rv.B.ID+"?onglet=parcours&note=renewed", fiber.StatusSeeOther)
}
