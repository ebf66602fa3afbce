package web

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/jobs"
)

type opportunitiesView struct {
	Rows []jobs.Opportunity
	Next string
	Org  string
}

// opportunitiesPage lists the offers, placements and training sessions the
// organisation may see, with filters in the URL.
func (c *Console) opportunitiesPage(ctx *fiber.Ctx) error {
	w := who(ctx)
	q := ctx.Queries()
	f := jobs.Filter{Kind: jobs.Kind(q["type"]), Department: q["departement"], ROME: strings.ToUpper(q["rome"]), Status: jobs.Status(q["statut"]), After: q["apres"], Limit: 30}
	if _, given := q["statut"]; !given {
		f.Status = jobs.StatusOpen
	}
	if err := c.Inputs.CheckQuery(string(c.lang(ctx)), map[string][2]string{
		"type": {string(f.Kind), "omitempty,oneof=job pmsmp training"}, "departement": {f.Department, "omitempty,departement"},
		"rome": {f.ROME, "omitempty,rome"}, "statut": {string(f.Status), "omitempty,oneof=draft open filled closed expired"},
	}); err != nil {
		f = jobs.Filter{Status: jobs.StatusOpen, Limit: 30}
	}
	list, next, err := c.svc.Opportunities.List(ctx.UserContext(), w, f)
	if err != nil {
		return err
	}
	values := url.Values{"type": {string(f.Kind)}, "departement": {f.Department}, "rome": {f.ROME}, "statut": {string(f.Status)}}
	ov := opportunitiesView{Rows: list, Org: w.OrganisationID}
	if next != "" {
		nv := url.Values{}
		for k, v := range values {
			nv[k] = v
		}
		nv.Set("apres", next)
		ov.Next = "/opportunites?" + nv.Encode()
	}
	v := c.page(ctx, "opportunities.title", "opportunities", ov)
	v.Form = newForm(values)
	return c.render(ctx, fiber.StatusOK, "opportunities", v)
}

type opportunityView struct {
	// Host is the PMSMP host as the organisation's directory knows it.
	Host *jobs.Host
	O    *jobs.Opportunity
	Kind string
	Own  bool
}

