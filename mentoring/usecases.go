package mentoring

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// The use cases below are what the adapters (API, console) call: each
// takes who asks and checks what they may see or do. A record of another
// organisation, or a mentor's record that is not theirs, is apperr.NotFound.

// Mentor returns who's organisation's mentor id.
func (s *Service) Mentor(ctx context.Context, who access.Principal, id string) (Mentor, error) {
	return s.Mentors.Mentor(ctx, who.OrganisationID, id)
}

// ListMentors returns a page of who's organisation's mentors.
func (s *Service) ListMentors(ctx context.Context, who access.Principal, f MentorFilter) ([]Mentor, string, error) {
	f.OrganisationID = who.OrganisationID
	return s.Mentors.Mentors(ctx, f)
}

// CreateMentor registers m in who's organisation: apperr.Invalid when the
// linked account is not a mentor of the organisation, apperr.Conflict when
// it has a profile already.
func (s *Service) CreateMentor(ctx context.Context, who access.Principal, m Mentor) (Mentor, error) {
	if err := s.checkUser(ctx, who.OrganisationID, m.UserID); err != nil {
		return Mentor{}, err
	}
	now := s.now()
	m.ID, m.OrganisationID, m.Active = ids.NewAt("men", now), who.OrganisationID, 0
	m.CreatedAt, m.UpdatedAt, m.Version = now, now, 1
	m = m.withDefaults()
	if err := s.Mentors.CreateMentor(ctx, m); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Mentor{}, apperr.Conflictf("This user already has a mentor profile.").FR("Cet utilisateur a déjà un profil de mentor.")
		}
		return Mentor{}, err
	}
	return m, nil
}

// UpdateMentor changes who's organisation's mentor id, read at version:
// change edits a copy of the stored profile (and may refuse with an
// error). apperr.PreconditionFailed when it moved past version.
func (s *Service) UpdateMentor(ctx context.Context, who access.Principal, id string, version int64, change func(*Mentor) error) (Mentor, error) {
	cur, err := s.Mentors.Mentor(ctx, who.OrganisationID, id)
	if err != nil {
		return Mentor{}, err
	}
	if cur.Version != version {
		return Mentor{}, apperr.Stale()
	}
	m := cur
	if err := change(&m); err != nil {
		return Mentor{}, err
	}
	if m.UserID != cur.UserID {
		if err := s.checkUser(ctx, who.OrganisationID, m.UserID); err != nil {
			return Mentor{}, err
		}
	}
	return s.replace(ctx, cur, m)
}

// Own returns the calling mentor's own profile.
func (s *Service) Own(ctx context.Context, who access.Principal) (Mentor, error) {
	m, err := s.Mentors.MentorByUser(ctx, who.UserID)
	if err != nil {
		return m, err
	}
	if m.OrganisationID != who.OrganisationID {
		return Mentor{}, apperr.NotFoundf("No mentor profile is linked to this account.").FR("Aucun profil de mentor n'est lié à ce compte.")
	}
	return m, nil
}

// OwnChange is what a mentor may change of their own profile. An empty
// Status keeps the current one.
type OwnChange struct {
	Skills, Interests, Languages []string
	Capacity                     int
	Availability                 MentorAvailability
	Status                       MentorStatus
}

// UpdateOwn applies a mentor's change to their profile read at version.
func (s *Service) UpdateOwn(ctx context.Context, who access.Principal, version int64, c OwnChange) (Mentor, error) {
	cur, err := s.Own(ctx, who)
	if err != nil {
		return Mentor{}, err
	}
	if cur.Version != version {
		return Mentor{}, apperr.Stale()
	}
	m := cur
	m.Skills, m.Interests, m.Languages, m.Capacity, m.Availability = c.Skills, c.Interests, c.Languages, c.Capacity, c.Availability
	if c.Status != "" {
		m.Status = c.Status
	}
	return s.replace(ctx, cur, m)
}

// replace stores m as the version after cur; what people do not edit is
// kept from cur.
func (s *Service) replace(ctx context.Context, cur, m Mentor) (Mentor, error) {
	m.ID, m.OrganisationID, m.Active, m.CreatedAt = cur.ID, cur.OrganisationID, cur.Active, cur.CreatedAt
	m = m.withDefaults()
	m.Version, m.UpdatedAt = cur.Version+1, s.now()
	if err := s.Mentors.ReplaceMentor(ctx, m); err != nil {
		return Mentor{}, err
	}
	return m, nil
}

