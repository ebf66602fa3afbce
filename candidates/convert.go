package candidates

import (
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/pmsmp"
)

// NewEngine returns the engine with the built-in ROME taxonomy and the
// default weights.
func NewEngine() *matching.Engine {
	e, err := matching.NewEngine(matching.DefaultTaxonomy(), matching.DefaultWeights())
	if err != nil {
		panic("candidates: default engine: " + err.Error()) // the defaults are valid by construction
	}
	return e
}

// ProgrammeHoursTolerance is, by programme name in lower case, how many
// more hours a week than a person can do (a fraction) an opening may ask
// and stay a candidate with a penalty; a programme not listed has the
// engine's default, matching.DefaultHoursTolerance (10 %).
var ProgrammeHoursTolerance = map[string]float64{}

// SeekerExtras are facts about a beneficiary kept outside the record.
type SeekerExtras struct {
	PMSMPHistory []pmsmp.Convention
	// Declines maps an opening (opportunity or mentor) id to the end of the
	// cooldown a decline of that pair set.
	Declines map[string]time.Time
	// Taken holds the openings the beneficiary accepted.
	Taken map[string]bool
	// RuleSet is the rule set the beneficiary's programme counts exits by
	// (zero: the one its programme's name picks).
	RuleSet pathways.RuleSet
}

// Seeker converts a beneficiary.
func Seeker(b pathways.Beneficiary, x SeekerExtras) matching.Seeker {
	s := matching.Seeker{
		ID:              b.ID,
		Project:         b.Project.TargetROME,
		French:          french(b.French.OralComprehension, b.French.WrittenComprehension, b.French.OralProduction, b.French.WrittenProduction),
		Place:           matching.Place{Department: b.Department, Postcode: b.Address.Postcode},
		MaxKm:           float64(b.Mobility.MaxKm),
		Vehicle:         b.Mobility.Vehicle,
		PublicTransport: b.Mobility.PublicTransport,
		AvailableFrom:   b.Availability.From.Time(),
		HoursPerWeek:    b.Availability.HoursPerWeek,
		HoursTolerance:  ProgrammeHoursTolerance[strings.ToLower(strings.TrimSpace(b.Enrolment.Programme))],
		Days:            weekdays(b.Availability.Days),
		Languages:       b.Languages,
		Interests:       b.Interests,
		PMSMPHistory:    x.PMSMPHistory,
		Declines:        x.Declines,
		Taken:           x.Taken,
	}
	rs := x.RuleSet
	if rs.Name == "" {
		rs = pathways.RuleSetFor(b.Enrolment.Programme)
	}
	s.OutcomeValues = OutcomeValues(rs)
	s.Place = place(s.Place, b.Address.Location, b.Address.City)
	for _, j := range b.PastJobs {
		if j.ROME != "" {
			s.PastJobs = append(s.PastJobs, j.ROME)
		}
	}
	for _, sk := range b.Skills {
		if sk.Label != "" {
			s.Skills = append(s.Skills, sk.Label)
		}
		if sk.ROME != "" {
			s.Skills = append(s.Skills, sk.ROME)
		}
	}
	for _, d := range b.Diplomas {
		s.Diplomas = append(s.Diplomas, matching.Diploma{Level: d.Level, Field: romePrefix(d.Field), Recognition: matching.Recognition(d.Recognition)})
	}
	// Only a French licence is valid in France for an employer; the rest
	// of the situation lets the engine word the gap, and count an
	// exchange in progress from its expected day.
	d := b.Mobility.DrivingLicence
	if d.Status == pathways.LicenceFrench {
		s.Licences = append(s.Licences, d.Categories...)
	}
	if d.Status != "" {
		s.DrivingLicence = matching.DrivingLicence{Status: d.Status, Categories: d.Categories, Expected: d.ExchangeExpected.Time()}
	}
	return s
}