func (c *Console) opportunityPage(ctx *fiber.Ctx) error {
	o, err := c.svc.Opportunities.Get(ctx.UserContext(), who(ctx), ctx.Params("id"))
	if err != nil {
		return err
	}
	ov := opportunityView{O: &o, Kind: string(o.Kind), Own: o.OrganisationID == who(ctx).OrganisationID}
	if o.PMSMP != nil {
		if h, err := c.svc.Opportunities.Host(ctx.UserContext(), who(ctx), o.PMSMP.HostID); err == nil {
			ov.Host = &h.Host
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
	}
	v := c.page(ctx, "opportunity.title", "opportunities", ov)
	v.Title = o.Title
	return c.render(ctx, fiber.StatusOK, "opportunity", v)
}

func (c *Console) newOpportunityPage(ctx *fiber.Ctx) error {
	kind := ctx.Query("type", "job")
	if kind != "job" && kind != "pmsmp" && kind != "training" {
		kind = "job"
	}
	start := civil.Of(c.now().In(paris)).AddDate(0, 0, 14)
	known, err := c.values(ctx.UserContext(), who(ctx))
	if err != nil {
		return err
	}
	values := url.Values{"kind": {kind}, "startDate": {string(start)}, "positions": {"1"}, "hoursPerWeek": {"35"}, "place.department": {known.MainDepartment()},
		"days": {"mon", "tue", "wed", "thu", "fri"}, "status": {"open"}}
	if kind == "pmsmp" {
		values.Set("endDate", string(start.AddDate(0, 0, 13)))
	}
	return c.renderOpportunityForm(ctx, fiber.StatusOK, nil, kind, newForm(values))
}

func (c *Console) editOpportunityPage(ctx *fiber.Ctx) error {
	o, err := c.svc.Opportunities.Get(ctx.UserContext(), who(ctx), ctx.Params("id"))
	if err != nil {
		return err
	}
	if o.OrganisationID != who(ctx).OrganisationID {
		return fiber.ErrNotFound
	}
	return c.renderOpportunityForm(ctx, fiber.StatusOK, &o, string(o.Kind), newForm(opportunityValues(o)))
}

func (c *Console) renderOpportunityForm(ctx *fiber.Ctx, status int, o *jobs.Opportunity, kind string, f *form) error {
	title := "opportunity.new." + kind
	if o != nil {
		title = "opportunity.edit.title"
	}
	v := c.page(ctx, title, "opportunities", opportunityView{O: o, Kind: kind})
	v.Form = f
	return c.render(ctx, status, "opportunity-form", v)
}

// decodeOpportunity decodes the form through the API's input type.
func (c *Console) decodeOpportunity(ctx *fiber.Ctx, f *form, o *jobs.Opportunity) bool {
	values := url.Values{}
	for k, v := range f.Values {
		values[k] = v
	}
	values.Del("version")
	values.Del(csrfField)
	lang := string(c.lang(ctx))
	var in httpapi.OpportunityInput
	if err := c.decodeForm(ctx, values, &in, lang); err != nil {
		if !c.addErrors(f, err, lang) {
			f.Errors["form"] = err.Error()
		}
		return false
	}
	in.Apply(o)
	return true
}

func (c *Console) createOpportunity(ctx *fiber.Ctx) error {
	f := newForm(formValues(ctx))
	var o jobs.Opportunity
	if c.decodeOpportunity(ctx, f, &o) {
		created, err := c.svc.Opportunities.Create(ctx.UserContext(), who(ctx), o)
		if err == nil {
			return ctx.Redirect("/opportunites/"+created.ID+"?note=published", fiber.StatusSeeOther)
		}
		if !c.addErrors(f, err, string(c.lang(ctx))) {
			return err
		}
	}
	return c.renderOpportunityForm(ctx, fiber.StatusUnprocessableEntity, nil, f.Get("kind"), f)
}

func (c *Console) updateOpportunity(ctx *fiber.Ctx) error {
	f := newForm(formValues(ctx))
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	failed := false
	o, err := c.svc.Opportunities.Update(ctx.UserContext(), who(ctx), ctx.Params("id"), version, func(o *jobs.Opportunity) error {
		if !c.decodeOpportunity(ctx, f, o) {
			failed = true
			return errFormInvalid
		}
		return nil
	})
	if failed || c.addErrors(f, err, string(c.lang(ctx))) {
		cur, gerr := c.svc.Opportunities.Get(ctx.UserContext(), who(ctx), ctx.Params("id"))
		if gerr != nil {
			return gerr
		}
		return c.renderOpportunityForm(ctx, fiber.StatusUnprocessableEntity, &cur, string(cur.Kind), f)
	}
	if apperr.Is(err, apperr.PreconditionFailed) {
		cur, gerr := c.svc.Opportunities.Get(ctx.UserContext(), who(ctx), ctx.Params("id"))
		if gerr != nil {
			return gerr
		}
		f.stale(err, cur.Version, c.i18n.T(c.lang(ctx), "form.stale"))
		return c.renderOpportunityForm(ctx, fiber.StatusConflict, &cur, string(cur.Kind), f)
	}
	if err != nil {
		return err
	}
	return ctx.Redirect("/opportunites/"+o.ID+"?note=opportunity-saved", fiber.StatusSeeOther)
}

func (c *Console) closeOpportunity(ctx *fiber.Ctx) error {
	o, err := c.svc.Opportunities.Close(ctx.UserContext(), who(ctx), ctx.Params("id"))
	if err != nil {
		return err
	}
	return ctx.Redirect("/opportunites/"+o.ID+"?note=closed", fiber.StatusSeeOther)
}

// opportunityValues are the form's values of o.
func opportunityValues(o jobs.Opportunity) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("version", strconv.FormatInt(o.Version, 10))
	set("kind", string(o.Kind))
	set("status", string(o.Status))
	set("title", o.Title)
	set("employer", o.Employer)
	set("rome", o.ROME)
	set("description", o.Description)
	set("place.department", o.Place.Department)
	set("place.postcode", o.Place.Postcode)
	set("place.city", o.Place.City)
	set("startDate", string(o.Start))
	set("endDate", string(o.End))
	set("hoursPerWeek", strconv.Itoa(o.HoursPerWeek))
	v["days"] = o.Days
	set("positions", strconv.Itoa(o.Positions))
	if o.Contract != nil {
		set("contract.type", o.Contract.Type)
		if o.Contract.Months > 0 {
			set("contract.months", strconv.Itoa(o.Contract.Months))
		}
	}
	if o.PMSMP != nil {
		set("pmsmp.siret", o.PMSMP.HostID)
		set("pmsmp.objective", string(o.PMSMP.Objective))
		set("pmsmp.tutor", o.PMSMP.Tutor)
	}
	set("frenchRequired.oralComprehension", o.French.OralComprehension)
	set("frenchRequired.oralProduction", o.French.OralProduction)
	set("frenchRequired.writtenComprehension", o.French.WrittenComprehension)
	set("frenchRequired.writtenProduction", o.French.WrittenProduction)
	set("licencesRequired", strings.Join(o.Licences, ", "))
	set("skills", strings.Join(o.Skills, ", "))
	return v
}

// trades answers the options of a ROME field's list as one types: the
// codes whose label or titles hold the words typed, each with its label
// and the title found.
func (c *Console) trades(ctx *fiber.Ctx) error {
	return listOptions(ctx, func(q string) ([][2]string, error) {
		_, found := c.svc.Suggestions.Trades(q, 12)
		out := make([][2]string, len(found))
		for i, t := range found {
			out[i] = [2]string{t.Code, joinLabel(t.Label, t.Title)}
		}
		return out, nil
	})
}

// hosts answers the options of a PMSMP host field as one types: the
// directory's hosts whose name or SIRET starts with what is typed.
func (c *Console) hosts(ctx *fiber.Ctx) error {
	return listOptions(ctx, func(q string) ([][2]string, error) {
		found, _, err := c.svc.Opportunities.FindHosts(ctx.UserContext(), who(ctx), q, "", 12)
		out := make([][2]string, len(found))
		for i, h := range found {
			out[i] = [2]string{h.SIRET, joinLabel(h.Name, h.Address)}
		}
		return out, err
	})
}

// listOptions answers the <option>s (value, label) of a field's datalist
// for what is typed: the request's one parameter, at least 2 characters.
func listOptions(ctx *fiber.Ctx, find func(q string) ([][2]string, error)) error {
	var q string
	ctx.Context().QueryArgs().VisitAll(func(_, v []byte) {
		if q == "" && len(bytes.TrimSpace(v)) >= 2 {
			q = string(v)
		}
	})
	var b strings.Builder
	if q != "" {
		options, err := find(q)
		if err != nil {
			return err
		}
		for _, o := range options {
			fmt.Fprintf(&b, "<option value=\"%s\">%s</option>", html.EscapeString(o[0]), html.EscapeString(o[1]))
		}
	}
	ctx.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return ctx.SendString(b.String())
}

// joinLabel is "a — b", or a when b is empty.
func joinLabel(a, b string) string {
	if b == "" {
		return a
	}
	return a + " — " + b
}
