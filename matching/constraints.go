package matching

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/pmsmp"
)

// Reason is the code of a failed hard constraint. PMSMP rules keep the codes
// of package jobs ("pmsmp-duration", "pmsmp-days", …).
type Reason string

// The hard constraints' reason codes.
const (
	ReasonKind        Reason = "kind"                // the opening's kind is unknown
	ReasonCapacity    Reason = "capacity"            // no capacity left
	ReasonTrade       Reason = "trade"               // trade unrelated to project and past jobs
	ReasonDistance    Reason = "distance"            // beyond the seeker's mobility
	ReasonFrench      Reason = "french"              // French below the level required in a skill
	ReasonDiploma     Reason = "diploma"             // required diploma (level, field) not held
	ReasonRecognition Reason = "diploma-recognition" // diploma held but not recognised in France
	ReasonLicence     Reason = "licence"             // required licence not held
	ReasonDates       Reason = "dates"               // dates do not overlap the seeker's availability
	ReasonHours       Reason = "hours"               // more hours a week than the seeker can do
	ReasonDays        Reason = "days"                // days the seeker is not available
	ReasonUntrained   Reason = "mentor-untrained"    // mentor has not followed the initial training
	ReasonDeclined    Reason = "declined"            // same pair declined, its cooldown not over
	ReasonTaken       Reason = "accepted"            // the seeker accepted this opening already
)

// Text is a sentence for people, in French and English.
type Text struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