// Opening converts an opportunity; taken is how many of its positions
// proposals hold already (open or accepted), so Capacity is what is left.
func Opening(o jobs.Opportunity, taken int) matching.Opening {
	op := matching.Opening{
		ID:           o.ID,
		Kind:         matching.Kind(o.Kind),
		Skills:       o.Skills,
		French:       french(o.French.OralComprehension, o.French.WrittenComprehension, o.French.OralProduction, o.French.WrittenProduction),
		Licences:     o.Licences,
		Place:        matching.Place{Department: o.Place.Department, Postcode: o.Place.Postcode},
		Start:        o.Start.Time(),
		End:          o.End.Time(),
		HoursPerWeek: o.HoursPerWeek,
		Days:         weekdays(o.Days),
		Capacity:     max(o.Positions-taken, 0),
	}
	if o.Status != jobs.StatusOpen {
		op.Capacity = 0
	}
	if o.ROME != "" {
		op.ROME = []string{o.ROME}
	}
	op.Place = place(op.Place, o.Place.Location, o.Place.City)
	// The strictest diploma requirement stands for all of them.
	for _, d := range o.Diplomas {
		if d.MinLevel > op.Diploma.MinLevel {
			op.Diploma.MinLevel = d.MinLevel
			op.Diploma.Field = romePrefix(d.Field)
		}
		op.Diploma.Recognised = op.Diploma.Recognised || d.Recognised
	}
	if o.PMSMP != nil {
		op.HostID, op.Objective = o.PMSMP.HostID, o.PMSMP.Objective
	}
	op.Outcome = OutcomeOf(o)
	return op
}

// MentorOpening converts a mentor: an opening of kind mentor whose capacity
// is the mentor's free places. A mentor who is not active has none.
func MentorOpening(m mentoring.Mentor) matching.Opening {
	op := matching.Opening{
		ID:        m.ID,
		Kind:      matching.KindMentor,
		ROME:      m.ROME,
		Skills:    m.Skills,
		Place:     matching.Place{Department: m.Place.Department, Postcode: m.Place.Postcode},
		Remote:    m.Availability.Remote,
		Days:      weekdays(m.Availability.Days),
		Capacity:  m.FreeCapacity(),
		Trained:   m.Trained(),
		Sector:    m.Sector,
		Interests: m.Interests,
		Languages: m.Languages,
	}
	if m.Status != mentoring.MentorActive {
		op.Capacity = 0
	}
	op.Place = place(op.Place, m.Place.Location, m.Place.City)
	return op
}

// Communes finds the centre of a place known by its postcode alone.
var Communes = geo.BuiltinCommunes

// place completes p with the point of the address, or else with the centre
// of the commune its postcode (and town) names, marked as such; a place
// without a département takes the commune's.
func place(p matching.Place, at *geo.Point, town string) matching.Place {
	if at != nil {
		p.Coords = &matching.LatLon{Lat: at.Lat, Lon: at.Lon}
		return p
	}
	if p.Postcode == "" {
		return p
	}
	m, ok := Communes().Locate(p.Postcode, town)
	if !ok {
		return p
	}
	if m.Centre != nil {
		p.Coords, p.Centre = &matching.LatLon{Lat: m.Centre.Lat, Lon: m.Centre.Lon}, true
	}
	if p.Department == "" {
		p.Department = m.Department
	}
	return p
}

// french converts per-skill CEFR levels; a level not assessed counts as below A1.
func french(oc, wc, op, wp string) matching.French {
	var f matching.French
	for i, s := range []string{oc, wc, op, wp} {
		if l, err := matching.ParseLevel(s); err == nil {
			f[i] = l
		}
	}
	return f
}

var dayBits = map[string]matching.Weekdays{
	"mon": matching.Monday, "tue": matching.Tuesday, "wed": matching.Wednesday, "thu": matching.Thursday,
	"fri": matching.Friday, "sat": matching.Saturday, "sun": matching.Sunday,
}

func weekdays(days []string) matching.Weekdays {
	var w matching.Weekdays
	for _, d := range days {
		w |= dayBits[strings.ToLower(d)]
	}
	return w
}

// romePrefix keeps a diploma field only when it is a ROME family, domain or code.
func romePrefix(f string) string {
	f = strings.ToUpper(strings.TrimSpace(f))
	switch {
	case len(f) == 1 && f[0] >= 'A' && f[0] <= 'N':
		return f
	case len(f) == 3 && f[0] >= 'A' && f[0] <= 'N' && f[1] >= '0' && f[1] <= '9' && f[2] >= '0' && f[2] <= '9':
		return f
	case matching.ValidCode(f):
		return f
	}
	return ""
}
