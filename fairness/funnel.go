package fairness

import "sort"

// Stage is a step of the matching funnel.
type Stage string

// The stages, in order. A positive exit's base is who was measured at
// the horizon; every other stage's base is the stage before it.
const (
	Eligible    Stage = "eligible"
	Suggested   Stage = "suggested"
	Proposed    Stage = "proposed"
	Approved    Stage = "approved"
	Sent        Stage = "sent"
	Accepted    Stage = "accepted"
	PositiveT6  Stage = "positive-t6"
	PositiveT12 Stage = "positive-t12"
)

// Stages lists the stages in order.
var Stages = []Stage{Eligible, Suggested, Proposed, Approved, Sent, Accepted, PositiveT6, PositiveT12}

// measuredAt names, for a positive exit, what its base is.
var measuredAt = map[Stage]Stage{PositiveT6: "measured-t6", PositiveT12: "measured-t12"}

// NotProvided is the group of those whose attribute is not known.
const NotProvided = "not-provided"

// Person is one eligible person as the funnel sees them: their group for
// the attribute and the stages they reached ("measured-t6" and
// "measured-t12" say they were measured at a horizon).
type Person struct {
	Group   string
	Reached map[Stage]bool
}

// Cell is one group at one stage. Count, Rate, Ratio and their intervals
// are nil when the cell is suppressed, or when what it derives from is.
type Cell struct {
	Group         string
	Suppressed    bool
	Count         *int
	Base          *int
	Rate          *float64
	RateInterval  *Interval
	Ratio         *float64
	RatioInterval *Interval
	Alert         bool
	// counts before suppression
	count, base int
}

// Row is one stage: its total over the groups and its cells.
// TotalHidden says the total is suppressed, so that it does not give a
// suppressed cell back.
type Row struct {
	Stage       Stage
	Total       int
	TotalHidden bool
	Cells       []Cell
}

// Funnel is the funnel of one attribute by group.
type Funnel struct {
	// Groups lists the groups, largest first; Reference is the group the
	// ratios compare with.
	Groups    []string
	Reference string
	Rows      []Row
	// Alerts counts the cells in alert.
	Alerts int
}

// Build counts the funnel of people by group. reference names the group
// the ratios compare with; "" picks the largest provided group.
func Build(people []Person, reference string) Funnel {
	size := map[string]int{}
	for _, p := range people {
		size[p.Group]++
	}
	var f Funnel
	for g := range size {
		f.Groups = append(f.Groups, g)
	}
	sort.Slice(f.Groups, func(i, j int) bool {
		a, b := f.Groups[i], f.Groups[j]
		if size[a] != size[b] {
			return size[a] > size[b]
		}
		return a < b
	})
	if _, ok := size[reference]; !ok || reference == "" {
		reference = ""
		for _, g := range f.Groups {
			if g != NotProvided {
				reference = g
				break
			}
		}
	}
	f.Reference = reference
	counts := func(stage Stage) map[string]int {
		out := map[string]int{}
		for _, p := range people {
			if stage == Eligible || p.Reached[stage] {
				out[p.Group]++
			}
		}
		return out
	}
	prev := map[string]int{}
	for _, st := range Stages {
		got := counts(st)
		base := prev
		switch st {
		case Eligible:
			base = got
		case PositiveT6, PositiveT12:
			base = counts(measuredAt[st])
		}
		row := Row{Stage: st}
		for _, g := range f.Groups {
			row.Total += got[g]
			row.Cells = append(row.Cells, Cell{Group: g, count: got[g], base: base[g]})
		}
		f.Rows = append(f.Rows, row)
		if st != PositiveT6 && st != PositiveT12 {
			prev = got
		}
	}
	f.fill()
	return f
}

// fill writes the cells' figures, then suppresses: each cell under
// MinCell; where a row has only one such cell, what would give it back:
// for the eligible, whose total is the programme's size (other reports
// show it), the next smallest cell; for the other stages, the row's
// total, so that a disparity between two large groups stays visible
// beside a small one; and the rate of a cell whose base is suppressed,
// which with its count would give the base back. The total of a row
// under MinCell is hidden too.
func (f *Funnel) fill() {
	ref := -1
	for i, g := range f.Groups {
		if g == f.Reference {
			ref = i
		}
	}
	hidden := make([][]bool, len(f.Rows))
	for r := range f.Rows {
		hidden[r] = make([]bool, len(f.Groups))
		cells := f.Rows[r].Cells
		n := 0
		for i, c := range cells {
			if c.count < MinCell {
				hidden[r][i], n = true, n+1
			}
		}
		f.Rows[r].TotalHidden = f.Rows[r].Total < MinCell
		if n == 1 && f.Rows[r].Stage != Eligible {
			f.Rows[r].TotalHidden = true
		}
		if n == 1 && f.Rows[r].Stage == Eligible {
			// The smallest other cell, the reference group's last: the
			// ratios of every group rest on it.
			next := -1
			for i, c := range cells {
				if hidden[r][i] {
					continue
				}
				better := next < 0 || (i != ref) && (next == ref || c.count < cells[next].count)
				if better {
					next = i
				}
			}
			if next >= 0 {
				hidden[r][next] = true
			}
		}
	}
	baseRow := func(r int) int {
		switch f.Rows[r].Stage {
		case Eligible, PositiveT6, PositiveT12:
			return -1 // the base is the stage itself, or not shown
		}
		return r - 1
	}
	for r := range f.Rows {
		row := &f.Rows[r]
		for i := range row.Cells {
			c := &row.Cells[i]
			if hidden[r][i] {
				c.Suppressed = true
				continue
			}
			count, base := c.count, c.base
			c.Count = &count
			b := baseRow(r)
			if row.Stage == Eligible || b >= 0 && hidden[b][i] || row.Stage != Eligible && base < MinCell {
				continue // no rate: the first stage, or one that would give a hidden base back
			}
			c.Base = &base
			rate := float64(count) / float64(base)
			w := Wilson(count, base)
			c.Rate, c.RateInterval = &rate, &w
			if ref < 0 || i == ref {
				continue
			}
			rc := row.Cells[ref]
			if hidden[r][ref] || rc.base < MinCell || b >= 0 && hidden[b][ref] {
				continue
			}
			ratio, ci, ok := RatioInterval(count, base, rc.count, rc.base)
			if !ok {
				continue
			}
			c.Ratio, c.RatioInterval = &ratio, &ci
			if (ratio < BandLow || ratio > BandHigh) && !ci.Contains(1) {
				c.Alert = true
				f.Alerts++
			}
		}
	}
}

// DeclineRow is one kind of decline reason, by group: counts under
// MinCell are hidden, and the row's total when it would give one back.
type DeclineRow struct {
	Code        string
	Total       int
	TotalHidden bool
	Cells       []Cell
}

// DeclineTable lays out the declines of each kind of reason by group, in
// the groups' order, suppressed as the funnel is.
func DeclineTable(counts map[string]map[string]int, groups []string) []DeclineRow {
	var out []DeclineRow
	for _, code := range []string{"unavailable", "trade", "time", "other"} {
		byGroup, ok := counts[code]
		if !ok {
			continue
		}
		row := DeclineRow{Code: code}
		hidden := 0
		for _, g := range groups {
			n := byGroup[g]
			row.Total += n
			c := Cell{Group: g, count: n}
			if n < MinCell {
				c.Suppressed, hidden = true, hidden+1
			} else {
				v := n
				c.Count = &v
			}
			row.Cells = append(row.Cells, c)
		}
		row.TotalHidden = row.Total < MinCell || hidden == 1
		out = append(out, row)
	}
	return out
}
