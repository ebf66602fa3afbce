// Package fairness monitors the matching funnel by group: for each stage
// (eligible, suggested, proposed, approved, sent, accepted, positive exit
// at T+6 and T+12) and each group of a monitoring attribute, the count,
// the rate with its Wilson 95 % interval, the ratio to a reference group
// with its 95 % interval, and an alert when the ratio leaves the band
// 0.8–1.25 (the four-fifths rule, Aequitas's band) and its interval
// excludes parity. Small cells are suppressed, with the complementary
// cells that would let them be recomputed.
//
// Monitoring attributes are used for monitoring only: they are stored
// apart from the profile, never an input to matching, never returned to
// anyone but in these aggregates, read by coordinators only.
package fairness

import "math"

// z is the normal quantile of a two-sided 95 % interval.
const z = 1.959963984540054

// Band is the range of ratios to the reference group that raises no alert.
const (
	BandLow  = 0.8
	BandHigh = 1.25
)

// MinCell is the smallest count shown: smaller cells read "< 10".
const MinCell = 10

// Interval is a closed interval.
type Interval struct {
	Low, High float64
}

// Contains reports whether x is in the interval.
func (i Interval) Contains(x float64) bool { return i.Low <= x && x <= i.High }

// Wilson is the Wilson score interval of the proportion x/n at 95 %.
func Wilson(x, n int) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	p, nf := float64(x)/float64(n), float64(n)
	d := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / d
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / d
	return Interval{math.Max(0, centre-half), math.Min(1, centre+half)}
}

// RatioInterval is the 95 % interval of the ratio of the proportions x1/n1
// and x2/n2 by the Katz log method; a count of 0 (or all) is corrected by
// adding 0.5 to every cell (Haldane), so the interval always exists.
func RatioInterval(x1, n1, x2, n2 int) (ratio float64, ci Interval, ok bool) {
	if n1 <= 0 || n2 <= 0 {
		return 0, Interval{}, false
	}
	a, b, c, d := float64(x1), float64(n1), float64(x2), float64(n2)
	if x1 == 0 || x2 == 0 || x1 == n1 || x2 == n2 {
		a, b, c, d = a+0.5, b+1, c+0.5, d+1
	}
	ratio = (a / b) / (c / d)
	se := math.Sqrt(1/a - 1/b + 1/c - 1/d)
	l := math.Log(ratio)
	return (float64(x1) / float64(n1)) / (float64(x2) / float64(n2)), Interval{math.Exp(l - z*se), math.Exp(l + z*se)}, x2 > 0
}
