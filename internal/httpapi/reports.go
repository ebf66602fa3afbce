package httpapi

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/pathways"
)

// ReportQuery is what GET /reports/positive-exits accepts.
type ReportQuery struct {
	Programme string `query:"programme"`
	Cohort    string `query:"cohort"`
	Horizon   int    `query:"horizon"`
	// From is entry (the default: T+horizon) or exit (horizon months after the exit).
	From    string `query:"from"`
	RuleSet string `query:"ruleset"`
}

// Report is a positive-exit report: per cohort of a programme, at one
// horizon, under one named and versioned rule set.
type Report struct {
	ProgrammeID string `json:"programmeId"`
	Programme   string `json:"programme"`
	Horizon     int    `json:"horizon"`
	// From says whether the horizon counts from entry or from exit.
	From           string          `json:"from"`
	RuleSet        string          `json:"ruleSet"`
	RuleSetVersion string          `json:"ruleSetVersion"`
	Categories     []string        `json:"categories"`
	Cohorts        []CohortOutcome `json:"cohorts"`
	GeneratedAt    time.Time       `json:"generatedAt"`
}

// CohortOutcome is one cohort's line of a positive-exit report.
type CohortOutcome struct {
	Cohort   string `json:"cohort"`
	Enrolled int    `json:"enrolled"`
	Measured int    `json:"measured"`
	Positive int    `json:"positive"`
	// Rate and RatePercent are null while nobody is measured: no rate is
	// not a rate of 0.
	Rate        *float64       `json:"rate"`
	RatePercent *float64       `json:"ratePercent"`
	Breakdown   map[string]int `json:"breakdown"`
	// Excluded counts those the rule set leaves out of the denominator
	// (they left for an excluded reason by the horizon date), by reason.
	Excluded         int            `json:"excluded"`
	ExcludedByReason map[string]int `json:"excludedByReason"`
}

// from names where a horizon counts from.
func from(exit bool) string {
	if exit {
		return "exit"
	}
	return "entry"
}

func toReport(r pathways.Report) Report {
	months, fromExit := pathways.HorizonMonths(r.Horizon)
	return Report{ProgrammeID: r.ProgrammeID, Programme: r.Programme, Horizon: months, From: from(fromExit), RuleSet: r.RuleSet, RuleSetVersion: r.RuleSetVersion,
		Categories: orEmpty(r.Categories), GeneratedAt: r.GeneratedAt,
		Cohorts: convert(r.Cohorts, func(c pathways.CohortOutcome) CohortOutcome {
			out := CohortOutcome{Cohort: c.Cohort, Enrolled: c.Enrolled, Measured: c.Measured, Positive: c.Positive, Breakdown: c.Breakdown,
				Excluded: c.Excluded, ExcludedByReason: c.ExcludedByReason}
			if c.Measured > 0 {
				rate, percent := c.Rate, c.RatePercent
				out.Rate, out.RatePercent = &rate, &percent
			}
			return out
		})}
}

// positiveExits reports per cohort of a programme how many were enrolled,
// measured and positive at a horizon, under the programme's rule set or
// the one named. JSON, or CSV with Accept: text/csv.
func (s *Server) positiveExits(c *fiber.Ctx) error {
	programme, cohort, horizon, ruleset, fromQ := c.Query("programme"), c.Query("cohort"), c.Query("horizon"), c.Query("ruleset"), c.Query("from")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"programme": {programme, "required,max=40"},
		"cohort":    {cohort, "max=60"},
		"horizon":   {horizon, "required,number,min=1,max=60"},
		"from":      {fromQ, "omitempty,oneof=entry exit"},
		"ruleset":   {ruleset, "omitempty,oneof=" + strings.Join(pathways.RuleSetNames(), " ")},
	}); err != nil {
		return err
	}
	h, _ := strconv.Atoi(horizon)
	if fromQ == "exit" {
		h = pathways.ExitHorizon(h)
	}
	r, err := s.svc.Beneficiaries.PositiveExits(c.UserContext(), principal(c), pathways.ReportQuery{Programme: programme, Cohort: cohort, Horizon: h, RuleSet: ruleset})
	if err != nil {
		return err
	}
	return sendReport(c, toReport(r), r.WriteCSV)
}

// sendReport answers a report as JSON, or as CSV when the client accepts
// text/csv (the response varies on Accept).
func sendReport(c *fiber.Ctx, doc any, writeCSV func(io.Writer) error) error {
	c.Vary(fiber.HeaderAccept)
	if !strings.Contains(c.Get(fiber.HeaderAccept), "text/csv") {
		return c.JSON(doc)
	}
	var buf bytes.Buffer
	if err := writeCSV(&buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	return c.Send(buf.Bytes())
}
