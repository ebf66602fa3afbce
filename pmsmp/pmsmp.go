// Package pmsmp holds the rules of the PMSMP (période de mise en situation
// en milieu professionnel, Code du travail L5135-1 to -8, D5135-1 to -8):
// one month at most date to date, one renewal with the same objectives, and
// per beneficiary and host at most two conventions in any 12 consecutive
// months, with different objectives and 60 days in all. It is a leaf: it
// imports only the standard library, so the matching engine and the domain
// packages can both hold the rules.
package pmsmp

import (
	"fmt"
	"sort"
	"time"
)

// Objective is the purpose of a PMSMP (Code du travail L5135-2).
type Objective string

// The three PMSMP objectives.
const (
	Discover Objective = "discover" // discover a trade or a sector
	Confirm  Objective = "confirm"  // confirm a professional project
	Recruit  Objective = "recruit"  // start a recruitment
)

// Valid reports whether o is one of the three objectives.
func (o Objective) Valid() bool {
	return o == Discover || o == Confirm || o == Recruit
}

// Convention is one PMSMP convention between a beneficiary and a host.
// Start and End are inclusive calendar dates (the time of day is ignored).
// RenewalOf is the ID of the convention this one renews, or empty.
type Convention struct {
	ID            string    `json:"id"`
	BeneficiaryID string    `json:"beneficiaryId"`
	HostID        string    `json:"hostId"`
	Objective     Objective `json:"objective"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	RenewalOf     string    `json:"renewalOf,omitempty"`
}

// Days is the convention's length in calendar days, both ends included.
func (c Convention) Days() int {
	return int(pmsmpDay(c.End).Sub(pmsmpDay(c.Start)).Hours()/24) + 1
}

// Rule names the rule a convention breaks.
type Rule string

// The PMSMP rules (Code du travail D5135-1 to D5135-8).
const (
	RuleInvalid   Rule = "pmsmp-invalid"   // incomplete convention
	RuleDuration  Rule = "pmsmp-duration"  // over one month, date to date
	RuleRenewal   Rule = "pmsmp-renewal"   // renewed more than once or changed objectives
	RuleCount     Rule = "pmsmp-count"     // over two conventions with the host in 12 months
	RuleObjective Rule = "pmsmp-objective" // same objective twice with the host in 12 months
	RuleDays      Rule = "pmsmp-days"      // over 60 days with the host in 12 months
	RuleOverlap   Rule = "pmsmp-overlap"   // overlaps another convention of the beneficiary
)

// MaxDays is the most days, renewals included, one beneficiary may spend
// with one host in any 12 consecutive months.
const MaxDays = 60

// Violation is one broken rule, with sentences for people in English and
// French. ConflictsWith names the history convention involved, if any.
type Violation struct {
	Rule          Rule   `json:"rule"`
	EN            string `json:"en"`
	FR            string `json:"fr"`
	ConflictsWith string `json:"conflictsWith,omitempty"`
}

// MaxEnd is the last day a convention starting on start may cover: one
// month date to date, so 15 March gives 14 April; when the next month has no
// such date (31 January), its last day.
func MaxEnd(start time.Time) time.Time {
	s := pmsmpDay(start)
	y, m, d := s.Date()
	last := daysIn(y, m+1)
	if d > last {
		return time.Date(y, m+1, last, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, m+1, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
}

// Check checks a proposed convention against the beneficiary's history
// (conventions with any host; those of other beneficiaries are ignored, and
// so is an entry with the proposed convention's ID, so a stored convention can
// be re-checked). It returns nil when every rule holds; otherwise one
// violation per broken rule, in a stable order.
func Check(proposed Convention, history []Convention) []Violation {
	var out []Violation
	p := proposed
	if p.BeneficiaryID == "" || p.HostID == "" || !p.Objective.Valid() || p.Start.IsZero() || p.End.IsZero() {
		return []Violation{{
			Rule: RuleInvalid,
			EN:   "The convention needs a beneficiary, a host, an objective (discover, confirm or recruit) and dates.",
			FR:   "La convention doit indiquer un bénéficiaire, une structure d'accueil, un objectif (découvrir, confirmer ou recruter) et des dates.",
		}}
	}
	start, end := pmsmpDay(p.Start), pmsmpDay(p.End)
	if end.Before(start) {
		return []Violation{{
			Rule: RuleInvalid,
			EN:   "The convention ends before it starts.",
			FR:   "La convention se termine avant de commencer.",
		}}
	}
	if maxEnd := MaxEnd(start); end.After(maxEnd) {
		out = append(out, Violation{
			Rule: RuleDuration,
			EN:   fmt.Sprintf("A PMSMP lasts at most one month: starting on %s, it must end by %s.", dayEN(start), dayEN(maxEnd)),
			FR:   fmt.Sprintf("Une PMSMP dure au plus un mois : commencée le %s, elle doit se terminer au plus tard le %s.", dayFR(start), dayFR(maxEnd)),
		})
	}

	// Only the beneficiary's other conventions matter.
	var mine []Convention
	for _, h := range history {
		if h.BeneficiaryID == p.BeneficiaryID && (h.ID == "" || h.ID != p.ID) {
			mine = append(mine, h)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool { return pmsmpDay(mine[i].Start).Before(pmsmpDay(mine[j].Start)) })

	for _, h := range mine {
		if !pmsmpDay(h.End).Before(start) && !end.Before(pmsmpDay(h.Start)) {
			out = append(out, Violation{
				Rule:          RuleOverlap,
				EN:            fmt.Sprintf("The beneficiary already has a PMSMP from %s to %s.", dayEN(h.Start), dayEN(h.End)),
				FR:            fmt.Sprintf("Le bénéficiaire a déjà une PMSMP du %s au %s.", dayFR(h.Start), dayFR(h.End)),
				ConflictsWith: h.ID,
			})
			break
		}
	}

	byID := make(map[string]Convention, len(mine))
	for _, h := range mine {
		if h.ID != "" {
			byID[h.ID] = h
		}
	}
	if p.RenewalOf != "" {
		if v, ok := checkRenewal(p, byID, mine); !ok {
			out = append(out, v)
		}
	}

	// The 12-month rules concern the same host.
	var host []Convention
	for _, h := range mine {
		if h.HostID == p.HostID {
			host = append(host, h)
		}
	}
	out = append(out, checkYear(p, host)...)
	return out
}

func checkRenewal(p Convention, byID map[string]Convention, mine []Convention) (Violation, bool) {
	orig, ok := byID[p.RenewalOf]
	bad := func(en, fr string) (Violation, bool) {
		return Violation{Rule: RuleRenewal, EN: en, FR: fr, ConflictsWith: p.RenewalOf}, false
	}
	switch {
	case !ok:
		return bad("The convention it renews is not in the beneficiary's history.",
			"La convention renouvelée ne figure pas dans l'historique du bénéficiaire.")
	case orig.HostID != p.HostID:
		return bad("A renewal is with the same host as the convention it renews.",
			"Un renouvellement se fait avec la même structure d'accueil que la convention renouvelée.")
	case orig.RenewalOf != "":
		return bad("A PMSMP is renewable once only: this convention is already a renewal.",
			"Une PMSMP n'est renouvelable qu'une fois : cette convention est déjà un renouvellement.")
	case orig.Objective != p.Objective:
		return bad("A renewal keeps the same objectives as the convention it renews.",
			"Un renouvellement conserve les objectifs de la convention renouvelée.")
	case !pmsmpDay(p.Start).After(pmsmpDay(orig.End)):
		return bad("A renewal starts after the convention it renews has ended.",
			"Un renouvellement commence après la fin de la convention renouvelée.")
	}
	for _, h := range mine {
		if h.RenewalOf == p.RenewalOf {
			return bad("A PMSMP is renewable once only: this convention has already been renewed.",
				"Une PMSMP n'est renouvelable qu'une fois : cette convention a déjà été renouvelée.")
		}
	}
	return Violation{}, true
}

// checkYear applies the rules over any 12 consecutive months with one host:
// at most two conventions (renewals belong to their convention), with
// different objectives, and at most 60 days in total, renewals included.
func checkYear(p Convention, host []Convention) []Violation {
	all := append([]Convention{p}, host...)
	var out []Violation
	// A window that breaks a rule can be taken to start on some convention's
	// start date; only windows holding the proposed convention matter.
	var countDone, objDone, daysDone bool
	for _, w := range all {
		ws := pmsmpDay(w.Start)
		we := ws.AddDate(1, 0, -1)
		if pmsmpDay(p.End).Before(ws) || pmsmpDay(p.Start).After(we) {
			continue
		}
		var initials []int // indexes into all
		days := 0
		for i, c := range all {
			cs, ce := pmsmpDay(c.Start), pmsmpDay(c.End)
			if ce.Before(ws) || cs.After(we) {
				continue
			}
			days += Convention{Start: maxTime(cs, ws), End: minTime(ce, we)}.Days()
			if c.RenewalOf == "" {
				initials = append(initials, i)
			}
		}
		if !countDone && p.RenewalOf == "" && len(initials) > 2 {
			countDone = true
			out = append(out, Violation{
				Rule: RuleCount,
				EN:   "At most two PMSMP conventions with the same host in any 12 consecutive months.",
				FR:   "Au plus deux conventions de PMSMP avec la même structure d'accueil sur 12 mois consécutifs.",
			})
		}
		if !objDone && p.RenewalOf == "" {
			for _, i := range initials {
				if c := all[i]; i > 0 && c.Objective == p.Objective {
					objDone = true
					out = append(out, Violation{
						Rule:          RuleObjective,
						EN:            fmt.Sprintf("Two PMSMP conventions with the same host within 12 months must have different objectives; %q was already the objective of the one starting %s.", string(p.Objective), dayEN(c.Start)),
						FR:            fmt.Sprintf("Deux conventions de PMSMP avec la même structure d'accueil sur 12 mois doivent avoir des objectifs différents ; « %s » était déjà l'objectif de celle commencée le %s.", objectiveFR[p.Objective], dayFR(c.Start)),
						ConflictsWith: c.ID,
					})
					break
				}
			}
		}
		if !daysDone && days > MaxDays {
			daysDone = true
			out = append(out, Violation{
				Rule: RuleDays,
				EN:   fmt.Sprintf("At most %d days of PMSMP with the same host in any 12 consecutive months, renewals included: this one would make %d.", MaxDays, days),
				FR:   fmt.Sprintf("Au plus %d jours de PMSMP avec la même structure d'accueil sur 12 mois consécutifs, renouvellements compris : celle-ci porterait le total à %d.", MaxDays, days),
			})
		}
	}
	return out
}

var objectiveFR = map[Objective]string{
	Discover: "découvrir un métier",
	Confirm:  "confirmer un projet",
	Recruit:  "initier un recrutement",
}

var monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

func dayEN(t time.Time) string { return pmsmpDay(t).Format("2 January 2006") }

func dayFR(t time.Time) string {
	y, m, d := pmsmpDay(t).Date()
	return fmt.Sprintf("%d %s %d", d, monthsFR[m-1], y)
}

// pmsmpDay is t's calendar date as midnight UTC.
func pmsmpDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
