package matching

import "fmt"

// Outcome is what an opening leads to, as the programmes' rule sets count
// exits.
type Outcome string

// The outcomes an opening leads to.
const (
	OutcomeCDI        Outcome = "cdi"
	OutcomeFixedLong  Outcome = "fixed-term-6-months-or-more" // CDD or intérim of 6 months or more
	OutcomeFixedShort Outcome = "fixed-term-under-6-months"
	OutcomeAlternance Outcome = "alternance"
	OutcomeSubsidised Outcome = "subsidised-contract"
	OutcomeQualifying Outcome = "qualifying-training"
	OutcomeLanguage   Outcome = "language-course"
	OutcomePlacement  Outcome = "placement" // a PMSMP: a step, not an exit
)

// numOutcomes counts the outcomes.
const numOutcomes = 8

// Outcomes lists the outcomes.
var Outcomes = [numOutcomes]Outcome{OutcomeCDI, OutcomeFixedLong, OutcomeFixedShort, OutcomeAlternance, OutcomeSubsidised, OutcomeQualifying, OutcomeLanguage, OutcomePlacement}

// outcomeNumber numbers an outcome for the prepared pairs: its place in
// Outcomes from 1, 0 for one not known.
func outcomeNumber(o Outcome) uint8 {
	for i, x := range Outcomes {
		if x == o {
			return uint8(i + 1)
		}
	}
	return 0
}

// OutcomeValue is how well an outcome serves the seeker's programme, in
// [0, 1]: the seeker's OutcomeValues, or 1 (no preference) for an outcome
// they do not name or an opening that names none.
func (s *Seeker) OutcomeValue(o Outcome) float64 {
	if v, ok := s.OutcomeValues[o]; ok && o != "" {
		return clamp01(v)
	}
	return 1
}

var outcomeFR = map[Outcome]string{
	OutcomeCDI: "un CDI", OutcomeFixedLong: "un contrat de 6 mois ou plus", OutcomeFixedShort: "un contrat de moins de 6 mois",
	OutcomeAlternance: "une alternance", OutcomeSubsidised: "un contrat aidé", OutcomeQualifying: "une formation qualifiante",
	OutcomeLanguage: "un cours de langue", OutcomePlacement: "une immersion (PMSMP)",
}

var outcomeEN = map[Outcome]string{
	OutcomeCDI: "a permanent contract", OutcomeFixedLong: "a contract of 6 months or more", OutcomeFixedShort: "a contract under 6 months",
	OutcomeAlternance: "a work-study contract", OutcomeSubsidised: "a subsidised contract", OutcomeQualifying: "a qualifying training",
	OutcomeLanguage: "a language course", OutcomePlacement: "a work placement (PMSMP)",
}

// outcomeText words the outcome component: what the opening leads to and
// how the programme counts it.
func outcomeText(c Component) Text {
	o := Outcome(c.Code)
	fr, en := outcomeFR[o], outcomeEN[o]
	if fr == "" {
		return Text{EN: "What the opening leads to is not known: no preference.", FR: "Ce à quoi l'offre mène n'est pas connu : aucune préférence."}
	}
	switch {
	case c.Value >= 0.85:
		return Text{EN: fmt.Sprintf("Leads to %s, which the programme counts as a positive exit.", en), FR: fmt.Sprintf("Mène à %s, que le dispositif compte comme une sortie positive.", fr)}
	case c.Value >= 0.5:
		return Text{EN: fmt.Sprintf("Leads to %s: a step the programme values, short of a positive exit.", en), FR: fmt.Sprintf("Mène à %s : une étape que le dispositif valorise, sans être une sortie positive.", fr)}
	}
	return Text{EN: fmt.Sprintf("Leads to %s, which the programme does not count as a positive exit.", en), FR: fmt.Sprintf("Mène à %s, que le dispositif ne compte pas comme une sortie positive.", fr)}
}
