package matching

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// ComponentName names a score component.
type ComponentName string

// The score components. The first five apply to every kind; sector,
// interests and languages to mentors only.
const (
	ComponentROME         ComponentName = "rome"
	ComponentSkills       ComponentName = "skills"
	ComponentFrench       ComponentName = "french"
	ComponentDistance     ComponentName = "distance"
	ComponentAvailability ComponentName = "availability"
	ComponentSector       ComponentName = "sector"
	ComponentInterests    ComponentName = "interests"
	ComponentLanguages    ComponentName = "languages"
	// ComponentOutcome is the quality of the outcome the opening leads to,
	// as the seeker's programme counts exits: durable contracts before
	// short ones, qualifying training. Jobs, placements and training only.
	ComponentOutcome ComponentName = "outcome"
)

const (
	cROME = iota
	cSkills
	cFrench
	cDistance
	cAvailability
	cSector
	cInterests
	cLanguages
	cOutcome
	numComponents
	numCommonComponents = cSector
)

var componentNames = [numComponents]ComponentName{
	ComponentROME, ComponentSkills, ComponentFrench, ComponentDistance, ComponentAvailability,
	ComponentSector, ComponentInterests, ComponentLanguages, ComponentOutcome,
}

// kindComponents are the components of each kind's score, in order: the
// common ones, then the outcome for jobs, placements and training, or
// the sector, interests and languages for mentors.
var kindComponents = [2][]int{
	{cROME, cSkills, cFrench, cDistance, cAvailability, cOutcome},
	{cROME, cSkills, cFrench, cDistance, cAvailability, cSector, cInterests, cLanguages},
}

// componentsOf is the components of an opening's kind.
func componentsOf(mentor bool) []int {
	if mentor {
		return kindComponents[1]
	}
	return kindComponents[0]
}

// Component is one named part of a score: its value in [0, 1], its weight,
// and its contribution (value × weight / the sum of the weights that apply),
// so that the contributions add up to the score. Basis, Code and Measure
// record the fact behind the value (which of the seeker's codes matched, the
// distance in km…); Text renders it as sentences.
type Component struct {
	Name         ComponentName `json:"name"`
	Value        float64       `json:"value"`
	Weight       float64       `json:"weight"`
	Contribution float64       `json:"contribution"`
	// Basis is where the fact comes from: "project" or "pastJob" for the
	// ROME component ("discover" for a PMSMP to discover a trade no code
	// of the seeker is close to), "coordinates", "communeCentre" (measured from the
	// centre of a commune found by postcode), "department" or "remote" for
	// distance.
	Basis string `json:"basis,omitempty"`
	// Code is the ROME code (or sector) the value rests on, and Label its
	// label in the engine's referential.
	Code  string `json:"code,omitempty"`
	Label string `json:"label,omitempty"`
	// Measure is the quantity behind the value: km for distance, days of
	// delay for availability, skills or items in common otherwise.
	Measure float64 `json:"measure,omitempty"`
	// Of is the size Measure is compared with (skills wanted, items listed).
	Of float64 `json:"of,omitempty"`
}

// MarshalJSON adds the sentences ("text") to the component's fields.
func (c Component) MarshalJSON() ([]byte, error) {
	type plain Component
	return json.Marshal(struct {
		plain
		Text Text `json:"text"`
	}{plain(c), c.Text()})
}