// withDefaults fills what a profile needs: one mentee at least, active
// unless said otherwise, no empty training date.
func (m Mentor) withDefaults() Mentor {
	if m.Capacity == 0 {
		m.Capacity = 1
	}
	if m.Status == "" {
		m.Status = MentorActive
	}
	if m.TrainedAt != nil && m.TrainedAt.IsZero() {
		m.TrainedAt = nil
	}
	return m
}

// checkUser answers apperr.Invalid unless the linked user is a mentor of
// the organisation (no link is fine).
func (s *Service) checkUser(ctx context.Context, org, userID string) error {
	if userID == "" {
		return nil
	}
	u, err := s.Users.User(ctx, userID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if err != nil || u.OrganisationID != org || u.Role != access.Mentor {
		return apperr.Invalidf([]apperr.FieldError{{Pointer: "/userId",
			Detail:   "No user with the mentor role in your organisation has this id.",
			DetailFR: "Aucun utilisateur de votre organisation avec le rôle mentor n'a cet identifiant."}}, "Unknown user.").
			FR("Utilisateur inconnu.")
	}
	return nil
}

// MentorStates are the proposal states a mentor sees: what was sent to
// them, never what staff still review.
var MentorStates = []proposals.State{proposals.Sent, proposals.Accepted, proposals.Declined, proposals.Expired, proposals.Withdrawn}

// SentProposals returns a page of the proposals sent to the calling mentor
// in the states asked (nil: MentorStates), each with the mentee view; each
// mentee read is audited.
func (s *Service) SentProposals(ctx context.Context, who access.Principal, states []proposals.State, after string, limit int) ([]MentorProposal, string, error) {
	m, err := s.Own(ctx, who)
	if err != nil {
		return nil, "", err
	}
	if len(states) == 0 {
		states = MentorStates
	}
	list, next, err := s.Proposals.Proposals(ctx, proposals.Filter{OrganisationID: m.OrganisationID,
		Kind: proposals.KindMentor, OpeningID: m.ID, States: states, After: after, Limit: limit})
	if err != nil {
		return nil, "", err
	}
	out := make([]MentorProposal, 0, len(list))
	for _, p := range list {
		if _, sent := p.SentAt(); !sent {
			continue // withdrawn before it was sent
		}
		if b, err := s.Beneficiaries.Beneficiary(ctx, p.OrganisationID, p.BeneficiaryID); err != nil || b.Erased != nil {
			continue // an erased person is nobody's mentee
		}
		v, err := s.menteeProposal(ctx, who, p)
		if err != nil {
			return nil, "", err
		}
		out = append(out, v)
	}
	return out, next, nil
}

// SentProposal returns one proposal sent to the calling mentor, with the
// mentee view; any other is apperr.NotFound.
func (s *Service) SentProposal(ctx context.Context, who access.Principal, id string) (MentorProposal, error) {
	_, p, err := s.sentTo(ctx, who, id)
	if err != nil {
		return MentorProposal{}, err
	}
	return s.menteeProposal(ctx, who, p)
}

// sentTo returns the calling mentor and their proposal id, which must have
// been sent to them.
func (s *Service) sentTo(ctx context.Context, who access.Principal, id string) (Mentor, proposals.Proposal, error) {
	m, err := s.Own(ctx, who)
	if err != nil {
		return m, proposals.Proposal{}, err
	}
	p, err := s.Proposals.Proposal(ctx, m.OrganisationID, id)
	if err != nil {
		return m, p, err
	}
	notFound := apperr.NotFoundf("No such proposal was sent to you.").FR("Aucune proposition de ce type ne vous a été envoyée.")
	if _, sent := p.SentAt(); p.Kind != proposals.KindMentor || p.OpeningID != m.ID || !sent {
		return m, proposals.Proposal{}, notFound
	}
	// An erased person is nobody's mentee, even if closing their
	// proposals failed halfway.
	if b, err := s.Beneficiaries.Beneficiary(ctx, p.OrganisationID, p.BeneficiaryID); err != nil || b.Erased != nil {
		return m, proposals.Proposal{}, notFound
	}
	return m, p, nil
}

// menteeProposal builds the mentor's view of p, reading (and auditing) the
// beneficiary, and naming the mentorship an accepted proposal began.
func (s *Service) menteeProposal(ctx context.Context, who access.Principal, p proposals.Proposal) (MentorProposal, error) {
	b, err := s.Beneficiaries.Beneficiary(ctx, p.OrganisationID, p.BeneficiaryID)
	if err != nil {
		return MentorProposal{}, err
	}
	if err := pathways.WriteAudit(ctx, s.Audit, who, pathways.AuditMenteeView, b.ID, s.now()); err != nil {
		return MentorProposal{}, err
	}
	v := ToMentorProposal(p, b)
	if p.State == proposals.Accepted {
		if ms, err := s.Mentorships.MentorshipOfProposal(ctx, p.OrganisationID, p.ID); err == nil {
			v.MentorshipID = ms.ID
		}
	}
	return v, nil
}

// AcceptSent is the calling mentor's yes to a proposal sent to them: the
// mentorship begins (see Accept for capacity and crash safety).
func (s *Service) AcceptSent(ctx context.Context, who access.Principal, id string) (MentorProposal, Mentorship, error) {
	m, p, err := s.sentTo(ctx, who, id)
	if err != nil {
		return MentorProposal{}, Mentorship{}, err
	}
	now := s.now()
	next, ms, err := s.Accept(ctx, p.OrganisationID, p.ID, m, who.UserID, now)
	if err != nil {
		return MentorProposal{}, Mentorship{}, err
	}
	// The acceptance is committed: the answer is read whatever happens to
	// the request meanwhile.
	ctx, cancel := committed(ctx)
	defer cancel()
	v, err := s.menteeProposal(ctx, who, next)
	if err != nil {
		return MentorProposal{}, Mentorship{}, err
	}
	v.MentorshipID = ms.ID
	return v, ms.WithFollowUp(now), nil
}

// DeclineSent is the calling mentor's no, with a reason; the pair enters
// the decline cooldown, or, when the mentor is not available before a day
// (availableFrom), waits for that day: apperr.Invalid on /availableFrom
// for a day not in the coming year.
func (s *Service) DeclineSent(ctx context.Context, who access.Principal, id, code, reason string, availableFrom civil.Date) (MentorProposal, error) {
	_, p, err := s.sentTo(ctx, who, id)
	if err != nil {
		return MentorProposal{}, err
	}
	if code == "" {
		code = "other"
		if availableFrom != "" {
			code = "unavailable"
		}
	}
	if !slices.Contains(proposals.DeclineCodes, code) {
		return MentorProposal{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/code", Tag: "oneof", Detail: "The kind of reason is unavailable, trade, time or other.",
			DetailFR: "Le type de raison est : indisponible, métier, temps ou autre."}}, "The kind of reason is not valid.").FR("Le type de raison n'est pas valide.")
	}
	now := s.now()
	if availableFrom != "" {
		today := civil.InFrance(now)
		if !availableFrom.Valid() || !availableFrom.After(today) || availableFrom.After(civil.InFrance(now.Add(proposals.MaxAvailableFrom))) {
			return MentorProposal{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/availableFrom", Tag: "availablefrom",
				Detail:   "The day you are available again must be after today and within a year.",
				DetailFR: "Le jour où vous serez de nouveau disponible doit être après aujourd'hui et dans l'année qui vient."}},
				"The day is not valid.").FR("Ce jour n'est pas valide.")
		}
	}
	next, err := p.Advance(proposals.Declined, who.UserID, reason, now)
	if err != nil {
		return MentorProposal{}, err
	}
	next.AvailableFrom, next.DeclineCode = availableFrom, code
	if err := s.Proposals.TransitionProposal(ctx, p.State, next); err != nil {
		return MentorProposal{}, err
	}
	s.changed(ctx, next)
	return s.menteeProposal(ctx, who, next)
}

