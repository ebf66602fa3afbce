package civil_test

import (
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/civil"
)

// TestAddMonthsClampsAtMonthEnds walks every day of a leap year and of a
// common year, for every shift of 1 to 24 months either way: the result
// is in the target month, on the same day or, when that month is shorter,
// on its last day.
func TestAddMonthsClampsAtMonthEnds(t *testing.T) {
	for _, year := range []int{2024, 2026} {
		for day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() == year; day = day.AddDate(0, 0, 1) {
			d := civil.Of(day)
			for n := -24; n <= 24; n++ {
				got := d.AddMonths(n).Time()
				first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
				if got.Year() != first.Year() || got.Month() != first.Month() {
					t.Fatalf("%s + %d months = %s, not in %s", d, n, civil.Of(got), first.Format("2006-01"))
				}
				lastDay := first.AddDate(0, 1, -1).Day()
				if want := min(day.Day(), lastDay); got.Day() != want {
					t.Fatalf("%s + %d months = %s, want day %d", d, n, civil.Of(got), want)
				}
			}
		}
	}
	for in, want := range map[[2]string]string{
		{"2018-08-31", "6"}:  "2019-02-28",
		{"2019-08-31", "6"}:  "2020-02-29",
		{"2026-03-31", "1"}:  "2026-04-30",
		{"2026-01-15", "12"}: "2027-01-15",
	} {
		n := map[string]int{"1": 1, "6": 6, "12": 12}[in[1]]
		if got := civil.Date(in[0]).AddMonths(n); string(got) != want {
			t.Errorf("%s + %d months = %s, want %s", in[0], n, got, want)
		}
	}
	if civil.Date("").AddMonths(6) != "" {
		t.Error("an empty date moved")
	}
}