// Text says in French and English what the component's value rests on.
func (c Component) Text() Text {
	switch c.Name {
	case ComponentROME:
		from, fromFR := "the project", "le projet"
		if c.Basis == basisPastJob {
			from, fromFR = "a past job", "un emploi passé"
		}
		switch {
		case c.Basis == basisAnyTrade:
			return Text{EN: "An opening for any trade: no ROME code to compare.", FR: "Une offre ouverte à tous les métiers : aucun code ROME à comparer."}
		case c.Basis == basisNoCode:
			return Text{EN: "No ROME code in the project or past jobs: the trade is not compared.", FR: "Aucun code ROME dans le projet ou les emplois passés : le métier n'est pas comparé."}
		case c.Basis == basisReach:
			return Text{EN: "No code of the project or past jobs is close to the opening's, but its ROME family is reached from them (a mobility, or the mentor's sector).",
				FR: "Aucun code du projet ou des emplois passés n'est proche de celui de l'offre, mais sa famille ROME est atteinte depuis eux (une mobilité, ou le secteur du mentor)."}
		case c.Value >= 1:
			return Text{EN: fmt.Sprintf("Same ROME code as %s (%s).", from, c.Code), FR: fmt.Sprintf("Même code ROME que %s (%s).", fromFR, c.Code)}
		case c.Value >= 0.75:
			return Text{EN: fmt.Sprintf("ROME mobility from %s (%s).", from, c.Code), FR: fmt.Sprintf("Mobilité ROME depuis %s (%s).", fromFR, c.Code)}
		case c.Value >= 0.5:
			return Text{EN: fmt.Sprintf("Same ROME domain as %s (%s).", from, c.Code), FR: fmt.Sprintf("Même domaine ROME que %s (%s).", fromFR, c.Code)}
		case c.Value > 0:
			return Text{EN: fmt.Sprintf("Same ROME family as %s (%s).", from, c.Code), FR: fmt.Sprintf("Même famille ROME que %s (%s).", fromFR, c.Code)}
		case c.Basis == basisDiscover:
			return Text{EN: "A trade new to the seeker: a PMSMP to discover a trade needs no ROME link to the project.",
				FR: "Un métier nouveau pour la personne : une PMSMP de découverte ne demande pas de lien ROME avec le projet."}
		}
		return Text{EN: "No ROME link to the project or past jobs.", FR: "Aucun lien ROME avec le projet ou les emplois passés."}
	case ComponentSkills:
		if c.Of == 0 {
			return Text{EN: "No particular skill asked.", FR: "Aucune compétence particulière demandée."}
		}
		return Text{EN: fmt.Sprintf("%.0f of the %.0f skills asked are held.", c.Measure, c.Of), FR: fmt.Sprintf("%.0f des %.0f compétences demandées sont détenues.", c.Measure, c.Of)}
	case ComponentFrench:
		if c.Of == 0 {
			return Text{EN: "No French level required.", FR: "Aucun niveau de français requis."}
		}
		levels, niveaux := "levels", "niveaux"
		if c.Measure < 2 {
			niveaux = "niveau"
		}
		if c.Measure == 1 {
			levels = "level"
		}
		return Text{EN: fmt.Sprintf("French meets the requirement in %.0f skills, with %.1f %s to spare on average.", c.Of, c.Measure, levels),
			FR: fmt.Sprintf("Le français atteint le niveau requis dans %.0f compétences, avec %s %s d'avance en moyenne.", c.Of, decimalFR(c.Measure), niveaux)}
	case ComponentDistance:
		switch c.Basis {
		case "remote":
			return Text{EN: "Remote: no commute.", FR: "À distance : aucun trajet."}
		case "department":
			return Text{EN: "Same département; distance not measured.", FR: "Même département ; distance non mesurée."}
		case "communeCentre":
			return Text{EN: fmt.Sprintf("%.1f km away, measured from the commune's centre.", c.Measure), FR: fmt.Sprintf("À %s km, mesurés depuis le centre de la commune.", decimalFR(c.Measure))}
		}
		return Text{EN: fmt.Sprintf("%.1f km away.", c.Measure), FR: fmt.Sprintf("À %s km.", decimalFR(c.Measure))}
	case ComponentAvailability:
		if c.Measure > 0 {
			return Text{EN: fmt.Sprintf("Available %.0f days after the start.", c.Measure), FR: fmt.Sprintf("Disponible %.0f jours après le début.", c.Measure)}
		}
		return Text{EN: "Available from the start.", FR: "Disponible dès le début."}
	case ComponentSector:
		if c.Value > 0 {
			return Text{EN: fmt.Sprintf("The mentor's sector (%s) is close to the project.", c.Code), FR: fmt.Sprintf("Le secteur du mentor (%s) est proche du projet.", c.Code)}
		}
		return Text{EN: "The mentor's sector is far from the project.", FR: "Le secteur du mentor est éloigné du projet."}
	case ComponentInterests:
		switch n := int(c.Measure); n {
		case 0:
			return Text{EN: "No interest in common.", FR: "Aucun centre d'intérêt en commun."}
		case 1:
			return Text{EN: "One interest in common.", FR: "Un centre d'intérêt en commun."}
		default:
			return Text{EN: fmt.Sprintf("%d interests in common.", n), FR: fmt.Sprintf("%d centres d'intérêt en commun.", n)}
		}
	case ComponentOutcome:
		return outcomeText(c)
	case ComponentLanguages:
		switch n := int(c.Measure); n {
		case 0:
			return Text{EN: "No language in common.", FR: "Aucune langue en commun."}
		case 1:
			return Text{EN: "One language in common.", FR: "Une langue en commun."}
		default:
			return Text{EN: fmt.Sprintf("%d languages in common.", n), FR: fmt.Sprintf("%d langues en commun.", n)}
		}
	}
	return Text{}
}