// Failure is one failed hard constraint: why not, and what would lift it.
type Failure struct {
	Code Reason `json:"code"`
	// Skill names the language skill of a French failure.
	Skill    string `json:"skill,omitempty"`
	Text     Text   `json:"text"`
	NextStep *Text  `json:"nextStep,omitempty"`
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

func dateEN(t time.Time) string { return t.Format("2 January 2006") }
func dateFR(t time.Time) string {
	y, m, d := t.Date()
	return fmt.Sprintf("%d %s %d", d, monthsFR[m-1], y)
}

// availableFrom is the first day the seeker can start, not before today.
func availableFrom(s *Seeker, now time.Time) time.Time {
	a := day(now)
	if !s.AvailableFrom.IsZero() && day(s.AvailableFrom).After(a) {
		a = day(s.AvailableFrom)
	}
	return a
}

// check applies the hard constraints. With fails nil it stops at the first
// failure and builds no text (the index's fast path); otherwise it records
// every failure with its sentences.
func (e *Engine) check(sc *seekerCtx, oc *openingCtx, now time.Time, fails *[]Failure) bool {
	s, o := sc.s, oc.o
	ok := true
	fail := func(f Failure) bool {
		ok = false
		if fails == nil {
			return true
		}
		*fails = append(*fails, f)
		return false
	}
	if !o.Kind.Valid() {
		if fail(Failure{Code: ReasonKind,
			Text: Text{EN: fmt.Sprintf("The opening's kind %q is not one of job, pmsmp, training or mentor.", string(o.Kind)),
				FR: fmt.Sprintf("Le type d'offre %q n'est pas job, pmsmp, training ou mentor.", string(o.Kind))}}) {
			return false
		}
	}
	if o.Capacity <= 0 {
		f := Failure{Code: ReasonCapacity, Text: Text{EN: "No place is left on this opening.", FR: "Il ne reste aucune place sur cette offre."}}
		if o.Kind == KindMentor {
			f.Text = Text{EN: "The mentor has no free capacity left.", FR: "Le mentor n'a plus de disponibilité pour un nouveau binôme."}
		}
		if fail(f) {
			return false
		}
	}
	if sc.families != 0 && oc.families != 0 && sc.families&oc.families == 0 && !oc.anyTrade {
		if fails == nil {
			return false
		}
		fail(e.tradeFailure(sc, oc))
	}
	if !o.Remote {
		if f, bad := distanceFailure(sc, oc, fails != nil); bad && fail(f) {
			return false
		}
	}
	for _, k := range LanguageSkills {
		req, held := o.French[k], s.French[k]
		if req == LevelNone || max(held, BelowA1) >= req {
			continue
		}
		if fails == nil {
			return false
		}
		fail(Failure{Code: ReasonFrench, Skill: k.String(),
			Text: Text{
				EN: fmt.Sprintf("French %s is required in %s; %s held.", req.Label(), skillEN[k], levelHeldEN(held)),
				FR: fmt.Sprintf("Le français %s est requis en %s ; niveau détenu : %s.", req.Label(), skillFR[k], held.labelFR()),
			},
			NextStep: &Text{
				EN: fmt.Sprintf("An FLE course toward %s in %s first.", req.Label(), skillEN[k]),
				FR: fmt.Sprintf("D'abord un cours de FLE visant le niveau %s en %s.", req.Label(), skillFR[k]),
			}})
	}
	if d := o.Diploma; d.MinLevel > 0 {
		if f, bad := diplomaFailure(s, d); bad && fail(f) {
			return false
		}
	}
	for _, l := range oc.licences {
		if held, _ := holdsLicence(sc, oc, dayNum(now), l); held {
			continue
		}
		if fails == nil {
			return false
		}
		fail(licenceFailure(l, s.DrivingLicence))
	}
	if f, bad := datesFailure(s, o, now, fails != nil); bad && fail(f) {
		return false
	}
	if o.HoursPerWeek > 0 && s.HoursPerWeek > 0 && o.HoursPerWeek > maxHours(s) {
		if fail(Failure{Code: ReasonHours,
			Text: Text{EN: fmt.Sprintf("The opening needs %d hours a week; the seeker can do %d.", o.HoursPerWeek, s.HoursPerWeek),
				FR: fmt.Sprintf("L'offre demande %d heures par semaine ; la personne peut en faire %d.", o.HoursPerWeek, s.HoursPerWeek)},
			NextStep: &Text{EN: "Review the seeker's constraints (childcare, course hours) or look for part-time work.",
				FR: "Revoir les contraintes de la personne (garde d'enfants, heures de cours) ou chercher un temps partiel."}}) {
			return false
		}
	}
	if o.Days != 0 && s.Days != 0 && o.Days&^s.Days != 0 {
		en, fr := dayNames(o.Days &^ s.Days)
		if fail(Failure{Code: ReasonDays,
			Text: Text{EN: fmt.Sprintf("The opening works on %s, when the seeker is not available.", en),
				FR: fmt.Sprintf("L'offre comprend %s, où la personne n'est pas disponible.", fr)},
			NextStep: &Text{EN: "Review the seeker's weekly availability with them.",
				FR: "Revoir avec la personne ses disponibilités dans la semaine."}}) {
			return false
		}
	}
	if o.Kind == KindMentor && !o.Trained {
		if fail(Failure{Code: ReasonUntrained,
			Text:     Text{EN: "The mentor has not followed the initial mentor training yet.", FR: "Le mentor n'a pas encore suivi la formation initiale des mentors."},
			NextStep: &Text{EN: "Propose the pair once the mentor is trained.", FR: "Proposer le binôme une fois le mentor formé."}}) {
			return false
		}
	}
	if s.Taken[o.ID] {
		if fail(Failure{Code: ReasonTaken,
			Text: Text{EN: "The person accepted this opening already: it is part of their pathway.",
				FR: "La personne a déjà accepté cette offre : elle fait partie de son parcours."}}) {
			return false
		}
	}
	if until, declined := s.Declines[o.ID]; declined && now.Before(until) {
		if fail(Failure{Code: ReasonDeclined,
			Text: Text{EN: fmt.Sprintf("This pair was declined; it is not proposed again before %s.", dateEN(until)),
				FR: fmt.Sprintf("Ce binôme a été décliné ; il n'est pas proposé de nouveau avant le %s.", dateFR(until))}}) {
			return false
		}
	}
	if o.Kind == KindPMSMP {
		end := o.End
		if end.IsZero() {
			end = pmsmp.MaxEnd(o.Start)
		}
		proposed := pmsmp.Convention{BeneficiaryID: s.ID, HostID: o.HostID, Objective: o.Objective, Start: o.Start, End: end}
		for _, v := range pmsmp.Check(proposed, s.PMSMPHistory) {
			if fail(Failure{Code: Reason(v.Rule), Text: Text{EN: v.EN, FR: v.FR},
				NextStep: &Text{EN: "Adjust the convention's dates or objective, or look for another host.",
					FR: "Ajuster les dates ou l'objectif de la convention, ou chercher une autre structure d'accueil."}}) {
				return false
			}
		}
	}
	return ok
}

func levelHeldEN(l Level) string {
	if l == LevelNone {
		return "not assessed"
	}
	return l.Label()
}

func contains(sorted []string, v string) bool {
	for _, x := range sorted {
		if x == v {
			return true
		}
	}
	return false
}

func (e *Engine) tradeFailure(sc *seekerCtx, oc *openingCtx) Failure {
	var codes []string
	for _, c := range oc.o.ROME {
		if ValidCode(c) {
			codes = append(codes, strings.ToUpper(strings.TrimSpace(c)))
		}
	}
	if len(codes) == 0 && oc.sector != "" {
		codes = []string{oc.sector}
	}
	list := strings.Join(codes, ", ")
	return Failure{Code: ReasonTrade,
		Text: Text{EN: fmt.Sprintf("The opening's trade (%s) is in no ROME family of the seeker's project, past jobs or their mobilities.", list),
			FR: fmt.Sprintf("Le métier de l'offre (%s) n'appartient à aucune famille ROME du projet, des emplois passés ou de leurs mobilités.", list)},
		NextStep: &Text{EN: "If this trade interests the seeker, add it to the professional project first.",
			FR: "Si ce métier intéresse la personne, l'ajouter d'abord au projet professionnel."}}
}

// reachKm is how far the seeker goes when both places have coordinates;
// <= 0 means the département rule applies.
func distanceFailure(sc *seekerCtx, oc *openingCtx, explain bool) (Failure, bool) {
	s, o := sc.s, oc.o
	if sc.hasCoords && oc.hasCoords && s.MaxKm > 0 {
		d := distance(sc, oc)
		if d <= s.MaxKm {
			return Failure{}, false
		}
		if !explain {
			return Failure{}, true
		}
		return Failure{Code: ReasonDistance,
			Text: Text{EN: fmt.Sprintf("The opening is %.0f km away; the seeker travels at most %.0f km.", d, s.MaxKm),
				FR: fmt.Sprintf("L'offre est à %.0f km ; la personne se déplace jusqu'à %.0f km.", d, s.MaxKm)},
			NextStep: &Text{EN: "Review the mobility plan with the seeker (transport aid, driving licence, moving closer).",
				FR: "Revoir le plan de mobilité avec la personne (aide au transport, permis de conduire, rapprochement)."}}, true
	}
	if strings.EqualFold(strings.TrimSpace(s.Place.Department), strings.TrimSpace(o.Place.Department)) && s.Place.Department != "" {
		return Failure{}, false
	}
	if !explain {
		return Failure{}, true
	}
	return Failure{Code: ReasonDistance,
		Text: Text{EN: fmt.Sprintf("The opening is in département %s and the seeker lives in %s; without coordinates on both sides, only the same département counts as reachable.", o.Place.Department, s.Place.Department),
			FR: fmt.Sprintf("L'offre est dans le département %s et la personne habite le %s ; sans coordonnées des deux côtés, seul le même département compte comme accessible.", o.Place.Department, s.Place.Department)},
		NextStep: &Text{EN: "Add both addresses' coordinates and the seeker's maximum distance to measure the commute.",
			FR: "Renseigner les coordonnées des deux adresses et la distance maximale de la personne pour mesurer le trajet."}}, true
}

func diplomaFailure(s *Seeker, d DiplomaRequirement) (Failure, bool) {
	field := strings.ToUpper(strings.TrimSpace(d.Field))
	var best *Diploma
	for i := range s.Diplomas {
		h := &s.Diplomas[i]
		if h.Level < d.MinLevel || !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(h.Field)), field) {
			continue
		}
		if !d.Recognised || h.Recognition.Recognised() {
			return Failure{}, false
		}
		if best == nil || h.Recognition == RecognitionPending {
			best = h
		}
	}
	inField, dansDomaine := "", ""
	if field != "" {
		inField, dansDomaine = " in "+field, " dans le domaine "+field
	}
	if best == nil {
		return Failure{Code: ReasonDiploma,
			Text: Text{EN: fmt.Sprintf("A diploma of level %d or above%s is required; none held.", d.MinLevel, inField),
				FR: fmt.Sprintf("Un diplôme de niveau %d ou plus%s est requis ; aucun n'est détenu.", d.MinLevel, dansDomaine)},
			NextStep: &Text{EN: "A qualifying training (titre professionnel, CQP) or a validation of experience (VAE) first.",
				FR: "D'abord une formation qualifiante (titre professionnel, CQP) ou une validation des acquis de l'expérience (VAE)."}}, true
	}
	if best.Recognition == RecognitionPending {
		return Failure{Code: ReasonRecognition,
			Text: Text{EN: fmt.Sprintf("The level %d diploma%s awaits ENIC-NARIC's attestation de comparabilité; a recognised title is required.", best.Level, inField),
				FR: fmt.Sprintf("Le diplôme de niveau %d%s attend l'attestation de comparabilité ENIC-NARIC ; un titre reconnu est requis.", best.Level, dansDomaine)},
			NextStep: &Text{EN: "Propose again once the attestation de comparabilité is obtained.",
				FR: "Proposer de nouveau une fois l'attestation de comparabilité obtenue."}}, true
	}
	return Failure{Code: ReasonRecognition,
		Text: Text{EN: fmt.Sprintf("The level %d diploma%s is not recognised in France; a recognised title is required.", best.Level, inField),
			FR: fmt.Sprintf("Le diplôme de niveau %d%s n'est pas reconnu en France ; un titre reconnu est requis.", best.Level, dansDomaine)},
		NextStep: &Text{EN: "Apply to ENIC-NARIC for an attestation de comparabilité.",
			FR: "Demander une attestation de comparabilité à ENIC-NARIC."}}, true
}

