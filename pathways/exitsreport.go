package pathways

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/parcours-emploi/parcours/civil"
)

// EmploymentKinds are the situations that count as access to employment:
// any contract, of any length (an alternance is a work contract).
var EmploymentKinds = []SituationKind{SituationCDI, SituationCDD, SituationInterim, SituationSubsidised, SituationBusinessCreation,
	SituationPublicSector, SituationInsertionHire, SituationAlternance}

// TrainingKinds are the situations that count as access to training:
// qualifying or pre-qualifying; FLE and the language courses of the
// integration contract do not.
var TrainingKinds = []SituationKind{SituationQualifyingTraining, SituationPreQualifyingTraining}

// HousingAtExit counts where the people who left lived on the day they
// left: autonomous (social or private landlord, each also counted apart),
// supported (intermediation, CPH, CHRS), other, or unknown (no housing
// recorded on that day).
type HousingAtExit struct {
	Autonomous      int
	PrivateLandlord int
	SocialLandlord  int
	Supported       int
	Other           int
	Unknown         int
}

// ExitsCohort is one cohort's line of the exits report.
type ExitsCohort struct {
	Cohort   string
	Enrolled int
	// Exited counts those who left; ByExitReason the same by reason.
	Exited       int
	ByExitReason map[string]int
	// Excluded counts those who left for a reason the rule set leaves out
	// of the denominator; what follows counts the others.
	Excluded         int
	ExcludedByReason map[string]int
	// AccessedEmployment counts those who held any employment situation
	// between entry and exit; AccessedTraining the same for qualifying or
	// pre-qualifying training; AccessedEmploymentOrTraining either.
	AccessedEmployment           int
	AccessedTraining             int
	AccessedEmploymentOrTraining int
	HousingAtExit                HousingAtExit
}

// ExitsReport is the exits report of a programme: per cohort, who left,
// why, what they accessed during the programme and where they lived when
// they left, computed from the situations as they are now.
type ExitsReport struct {
	ProgrammeID    string
	Programme      string
	RuleSet        string
	RuleSetVersion string
	Cohorts        []ExitsCohort
	GeneratedAt    time.Time
}

// held reports whether one of the situations, of one of the kinds, was
// under way on a day between from and to (both inclusive).
func held(situations []Situation, kinds []SituationKind, from, to string) bool {
	for _, s := range situations {
		if !containsKind(kinds, s.Kind) || string(s.Start) > to {
			continue
		}
		if end := s.EffectiveEnd(); end == "" || string(end) >= from {
			return true
		}
	}
	return false
}

func containsKind(list []SituationKind, k SituationKind) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

// BuildExits builds the exits report from the enrolments and every
// situation of theirs (voided ones are left out here).
func BuildExits(p Programme, enrolled []Enrolled, situations map[string][]Situation, now time.Time) ExitsReport {
	rs := p.Rules()
	r := ExitsReport{ProgrammeID: p.ID, Programme: p.Name, RuleSet: rs.Name, RuleSetVersion: rs.Version, Cohorts: []ExitsCohort{}, GeneratedAt: now}
	by := map[string]*ExitsCohort{}
	for _, e := range enrolled {
		c, ok := by[e.Cohort]
		if !ok {
			c = &ExitsCohort{Cohort: e.Cohort, ByExitReason: map[string]int{}, ExcludedByReason: map[string]int{}}
			by[e.Cohort] = c
		}
		c.Enrolled++
		sits := Counted(situations[e.BeneficiaryID])
		exit, ok := ExitOf(sits)
		if !ok {
			continue
		}
		c.Exited++
		c.ByExitReason[exit.ExitReason]++
		if rs.Excludes(exit.ExitReason) {
			c.Excluded++
			c.ExcludedByReason[exit.ExitReason]++
			continue
		}
		from, to := string(e.EntryDate), string(exit.Start)
		job, training := held(sits, EmploymentKinds, from, to), held(sits, TrainingKinds, from, to)
		if job {
			c.AccessedEmployment++
		}
		if training {
			c.AccessedTraining++
		}
		if job || training {
			c.AccessedEmploymentOrTraining++
		}
		h := &c.HousingAtExit
		home, _ := housingOn(sits, exit.Start)
		switch {
		case home.Tenure == "":
			h.Unknown++
		case HousingGroup(home.Tenure) == HousingAutonomous:
			h.Autonomous++
			if home.Tenure == TenurePrivateLandlord {
				h.PrivateLandlord++
			} else {
				h.SocialLandlord++
			}
		case HousingGroup(home.Tenure) == HousingSupported:
			h.Supported++
		default:
			h.Other++
		}
	}
	for _, c := range by {
		r.Cohorts = append(r.Cohorts, *c)
	}
	sort.Slice(r.Cohorts, func(i, j int) bool { return r.Cohorts[i].Cohort < r.Cohorts[j].Cohort })
	return r
}

// housingOn is the housing covering day d: the one that started last when
// several do.
func housingOn(situations []Situation, d civil.Date) (Situation, bool) {
	var best Situation
	ok := false
	for _, s := range situations {
		if s.Kind == SituationHousing && s.Covers(d) && (!ok || s.Start > best.Start || s.Start == best.Start && s.ID > best.ID) {
			best, ok = s, true
		}
	}
	return best, ok
}

// WriteCSV writes the report as CSV: one line per cohort, every count in
// its column, the exit reasons in the order of ExitReasons.
func (r ExitsReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"programme", "cohort", "ruleSet", "ruleSetVersion", "enrolled", "exited"}
	for _, reason := range ExitReasons {
		head = append(head, "exit:"+reason)
	}
	head = append(head, "excluded", "accessedEmployment", "accessedTraining", "accessedEmploymentOrTraining",
		"housing:autonomous", "housing:privateLandlord", "housing:socialLandlord", "housing:supported", "housing:other", "housing:unknown")
	if err := cw.Write(head); err != nil {
		return err
	}
	n := strconv.Itoa
	for _, c := range r.Cohorts {
		row := []string{CSVText(r.Programme), CSVText(c.Cohort), r.RuleSet, r.RuleSetVersion, n(c.Enrolled), n(c.Exited)}
		for _, reason := range ExitReasons {
			row = append(row, n(c.ByExitReason[reason]))
		}
		h := c.HousingAtExit
		row = append(row, n(c.Excluded), n(c.AccessedEmployment), n(c.AccessedTraining), n(c.AccessedEmploymentOrTraining),
			n(h.Autonomous), n(h.PrivateLandlord), n(h.SocialLandlord), n(h.Supported), n(h.Other), n(h.Unknown))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