// ShownStates are the mentorship states people see: pending and cancelled
// ones are steps of an acceptance.
var ShownStates = []MentorshipState{MentorshipActive, MentorshipEnded}

// ListMentorships returns a page of who's organisation's mentorships in
// the states asked (nil: ShownStates), with their follow-up state.
func (s *Service) ListMentorships(ctx context.Context, who access.Principal, f MentorshipFilter) ([]Mentorship, string, error) {
	f.OrganisationID = who.OrganisationID
	if len(f.States) == 0 {
		f.States = ShownStates
	}
	list, next, err := s.Mentorships.Mentorships(ctx, f)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	for i := range list {
		list[i] = list[i].WithFollowUp(now)
	}
	return list, next, nil
}

// OwnMentorships returns a page of the calling mentor's mentorships in the
// states asked (nil: ShownStates), each with the mentee view.
func (s *Service) OwnMentorships(ctx context.Context, who access.Principal, states []MentorshipState, after string, limit int) ([]MentorMentorship, string, error) {
	m, err := s.Own(ctx, who)
	if err != nil {
		return nil, "", err
	}
	if len(states) == 0 {
		states = ShownStates
	}
	list, next, err := s.Mentorships.Mentorships(ctx, MentorshipFilter{OrganisationID: m.OrganisationID, MentorID: m.ID, States: states, After: after, Limit: limit})
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	out := make([]MentorMentorship, 0, len(list))
	for _, ms := range list {
		b, err := s.Beneficiaries.Beneficiary(ctx, ms.OrganisationID, ms.BeneficiaryID)
		if err != nil {
			return nil, "", err
		}
		if err := pathways.WriteAudit(ctx, s.Audit, who, pathways.AuditMenteeView, b.ID, now); err != nil {
			return nil, "", err
		}
		out = append(out, MentorMentorship{Mentorship: ms.WithFollowUp(now), Mentee: ToMenteeView(b)})
	}
	return out, next, nil
}

