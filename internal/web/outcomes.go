package web

import (
	"bytes"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/pathways"
)

// The outcomes page is what a coordinator brings to a funder: positive
// exits at T+6 and T+12 per cohort, under the programme's rule set (or
// another), against a target; each chart drawn on the server as SVG, with
// the same numbers in a table beside it and in a CSV, all read from the
// report the API gives.

type outcomesView struct {
	Programmes []string
	Programme  string
	RuleSet    string
	RuleSets   []string
	// Target is the target line in percent (0: none); TargetText is as typed.
	Target     float64
	TargetText string
	Horizons   []horizonView
	Query      string
	// Exits is the exits report of the programme, and ExitsCSV its CSV.
	Exits    pathways.ExitsReport
	ExitsCSV string
	// Reasons are the exit reasons in order, and ExitTotals the sum of the cohorts.
	Reasons    []string
	ExitTotals pathways.ExitsCohort
	// CanMeasure: a coordinator runs the measurement on demand.
	CanMeasure bool
	horizons   []int
}

type horizonView struct {
	// Horizon is the horizon's number (pathways.ExitHorizon for those after
	// exit); Months its months, and Suffix picks the wording of a horizon
	// after exit (".exit").
	Horizon int
	Months  int
	Suffix  string
	Report  pathways.Report
	Chart   barChart
	Funnel  funnel
	CSV     string
	Totals  pathways.CohortOutcome
}

// barChart is a vertical bar chart of rates per cohort, with a target line,
// laid out for an SVG viewBox of Width × Height.
type barChart struct {
	Width, Height int
	Bars          []bar
	// Axis ticks (0, 25, 50, 75, 100 %).
	Ticks  []tick
	Target *tick
	// Left, Top, Right, Bottom bound the plot area.
	Left, Top, Right, Bottom int
}

type bar struct {
	X, Y, W, H   float64
	Label, Value string
	LabelX       float64
	ValueY       float64
	Measured     bool
}

type tick struct {
	Y     float64
	Label string
}

// funnel is enrolled → measured → positive → by category, as horizontal
// bars proportional to the enrolled.
type funnel struct {
	Width, Height int
	Steps         []step
}

type step struct {
	Label string
	Count int
	Y, W  float64
	Sub   bool
}

// chartOf lays out the rates of r's cohorts.
func chartOf(r pathways.Report, target float64, measured string) barChart {
	c := barChart{Width: 720, Height: 300, Left: 48, Top: 16, Right: 704, Bottom: 244}
	plotH := float64(c.Bottom - c.Top)
	y := func(pct float64) float64 { return float64(c.Bottom) - pct/100*plotH }
	for _, p := range []float64{0, 25, 50, 75, 100} {
		c.Ticks = append(c.Ticks, tick{Y: y(p), Label: strconv.Itoa(int(p)) + " %"})
	}
	n := len(r.Cohorts)
	if n > 0 {
		slot := float64(c.Right-c.Left) / float64(n)
		w := math.Min(slot*0.6, 90)
		for i, co := range r.Cohorts {
			x := float64(c.Left) + slot*float64(i) + (slot-w)/2
			b := bar{X: x, W: w, Y: y(co.RatePercent), H: float64(c.Bottom) - y(co.RatePercent), Label: co.Cohort,
				LabelX: x + w/2, Measured: co.Measured > 0}
			b.Value = strings.Replace(strconv.FormatFloat(co.RatePercent, 'f', 1, 64), ".", ",", 1) + " %"
			if co.Measured == 0 {
				b.Value = measured
			}
			b.ValueY = b.Y - 6
			c.Bars = append(c.Bars, b)
		}
	}
	if target > 0 {
		c.Target = &tick{Y: y(target), Label: strings.Replace(strconv.FormatFloat(target, 'f', -1, 64), ".", ",", 1) + " %"}
	}
	return c
}

