package pathways

import (
	"context"
	"fmt"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
)

// Horizons are the months after programme entry at which outcomes are measured.
var Horizons = []int{6, 12}

// Enrolled is a beneficiary's enrolment as outcome measurement sees it: no
// personal data, so it survives erasure.
type Enrolled struct {
	BeneficiaryID  string
	OrganisationID string
	ProgrammeID    string
	Programme      string
	Cohort         string
	EntryDate      civil.Date
	// ExitedOn and ExitReason are the programme exit, when recorded.
	ExitedOn   civil.Date
	ExitReason string
}

// ExitHorizonBase numbers the horizons counted from the exit: horizon
// ExitHorizonBase+m is m months after the exit (AGIR's follow-ups at 3
// and 6 months), any smaller horizon months after entry. One number per
// horizon keeps each measurement's key (beneficiary, horizon, version).
const ExitHorizonBase = 1000

// ExitHorizon is the horizon m months after the exit.
func ExitHorizon(m int) int { return ExitHorizonBase + m }

// HorizonMonths splits a horizon into its months and whether they count
// from the exit.
func HorizonMonths(h int) (months int, fromExit bool) {
	if h >= ExitHorizonBase {
		return h - ExitHorizonBase, true
	}
	return h, false
}

// HorizonDate is the day of a horizon: T+months after programme entry, or
// months after the exit ("" while the person has not left), clamped at
// month ends: an entry on 31 August has its T+6 on the last day of
// February.
func (e Enrolled) HorizonDate(horizon int) civil.Date {
	m, fromExit := HorizonMonths(horizon)
	if fromExit {
		if !e.ExitedOn.Valid() {
			return ""
		}
		return e.ExitedOn.AddMonths(m)
	}
	return e.EntryDate.AddMonths(m)
}

// Due reports whether the horizon date has passed on day today: a horizon
// is measured the day after it, once the situations of that day are known.
func (e Enrolled) Due(months int, today civil.Date) bool {
	h := e.HorizonDate(months)
	return h != "" && h < today
}

// Measurement is an immutable snapshot of one enrolment's outcome at one
// horizon: who was in which cohort, the situations under way on the horizon
// date, the one that decided and how the rule set classified it. Late data
// never rewrites a measurement: it adds the next Version.
type Measurement struct {
	ID             string
	OrganisationID string
	BeneficiaryID  string
	Programme      string
	Cohort         string
	EntryDate      civil.Date
	Horizon        int
	HorizonDate    civil.Date
	Version        int
	RuleSet        string
	RuleSetVersion string
	// Situations are the situations covering the horizon date, as they were
	// known when measured; Decisive is the id of the one that decided.
	Situations []Situation
	Decisive   string
	Category   string
	Positive   bool
	MeasuredAt time.Time
}

// MeasurementID is the id of version v of an enrolment's measurement at a
// horizon: one id per (beneficiary, horizon, version), so two schedulers
// measuring at once cannot both insert the same version.
func MeasurementID(beneficiaryID string, horizon, version int) string {
	return fmt.Sprintf("%s:t%d:v%d", beneficiaryID, horizon, version)
}

// Measure classifies an enrolment at a horizon from its situations under rs.
// The result has Version 0; Record numbers it.
func Measure(e Enrolled, situations []Situation, horizon int, rs RuleSet, now time.Time) Measurement {
	d := e.HorizonDate(horizon)
	m := Measurement{
		OrganisationID: e.OrganisationID, BeneficiaryID: e.BeneficiaryID, Programme: e.Programme,
		Cohort: e.Cohort, EntryDate: e.EntryDate, Horizon: horizon, HorizonDate: d,
		RuleSet: rs.Name, RuleSetVersion: rs.Version, Situations: []Situation{}, MeasuredAt: now,
	}
	for _, s := range Counted(situations) {
		if s.Covers(d) {
			m.Situations = append(m.Situations, s)
		}
	}
	chosen, c, ok := rs.Classify(m.Situations, d)
	if ok {
		m.Decisive = chosen.ID
	}
	m.Category, m.Positive = c.Category, c.Positive
	return m
}

