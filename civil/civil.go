// Package civil holds the calendar date Parcours uses for birth dates, programme
// entries, availability and opportunity dates: a day, with no time of day and
// no zone, written "2006-01-02" everywhere (JSON, BSON, DIMACS comments).
package civil

import (
	"fmt"
	"time"
	_ "time/tzdata" // France is there on any machine
)

// Layout is the one way a Date is written.
const Layout = "2006-01-02"

// Date is a calendar day as "YYYY-MM-DD". The zero value is the empty string,
// meaning "not given". Dates compare correctly as strings.
type Date string

// Parse returns the date written s, or an error naming it.
func Parse(s string) (Date, error) {
	t, err := time.Parse(Layout, s)
	if err != nil {
		return "", fmt.Errorf("parse date %q: %w", s, err)
	}
	return Date(t.Format(Layout)), nil
}

// Of returns the calendar day of t in t's location.
func Of(t time.Time) Date {
	if t.IsZero() {
		return ""
	}
	return Date(t.Format(Layout))
}

// Time returns midnight UTC of the day, or the zero time for an empty or bad date.
func (d Date) Time() time.Time {
	t, err := time.Parse(Layout, string(d))
	if err != nil {
		return time.Time{}
	}
	return t
}

// IsZero reports whether no date is given.
func (d Date) IsZero() bool { return d == "" }

// Valid reports whether d is a real calendar day.
func (d Date) Valid() bool {
	_, err := time.Parse(Layout, string(d))
	return err == nil
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d < e }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d > e }

// AddDate returns d moved by years, months and days, as time.AddDate does.
func (d Date) AddDate(years, months, days int) Date {
	if d == "" {
		return ""
	}
	return Of(d.Time().AddDate(years, months, days))
}

// AddMonths is the same day n months later (or earlier), the last day of
// that month when it is shorter: 31 August + 6 months is 28 February (29 in
// a leap year), where AddDate would overflow into March.
func (d Date) AddMonths(n int) Date {
	if d == "" {
		return ""
	}
	t := d.Time()
	y, m, day := t.Date()
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return Of(first.AddDate(0, 0, min(day, last)-1))
}

// String returns the date as written.
func (d Date) String() string { return string(d) }

var monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// French returns the date as French people write it: "12 mars 2027" (and
// "1er mars 2027"); "" for an empty or bad date.
func (d Date) French() string {
	t := d.Time()
	if t.IsZero() {
		return ""
	}
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, monthsFR[t.Month()-1], t.Year())
}

// English returns the date as "12 March 2027"; "" for an empty or bad date.
func (d Date) English() string {
	t := d.Time()
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

// In returns the date written for people in lang ("fr" or "en").
func (d Date) In(lang string) string {
	if lang == "fr" {
		return d.French()
	}
	return d.English()
}

// France is the time zone of the days Parcours counts (Europe/Paris; the
// zone database is embedded, so it is there on any machine).
var France = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("civil: Europe/Paris: " + err.Error()) // time/tzdata is embedded
	}
	return l
}()

// InFrance is the calendar day of t in France.
func InFrance(t time.Time) Date { return Of(t.In(France)) }

// StartInFrance is the first instant of the day in France, in UTC; the zero
// time for an empty or bad date.
func StartInFrance(d Date) time.Time {
	t, err := time.ParseInLocation(Layout, string(d), France)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