// Unmet is a soft requirement the seeker does not meet: it lowers the score
// without excluding the pair.
type Unmet struct {
	Code  string   `json:"code"`
	Items []string `json:"items,omitempty"`
	Text  Text     `json:"text"`
}

// The unmet soft requirements' codes.
const (
	UnmetSkills    = "skills"    // skills asked and not held
	UnmetStart     = "start"     // available after the opening's start
	UnmetTransport = "transport" // neither vehicle nor public transport for the commute
	UnmetLanguages = "languages" // no language shared with the mentor
	UnmetHours     = "hours"     // a few more hours than the seeker can do
	UnmetLicence   = "licence"   // a licence counted from the day its exchange is expected
)

// Evaluation is the engine's full answer for one pair: eligible or not, the
// failures (why not, next steps), or the score and its components and the
// unmet soft requirements, with the versions that produced it.
type Evaluation struct {
	SeekerID        string      `json:"seekerId"`
	OpeningID       string      `json:"openingId"`
	Kind            Kind        `json:"kind"`
	Eligible        bool        `json:"eligible"`
	Score           float64     `json:"score"`
	Components      []Component `json:"components,omitempty"`
	Unmet           []Unmet     `json:"unmet,omitempty"`
	Failures        []Failure   `json:"failures,omitempty"`
	WeightsVersion  string      `json:"weightsVersion"`
	TaxonomyVersion string      `json:"taxonomyVersion"`
	// At is the instant the evaluation was made for (the now it was given).
	At time.Time `json:"at"`
}

// facts are the measures behind the component values of one pair.
type facts struct {
	val        [numComponents]float64
	romeCode   string
	romeBasis  string
	skillsHeld int
	frenchN    int
	margin     float64
	distBasis  string
	km         float64
	kmSet      bool  // km already measured by the constraints
	today      int32 // now's day number
	// romeHint is the pair's ROME proximity when the index already knows
	// it (then romeCode and romeBasis stay empty), or noHint.
	romeHint  Proximity
	delayDays float64
	// extraHours is how many more hours a week the opening asks than the
	// seeker can do (within the tolerance).
	extraHours int
	interests  int
	languages  int
	sectorCode string
}