// OwnMentorship returns one of the calling mentor's mentorships with the
// mentee view (the read is audited); any other is apperr.NotFound.
func (s *Service) OwnMentorship(ctx context.Context, who access.Principal, id string) (MentorMentorship, error) {
	if who.Role != access.Mentor {
		return MentorMentorship{}, apperr.NotFoundf("No such mentorship.").FR("Ce mentorat n'existe pas.")
	}
	ms, err := s.VisibleMentorship(ctx, who, id)
	if err != nil {
		return MentorMentorship{}, err
	}
	b, err := s.Beneficiaries.Beneficiary(ctx, ms.OrganisationID, ms.BeneficiaryID)
	if err != nil {
		return MentorMentorship{}, err
	}
	if err := pathways.WriteAudit(ctx, s.Audit, who, pathways.AuditMenteeView, b.ID, s.now()); err != nil {
		return MentorMentorship{}, err
	}
	return MentorMentorship{Mentorship: ms, Mentee: ToMenteeView(b)}, nil
}

// VisibleMentorship returns a mentorship who may act on: any of the
// organisation's for staff, their own for a mentor. Pending and cancelled
// ones are never shown.
func (s *Service) VisibleMentorship(ctx context.Context, who access.Principal, id string) (Mentorship, error) {
	ms, err := s.Mentorships.Mentorship(ctx, who.OrganisationID, id)
	if err != nil {
		return ms, err
	}
	notFound := apperr.NotFoundf("No such mentorship.").FR("Ce mentorat n'existe pas.")
	if ms.State != MentorshipActive && ms.State != MentorshipEnded {
		return Mentorship{}, notFound
	}
	if who.Role == access.Mentor {
		m, err := s.Own(ctx, who)
		if err != nil {
			return Mentorship{}, err
		}
		if ms.MentorID != m.ID {
			return Mentorship{}, notFound
		}
	}
	return ms.WithFollowUp(s.now()), nil
}

// LogCheckIn records a meeting of a mentorship who may act on. The date is
// that of a meeting that took place: not in the future, not before the
// mentorship began (apperr.Invalid on /date).
func (s *Service) LogCheckIn(ctx context.Context, who access.Principal, id string, c CheckIn) (Mentorship, error) {
	ms, err := s.VisibleMentorship(ctx, who, id)
	if err != nil {
		return ms, err
	}
	now := s.now()
	switch {
	case c.Date > civil.InFrance(now):
		return Mentorship{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/date",
			Detail:   "A check-in is logged after it happened: the date cannot be in the future.",
			DetailFR: "Un point de suivi s'enregistre une fois passé : la date ne peut pas être future."}}, "Bad date.").FR("Date incorrecte.")
	case c.Date < ms.StartedOn:
		return Mentorship{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/date",
			Detail:   "The mentorship began on " + ms.StartedOn.English() + ": a meeting cannot precede it.",
			DetailFR: "Le mentorat a commencé le " + ms.StartedOn.French() + " : une rencontre ne peut pas le précéder."}}, "Bad date.").FR("Date incorrecte.")
	}
	if c.Topics == nil {
		c.Topics = []string{}
	}
	c.By = who.UserID
	return s.CheckIn(ctx, ms.OrganisationID, ms.ID, c, now)
}

