package pathways

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/ids"
)

// Programme is one of an organisation's programmes (AGIR, BOOSTER, a
// Kodiko co-training, …): the rule set its funder counts by, how long
// support may last, and when outcomes are measured.
type Programme struct {
	ID             string
	OrganisationID string
	Name           string
	// RuleSet names the built-in rule set its positive exits follow.
	RuleSet string
	// DurationMonths is the longest support may last (AGIR: 24); 0 for no limit.
	DurationMonths int
	// Horizons are the months after entry outcomes are measured at (T+6, T+12).
	Horizons []int
	// ExitHorizons are the months after exit the follow-up interviews fall
	// at (AGIR: 3 and 6).
	ExitHorizons []int
	// TargetRate is the positive-exit rate the funder expects, in percent; nil for none.
	TargetRate *float64
	CreatedAt  time.Time
	CreatedBy  string
}

// Key is the programme's name as it is matched: accents, case and spaces
// do not count ("Agir", "AGIR " and "agir" are one programme).
func (p Programme) Key() string { return Fold(p.Name) }

// AllHorizons lists the horizons the programme measures: months after
// entry, then months after exit (ExitHorizon).
func (p Programme) AllHorizons() []int {
	out := append([]int(nil), p.Horizons...)
	for _, m := range p.ExitHorizons {
		out = append(out, ExitHorizon(m))
	}
	return out
}

// Rules returns the programme's rule set.
func (p Programme) Rules() RuleSet {
	if rs, ok := RuleSets[p.RuleSet]; ok {
		return rs
	}
	return RuleSetFor(p.Name)
}

// ProgrammeStore keeps programmes.
type ProgrammeStore interface {
	// CreateProgramme inserts p: apperr.Conflict if org has a programme of the same Key.
	CreateProgramme(ctx context.Context, p Programme) error
	// Programmes lists org's programmes by name ("" for every organisation's).
	Programmes(ctx context.Context, org string) ([]Programme, error)
	// ReplaceProgramme stores p over the programme of its id, and gives
	// its files its name: apperr.Conflict if another has the same Key.
	ReplaceProgramme(ctx context.Context, p Programme) error
}

// ProgrammeDefaults are the settings a programme gets from its rule set
// when its coordinator leaves them empty.
func ProgrammeDefaults(p Programme) Programme {
	if p.RuleSet == "" {
		p.RuleSet = RuleSetFor(p.Name).Name
	}
	if len(p.Horizons) == 0 {
		p.Horizons = append([]int(nil), Horizons...)
	}
	if p.ExitHorizons == nil {
		p.ExitHorizons = []int{}
		if p.RuleSet == RuleSetAGIR.Name {
			p.ExitHorizons = []int{3, 6}
		}
	}
	if p.DurationMonths == 0 && p.RuleSet == RuleSetAGIR.Name {
		p.DurationMonths = 24
	}
	return p
}

// validate names each setting the programme breaks.
func (p Programme) validate() error {
	var bad []apperr.FieldError
	add := func(ptr, tag, en, fr string) {
		bad = append(bad, apperr.FieldError{Pointer: ptr, Tag: tag, Detail: en, DetailFR: fr})
	}
	if n := len([]rune(strings.TrimSpace(p.Name))); n == 0 || n > 40 {
		add("/name", "required", "The programme needs a name of 1 to 40 characters.", "Le dispositif a besoin d'un nom de 1 à 40 caractères.")
	}
	if _, ok := RuleSets[p.RuleSet]; !ok {
		add("/ruleSet", "oneof", "The rule set must be one of: "+strings.Join(RuleSetNames(), ", ")+".", "Le jeu de règles doit être l'un de : "+strings.Join(RuleSetNames(), ", ")+".")
	}
	if p.DurationMonths < 0 || p.DurationMonths > 120 {
		add("/durationMonths", "max", "The duration is from 0 (no limit) to 120 months.", "La durée va de 0 (sans limite) à 120 mois.")
	}
	months := func(ptr string, list []int) {
		for _, m := range list {
			if m < 1 || m > 60 {
				add(ptr, "max", "Each horizon is from 1 to 60 months.", "Chaque échéance va de 1 à 60 mois.")
				return
			}
		}
	}
	months("/horizons", p.Horizons)
	months("/exitHorizons", p.ExitHorizons)
	if r := p.TargetRate; r != nil && (*r < 0 || *r > 100) {
		add("/targetRate", "max", "The target rate is a percentage from 0 to 100.", "Le taux cible est un pourcentage de 0 à 100.")
	}
	if len(bad) > 0 {
		return apperr.Invalidf(bad, "The programme is not valid.").FR("Le dispositif n'est pas valide.")
	}
	return nil
}

