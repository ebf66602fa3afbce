package pathways

import (
	"context"
	"fmt"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
)

// SituationKind is what a beneficiary was doing over a period: a contract, a
// training, an internship, a job search, or the exit from the programme.
type SituationKind string

// Situation kinds (domain.md, "Outcomes").
const (
	// Employment.
	SituationCDI              SituationKind = "cdi"
	SituationCDD              SituationKind = "cdd"
	SituationInterim          SituationKind = "interim"
	SituationSubsidised       SituationKind = "subsidised-contract"
	SituationBusinessCreation SituationKind = "business-creation"
	SituationPublicSector     SituationKind = "public-sector"
	// SituationInsertionHire is a hire by another insertion structure (SIAE).
	SituationInsertionHire SituationKind = "insertion-hire"
	// Training.
	SituationQualifyingTraining    SituationKind = "qualifying-training"
	SituationPreQualifyingTraining SituationKind = "pre-qualifying-training"
	SituationFLE                   SituationKind = "fle-training"
	// Work-based learning.
	SituationInternship SituationKind = "internship"
	SituationAlternance SituationKind = "alternance"
	// SituationPMSMP is a work placement (période de mise en situation en
	// milieu professionnel).
	SituationPMSMP SituationKind = "pmsmp"
	// No activity yet, or leaving the programme.
	SituationJobSearch     SituationKind = "job-search"
	SituationProgrammeExit SituationKind = "programme-exit"
	// SituationHousing is where the person lives, with its tenure.
	SituationHousing SituationKind = "housing"
)

// Housing tenures.
const (
	TenureSocialLandlord  = "social-landlord"
	TenurePrivateLandlord = "private-landlord"
	// TenureIntermediation: bail glissant, intermédiation locative.
	TenureIntermediation = "intermediation"
	TenureCPH            = "cph"
	TenureCHRS           = "chrs"
	TenureEmergency      = "emergency"
	// TenureHosted: by family or friends.
	TenureHosted = "hosted"
	TenureOther  = "other"
)

// Tenures lists the housing tenures.
var Tenures = []string{TenureSocialLandlord, TenurePrivateLandlord, TenureIntermediation, TenureCPH, TenureCHRS, TenureEmergency, TenureHosted, TenureOther}

// Housing groups.
const (
	HousingAutonomous = "autonomous" // a lease of one's own: social or private landlord
	HousingSupported  = "supported"  // intermediation, CPH, CHRS
	HousingOther      = "other"
)

// HousingGroup is the group a tenure counts in.
func HousingGroup(tenure string) string {
	switch tenure {
	case TenureSocialLandlord, TenurePrivateLandlord:
		return HousingAutonomous
	case TenureIntermediation, TenureCPH, TenureCHRS:
		return HousingSupported
	}
	return HousingOther
}

// SituationKinds lists the accepted kinds.
var SituationKinds = []SituationKind{
	SituationCDI, SituationCDD, SituationInterim, SituationSubsidised, SituationBusinessCreation,
	SituationPublicSector, SituationInsertionHire, SituationQualifyingTraining, SituationPreQualifyingTraining,
	SituationFLE, SituationInternship, SituationAlternance, SituationPMSMP, SituationJobSearch, SituationProgrammeExit, SituationHousing,
}

// ExitReasons are the reasons a programme exit may give (BOOSTER's
// vocabulary, shared by the other programmes).
var ExitReasons = []string{"success", "re-orientation", "drop-out", "exclusion", "moved", "deceased", "end-of-programme", "other"}

