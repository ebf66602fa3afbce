package matching

import (
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/pmsmp"
)

// Kind is the kind of an opening; a batch assigns openings of one kind.
type Kind string

// The opening kinds.
const (
	KindJob      Kind = "job"
	KindPMSMP    Kind = "pmsmp"
	KindTraining Kind = "training"
	KindMentor   Kind = "mentor"
)

// Valid reports whether k is one of the four kinds.
func (k Kind) Valid() bool {
	return k == KindJob || k == KindPMSMP || k == KindTraining || k == KindMentor
}

// Recognition is the status of a foreign diploma in France.
type Recognition string

// The recognition statuses. A French diploma is RecognitionRecognised; a
// foreign one is recognised once ENIC-NARIC's attestation de comparabilité is
// obtained.
const (
	RecognitionRecognised Recognition = "recognised"
	RecognitionPending    Recognition = "comparability-pending"
	RecognitionObtained   Recognition = "comparability-obtained"
	RecognitionNone       Recognition = "not-recognised"
)

// Recognised reports whether the diploma's title counts in France.
func (r Recognition) Recognised() bool {
	return r == RecognitionRecognised || r == RecognitionObtained
}

// Diploma is one diploma a seeker holds.
type Diploma struct {
	// Level in the French nomenclature, 3 (CAP) to 8 (doctorate).
	Level int `json:"level"`
	// Field is a ROME prefix naming the diploma's field: a family ("J"), a
	// domain ("J15") or a code ("J1506"). Empty: general diploma.
	Field       string      `json:"field,omitempty"`
	Recognition Recognition `json:"recognition"`
}

// DiplomaRequirement is the diploma an opening requires. MinLevel 0 means
// none is required.
type DiplomaRequirement struct {
	MinLevel int `json:"minLevel,omitempty"`
	// Field is a ROME prefix ("J15"); a diploma qualifies when its own Field
	// starts with it. Empty: any field.
	Field string `json:"field,omitempty"`
	// Recognised requires the title to count in France (recognised or
	// comparability obtained), as for regulated trades.
	Recognised bool `json:"recognised,omitempty"`
}

// LatLon is a point in decimal degrees (WGS 84).
type LatLon struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Place is where a seeker lives or an opening takes place. Distances use
// Coords when both sides have them; otherwise the département decides.
type Place struct {
	// Department is the INSEE département code ("69", "2A", "974").
	Department string  `json:"department"`
	Postcode   string  `json:"postcode,omitempty"`
	Coords     *LatLon `json:"coords,omitempty"`
	// Centre says Coords are the centre of the commune found from the
	// postcode, not the address itself.
	Centre bool `json:"centre,omitempty"`
}

// The driving licence statuses (as pathways names them).
const (
	LicenceNone                   = "none"
	LicenceFrench                 = "french"
	LicenceForeignExchangeable    = "foreign-exchangeable"
	LicenceExchangeInProgress     = "exchange-in-progress"
	LicenceForeignNotExchangeable = "foreign-not-exchangeable"
)

// DrivingLicence is a seeker's driving licence: its status, the categories
// it covers, and the day an exchange in progress should give the French
// licence (zero when unknown).
type DrivingLicence struct {
	Status     string    `json:"status,omitempty"`
	Categories []string  `json:"categories,omitempty"`
	Expected   time.Time `json:"expected,omitzero"`
}

// Weekdays is a set of days of the week: bit 0 is Monday, bit 6 Sunday. The
// zero value means "not specified" (any day).
type Weekdays uint8

// Day sets.
const (
	Monday Weekdays = 1 << iota
	Tuesday
	Wednesday
	Thursday
	Friday
	Saturday
	Sunday
	WorkingWeek = Monday | Tuesday | Wednesday | Thursday | Friday
	AllWeek     = WorkingWeek | Saturday | Sunday
)

