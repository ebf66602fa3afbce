package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/fairness"
	"github.com/parcours-emploi/parcours/pathways"
)

// The monitoring page records, with the person's consent, the attributes
// that monitor the fairness of the matching: sex and nationality. They
// are written, never shown again: the page says only whether and when
// they were recorded.

type monitoringView struct {
	B         pathways.Beneficiary
	Recorded  bool
	At        time.Time
	Countries []fairness.Country
	Sexes     [][2]string
}

func (c *Console) monitoringPage(ctx *fiber.Ctx) error {
	return c.renderMonitoring(ctx, fiber.StatusOK, newForm(nil))
}

func (c *Console) renderMonitoring(ctx *fiber.Ctx, status int, f *form) error {
	b, err := c.svc.Beneficiaries.Get(ctx.UserContext(), who(ctx), ctx.Params("id"))
	if err != nil {
		return err
	}
	at, ok, err := c.svc.Fairness.Recorded(ctx.UserContext(), who(ctx), b.ID)
	if err != nil {
		return err
	}
	lang := c.lang(ctx)
	mv := monitoringView{B: b, Recorded: ok, At: at, Countries: fairness.Countries(string(lang)),
		Sexes: [][2]string{{"", c.i18n.T(lang, "monitoring.notprovided")}}}
	for _, s := range fairness.Sexes {
		mv.Sexes = append(mv.Sexes, [2]string{s, c.i18n.T(lang, "fairness.group."+s)})
	}
	v := c.page(ctx, "monitoring.title", "beneficiaries", mv)
	v.Form = f
	return c.render(ctx, status, "monitoring", v)
}

func (c *Console) recordMonitoring(ctx *fiber.Ctx) error {
	values := formValues(ctx)
	f := newForm(values)
	r := fairness.Record{Sex: values.Get("sex"), Nationality: values.Get("nationality")}
	if err := c.svc.Fairness.Record(ctx.UserContext(), who(ctx), ctx.Params("id"), r); err != nil {
		if c.addErrors(f, err, string(c.lang(ctx))) {
			return c.renderMonitoring(ctx, fiber.StatusUnprocessableEntity, f)
		}
		return err
	}
	return ctx.Redirect("/beneficiaires/"+ctx.Params("id")+"?onglet=profil&note=monitoring", fiber.StatusSeeOther)
}