// funnelOf lays out the totals of r over its cohorts.
func funnelOf(total pathways.CohortOutcome, categories []string, label func(string) string) funnel {
	f := funnel{Width: 720}
	max := float64(total.Enrolled)
	if max == 0 {
		max = 1
	}
	add := func(l string, n int, sub bool) {
		f.Steps = append(f.Steps, step{Label: l, Count: n, Y: float64(len(f.Steps)) * 34, W: float64(n) / max * 420, Sub: sub})
	}
	add(label("outcomes.enrolled"), total.Enrolled, false)
	add(label("outcomes.measured"), total.Measured, false)
	add(label("outcomes.positive"), total.Positive, false)
	for _, cat := range categories {
		if cat != pathways.CategoryNone { // the categories of the positive exits
			add(label("category."+cat), total.Breakdown[cat], true)
		}
	}
	f.Height = len(f.Steps)*34 + 4
	return f
}

// totals sums a report's cohorts.
func totals(r pathways.Report) pathways.CohortOutcome {
	t := pathways.CohortOutcome{Breakdown: map[string]int{}}
	for _, c := range r.Cohorts {
		t.Enrolled += c.Enrolled
		t.Excluded += c.Excluded
		t.Measured += c.Measured
		t.Positive += c.Positive
		for k, v := range c.Breakdown {
			t.Breakdown[k] += v
		}
	}
	if t.Measured > 0 {
		t.RatePercent = math.Round(float64(t.Positive)/float64(t.Measured)*1000) / 10
	}
	return t
}

func (c *Console) outcomesQuery(ctx *fiber.Ctx) (pathways.ReportQuery, outcomesView, error) {
	progs, err := c.svc.Beneficiaries.ListProgrammes(ctx.UserContext(), who(ctx))
	if err != nil {
		return pathways.ReportQuery{}, outcomesView{}, err
	}
	ov := outcomesView{RuleSets: pathways.RuleSetNames(), CanMeasure: who(ctx).Role == access.Coordinator}
	var chosen pathways.Programme
	for _, p := range progs {
		ov.Programmes = append(ov.Programmes, p.Name)
		if p.Name == ctx.Query("programme") || chosen.ID == "" {
			chosen = p
		}
	}
	ov.Programme, ov.horizons = chosen.Name, chosen.AllHorizons()
	ov.RuleSet = ctx.Query("regles")
	if _, ok := pathways.RuleSets[ov.RuleSet]; !ok {
		ov.RuleSet = ""
	}
	ov.TargetText = strings.TrimSpace(ctx.Query("objectif"))
	if t, err := strconv.ParseFloat(strings.Replace(ov.TargetText, ",", ".", 1), 64); err == nil && t > 0 && t <= 100 {
		ov.Target = t
	} else if _, given := ctx.Queries()["objectif"]; !given && chosen.TargetRate != nil {
		ov.Target = *chosen.TargetRate
		if ov.Target > 0 {
			ov.TargetText = strconv.FormatFloat(ov.Target, 'f', -1, 64)
		}
	}
	q := url.Values{"programme": {ov.Programme}}
	if ov.RuleSet != "" {
		q.Set("regles", ov.RuleSet)
	}
	ov.Query = q.Encode()
	return pathways.ReportQuery{Programme: ov.Programme, RuleSet: ov.RuleSet}, ov, nil
}

// outcomesPage shows the positive exits of a programme at T+6 and T+12.
func (c *Console) outcomesPage(ctx *fiber.Ctx) error {
	q, ov, err := c.outcomesQuery(ctx)
	if err != nil {
		return err
	}
	lang := c.lang(ctx)
	if ov.Programme != "" {
		for _, h := range ov.horizons {
			q.Horizon = h
			r, err := c.svc.Beneficiaries.PositiveExits(ctx.UserContext(), who(ctx), q)
			if err != nil {
				return err
			}
			if ov.RuleSet == "" {
				ov.RuleSet = r.RuleSet
			}
			t := totals(r)
			months, fromExit := pathways.HorizonMonths(h)
			hv := horizonView{Horizon: h, Months: months, Report: r, Totals: t,
				Chart:  chartOf(r, ov.Target, c.i18n.T(lang, "outcomes.notmeasured")),
				Funnel: funnelOf(t, r.Categories, func(id string) string { return c.i18n.T(lang, id) }),
				CSV:    fmt.Sprintf("/resultats.csv?%s&horizon=%d", ov.Query, months)}
			if fromExit {
				hv.Suffix, hv.CSV = ".exit", hv.CSV+"&depuis=sortie"
			}
			ov.Horizons = append(ov.Horizons, hv)
		}
		if ov.Exits, err = c.svc.Beneficiaries.Exits(ctx.UserContext(), who(ctx), ov.Programme, ""); err != nil {
			return err
		}
		ov.Reasons, ov.ExitTotals = pathways.ExitReasons, exitTotals(ov.Exits)
		ov.ExitsCSV = "/resultats-sorties.csv?" + url.Values{"programme": {ov.Programme}}.Encode()
	}
	return c.render(ctx, fiber.StatusOK, "outcomes", c.page(ctx, "outcomes.title", "outcomes", ov))
}