// Seeker is a beneficiary as the engine sees it. It deliberately has no
// nationality, gender, age, birth date, religion or protection status: the
// engine cannot use what it is never given (a test enforces it).
type Seeker struct {
	ID string `json:"id"`
	// Project holds the ROME codes of the professional project.
	Project []string `json:"project,omitempty"`
	// PastJobs holds the ROME codes of past jobs, in France or abroad.
	PastJobs []string `json:"pastJobs,omitempty"`
	// Skills are free labels, compared after NormalizeLabel.
	Skills   []string  `json:"skills,omitempty"`
	French   French    `json:"french"`
	Diplomas []Diploma `json:"diplomas,omitempty"`
	// Licences held and valid in France ("B", "C", "CACES R489-3").
	Licences []string `json:"licences,omitempty"`
	// DrivingLicence is the driving licence situation behind Licences; it
	// words the failures and lets an exchange in progress count from the
	// day it is expected.
	DrivingLicence DrivingLicence `json:"drivingLicence,omitzero"`
	Place          Place          `json:"place"`
	// MaxKm is the longest commute accepted, as the crow flies.
	MaxKm           float64 `json:"maxKm"`
	Vehicle         bool    `json:"vehicle,omitempty"`
	PublicTransport bool    `json:"publicTransport,omitempty"`
	// AvailableFrom is the first day the seeker can start (zero: now).
	AvailableFrom time.Time `json:"availableFrom,omitzero"`
	// HoursPerWeek is the most the seeker can work (0: not limited), e.g.
	// after French course hours and childcare.
	HoursPerWeek int `json:"hoursPerWeek,omitempty"`
	// HoursTolerance is how many more hours than HoursPerWeek, as a
	// fraction, an opening may ask and stay a candidate with a penalty
	// (the programme's; 0: DefaultHoursTolerance).
	HoursTolerance float64  `json:"hoursTolerance,omitempty"`
	Days           Weekdays `json:"days,omitempty"`
	// Languages spoken, ISO 639 codes ("ar", "ps", "ti", "en").
	Languages []string `json:"languages,omitempty"`
	Interests []string `json:"interests,omitempty"`
	// PMSMPHistory holds the seeker's past and current PMSMP conventions.
	PMSMPHistory []pmsmp.Convention `json:"pmsmpHistory,omitempty"`
	// Declines maps an opening ID to the end of the cooldown a decline of
	// that pair (by the seeker, the mentor or the host) set: the pair is not
	// proposed again before it.
	Declines map[string]time.Time `json:"declines,omitempty"`
	// Taken holds the openings the seeker accepted (a job, a placement, a
	// training): they are in the pathway and not proposed again.
	Taken map[string]bool `json:"taken,omitempty"`
	// OutcomeValues say how well each outcome serves the seeker's
	// programme, in [0, 1] (its rule set's view: a positive exit near 1);
	// an outcome not named counts 1.
	OutcomeValues map[Outcome]float64 `json:"outcomeValues,omitempty"`
}

// Opening is a job offer's open positions, a PMSMP host's slots, a
// training's seats or a mentor's free capacity.
type Opening struct {
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// ROME holds the opening's ROME codes: one for an offer, a placement or a
	// training (none for a general FLE course), the mentor's trades for a
	// mentor.
	ROME []string `json:"rome,omitempty"`
	// Skills wanted; a missing one is a soft requirement, not a refusal.
	Skills   []string           `json:"skills,omitempty"`
	French   French             `json:"french"`
	Diploma  DiplomaRequirement `json:"diploma"`
	Licences []string           `json:"licences,omitempty"`
	Place    Place              `json:"place"`
	// Remote openings (distance mentoring, online courses) skip the
	// distance constraint.
	Remote bool `json:"remote,omitempty"`
	// Start and End are inclusive dates; a zero End is open-ended.
	Start        time.Time `json:"start,omitzero"`
	End          time.Time `json:"end,omitzero"`
	HoursPerWeek int       `json:"hoursPerWeek,omitempty"`
	Days         Weekdays  `json:"days,omitempty"`
	// Capacity is what is left: positions, slots, seats or mentees.
	Capacity int `json:"capacity"`
	// HostID and Objective describe a PMSMP placement.
	HostID    string          `json:"hostId,omitempty"`
	Objective pmsmp.Objective `json:"objective,omitempty"`
	// Trained says a mentor has followed the initial mentor training.
	Trained bool `json:"trained,omitempty"`
	// Sector is a mentor's sector as a ROME family or domain ("H", "G16").
	Sector    string   `json:"sector,omitempty"`
	Interests []string `json:"interests,omitempty"`
	Languages []string `json:"languages,omitempty"`
	// Outcome is what a job, placement or training leads to.
	Outcome Outcome `json:"outcome,omitempty"`
}

// NormalizeLabel folds a free label for comparison: lower case, accents
// removed, runs of spaces and punctuation as one space.
func NormalizeLabel(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'œ':
			r = 'o'
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte('o')
			r = 'e'
		case 'æ':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte('a')
			r = 'e'
		default:
			if f, ok := foldAccent[r]; ok {
				r = f
			}
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

var foldAccent = map[rune]rune{
	'à': 'a', 'â': 'a', 'ä': 'a', 'á': 'a', 'ç': 'c', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'î': 'i', 'ï': 'i', 'í': 'i', 'ô': 'o', 'ö': 'o', 'ó': 'o', 'ù': 'u', 'û': 'u', 'ü': 'u',
	'ú': 'u', 'ÿ': 'y', 'ñ': 'n',
}
