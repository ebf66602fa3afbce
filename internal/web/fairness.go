package web

import (
	"bytes"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/fairness"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/proposals"
)

// The fairness page shows a coordinator the matching funnel of a programme
// by the groups of one monitoring attribute: per stage, each group's count
// and rate with its interval, its ratio to the reference group, and the
// alerts; the small cells read "< 10". The same figures as the API's, in
// a table and a CSV.

type fairnessView struct {
	Programmes [][2]string
	Attributes []string
	Kinds      []string
	Programme  string
	Attribute  string
	Kind       string
	// Reference is the group the coordinator compares with ("" for the largest).
	Reference string
	From, To  civil.Date
	Report    *httpapi.FairnessReport
	CSV       string
}

func (c *Console) fairnessQuery(ctx *fiber.Ctx) (fairnessView, error) {
	progs, err := c.svc.Beneficiaries.ListProgrammes(ctx.UserContext(), who(ctx))
	if err != nil {
		return fairnessView{}, err
	}
	fv := fairnessView{Kinds: []string{"", "job", "pmsmp", "training", "mentor"}}
	for _, a := range fairness.Attributes {
		fv.Attributes = append(fv.Attributes, string(a))
	}
	for _, p := range progs {
		fv.Programmes = append(fv.Programmes, [2]string{p.ID, p.Name})
		if p.ID == ctx.Query("programme") || fv.Programme == "" {
			fv.Programme = p.ID
		}
	}
	fv.Attribute = ctx.Query("attribut")
	if !slices.Contains(fv.Attributes, fv.Attribute) {
		fv.Attribute = string(fairness.Sex)
	}
	fv.Reference = ctx.Query("reference")
	fv.Kind = ctx.Query("type")
	if !slices.Contains(fv.Kinds, fv.Kind) {
		fv.Kind = ""
	}
	today := civil.Of(c.now().In(paris))
	fv.From, fv.To = civil.Date(ctx.Query("du")), civil.Date(ctx.Query("au"))
	if !fv.To.Valid() {
		fv.To = today
	}
	if !fv.From.Valid() || fv.From > fv.To {
		fv.From = fv.To.AddDate(-1, 0, 0)
	}
	q := url.Values{"programme": {fv.Programme}, "attribut": {fv.Attribute}, "du": {string(fv.From)}, "au": {string(fv.To)}}
	if fv.Kind != "" {
		q.Set("type", fv.Kind)
	}
	if fv.Reference != "" {
		q.Set("reference", fv.Reference)
	}
	fv.CSV = "/equite.csv?" + q.Encode()
	return fv, nil
}

func (c *Console) fairnessReport(ctx *fiber.Ctx, fv *fairnessView) error {
	if fv.Programme == "" {
		return nil
	}
	r, err := c.svc.Fairness.Report(ctx.UserContext(), who(ctx), fairness.Query{Programme: fv.Programme, From: fv.From, To: fv.To,
		Attribute: fairness.Attribute(fv.Attribute), Reference: fv.Reference, Kind: proposals.Kind(fv.Kind)})
	if err != nil {
		return err
	}
	out := httpapi.ToFairnessReport(r)
	fv.Report = &out
	return nil
}

func (c *Console) fairnessPage(ctx *fiber.Ctx) error {
	fv, err := c.fairnessQuery(ctx)
	if err != nil {
		return err
	}
	if err := c.fairnessReport(ctx, &fv); err != nil {
		return err
	}
	return c.render(ctx, fiber.StatusOK, "fairness", c.page(ctx, "fairness.title", "fairness", fv))
}

// fairnessCSV is the page's report as CSV, as the API writes it.
func (c *Console) fairnessCSV(ctx *fiber.Ctx) error {
	fv, err := c.fairnessQuery(ctx)
	if err != nil {
		return err
	}
	if err := c.fairnessReport(ctx, &fv); err != nil {
		return err
	}
	if fv.Report == nil {
		return fiber.ErrNotFound
	}
	var buf bytes.Buffer
	if err := httpapi.WriteFairnessCSV(&buf, *fv.Report); err != nil {
		return err
	}
	ctx.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	ctx.Set(fiber.HeaderContentDisposition, `attachment; filename="equite-`+safeName(strings.ReplaceAll(fv.Report.Programme+"-"+fv.Attribute, " ", "-"))+`.csv"`)
	return ctx.Send(buf.Bytes())
}

// GroupLabel names a group of a monitoring attribute for people: the
// catalogue's word for it ("Femmes", "Asie de l'Ouest", "26–35 ans"), or
// the protection status's own.
func (v *view) GroupLabel(attribute, group string) string {
	for _, id := range []string{"fairness.group." + group, "protection." + group} {
		if v.c.i18n.Has(v.Lang, id) {
			return v.T(id)
		}
	}
	return group
}

// Share writes a proportion (a float64 or a *float64) in percent.
func (v *view) Share(x any) string {
	switch p := x.(type) {
	case float64:
		return v.Percent(p * 100)
	case *float64:
		if p != nil {
			return v.Percent(*p * 100)
		}
	}
	return "—"
}

// Ratio writes a ratio (a float64 or a *float64) with two decimals, in
// the page's language.
func (v *view) Ratio(x any) string {
	var r float64
	switch p := x.(type) {
	case float64:
		r = p
	case *float64:
		if p == nil {
			return "—"
		}
		r = *p
	default:
		return "—"
	}
	s := strconv.FormatFloat(r, 'f', 2, 64)
	if v.Lang != access.English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