// Contact is how a mentor reaches the mentee's adviser.
type Contact struct {
	Name, Email, Phone string
}

// AdviserContacts returns the advisers who follow the mentee of a
// mentorship who may see: the mentor calls them after accepting.
func (s *Service) AdviserContacts(ctx context.Context, who access.Principal, id string) ([]Contact, error) {
	ms, err := s.VisibleMentorship(ctx, who, id)
	if err != nil {
		return nil, err
	}
	b, err := s.Beneficiaries.Beneficiary(ctx, ms.OrganisationID, ms.BeneficiaryID)
	if err != nil {
		return nil, err
	}
	var out []Contact
	for _, uid := range b.Enrolment.Referents {
		u, err := s.Users.User(ctx, uid)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.OrganisationID == ms.OrganisationID && u.Active() {
			out = append(out, Contact{Name: u.Name, Email: u.Email, Phone: u.Phone})
		}
	}
	return out, nil
}

// EndAllOf ends the active mentorships of a beneficiary who was erased,
// giving the mentors' places back.
func (s *Service) EndAllOf(ctx context.Context, who access.Principal, beneficiaryID string) (int, error) {
	list, _, err := s.Mentorships.Mentorships(ctx, MentorshipFilter{OrganisationID: who.OrganisationID, BeneficiaryID: beneficiaryID,
		States: []MentorshipState{MentorshipActive}, Limit: 50})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ms := range list {
		if _, err := s.End(ctx, ms.OrganisationID, ms.ID, EndErased, "", who.UserID, s.now()); err != nil && !apperr.Is(err, apperr.Conflict) {
			return n, err
		}
		n++
	}
	return n, nil
}

// EndMentorship ends a mentorship who may act on, for a reason, with an
// optional comment.
func (s *Service) EndMentorship(ctx context.Context, who access.Principal, id string, reason EndReason, comment string) (Mentorship, error) {
	ms, err := s.VisibleMentorship(ctx, who, id)
	if err != nil {
		return ms, err
	}
	return s.End(ctx, ms.OrganisationID, ms.ID, reason, strings.TrimSpace(comment), who.UserID, s.now())
}

// InviteMentor invites a mentor into who's organisation through team and
// registers their profile m, linked to the new account. Every field of
// both is checked before anything is written (apperr.Invalid naming each
// bad one); a profile that could not be written leaves the account
// deactivated, not half made.
func (s *Service) InviteMentor(ctx context.Context, who access.Principal, team *access.Team, in access.Invitee, m Mentor) (Mentor, error) {
	in.Role = access.Mentor
	var bad []apperr.FieldError
	if err := team.CheckInvitee(ctx, in); err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Code != apperr.Invalid {
			return Mentor{}, err
		}
		bad = append(bad, ae.Fields...)
	}
	if strings.TrimSpace(m.Company) == "" || len(m.Company) > 200 {
		bad = append(bad, apperr.FieldError{Pointer: "/company", Tag: "required", Detail: "Give the mentor's company.", DetailFR: "Indiquez l'entreprise du mentor."})
	}
	if m.Capacity < 1 || m.Capacity > 10 {
		bad = append(bad, apperr.FieldError{Pointer: "/capacity", Tag: "max", Detail: "From 1 to 10 people at once.", DetailFR: "De 1 à 10 personnes à la fois."})
	}
	for _, r := range m.ROME {
		if !matching.ValidCode(r) {
			bad = append(bad, apperr.FieldError{Pointer: "/rome", Tag: "rome", Detail: "A ROME code is a letter from A to N and four digits.",
				DetailFR: "Un code ROME s'écrit avec une lettre de A à N et quatre chiffres."})
		}
	}
	if len(bad) > 0 {
		return Mentor{}, apperr.Invalidf(bad, "Some fields are invalid.").FR("Certains champs ne sont pas valides.")
	}
	u, err := team.Invite(ctx, who, in)
	if err != nil {
		return Mentor{}, err
	}
	m.UserID = u.ID
	created, err := s.CreateMentor(ctx, who, m)
	if err != nil {
		if _, derr := team.SetActive(ctx, who, u.ID, false); derr != nil {
			return Mentor{}, errors.Join(err, derr)
		}
		return Mentor{}, err
	}
	return created, nil
}