// Situation is one dated situation of a beneficiary. Start is inclusive; End
// is inclusive and optional (an open end means ongoing). A fixed-term
// contract (CDD, intérim) carries its contracted duration in months; when it
// has no End, it ends the day before Start + DurationMonths.
type Situation struct {
	ID             string
	OrganisationID string
	BeneficiaryID  string
	Kind           SituationKind
	Start          civil.Date
	End            civil.Date
	DurationMonths int
	// ExitReason is set on a programme exit.
	ExitReason string
	// Tenure is set on a housing (Tenures).
	Tenure string
	// Employer or training body, and a short note; free text.
	Employer string
	Note     string

	RecordedAt time.Time
	RecordedBy string
	// EndReason says why the situation ended early (a contract lost, a
	// training left), when an adviser ended it.
	EndReason string
	// Voided is set when the situation was recorded by mistake: it stays
	// for the history, and no measurement or report counts it.
	Voided *Stamp
	// History lists the changes made to the situation since it was
	// recorded, oldest first, each with the values it replaced.
	History []Revision
}

// Stamp says who did something, when, and why.
type Stamp struct {
	At     time.Time
	By     string
	Reason string
}

// Revision actions.
const (
	RevisionEnd     = "end"
	RevisionCorrect = "correct"
	RevisionVoid    = "void"
)

// Revision is one change made to a recorded situation: what was done, by
// whom, when and why, and the values the situation had before.
type Revision struct {
	Action string
	Stamp
	Previous SituationValues
}

// SituationValues are the values of a situation a revision can change.
type SituationValues struct {
	Kind           SituationKind
	Start          civil.Date
	End            civil.Date
	DurationMonths int
	ExitReason     string
	Tenure         string
	Employer       string
	Note           string
	EndReason      string
}

// Values returns the values a revision can change.
func (s Situation) Values() SituationValues {
	return SituationValues{Kind: s.Kind, Start: s.Start, End: s.End, DurationMonths: s.DurationMonths, ExitReason: s.ExitReason,
		Tenure: s.Tenure, Employer: s.Employer, Note: s.Note, EndReason: s.EndReason}
}

// WithValues returns s holding v.
func (s Situation) WithValues(v SituationValues) Situation {
	s.Kind, s.Start, s.End, s.DurationMonths, s.ExitReason = v.Kind, v.Start, v.End, v.DurationMonths, v.ExitReason
	s.Tenure, s.Employer, s.Note, s.EndReason = v.Tenure, v.Employer, v.Note, v.EndReason
	return s
}

// Counted keeps the situations measurements and reports count: all but
// the voided ones.
func Counted(list []Situation) []Situation {
	out := make([]Situation, 0, len(list))
	for _, s := range list {
		if s.Voided == nil {
			out = append(out, s)
		}
	}
	return out
}

// Fact is what a situation says of the person, as measurements compare it:
// two versions of a situation with the same fact count the same.
func (s Situation) Fact() string {
	return fmt.Sprintf("%s|%s|%s|%s|%d|%s|%s", s.ID, s.Kind, s.Start, s.EffectiveEnd(), s.DurationMonths, s.ExitReason, s.Tenure)
}

// FixedTerm reports whether the kind is a fixed-term contract, whose
// duration decides between durable and transitional employment.
func (k SituationKind) FixedTerm() bool { return k == SituationCDD || k == SituationInterim }

// Valid reports whether k is a known kind.
func (k SituationKind) Valid() bool {
	for _, v := range SituationKinds {
		if k == v {
			return true
		}
	}
	return false
}

// EffectiveEnd is the last day of the situation: End, or for a fixed-term
// contract without End the day before Start + DurationMonths, or "" when the
// situation is ongoing.
func (s Situation) EffectiveEnd() civil.Date {
	if s.End != "" {
		return s.End
	}
	if s.Kind.FixedTerm() && s.DurationMonths > 0 {
		return s.Start.AddDate(0, s.DurationMonths, -1)
	}
	return ""
}

// Covers reports whether day d falls within [Start, EffectiveEnd], both
// inclusive; an open end covers every day from Start on.
func (s Situation) Covers(d civil.Date) bool {
	if d < s.Start {
		return false
	}
	end := s.EffectiveEnd()
	return end == "" || d <= end
}

