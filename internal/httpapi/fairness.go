package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/fairness"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// MonitoringInput is the body of PUT /beneficiaries/{id}/monitoring: the
// attributes used to monitor the matching's fairness, with the person's
// consent. Empty means not provided. They are never returned.
type MonitoringInput struct {
	// Sex is female, male, other, or empty (not provided).
	Sex string `json:"sex" validate:"max=10"`
	// Nationality is an ISO 3166-1 alpha-2 code; reports show its UN M49 sub-region.
	Nationality string `json:"nationality" validate:"max=2"`
}

func (s *Server) putMonitoring(c *fiber.Ctx) error {
	var in MonitoringInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	r := fairness.Record{Sex: in.Sex, Nationality: strings.ToUpper(in.Nationality)}
	if err := s.svc.Fairness.Record(c.UserContext(), principal(c), c.Params("id"), r); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// FairnessQuery is what GET /reports/fairness accepts.
type FairnessQuery struct {
	Programme string     `query:"programme"`
	From      civil.Date `query:"from"`
	To        civil.Date `query:"to"`
	// Attribute is sex, region, age-band, protection or bpi-family.
	Attribute string `query:"attribute"`
	// Reference is the group ratios compare with (default: the largest).
	Reference string `query:"reference"`
	// Kind keeps the proposals of one kind (job, pmsmp, training, mentor).
	Kind string `query:"kind"`
}

// FairnessReport is the funnel of a programme by the groups of one attribute.
type FairnessReport struct {
	ProgrammeID string         `json:"programmeId"`
	Programme   string         `json:"programme"`
	Attribute   string         `json:"attribute"`
	From        civil.Date     `json:"from"`
	To          civil.Date     `json:"to"`
	Kind        string         `json:"kind,omitempty"`
	Reference   string         `json:"reference"`
	Band        Interval       `json:"band"`
	MinCell     int            `json:"minCell"`
	Groups      []string       `json:"groups"`
	Stages      []FairnessStep `json:"stages"`
	// Declines are the kinds of reason mentors declined for, by group
	// (unavailable, trade, time, other), suppressed as the stages are.
	Declines    []FairnessDeclines `json:"declines"`
	Alerts      int                `json:"alerts"`
	GeneratedAt time.Time          `json:"generatedAt"`
}

// Interval is a closed interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// FairnessStep is one stage of the funnel. Total is null when under
// minCell, or when it would give a suppressed cell back.
type FairnessStep struct {
	Stage string         `json:"stage"`
	Total *int           `json:"total"`
	Cells []FairnessCell `json:"cells"`
}

// FairnessDeclines is one kind of decline reason by group.
type FairnessDeclines struct {
	Code  string         `json:"code"`
	Total *int           `json:"total"`
	Cells []FairnessCell `json:"cells"`
}

// FairnessCell is one group at one stage: null figures are suppressed
// (fewer than minCell people, or what would let such a cell be recomputed).
type FairnessCell struct {
	Group         string    `json:"group"`
	Suppressed    bool      `json:"suppressed"`
	Count         *int      `json:"count"`
	Base          *int      `json:"base"`
	Rate          *float64  `json:"rate"`
	RateInterval  *Interval `json:"rateInterval"`
	Ratio         *float64  `json:"ratio"`
	RatioInterval *Interval `json:"ratioInterval"`
	Alert         bool      `json:"alert"`
}

func interval(i *fairness.Interval) *Interval {
	if i == nil {
		return nil
	}
	return &Interval{Low: i.Low, High: i.High}
}

// ToFairnessReport is the report as the API answers it; the console shows the same.
func ToFairnessReport(r fairness.Report) FairnessReport {
	out := FairnessReport{ProgrammeID: r.ProgrammeID, Programme: r.Programme, Attribute: string(r.Query.Attribute), From: r.Query.From, To: r.Query.To, Kind: string(r.Query.Kind),
		Reference: r.Reference, Band: Interval{fairness.BandLow, fairness.BandHigh}, MinCell: fairness.MinCell, Groups: orEmpty(r.Groups),
		Alerts: r.Alerts, GeneratedAt: r.GeneratedAt}
	for _, row := range r.Rows {
		st := FairnessStep{Stage: string(row.Stage)}
		if !row.TotalHidden {
			total := row.Total
			st.Total = &total
		}
		for _, c := range row.Cells {
			st.Cells = append(st.Cells, FairnessCell{Group: c.Group, Suppressed: c.Suppressed, Count: c.Count, Base: c.Base, Rate: c.Rate,
				RateInterval: interval(c.RateInterval), Ratio: c.Ratio, RatioInterval: interval(c.RatioInterval), Alert: c.Alert})
		}
		st.Cells = orEmpty(st.Cells)
		out.Stages = append(out.Stages, st)
	}
	out.Declines = []FairnessDeclines{}
	for _, d := range r.Declines {
		row := FairnessDeclines{Code: d.Code, Cells: []FairnessCell{}}
		if !d.TotalHidden {
			total := d.Total
			row.Total = &total
		}
		for _, c := range d.Cells {
			row.Cells = append(row.Cells, FairnessCell{Group: c.Group, Suppressed: c.Suppressed, Count: c.Count})
		}
		out.Declines = append(out.Declines, row)
	}
	return out
}

// fairnessReport answers the funnel by group, JSON or CSV (Accept: text/csv).
func (s *Server) fairnessReport(c *fiber.Ctx) error {
	attrs := make([]string, len(fairness.Attributes))
	for i, a := range fairness.Attributes {
		attrs[i] = string(a)
	}
	q := map[string]queryRule{
		"programme": {c.Query("programme"), "required,max=40"},
		"from":      {c.Query("from"), "required,date"},
		"to":        {c.Query("to"), "required,date"},
		"attribute": {c.Query("attribute"), "required,oneof=" + strings.Join(attrs, " ")},
		"reference": {c.Query("reference"), "max=40"},
		"kind":      {c.Query("kind"), "omitempty,oneof=job pmsmp training mentor"},
	}
	if err := s.valid.checkQuery(language(c), q); err != nil {
		return err
	}
	from, to := civil.Date(c.Query("from")), civil.Date(c.Query("to"))
	r, err := s.svc.Fairness.Report(c.UserContext(), principal(c), fairness.Query{Programme: c.Query("programme"), From: from, To: to,
		Attribute: fairness.Attribute(c.Query("attribute")), Reference: c.Query("reference"), Kind: proposals.Kind(c.Query("kind"))})
	if err != nil {
		return err
	}
	out := ToFairnessReport(r)
	return sendReport(c, out, func(w io.Writer) error { return WriteFairnessCSV(w, out) })
}

// WriteFairnessCSV writes one line per stage and group; a suppressed
// count reads "< 10", a figure that is not shown is empty.
func WriteFairnessCSV(out io.Writer, r FairnessReport) error {
	w := csv.NewWriter(out)
	if err := w.Write([]string{"programme", "attribute", "from", "to", "kind", "reference", "stage", "group", "count", "base", "rate", "rateLow", "rateHigh", "ratio", "ratioLow", "ratioHigh", "alert"}); err != nil {
		return err
	}
	f := func(x *float64) string {
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', 4, 64)
	}
	n := func(x *int) string {
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	}
	for _, st := range r.Stages {
		for _, c := range st.Cells {
			count := n(c.Count)
			if c.Suppressed {
				count = "< " + strconv.Itoa(r.MinCell)
			}
			var rl, rh, ql, qh *float64
			if c.RateInterval != nil {
				rl, rh = &c.RateInterval.Low, &c.RateInterval.High
			}
			if c.RatioInterval != nil {
				ql, qh = &c.RatioInterval.Low, &c.RatioInterval.High
			}
			row := []string{pathways.CSVText(r.Programme), r.Attribute, string(r.From), string(r.To), r.Kind, r.Reference, st.Stage, c.Group, count, n(c.Base),
				f(c.Rate), f(rl), f(rh), f(c.Ratio), f(ql), f(qh), strconv.FormatBool(c.Alert)}
			if err := w.Write(row); err != nil {
				return err
			}
		}
	}
	for _, d := range r.Declines {
		for _, c := range d.Cells {
			count := n(c.Count)
			if c.Suppressed {
				count = "< " + strconv.Itoa(r.MinCell)
			}
			row := []string{pathways.CSVText(r.Programme), r.Attribute, string(r.From), string(r.To), r.Kind, r.Reference, "declined:" + d.Code, c.Group, count,
				"", "", "", "", "", "", "", "false"}
			if err := w.Write(row); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}

// Derivation is a proposal's score derived again from the inputs it kept,
// beside what was stored, and what today's records give.
type Derivation struct {
	ProposalID string `json:"proposalId"`
	// Derivable is false for a proposal that kept no inputs.
	Derivable bool `json:"derivable"`
	// Equal says the recomputed evaluation is the stored one, component by component.
	Equal      bool            `json:"equal"`
	Stored     json.RawMessage `json:"stored"`
	Recomputed json.RawMessage `json:"recomputed,omitempty"`
	// Differences are the components the recomputation changes, explained by Reason.
	Differences []ComponentDifference `json:"differences"`
	// Current is the pair evaluated on today's records; Changed what
	// differs from the stored evaluation because the data changed since.
	Current json.RawMessage       `json:"current,omitempty"`
	Changed []ComponentDifference `json:"changed"`
	Reason  *LocalText            `json:"reason,omitempty"`
}

// ComponentDifference is a score component whose values differ.
type ComponentDifference struct {
	Name       string             `json:"name"`
	Stored     *ComponentSnapshot `json:"stored"`
	Recomputed *ComponentSnapshot `json:"recomputed"`
}

// ComponentSnapshot is a component's value, weight and contribution.
type ComponentSnapshot struct {
	Value        float64 `json:"value"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
	Code         string  `json:"code,omitempty"`
	Measure      float64 `json:"measure,omitempty"`
}

// LocalText is a sentence in French and English.
type LocalText struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

func differences(list []proposals.Change) []ComponentDifference {
	snap := func(v *proposals.ComponentValues) *ComponentSnapshot {
		if v == nil {
			return nil
		}
		return &ComponentSnapshot{Value: v.Value, Weight: v.Weight, Contribution: v.Contribution, Code: v.Code, Measure: v.Measure}
	}
	out := []ComponentDifference{}
	for _, d := range list {
		out = append(out, ComponentDifference{Name: d.Name, Stored: snap(d.Stored), Recomputed: snap(d.Recomputed)})
	}
	return out
}

func (s *Server) derivation(c *fiber.Ctx) error {
	d, err := s.svc.Proposals.Derivation(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	out := Derivation{ProposalID: d.ProposalID, Derivable: d.Derivable, Equal: d.Equal, Stored: proposals.JSON(&d.Stored), Recomputed: proposals.JSON(d.Recomputed),
		Differences: differences(proposals.Changes(d.Differences)), Current: proposals.JSON(d.Current), Changed: differences(proposals.Changes(d.Changed))}
	if d.Reason.EN != "" {
		out.Reason = &LocalText{FR: d.Reason.FR, EN: d.Reason.EN}
	}
	return c.JSON(out)
}
