package jobs

import (
	"context"
	"reflect"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/ids"
)

// Validate reports the rules that span an opportunity's fields: what each
// kind needs, and dates in order. Each bad field is named in English and
// French.
func (o Opportunity) Validate() error {
	var bad []apperr.FieldError
	add := func(ptr, en, fr string) {
		bad = append(bad, apperr.FieldError{Pointer: ptr, Detail: en, DetailFR: fr})
	}
	if o.End != "" && o.End.Before(o.Start) {
		add("/endDate", "endDate must not be before startDate.", "endDate ne doit pas précéder startDate.")
	}
	switch o.Kind {
	case KindJob:
		if o.Contract == nil {
			add("/contract", "A job offer needs its contract.", "Une offre d'emploi doit préciser son contrat.")
		}
		if o.PMSMP != nil {
			add("/pmsmp", "Only a PMSMP placement has a pmsmp block.", "Seule une PMSMP a un bloc pmsmp.")
		}
	case KindPMSMP:
		if o.PMSMP == nil {
			add("/pmsmp", "A PMSMP placement needs its host and objective.", "Une PMSMP doit préciser sa structure d'accueil et son objectif.")
		}
		if o.Contract != nil {
			add("/contract", "A PMSMP is not an employment contract.", "Une PMSMP n'est pas un contrat de travail.")
		}
		if o.End == "" {
			add("/endDate", "A PMSMP placement needs an end date.", "Une PMSMP doit avoir une date de fin.")
		} else if o.End.After(o.Start.AddDate(0, 1, -1)) {
			add("/endDate", "A PMSMP lasts at most one month from date to date.", "Une PMSMP dure au plus un mois de date à date.")
		}
	case KindTraining:
		if o.Contract != nil || o.PMSMP != nil {
			add("/kind", "A training session has neither contract nor pmsmp block.", "Une formation n'a ni contrat ni bloc pmsmp.")
		}
	}
	if len(bad) > 0 {
		return apperr.Invalidf(bad, "Some fields are invalid.").FR("Certains champs sont invalides.")
	}
	return nil
}

// Service holds the use cases of opportunities: publishing, reading what
// one may see, editing and closing one's own, and agencies' openings kept
// in step with their own systems.
type Service struct {
	Store Store
	// Submissions keeps the agencies' last bulk submissions (nil: none).
	Submissions SubmissionStore
	// Hosts keeps the directories of PMSMP hosts.
	Hosts HostStore
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Closed, if set, hears of each opportunity that stops being open
	// (closed, filled or expired) once that is recorded, with who did it:
	// the proposals waiting on it are withdrawn. Approving, sending and
	// accepting check the opportunity's status themselves, so a failure
	// here leaves nothing to be accepted.
	Closed func(ctx context.Context, o Opportunity, by string)
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return s.Now().UTC().Truncate(time.Millisecond)
}

// Create publishes o for who's organisation (open unless another status is
// given): apperr.Invalid for the rules Validate holds.
func (s *Service) Create(ctx context.Context, who access.Principal, o Opportunity) (Opportunity, error) {
	if err := o.Validate(); err != nil {
		return Opportunity{}, err
	}
	now := s.now()
	o.ID, o.OrganisationID, o.ExternalRef = ids.NewAt("opp", now), who.OrganisationID, ""
	o.CreatedAt, o.UpdatedAt, o.Version = now, now, 1
	if o.Status == "" {
		o.Status = StatusOpen
	}
	if err := s.Store.CreateOpportunity(ctx, o); err != nil {
		return Opportunity{}, err
	}
	return o, nil
}

// notVisible is the answer for an opportunity one may not see: as one that
// does not exist.
func notVisible() error {
	return apperr.NotFoundf("No such opportunity.").FR("Cette opportunité n'existe pas.")
}

// Get returns an opportunity who may see (Opportunity.VisibleTo).
func (s *Service) Get(ctx context.Context, who access.Principal, id string) (Opportunity, error) {
	o, err := s.Store.Opportunity(ctx, id)
	if err != nil {
		return o, err
	}
	if !o.VisibleTo(who) {
		return Opportunity{}, notVisible()
	}
	return o, nil
}

// own returns an opportunity of who's organisation.
func (s *Service) own(ctx context.Context, who access.Principal, id string) (Opportunity, error) {
	o, err := s.Store.Opportunity(ctx, id)
	if err != nil {
		return o, err
	}
	if o.OrganisationID != who.OrganisationID {
		return Opportunity{}, notVisible()
	}
	return o, nil
}

// List returns a page of the opportunities who may see: an agency its own,
// staff every published one and their organisation's drafts.
func (s *Service) List(ctx context.Context, who access.Principal, f Filter) ([]Opportunity, string, error) {
	f.OrganisationID, f.Visible = "", ""
	if who.Is(access.Adviser, access.Coordinator) {
		f.Visible = who.OrganisationID
	} else {
		f.OrganisationID = who.OrganisationID
	}
	return s.Store.Opportunities(ctx, f)
}