// Same reports whether m and n say the same thing: same cohort, rule set
// version, situations on the horizon date (as corrected: a situation ended
// or corrected since is not the same) and verdict. A new version is
// recorded only when they differ.
func (m Measurement) Same(n Measurement) bool {
	if m.Programme != n.Programme || m.Cohort != n.Cohort || m.EntryDate != n.EntryDate || m.HorizonDate != n.HorizonDate ||
		m.RuleSet != n.RuleSet || m.RuleSetVersion != n.RuleSetVersion ||
		m.Decisive != n.Decisive || m.Category != n.Category || m.Positive != n.Positive ||
		len(m.Situations) != len(n.Situations) {
		return false
	}
	facts := map[string]bool{}
	for _, s := range m.Situations {
		facts[s.Fact()] = true
	}
	for _, s := range n.Situations {
		if !facts[s.Fact()] {
			return false
		}
	}
	return true
}

// MeasurementFilter selects measurements of one organisation.
type MeasurementFilter struct {
	OrganisationID string
	Programme      string
	Cohort         string // empty: every cohort
	Horizon        int
}

// EnrolmentFilter selects enrolments. Empty fields do not filter.
type EnrolmentFilter struct {
	OrganisationID string
	// ProgrammeID, when set, filters instead of the Programme name.
	ProgrammeID string
	Programme   string
	Cohort      string
	// EnteredBefore keeps enrolments whose entry date is strictly before it.
	EnteredBefore civil.Date
	After         string
	Limit         int
}

// MeasurementStore keeps measurements; it never updates one.
type MeasurementStore interface {
	// LatestMeasurement returns the highest version measured for the
	// enrolment at the horizon, or apperr.NotFound.
	LatestMeasurement(ctx context.Context, beneficiaryID string, horizon int) (Measurement, error)
	// InsertMeasurement inserts m; apperr.Conflict if that version exists.
	InsertMeasurement(ctx context.Context, m Measurement) error
	// Measurements returns the latest version of every matching
	// measurement, by cohort then beneficiary.
	Measurements(ctx context.Context, f MeasurementFilter) ([]Measurement, error)
	// MeasurementHistory returns every version for an enrolment and horizon, oldest first.
	MeasurementHistory(ctx context.Context, beneficiaryID string, horizon int) ([]Measurement, error)
	// Enrolments returns a page of enrolments, erased beneficiaries
	// included (their enrolment stays for anonymous statistics), in id
	// order, and the position of the next page ("" at the end).
	Enrolments(ctx context.Context, f EnrolmentFilter) ([]Enrolled, string, error)
	// AllSituations returns the situations of a beneficiary whatever its organisation.
	AllSituations(ctx context.Context, beneficiaryID string) ([]Situation, error)
	// SituationsOf returns the situations of several beneficiaries, by
	// beneficiary id, each list by start date then id.
	SituationsOf(ctx context.Context, org string, beneficiaryIDs []string) (map[string][]Situation, error)
	// LatestMeasurementsOf returns the latest version of every measurement
	// of several beneficiaries, by beneficiary id then horizon.
	LatestMeasurementsOf(ctx context.Context, beneficiaryIDs []string) (map[string]map[int]Measurement, error)
	// Programmes lists org's programmes ("" for every organisation's).
	Programmes(ctx context.Context, org string) ([]Programme, error)
}

// Record stores m as the next version unless the latest version says the
// same. It reports whether it inserted. Two callers racing on the same
// enrolment insert at most one version: the second insert of a version is a
// conflict, after which Record compares again with what the winner wrote.
func Record(ctx context.Context, st MeasurementStore, m Measurement) (bool, error) {
	for attempt := 0; attempt < 3; attempt++ {
		latest, err := st.LatestMeasurement(ctx, m.BeneficiaryID, m.Horizon)
		switch {
		case apperr.Is(err, apperr.NotFound):
			m.Version = 1
		case err != nil:
			return false, err
		case latest.Same(m):
			return false, nil
		default:
			m.Version = latest.Version + 1
		}
		m.ID = MeasurementID(m.BeneficiaryID, m.Horizon, m.Version)
		err = st.InsertMeasurement(ctx, m)
		if err == nil {
			return true, nil
		}
		if !apperr.Is(err, apperr.Conflict) {
			return false, err
		}
	}
	return false, apperr.Conflictf("The measurement of %s at T+%d kept changing while recorded.", m.BeneficiaryID, m.Horizon).
		FR("La mesure de %s à T+%d changeait pendant l'enregistrement.", m.BeneficiaryID, m.Horizon)
}