// score computes the component values of an eligible pair into f and
// returns the weighted score in [0, 1].
func (e *Engine) score(sc *seekerCtx, oc *openingCtx, now time.Time, f *facts) float64 {
	s := sc.s
	// ROME proximity: the best over the seeker's codes and the opening's.
	best := f.romeHint
	if best == noHint {
		best = ProximityNone
		for _, c := range sc.codes {
			for _, g := range oc.codes {
				if p := c.proximity(g); p > best || (p == best && f.romeCode == "") && p > 0 {
					best, f.romeCode, f.romeBasis = p, c.code, c.origin
				}
			}
		}
	}
	f.val[cROME] = best.value()
	switch {
	case oc.uncoded:
		// An opening for any trade (a general FLE course) fits every project.
		f.val[cROME], f.romeBasis = 1, basisAnyTrade
	case best <= ProximityNone && f.romeCode == "" && len(sc.codes) == 0:
		f.romeBasis = basisNoCode
	case best <= ProximityNone && f.romeCode == "" && f.romeHint == noHint:
		f.romeBasis = basisReach
	}

	// Skills overlap: the share of the skills asked that the seeker holds.
	f.val[cSkills] = 1
	if oc.asked > 0 {
		if sc.dict != nil && sc.dict == oc.dict {
			f.skillsHeld = oc.heldIDs(sc.skillIDs)
		} else {
			f.skillsHeld = intersect(oc.skills, sc.skills, nil)
		}
		f.val[cSkills] = float64(f.skillsHeld) / float64(oc.asked)
	}

	// French margin: 0.5 at the level required, +0.25 per level above, in
	// the skills required; 1 when none is.
	f.val[cFrench], f.margin, f.frenchN = frenchFit(s.French, oc.french)

	// Distance decay: 1 next door, 0.1 at the seeker's limit.
	switch {
	case oc.remote:
		f.val[cDistance], f.distBasis = 1, "remote"
	case sc.hasCoords && oc.hasCoords && s.MaxKm > 0:
		if !f.kmSet {
			f.km = distance(sc, oc)
		}
		f.val[cDistance], f.distBasis = clamp01(1-0.9*f.km/s.MaxKm), "coordinates"
		if sc.centre || oc.centre {
			f.distBasis = "communeCentre"
		}
	default:
		f.val[cDistance], f.distBasis = 0.5, "department"
	}

	// Availability fit: available by the start (a job may wait up to 60
	// days, linearly less well), and the share of the seeker's hours used.
	startFit := 1.0
	if oc.job {
		start := max(f.today, oc.startDay)
		if d := float64(max(f.today, sc.availDay) - start); d > 0 {
			f.delayDays = d
			startFit = clamp01(1 - d/60)
		}
	}
	hoursFit := 1.0
	if oc.hours > 0 && s.HoursPerWeek > 0 {
		hoursFit = clamp01(float64(oc.hours) / float64(s.HoursPerWeek))
		if over := int(oc.hours) - s.HoursPerWeek; over > 0 {
			// More hours than the seeker can do, within the tolerance:
			// 10 % over costs a fifth of the hours' share.
			f.extraHours = over
			hoursFit = clamp01(1 - 2*float64(over)/float64(s.HoursPerWeek))
		}
	}
	f.val[cAvailability] = 0.7*startFit + 0.3*hoursFit

	norm := e.norm[0]
	if oc.mentor {
		norm = e.norm[1]
		// Sector: the mentor's sector against the project (and past jobs).
		if oc.sector != "" {
			for _, c := range sc.codes {
				v := 0.0
				switch {
				case strings.HasPrefix(c.code, oc.sector) && len(oc.sector) >= 3:
					v = 1
				case strings.HasPrefix(c.code, oc.sector):
					v = 0.75
				case c.code[0] == oc.sector[0]:
					v = 0.5
				}
				if c.origin == basisPastJob {
					v *= 0.8
				}
				if v > f.val[cSector] {
					f.val[cSector] = v
				}
			}
			f.sectorCode = oc.sector
		}
		f.interests = intersect(oc.interests, sc.interests, nil)
		if n := min(len(oc.interests), len(sc.interests)); n > 0 {
			f.val[cInterests] = clamp01(float64(f.interests) / float64(min(n, 3)))
		}
		f.languages = intersect(oc.languages, sc.languages, nil)
		if f.languages > 0 {
			f.val[cLanguages] = 1
		}
	}
	if !oc.mentor {
		f.val[cOutcome] = sc.outcomes[oc.outcome]
	}
	total := 0.0
	for _, i := range componentsOf(oc.mentor) {
		total += e.w[i] * f.val[i]
	}
	return clamp01(total / norm)
}

// frenchFit is the French component of levels held against levels
// required: 0.5 at the level required, +0.25 per level above, averaged over
// the skills required (1 when none is), with the mean margin in levels and
// how many skills are required.
func frenchFit(held, req French) (fit, margin float64, n int) {
	sum := 0.0
	for _, k := range LanguageSkills {
		if r := req[k]; r != LevelNone {
			m := float64(max(held[k], BelowA1) - r)
			n++
			margin += m
			sum += min(1, 0.5+0.25*m)
		}
	}
	if n == 0 {
		return 1, 0, 0
	}
	return sum / float64(n), margin / float64(n), n
}

func clamp01(v float64) float64 {
	switch {
	case v < 0 || math.IsNaN(v):
		return 0
	case v > 1:
		return 1
	}
	return v
}