// Update changes who's organisation's opportunity id, read at version:
// change edits a copy of the stored record. The kind never changes
// (apperr.Invalid); apperr.PreconditionFailed when it moved past version.
func (s *Service) Update(ctx context.Context, who access.Principal, id string, version int64, change func(*Opportunity) error) (Opportunity, error) {
	cur, err := s.own(ctx, who, id)
	if err != nil {
		return Opportunity{}, err
	}
	if cur.Version != version {
		return Opportunity{}, apperr.Stale()
	}
	next := cur
	if err := change(&next); err != nil {
		return Opportunity{}, err
	}
	if next.Kind != cur.Kind {
		return Opportunity{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/kind",
			Detail: "The kind of an opportunity cannot change; create a new one.", DetailFR: "Le type d'une opportunité ne change pas ; créez-en une nouvelle."}},
			"Some fields are invalid.").FR("Certains champs sont invalides.")
	}
	if err := next.Validate(); err != nil {
		return Opportunity{}, err
	}
	return s.replace(ctx, who.UserID, cur, next)
}

// replace stores next as the version after cur; what is not edited stays.
// An opportunity that stops being open is told to Closed.
func (s *Service) replace(ctx context.Context, by string, cur, next Opportunity) (Opportunity, error) {
	next.ID, next.OrganisationID, next.ExternalRef, next.CreatedAt = cur.ID, cur.OrganisationID, cur.ExternalRef, cur.CreatedAt
	if next.Status == "" {
		next.Status = StatusOpen
	}
	next.Version, next.UpdatedAt = cur.Version+1, s.now()
	if err := s.Store.ReplaceOpportunity(ctx, next); err != nil {
		return Opportunity{}, err
	}
	if cur.Status == StatusOpen && next.Status != StatusOpen && s.Closed != nil {
		s.Closed(context.WithoutCancel(ctx), next, by)
	}
	return next, nil
}

// Close closes who's organisation's opportunity id; closing a closed one
// changes nothing.
func (s *Service) Close(ctx context.Context, who access.Principal, id string) (Opportunity, error) {
	o, err := s.own(ctx, who, id)
	if err != nil {
		return o, err
	}
	if o.Status == StatusClosed {
		return o, nil
	}
	next := o
	next.Status = StatusClosed
	return s.replace(ctx, who.UserID, o, next)
}

// Outcome is what an agency's submission of one opening did.
type Outcome string

// Outcomes of a submission.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	// StayedClosed: the opening its owner closed stays closed; what the
	// submission changed is recorded. Sending status "open" reopens it.
	StayedClosed Outcome = "stayed-closed"
)

// Upsert creates or updates who's organisation's opening by its own
// reference ref, with o's content. An unchanged opening keeps its version,
// so retries are harmless; concurrent submissions of one reference settle
// on one record.
func (s *Service) Upsert(ctx context.Context, who access.Principal, ref string, o Opportunity) (Opportunity, Outcome, error) {
	if err := o.Validate(); err != nil {
		return Opportunity{}, "", err
	}
	for range 3 {
		cur, err := s.Store.OpportunityByRef(ctx, who.OrganisationID, ref)
		switch {
		case apperr.Is(err, apperr.NotFound):
			now := s.now()
			created := o
			created.ID, created.OrganisationID, created.ExternalRef = ids.NewAt("opp", now), who.OrganisationID, ref
			created.CreatedAt, created.UpdatedAt, created.Version = now, now, 1
			if created.Status == "" {
				created.Status = StatusOpen
			}
			err := s.Store.CreateOpportunity(ctx, created)
			if apperr.Is(err, apperr.Conflict) {
				continue // created meanwhile by a concurrent call: update it
			}
			return created, Created, err
		case err != nil:
			return Opportunity{}, "", err
		}
		want, outcome := o, Updated
		// A feed sent again does not reopen what its owner closed: only
		// an explicit status does.
		if cur.Status == StatusClosed && o.Status == "" {
			want.Status, outcome = StatusClosed, StayedClosed
		}
		if sameContent(cur, want) {
			if outcome == StayedClosed {
				return cur, StayedClosed, nil
			}
			return cur, Unchanged, nil
		}
		next, err := s.replace(ctx, who.UserID, cur, want)
		if apperr.Is(err, apperr.PreconditionFailed) {
			continue
		}
		return next, outcome, err
	}
	return Opportunity{}, "", apperr.Conflictf("The opening %s is being changed by another request; retry.", ref).
		FR("L'offre %s est modifiée par une autre requête ; réessayez.", ref)
}

// sameContent reports whether o holds what cur holds, leaving out the
// record's identity, versions and times, and with an empty status meaning open.
func sameContent(cur, o Opportunity) bool {
	a, b := cur, o
	for _, x := range []*Opportunity{&a, &b} {
		x.ID, x.OrganisationID, x.ExternalRef, x.Version = "", "", "", 0
		x.CreatedAt, x.UpdatedAt = time.Time{}, time.Time{}
		if x.Status == "" {
			x.Status = StatusOpen
		}
	}
	return reflect.DeepEqual(normalise(a), normalise(b))
}

// normalise gives empty lists one form, so a list stored empty equals one
// not given.
func normalise(o Opportunity) Opportunity {
	if len(o.Days) == 0 {
		o.Days = nil
	}
	if len(o.Diplomas) == 0 {
		o.Diplomas = nil
	}
	if len(o.Licences) == 0 {
		o.Licences = nil
	}
	if len(o.Skills) == 0 {
		o.Skills = nil
	}
	return o
}