// MeasureDue measures, on day today, every enrolment of the store whose
// horizon has passed, under its programme's rule set, and records what is
// new. It returns how many measurements it inserted.
func MeasureDue(ctx context.Context, st MeasurementStore, now time.Time) (int, error) {
	return MeasureDueOn(ctx, st, civil.Of(now.UTC()), now)
}

// MeasureDueOn is MeasureDue for the day today, measured at the instant now
// (a task may carry the day it measures for).
func MeasureDueOn(ctx context.Context, st MeasurementStore, today civil.Date, now time.Time) (int, error) {
	return MeasureScope{}.Run(ctx, st, today, now)
}

// MeasureScope limits a measurement run to an organisation and one of its
// programmes (empty fields do not limit).
type MeasureScope struct {
	OrganisationID string
	ProgrammeID    string
}

// Run measures, on day today, every enrolment of the scope whose horizon
// has passed, under its programme's rule set and at its programme's
// horizons, and records what is new: run twice, or beside the nightly run,
// it records nothing more. It returns how many measurements it inserted.
func (sc MeasureScope) Run(ctx context.Context, st MeasurementStore, today civil.Date, now time.Time) (int, error) {
	progs, err := st.Programmes(ctx, sc.OrganisationID)
	if err != nil {
		return 0, err
	}
	byID := make(map[string]Programme, len(progs))
	earliest := Horizons[0]
	for _, p := range progs {
		byID[p.ID] = p
		for _, h := range append(append([]int(nil), p.Horizons...), p.ExitHorizons...) {
			earliest = min(earliest, h)
		}
	}
	inserted := 0
	after := ""
	for {
		// Only enrolments that entered about the earliest horizon before
		// today can be due (a few days more, for the ends of months; Due
		// decides).
		list, next, err := st.Enrolments(ctx, EnrolmentFilter{OrganisationID: sc.OrganisationID, ProgrammeID: sc.ProgrammeID,
			EnteredBefore: today.AddDate(0, -earliest, 3), After: after, Limit: 200})
		if err != nil {
			return inserted, err
		}
		n, err := measurePage(ctx, st, byID, list, today, now)
		inserted += n
		if err != nil {
			return inserted, err
		}
		if next == "" {
			return inserted, nil
		}
		after = next
	}
}

// programmeOf is the programme of an enrolment: its record, or for an
// enrolment without one the defaults its name picks.
func programmeOf(byID map[string]Programme, e Enrolled) Programme {
	if p, ok := byID[e.ProgrammeID]; ok {
		return p
	}
	return ProgrammeDefaults(Programme{Name: e.Programme})
}

// measurePage measures one page of enrolments with two reads for the whole
// page (their situations and their latest measurements), then one insert
// per measurement that says something new.
func measurePage(ctx context.Context, st MeasurementStore, byID map[string]Programme, list []Enrolled, today civil.Date, now time.Time) (int, error) {
	var due []Enrolled
	var ids []string
	for _, e := range list {
		if !e.EntryDate.Valid() {
			continue
		}
		for _, h := range programmeOf(byID, e).AllHorizons() {
			if e.Due(h, today) {
				due = append(due, e)
				ids = append(ids, e.BeneficiaryID)
				break
			}
		}
	}
	if len(due) == 0 {
		return 0, nil
	}
	sits, err := st.SituationsOf(ctx, "", ids)
	if err != nil {
		return 0, err
	}
	latest, err := st.LatestMeasurementsOf(ctx, ids)
	if err != nil {
		return 0, err
	}
	inserted := 0
	for _, e := range due {
		p := programmeOf(byID, e)
		for _, h := range p.AllHorizons() {
			if !e.Due(h, today) {
				continue
			}
			m := Measure(e, sits[e.BeneficiaryID], h, p.Rules(), now)
			prev, seen := latest[e.BeneficiaryID][h]
			if seen && prev.Same(m) {
				continue
			}
			m.Version = prev.Version + 1 // 1 when none was seen
			m.ID = MeasurementID(m.BeneficiaryID, h, m.Version)
			err := st.InsertMeasurement(ctx, m)
			ok := err == nil
			if apperr.Is(err, apperr.Conflict) {
				// Another run inserted meanwhile: compare with what it wrote.
				ok, err = Record(ctx, st, m)
			}
			if err != nil {
				return inserted, fmt.Errorf("measure %s at T+%d: %w", e.BeneficiaryID, h, err)
			}
			if ok {
				inserted++
			}
		}
	}
	return inserted, nil
}
