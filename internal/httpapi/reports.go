package httpapi

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/pathways"
)

// ReportQuery is what GET /reports/positive-exits accepts.
type ReportQuery struct {
	Programme string `query:"programme"`
	Cohort    string `query:"cohort"`
	Horizon   int    `query:"horizon"`
	RuleSet   string `query:"ruleset"`
}

// positiveExits reports per cohort of a programme how many were enrolled,
// measured and positive at a horizon, under the programme's rule set or
// the one named. JSON, or CSV with Accept: text/csv.
func (s *Server) positiveExits(c *fiber.Ctx) error {
	programme, cohort, horizon, ruleset := c.Query("programme"), c.Query("cohort"), c.Query("horizon"), c.Query("ruleset")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"programme": {programme, "required,max=40"},
		"cohort":    {cohort, "max=60"},
		"horizon":   {horizon, "required,oneof=6 12"},
		"ruleset":   {ruleset, "omitempty,oneof=" + strings.Join(pathways.RuleSetNames(), " ")},
	}); err != nil {
		return err
	}
	h, _ := strconv.Atoi(horizon)
	rs := pathways.RuleSetFor(programme)
	if ruleset != "" {
		rs = pathways.RuleSets[ruleset]
	}
	org := principal(c).OrganisationID
	ctx := c.UserContext()
	var enrolled []pathways.Enrolled
	after := ""
	for {
		list, next, err := s.Measurements.Enrolments(ctx, pathways.EnrolmentFilter{OrganisationID: org, Programme: programme, Cohort: cohort, After: after, Limit: 1000})
		if err != nil {
			return err
		}
		enrolled = append(enrolled, list...)
		if next == "" {
			break
		}
		after = next
	}
	measured, err := s.Measurements.Measurements(ctx, pathways.MeasurementFilter{OrganisationID: org, Programme: programme, Cohort: cohort, Horizon: h})
	if err != nil {
		return err
	}
	r := pathways.BuildReport(programme, h, rs, enrolled, measured, s.now())
	c.Vary(fiber.HeaderAccept)
	if strings.Contains(c.Get(fiber.HeaderAccept), "text/csv") {
		var buf bytes.Buffer
		if err := r.WriteCSV(&buf); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		return c.Send(buf.Bytes())
	}
	return c.JSON(r)
}
