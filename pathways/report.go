package pathways

import (
	"encoding/csv"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CohortOutcome is one cohort's line of a positive-exit report.
type CohortOutcome struct {
	Cohort string
	// Enrolled counts the cohort's enrolments; Measured those measured at
	// the horizon; Positive those the rule set counts.
	Enrolled int
	Measured int
	Positive int
	// Rate is Positive / Measured (0 when none is measured: the API and the
	// CSV leave it empty then); RatePercent is
	// the same in percent, rounded to one decimal.
	Rate        float64
	RatePercent float64
	Breakdown   map[string]int
	// Excluded counts those the rule set leaves out of the denominator
	// (they left for an excluded reason by the horizon date), by reason.
	Excluded         int
	ExcludedByReason map[string]int
}

// Report is a positive-exit report: per cohort of a programme, at one
// horizon, under one named and versioned rule set.
type Report struct {
	ProgrammeID    string
	Programme      string
	Horizon        int
	RuleSet        string
	RuleSetVersion string
	Categories     []string
	Cohorts        []CohortOutcome
	GeneratedAt    time.Time
}

// BuildReport counts enrolled, measured and positive per cohort. Each
// measurement's situations are classified again under rs, so a report under
// another rule set than the programme's own reads the same snapshots. Who
// left for a reason rs excludes, by the horizon date, is counted apart and
// not measured.
func BuildReport(programme string, horizon int, rs RuleSet, enrolled []Enrolled, measured []Measurement, now time.Time) Report {
	r := Report{Programme: programme, Horizon: horizon, RuleSet: rs.Name, RuleSetVersion: rs.Version,
		Categories: rs.Categories(), Cohorts: []CohortOutcome{}, GeneratedAt: now}
	by := map[string]*CohortOutcome{}
	line := func(cohort string) *CohortOutcome {
		c, ok := by[cohort]
		if !ok {
			c = &CohortOutcome{Cohort: cohort, Breakdown: map[string]int{}, ExcludedByReason: map[string]int{}}
			for _, cat := range r.Categories {
				c.Breakdown[cat] = 0
			}
			by[cohort] = c
		}
		return c
	}
	excluded := map[string]bool{}
	for _, e := range enrolled {
		c := line(e.Cohort)
		c.Enrolled++
		if rs.Excludes(e.ExitReason) && e.ExitedOn != "" && e.ExitedOn <= e.HorizonDate(horizon) {
			excluded[e.BeneficiaryID] = true
			c.Excluded++
			c.ExcludedByReason[e.ExitReason]++
		}
	}
	for _, m := range measured {
		if excluded[m.BeneficiaryID] {
			continue
		}
		c := line(m.Cohort)
		c.Measured++
		_, cl, _ := rs.Classify(m.Situations, m.HorizonDate)
		c.Breakdown[cl.Category]++
		if cl.Positive {
			c.Positive++
		}
	}
	for _, c := range by {
		if c.Measured > 0 {
			c.Rate = float64(c.Positive) / float64(c.Measured)
			c.RatePercent = math.Round(c.Rate*1000) / 10
		}
		r.Cohorts = append(r.Cohorts, *c)
	}
	sort.Slice(r.Cohorts, func(i, j int) bool { return r.Cohorts[i].Cohort < r.Cohorts[j].Cohort })
	return r
}

// WriteCSV writes the report as CSV: a header line, then one line per
// cohort with the programme, horizon (months, from entry or exit), rule
// set and version on every line.
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"programme", "cohort", "horizon", "from", "ruleSet", "ruleSetVersion", "enrolled", "excluded", "measured", "positive", "ratePercent"}
	head = append(head, r.Categories...)
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, c := range r.Cohorts {
		months, fromExit := HorizonMonths(r.Horizon)
		from := "entry"
		if fromExit {
			from = "exit"
		}
		row := []string{CSVText(r.Programme), CSVText(c.Cohort), strconv.Itoa(months), from, r.RuleSet, r.RuleSetVersion,
			strconv.Itoa(c.Enrolled), strconv.Itoa(c.Excluded), strconv.Itoa(c.Measured), strconv.Itoa(c.Positive),
			""}
		if c.Measured > 0 {
			row[len(row)-1] = strconv.FormatFloat(c.RatePercent, 'f', 1, 64)
		}
		for _, cat := range r.Categories {
			row = append(row, strconv.Itoa(c.Breakdown[cat]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVText keeps a label typed by a person from being read as a formula by
// a spreadsheet (CSV injection): a leading =, +, -, @, tab or carriage
// return is quoted with an apostrophe.
func CSVText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
