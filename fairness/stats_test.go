package fairness_test

import (
	"math"
	"testing"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/fairness"
)

func near(a, b float64) bool { return math.Abs(a-b) < 5e-4 }

// TestWilsonAndRatioIntervals: values checked against published tables
// (Newcombe 1998, Table I for Wilson; Altman's risk ratio example).
func TestWilsonAndRatioIntervals(t *testing.T) {
	for _, c := range []struct {
		x, n      int
		low, high float64
	}{
		{81, 263, 0.2553, 0.3662}, // Newcombe's example 1
		{15, 148, 0.0624, 0.1605}, // example 2
		{0, 20, 0, 0.1611},        // example 3
		{1, 29, 0.0061, 0.1718},   // example 4
	} {
		got := fairness.Wilson(c.x, c.n)
		if !near(got.Low, c.low) || !near(got.High, c.high) {
			t.Errorf("Wilson(%d, %d) = %.4f–%.4f, want %.4f–%.4f", c.x, c.n, got.Low, got.High, c.low, c.high)
		}
	}
	// 60 of 100 against 80 of 100: ratio 0.75, Katz 95 % interval 0.622–0.905.
	r, ci, ok := fairness.RatioInterval(60, 100, 80, 100)
	if !ok || !near(r, 0.75) || !near(ci.Low, 0.6217) || !near(ci.High, 0.9048) {
		t.Errorf("ratio %.4f (%.4f–%.4f) %v, want 0.75 (0.6217–0.9048)", r, ci.Low, ci.High, ok)
	}
	if _, ci, _ := fairness.RatioInterval(80, 100, 80, 100); !ci.Contains(1) {
		t.Errorf("equal rates: the interval %v excludes parity", ci)
	}
}

func TestAttributesGroupPeople(t *testing.T) {
	for c, want := range map[string]string{"AF": "southern-asia", "sy": "western-asia", "ER": "eastern-africa", "SD": "northern-africa", "UA": "eastern-europe", "CD": "middle-africa", "": fairness.NotProvided, "XX": fairness.NotProvided, "Syria": fairness.NotProvided} {
		if got := fairness.RegionOf(c); got != want {
			t.Errorf("RegionOf(%q) = %s, want %s", c, got, want)
		}
	}
	for _, c := range []struct {
		birth, on civil.Date
		want      string
	}{
		{"2000-12-02", "2026-12-01", "under-26"}, {"2000-12-02", "2026-12-02", "26-35"}, {"1991-02-28", "2026-12-02", "26-35"},
		{"1990-12-01", "2026-12-02", "36-45"}, {"1970-06-15", "2026-06-14", "46-55"}, {"1970-06-15", "2026-06-15", "56-plus"}, {"", "2026-12-02", fairness.NotProvided},
	} {
		if got := fairness.AgeBandOf(c.birth, c.on); got != c.want {
			t.Errorf("AgeBandOf(%s, %s) = %s, want %s", c.birth, c.on, got, c.want)
		}
	}
}

func TestCountriesAreNamedAndSorted(t *testing.T) {
	fr := fairness.Countries("fr")
	if len(fr) < 240 {
		t.Fatalf("%d countries", len(fr))
	}
	names := map[string]string{}
	for _, c := range fr {
		names[c.Code] = c.Name
	}
	if names["AF"] != "Afghanistan" || names["ER"] != "Érythrée" || names["SY"] != "Syrie" {
		t.Errorf("French names: AF %q, ER %q, SY %q", names["AF"], names["ER"], names["SY"])
	}
	if fr[0].Code != "AF" {
		t.Errorf("first in French order: %v", fr[0])
	}
}