// Validate reports every rule the situation breaks as field errors whose
// pointers name the input fields: a known kind, a real start date, an end
// not before the start, a duration for a CDD or an intérim, a reason for a
// programme exit (and only there).
func (s Situation) Validate() error {
	var bad []apperr.FieldError
	add := func(ptr, tag, en, fr string) {
		bad = append(bad, apperr.FieldError{Pointer: ptr, Detail: en, DetailFR: fr, Tag: tag})
	}
	if !s.Kind.Valid() {
		add("/kind", "oneof", "The kind of situation is not one Parcours knows.", "Ce type de situation n'est pas connu de Parcours.")
	}
	if !s.Start.Valid() {
		add("/startDate", "date", "The start date must be a date written YYYY-MM-DD.", "La date de début doit être une date valide.")
	}
	if s.End != "" {
		if !s.End.Valid() {
			add("/endDate", "date", "The end date must be a date written YYYY-MM-DD.", "La date de fin doit être une date valide.")
		} else if s.Start.Valid() && s.End < s.Start {
			add("/endDate", "gtefield", "The end date cannot precede the start date.", "La date de fin ne peut pas précéder la date de début.")
		}
	}
	switch {
	case s.Kind.FixedTerm() && s.DurationMonths <= 0:
		add("/durationMonths", "required", "A CDD or an intérim needs its duration in months.", "Un CDD ou une mission d'intérim a besoin de sa durée en mois.")
	case s.DurationMonths < 0 || s.DurationMonths > 120:
		add("/durationMonths", "max", "The duration must be from 1 to 120 months.", "La durée va de 1 à 120 mois.")
	}
	if s.Kind == SituationProgrammeExit {
		if !contains(ExitReasons, s.ExitReason) {
			add("/exitReason", "oneof", "A programme exit needs a reason: success, re-orientation, drop-out, exclusion, moved, deceased, end-of-programme or other.",
				"Une sortie du dispositif a besoin d'un motif : sortie positive, réorientation, abandon, exclusion, déménagement, décès, fin de prise en charge ou autre.")
		}
	} else if s.ExitReason != "" {
		add("/exitReason", "excluded", "Only a programme exit has a reason.", "Seule une sortie du dispositif a un motif.")
	}
	if s.Kind == SituationHousing {
		if !contains(Tenures, s.Tenure) {
			add("/tenure", "oneof", "A housing needs its tenure: social-landlord, private-landlord, intermediation, cph, chrs, emergency, hosted or other.",
				"Un logement a besoin de son statut : bailleur social, bailleur privé, intermédiation locative, CPH, CHRS, hébergement d'urgence, hébergé par des proches ou autre.")
		}
	} else if s.Tenure != "" {
		add("/tenure", "excluded", "Only a housing has a tenure.", "Seul un logement a un statut d'occupation.")
	}
	if len(bad) > 0 {
		return apperr.Invalidf(bad, "The situation is not valid.").FR("La situation n'est pas valide.")
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// SituationStore keeps situations. A change to a situation keeps the values
// it replaced in its History, and measurements keep their own copies, so
// that every measurement can be reproduced.
type SituationStore interface {
	// CreateSituation inserts s.
	CreateSituation(ctx context.Context, s Situation) error
	// Situation returns org's situation id, or apperr.NotFound.
	Situation(ctx context.Context, org, id string) (Situation, error)
	// ReviseSituation stores s if the stored one still has len(s.History)-1
	// revisions: apperr.PreconditionFailed if it changed meanwhile.
	ReviseSituation(ctx context.Context, s Situation) error
	// Situations returns the situations of org's beneficiary, by start date
	// then id.
	Situations(ctx context.Context, org, beneficiaryID string) ([]Situation, error)
	// SituationsOf returns the situations of several of org's
	// beneficiaries ("" for any organisation's) in one read, by beneficiary.
	SituationsOf(ctx context.Context, org string, beneficiaryIDs []string) (map[string][]Situation, error)
}