// drivingCategories are the categories of the French driving licence;
// other licences (CACES, habilitations) are trainings.
var drivingCategories = map[string]bool{"AM": true, "A1": true, "A2": true, "A": true, "B1": true, "B": true, "BE": true,
	"C1": true, "C1E": true, "C": true, "CE": true, "D1": true, "D1E": true, "D": true, "DE": true}

// licenceFailure words a missing licence after the seeker's situation, and
// gives the next step it calls for.
func licenceFailure(l string, d DrivingLicence) Failure {
	if !drivingCategories[l] {
		return Failure{Code: ReasonLicence,
			Text: Text{EN: fmt.Sprintf("Licence %s is required.", l), FR: fmt.Sprintf("L'habilitation %s est requise.", l)},
			NextStep: &Text{EN: fmt.Sprintf("A training leading to %s first.", l),
				FR: fmt.Sprintf("D'abord une formation menant à %s.", l)}}
	}
	covers := slices.ContainsFunc(d.Categories, func(c string) bool { return normLicence(c) == l })
	prepare := &Text{EN: fmt.Sprintf("Prepare licence %s with a driving school (CPF, France Travail or regional funding).", l),
		FR: fmt.Sprintf("Préparer le permis %s en auto-école (financement CPF, France Travail ou Région).", l)}
	f := Failure{Code: ReasonLicence, NextStep: prepare}
	switch {
	case d.Status == LicenceFrench:
		held := strings.Join(d.Categories, ", ")
		f.Text = Text{EN: fmt.Sprintf("Driving licence %s is required; the seeker holds %s.", l, held),
			FR: fmt.Sprintf("Le permis %s est requis ; la personne a le permis %s.", l, held)}
	case d.Status == LicenceForeignExchangeable && covers:
		f.Text = Text{EN: fmt.Sprintf("A French driving licence %s is required; the seeker's foreign licence can be exchanged.", l),
			FR: fmt.Sprintf("Le permis %s français est requis ; le permis étranger de la personne est échangeable.", l)}
		f.NextStep = &Text{EN: "Apply to exchange the foreign licence on the ANTS website, within the year after the first residence permit.",
			FR: "Demander l'échange du permis étranger sur le site de l'ANTS, dans l'année qui suit le premier titre de séjour."}
	case d.Status == LicenceExchangeInProgress && covers && !d.Expected.IsZero():
		f.Text = Text{EN: fmt.Sprintf("A French driving licence %s is required; the exchange in progress is expected on %s, after the start.", l, dateEN(d.Expected)),
			FR: fmt.Sprintf("Le permis %s français est requis ; l'échange en cours est attendu le %s, après le début.", l, dateFR(d.Expected))}
		f.NextStep = &Text{EN: fmt.Sprintf("Wait for the exchange (expected on %s), or propose an opening that starts later.", dateEN(d.Expected)),
			FR: fmt.Sprintf("Attendre l'échange (prévu le %s), ou proposer une offre qui commence plus tard.", dateFR(d.Expected))}
	case d.Status == LicenceExchangeInProgress && covers:
		f.Text = Text{EN: fmt.Sprintf("A French driving licence %s is required; the exchange in progress has no expected day.", l),
			FR: fmt.Sprintf("Le permis %s français est requis ; l'échange en cours n'a pas de date prévue.", l)}
		f.NextStep = &Text{EN: "Ask the ANTS when the exchange will be done, and record the day.",
			FR: "Demander à l'ANTS quand l'échange aboutira, et noter la date."}
	case d.Status == LicenceForeignNotExchangeable && covers:
		f.Text = Text{EN: fmt.Sprintf("A French driving licence %s is required; the seeker's foreign licence cannot be exchanged.", l),
			FR: fmt.Sprintf("Le permis %s français est requis ; le permis étranger de la personne n'est pas échangeable.", l)}
		f.NextStep = &Text{EN: fmt.Sprintf("Take the French licence %s: the code, then driving lessons (the experience abroad helps).", l),
			FR: fmt.Sprintf("Passer le permis %s français : le code, puis la conduite (l'expérience acquise à l'étranger aide).", l)}
	case d.Status == LicenceNone:
		f.Text = Text{EN: fmt.Sprintf("Driving licence %s is required; the seeker has no licence.", l),
			FR: fmt.Sprintf("Le permis %s est requis ; la personne n'a pas de permis.", l)}
	default:
		f.Text = Text{EN: fmt.Sprintf("Driving licence %s is required.", l), FR: fmt.Sprintf("Le permis %s est requis.", l)}
		if d.Status == "" {
			f.NextStep = &Text{EN: fmt.Sprintf("Record the seeker's driving licence, or prepare licence %s with a driving school.", l),
				FR: fmt.Sprintf("Renseigner le permis de conduire de la personne, ou préparer le permis %s en auto-école.", l)}
		}
	}
	return f
}