// outcomesCSV is the report of one horizon as CSV, as the API writes it.
func (c *Console) outcomesCSV(ctx *fiber.Ctx) error {
	q, ov, err := c.outcomesQuery(ctx)
	if err != nil {
		return err
	}
	if ov.Programme == "" {
		return fiber.ErrNotFound
	}
	q.Horizon, _ = strconv.Atoi(ctx.Query("horizon"))
	if ctx.Query("depuis") == "sortie" {
		q.Horizon = pathways.ExitHorizon(q.Horizon)
	}
	if !slices.Contains(ov.horizons, q.Horizon) {
		return fiber.ErrNotFound
	}
	r, err := c.svc.Beneficiaries.PositiveExits(ctx.UserContext(), who(ctx), q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		return err
	}
	months, fromExit := pathways.HorizonMonths(q.Horizon)
	name := fmt.Sprintf("sorties-positives-%s-T%d.csv", safeName(ov.Programme), months)
	if fromExit {
		name = fmt.Sprintf("sorties-positives-%s-sortie-%dmois.csv", safeName(ov.Programme), months)
	}
	ctx.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	ctx.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return ctx.Send(buf.Bytes())
}

// exitTotals sums the exits report's cohorts.
func exitTotals(r pathways.ExitsReport) pathways.ExitsCohort {
	t := pathways.ExitsCohort{ByExitReason: map[string]int{}, ExcludedByReason: map[string]int{}}
	for _, c := range r.Cohorts {
		t.Enrolled += c.Enrolled
		t.Exited += c.Exited
		t.Excluded += c.Excluded
		t.AccessedEmployment += c.AccessedEmployment
		t.AccessedTraining += c.AccessedTraining
		t.AccessedEmploymentOrTraining += c.AccessedEmploymentOrTraining
		for k, v := range c.ByExitReason {
			t.ByExitReason[k] += v
		}
		h, x := &t.HousingAtExit, c.HousingAtExit
		h.Autonomous += x.Autonomous
		h.PrivateLandlord += x.PrivateLandlord
		h.SocialLandlord += x.SocialLandlord
		h.Supported += x.Supported
		h.Other += x.Other
		h.Unknown += x.Unknown
	}
	return t
}

// exitsCSV is the exits report as CSV, as the API writes it.
func (c *Console) exitsCSV(ctx *fiber.Ctx) error {
	_, ov, err := c.outcomesQuery(ctx)
	if err != nil {
		return err
	}
	if ov.Programme == "" {
		return fiber.ErrNotFound
	}
	r, err := c.svc.Beneficiaries.Exits(ctx.UserContext(), who(ctx), ov.Programme, "")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		return err
	}
	ctx.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	ctx.Set(fiber.HeaderContentDisposition, `attachment; filename="sorties-`+safeName(ov.Programme)+`.csv"`)
	return ctx.Send(buf.Bytes())
}

// measureNow runs the programme's measurement on demand (coordinators).
func (c *Console) measureNow(ctx *fiber.Ctx) error {
	programme := ctx.FormValue("programme")
	if _, _, err := c.svc.Beneficiaries.MeasureNow(ctx.UserContext(), who(ctx), programme); err != nil {
		return err
	}
	return ctx.Redirect("/resultats?"+url.Values{"programme": {programme}, "note": {"measured"}}.Encode(), fiber.StatusSeeOther)
}

// safeName keeps the letters and digits of a name for a file name.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteByte('-')
		}
	}
	return b.String()
}