// components lays out the facts as named components, carved from *slab
// when it has room (slab may be nil).
func (e *Engine) components(oc *openingCtx, f *facts, slab *[]Component) []Component {
	list := componentsOf(oc.o.Kind == KindMentor)
	n := len(list)
	norm := e.norm[0]
	if oc.o.Kind == KindMentor {
		norm = e.norm[1]
	}
	var out []Component
	if slab != nil && cap(*slab)-len(*slab) >= n {
		l := len(*slab)
		*slab = (*slab)[:l+n]
		out = (*slab)[l : l+n : l+n]
	} else {
		out = make([]Component, n)
	}
	for k, i := range list {
		out[k] = Component{Name: componentNames[i], Value: f.val[i], Weight: e.w[i], Contribution: f.val[i] * e.w[i] / norm}
	}
	out[cROME].Code, out[cROME].Basis = f.romeCode, f.romeBasis
	if f.romeCode == "" && oc.anyTrade && !oc.uncoded {
		// A PMSMP to discover a trade; without any code it is open to
		// every trade and says so.
		out[cROME].Basis = basisDiscover
	}
	if f.romeCode != "" {
		out[cROME].Label = e.tax.Label(f.romeCode)
	}
	out[cSkills].Measure, out[cSkills].Of = float64(f.skillsHeld), float64(len(oc.skills))
	out[cFrench].Measure, out[cFrench].Of = f.margin, float64(f.frenchN)
	out[cDistance].Basis, out[cDistance].Measure = f.distBasis, math.Round(f.km*10)/10
	out[cAvailability].Measure = f.delayDays
	if oc.o.Kind != KindMentor {
		out[numCommonComponents].Code = string(oc.o.Outcome)
	} else {
		out[cSector].Code = f.sectorCode
		if f.sectorCode != "" {
			out[cSector].Label = e.tax.Label(f.sectorCode)
		}
		out[cInterests].Measure, out[cInterests].Of = float64(f.interests), float64(len(oc.interests))
		out[cLanguages].Measure, out[cLanguages].Of = float64(f.languages), float64(len(oc.languages))
	}
	return out
}

// unmet lists the soft requirements the seeker does not meet.
func unmet(sc *seekerCtx, oc *openingCtx, f *facts) []Unmet {
	var out []Unmet
	if len(oc.skills) > 0 && f.skillsHeld < len(oc.skills) {
		var missing []string
		intersect(oc.skills, sc.skills, &missing)
		list := strings.Join(missing, ", ")
		out = append(out, Unmet{Code: UnmetSkills, Items: missing,
			Text: Text{EN: "Skills asked and not held: " + list + ".", FR: "Compétences demandées non détenues : " + list + "."}})
	}
	if f.delayDays > 0 {
		out = append(out, Unmet{Code: UnmetStart,
			Text: Text{EN: fmt.Sprintf("The seeker is available %.0f days after the start.", f.delayDays),
				FR: fmt.Sprintf("La personne est disponible %.0f jours après le début.", f.delayDays)}})
	}
	if f.extraHours > 0 {
		have := sc.s.HoursPerWeek
		out = append(out, Unmet{Code: UnmetHours,
			Text: Text{EN: fmt.Sprintf("The opening needs %d hours a week, %d more than the seeker's %d.", have+f.extraHours, f.extraHours, have),
				FR: fmt.Sprintf("L'offre demande %d heures par semaine, %d de plus que les %d de la personne.", have+f.extraHours, f.extraHours, have)}})
	}
	if (f.distBasis == "coordinates" || f.distBasis == "communeCentre") && f.km > 3 && !sc.s.Vehicle && !sc.s.PublicTransport {
		out = append(out, Unmet{Code: UnmetTransport,
			Text: Text{EN: fmt.Sprintf("No vehicle or public transport declared for a %.0f km commute.", f.km),
				FR: fmt.Sprintf("Ni véhicule ni transports en commun déclarés pour un trajet de %.0f km.", f.km)}})
	}
	for _, l := range oc.licences {
		if _, pending := holdsLicence(sc, oc, f.today, l); pending {
			when := sc.s.DrivingLicence.Expected
			out = append(out, Unmet{Code: UnmetLicence, Items: []string{l},
				Text: Text{EN: fmt.Sprintf("Licence %s counts from %s, when its exchange is expected.", l, dateEN(when)),
					FR: fmt.Sprintf("Le permis %s compte à partir du %s, date prévue de son échange.", l, dateFR(when))}})
		}
	}
	if oc.o.Kind == KindMentor && len(oc.languages) > 0 && f.languages == 0 {
		out = append(out, Unmet{Code: UnmetLanguages,
			Text: Text{EN: "No language shared with the mentor.", FR: "Aucune langue partagée avec le mentor."}})
	}
	return out
}

// decimalFR writes x with one decimal, with the decimal comma French uses.
func decimalFR(x float64) string {
	return strings.Replace(fmt.Sprintf("%.1f", x), ".", ",", 1)
}
