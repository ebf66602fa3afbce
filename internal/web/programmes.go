package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/pathways"
)

// The programmes page is where a coordinator sets up the organisation's
// programmes: the rule set the funder counts by, the longest support, the
// horizons after entry and after exit, and the target rate. Files name
// one; reports and measurements follow its settings.

type programmesView struct {
	Programmes []pathways.Programme
	RuleSets   []string
	// Editing is the programme the form changes; nil to add one.
	Editing *pathways.Programme
}

func (c *Console) programmesPage(ctx *fiber.Ctx) error {
	f := newForm(nil)
	if id := ctx.Params("id"); id != "" {
		p, err := c.svc.Beneficiaries.Programme(ctx.UserContext(), who(ctx), id)
		if err != nil || p.ID != id {
			return fiber.ErrNotFound
		}
		join := func(list []int) string {
			parts := make([]string, len(list))
			for i, m := range list {
				parts[i] = strconv.Itoa(m)
			}
			return strings.Join(parts, ", ")
		}
		f.Values.Set("name", p.Name)
		f.Values.Set("ruleSet", p.RuleSet)
		f.Values.Set("durationMonths", strconv.Itoa(p.DurationMonths))
		f.Values.Set("horizons", join(p.Horizons))
		f.Values.Set("exitHorizons", join(p.ExitHorizons))
		if p.TargetRate != nil {
			f.Values.Set("targetRate", strconv.FormatFloat(*p.TargetRate, 'f', -1, 64))
		}
	}
	return c.renderProgrammes(ctx, fiber.StatusOK, f)
}

func (c *Console) renderProgrammes(ctx *fiber.Ctx, status int, f *form) error {
	list, err := c.svc.Beneficiaries.ListProgrammes(ctx.UserContext(), who(ctx))
	if err != nil {
		return err
	}
	pv := programmesView{Programmes: list, RuleSets: pathways.RuleSetNames()}
	for i := range list {
		if list[i].ID == ctx.Params("id") {
			pv.Editing = &list[i]
		}
	}
	if ctx.Params("id") != "" && pv.Editing == nil {
		return fiber.ErrNotFound
	}
	v := c.page(ctx, "programmes.title", "programmes", pv)
	v.Form = f
	return c.render(ctx, status, "programmes", v)
}

// months reads a list of months typed "6, 12" or "6 12".
func months(s string) ([]int, bool) {
	var out []int
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func (c *Console) createProgramme(ctx *fiber.Ctx) error {
	values := formValues(ctx)
	f := newForm(values)
	lang := string(c.lang(ctx))
	p := pathways.Programme{Name: values.Get("name"), RuleSet: values.Get("ruleSet")}
	bad := func(name, key string) {
		f.Errors[name] = c.i18n.T(c.lang(ctx), key)
		f.Order = append(f.Order, name)
	}
	var ok bool
	if p.Horizons, ok = months(values.Get("horizons")); !ok {
		bad("horizons", "programmes.months.invalid")
	}
	if p.ExitHorizons, ok = months(values.Get("exitHorizons")); !ok {
		bad("exitHorizons", "programmes.months.invalid")
	}
	if p.ExitHorizons == nil {
		p.ExitHorizons = []int{}
	}
	if d := strings.TrimSpace(values.Get("durationMonths")); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			bad("durationMonths", "programmes.months.invalid")
		}
		p.DurationMonths = n
	}
	if r := strings.TrimSpace(strings.Replace(values.Get("targetRate"), ",", ".", 1)); r != "" {
		x, err := strconv.ParseFloat(r, 64)
		if err != nil {
			bad("targetRate", "programmes.rate.invalid")
		}
		p.TargetRate = &x
	}
	if f.Invalid() {
		return c.renderProgrammes(ctx, fiber.StatusUnprocessableEntity, f)
	}
	var err error
	if id := ctx.Params("id"); id != "" {
		_, err = c.svc.Beneficiaries.ChangeProgramme(ctx.UserContext(), who(ctx), id, p)
	} else {
		_, err = c.svc.Beneficiaries.CreateProgramme(ctx.UserContext(), who(ctx), p)
	}
	if err != nil {
		if c.addErrors(f, err, lang) {
			return c.renderProgrammes(ctx, fiber.StatusUnprocessableEntity, f)
		}
		if ae, ok := apperr.As(err); ok && ae.Code == apperr.Conflict {
			msg := ae.Message
			if lang == "fr" && ae.MessageFR != "" {
				msg = ae.MessageFR
			}
			f.Errors["name"] = msg
			f.Order = append(f.Order, "name")
			return c.renderProgrammes(ctx, fiber.StatusConflict, f)
		}
		return err
	}
	c.forgetValues(who(ctx).OrganisationID)
	note := "programme"
	if ctx.Params("id") != "" {
		note = "programme-changed"
	}
	return ctx.Redirect("/dispositifs?note="+note, fiber.StatusSeeOther)
}