func datesFailure(s *Seeker, o *Opening, now time.Time, explain bool) (Failure, bool) {
	today := day(now)
	avail := availableFrom(s, now)
	switch {
	case !o.End.IsZero() && day(o.End).Before(today):
		if !explain {
			return Failure{}, true
		}
		return Failure{Code: ReasonDates,
			Text: Text{EN: fmt.Sprintf("The opening ended on %s.", dateEN(o.End)), FR: fmt.Sprintf("L'offre s'est terminée le %s.", dateFR(o.End))}}, true
	case !o.End.IsZero() && day(o.End).Before(avail):
		if !explain {
			return Failure{}, true
		}
		return Failure{Code: ReasonDates,
			Text: Text{EN: fmt.Sprintf("The opening ends on %s, before the seeker is available (%s).", dateEN(o.End), dateEN(avail)),
				FR: fmt.Sprintf("L'offre se termine le %s, avant que la personne soit disponible (%s).", dateFR(o.End), dateFR(avail))},
			NextStep: &Text{EN: "Look for a later opening.", FR: "Chercher une offre plus tardive."}}, true
	case (o.Kind == KindTraining || o.Kind == KindPMSMP) && !o.Start.IsZero() && day(o.Start).Before(avail):
		if !explain {
			return Failure{}, true
		}
		if day(o.Start).Before(today) {
			return Failure{Code: ReasonDates,
				Text:     Text{EN: fmt.Sprintf("It started on %s.", dateEN(o.Start)), FR: fmt.Sprintf("Elle a commencé le %s.", dateFR(o.Start))},
				NextStep: &Text{EN: "Look for a later session.", FR: "Chercher une session plus tardive."}}, true
		}
		return Failure{Code: ReasonDates,
			Text: Text{EN: fmt.Sprintf("It starts on %s, before the seeker is available (%s).", dateEN(o.Start), dateEN(avail)),
				FR: fmt.Sprintf("Elle commence le %s, avant que la personne soit disponible (%s).", dateFR(o.Start), dateFR(avail))},
			NextStep: &Text{EN: "Look for a later session.", FR: "Chercher une session plus tardive."}}, true
	}
	return Failure{}, false
}

var (
	dayEN = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	dayFR = [7]string{"le lundi", "le mardi", "le mercredi", "le jeudi", "le vendredi", "le samedi", "le dimanche"}
)

// dayNames names the days of d in English and French: "Saturday and
// Sunday", "le samedi et le dimanche".
func dayNames(d Weekdays) (en, fr string) {
	var e, f []string
	for i := 0; i < 7; i++ {
		if d&(1<<i) != 0 {
			e, f = append(e, dayEN[i]), append(f, dayFR[i])
		}
	}
	return joinAnd(e, ", ", " and "), joinAnd(f, ", ", " et ")
}

func joinAnd(list []string, sep, last string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], sep) + last + list[len(list)-1]
}

// DefaultHoursTolerance is how many more hours than a seeker can do, as a
// fraction, an opening may ask and stay a candidate (with a penalty).
const DefaultHoursTolerance = 0.10

// maxHours is the most hours a week an opening may ask of s: their hours
// and the tolerance, rounded down.
func maxHours(s *Seeker) int {
	tol := s.HoursTolerance
	if tol <= 0 {
		tol = DefaultHoursTolerance
	}
	return int(math.Floor(float64(s.HoursPerWeek)*(1+tol) + 1e-9))
}