// CreateProgramme adds a programme to who's organisation. Coordinators
// only; apperr.Conflict when the organisation has one of the same name
// (accents and case aside).
func (s *Service) CreateProgramme(ctx context.Context, who access.Principal, p Programme) (Programme, error) {
	if who.Role != access.Coordinator {
		return Programme{}, apperr.New(apperr.Forbidden, "Only coordinators manage programmes.").FR("Seuls les coordinateurs gèrent les dispositifs.")
	}
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p = ProgrammeDefaults(p)
	if err := p.validate(); err != nil {
		return Programme{}, err
	}
	now := s.now()
	p.ID, p.OrganisationID, p.CreatedAt, p.CreatedBy = ids.NewAt("prg", now), who.OrganisationID, now, who.UserID
	sort.Ints(p.Horizons)
	sort.Ints(p.ExitHorizons)
	if err := s.Programmes.CreateProgramme(ctx, p); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Programme{}, apperr.Conflictf("The organisation has a programme named %q already.", p.Name).FR("L'organisation a déjà un dispositif nommé « %s ».", p.Name)
		}
		return Programme{}, err
	}
	return p, nil
}

// ListProgrammes lists who's organisation's programmes by name.
func (s *Service) ListProgrammes(ctx context.Context, who access.Principal) ([]Programme, error) {
	return s.Programmes.Programmes(ctx, who.OrganisationID)
}

// Programme finds one of who's organisation's programmes by its id, or by
// its name with accents and case aside: apperr.NotFound naming the
// organisation's programmes when none matches.
func (s *Service) Programme(ctx context.Context, who access.Principal, ref string) (Programme, error) {
	return s.programme(ctx, who.OrganisationID, ref)
}

func (s *Service) programme(ctx context.Context, org, ref string) (Programme, error) {
	list, err := s.Programmes.Programmes(ctx, org)
	if err != nil {
		return Programme{}, err
	}
	names := make([]string, len(list))
	for i, p := range list {
		if p.ID == ref || p.Key() == Fold(ref) {
			return p, nil
		}
		names[i] = p.Name
	}
	if len(names) == 0 {
		return Programme{}, apperr.NotFoundf("The organisation has no programme yet: a coordinator adds them.").
			FR("L'organisation n'a encore aucun dispositif : un coordinateur les ajoute.")
	}
	return Programme{}, apperr.NotFoundf("No programme of the organisation is named %q; its programmes are: %s.", ref, strings.Join(names, ", ")).
		FR("Aucun dispositif de l'organisation ne s'appelle « %s » ; ses dispositifs sont : %s.", ref, strings.Join(names, ", "))
}

// enrol sets the enrolment's programme to the record it names, by id or by
// name: apperr.Invalid on /enrolment/programme when none matches.
func (s *Service) enrol(ctx context.Context, org string, e *Enrolment) error {
	// A name, when given, is what the person chose (a merge patch of the
	// name keeps the old id beside it).
	ref := e.Programme
	if ref == "" {
		ref = e.ProgrammeID
	}
	p, err := s.programme(ctx, org, ref)
	if apperr.Is(err, apperr.NotFound) {
		ae, _ := apperr.As(err)
		ptr := "/enrolment/programme"
		if e.Programme == "" {
			ptr = "/enrolment/programmeId"
		}
		return apperr.Invalidf([]apperr.FieldError{{Pointer: ptr, Tag: "oneof", Detail: ae.Message, DetailFR: ae.MessageFR}}, "The file is not valid.").
			FR("Le dossier n'est pas valide.")
	}
	if err != nil {
		return err
	}
	e.ProgrammeID, e.Programme = p.ID, p.Name
	return nil
}

// ChangeProgramme replaces the settings of who's organisation's programme
// id by those of next: coordinators only; apperr.Conflict when another
// programme has the new name. Its files follow a new name. Measurements
// already made keep the rule set and version that classified them; the
// next run measures under the new settings.
func (s *Service) ChangeProgramme(ctx context.Context, who access.Principal, id string, next Programme) (Programme, error) {
	if who.Role != access.Coordinator {
		return Programme{}, apperr.New(apperr.Forbidden, "Only coordinators manage programmes.").FR("Seuls les coordinateurs gèrent les dispositifs.")
	}
	cur, err := s.programme(ctx, who.OrganisationID, id)
	if err != nil || cur.ID != id {
		return Programme{}, apperr.NotFoundf("No such programme.").FR("Ce dispositif n'existe pas.")
	}
	next.Name = strings.Join(strings.Fields(next.Name), " ")
	next = ProgrammeDefaults(next)
	if err := next.validate(); err != nil {
		return Programme{}, err
	}
	next.ID, next.OrganisationID, next.CreatedAt, next.CreatedBy = cur.ID, cur.OrganisationID, cur.CreatedAt, cur.CreatedBy
	sort.Ints(next.Horizons)
	sort.Ints(next.ExitHorizons)
	if err := s.Programmes.ReplaceProgramme(ctx, next); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Programme{}, apperr.Conflictf("The organisation has a programme named %q already.", next.Name).FR("L'organisation a déjà un dispositif nommé « %s ».", next.Name)
		}
		return Programme{}, err
	}
	return next, nil
}
