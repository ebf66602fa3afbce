package mentoring

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// Settings of the Service.
const (
	// SentMargin is how many proposals beyond its capacity a mentor may have
	// waiting for an answer.
	SentMargin = 2
	// settleGrace is how old a pending mentorship or a counter change must
	// be before Repair and Reconcile touch it: an acceptance under way
	// finishes in far less.
	settleGrace = 10 * time.Minute
	// capacityRetries bounds the re-reads when a mentor's capacity changes
	// during an acceptance.
	capacityRetries = 5
)

// Service holds co-training over plain stores: mentors and what they may
// see, the mentor's answers to the proposals sent to them (capacity held
// without a transaction), mentorships and their check-ins, and the repair
// of what a crash left half done. The lower-level methods take the instant
// to act at, so housekeeping and tests can inject a clock; the use cases
// adapters call take who asks.
type Service struct {
	Proposals   proposals.Store
	Mentorships MentorshipStore
	Mentors     MentorStore
	Places      PlaceStore
	// Beneficiaries and Audit give the mentee view a mentor reads, and log
	// each read; Users checks the account a mentor profile is linked to.
	Beneficiaries pathways.Store
	Audit         pathways.AuditLog
	Users         access.Store
	// DurationMonths is a mentorship's planned length (0: 6).
	DurationMonths int
	// Now is the clock of the use cases (nil: time.Now).
	Now func() time.Time
	// Changed, if set, hears of each proposal a mentor answered, once the
	// answer is recorded (see proposals.Service.Changed).
	Changed func(ctx context.Context, p proposals.Proposal)
}

// now is the clock at the precision the store keeps (milliseconds).
// changed tells Changed of p.
func (s *Service) changed(ctx context.Context, p proposals.Proposal) {
	if s.Changed != nil {
		s.Changed(context.WithoutCancel(ctx), p)
	}
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return s.Now().UTC().Truncate(time.Millisecond)
}

// SendLimit is how many proposals the mentor may have sent at once:
// capacity plus SentMargin.
func (s *Service) SendLimit(ctx context.Context, org, mentorID string) (int, error) {
	m, err := s.Mentors.Mentor(ctx, org, mentorID)
	if err != nil {
		return 0, err
	}
	return m.Capacity + SentMargin, nil
}

func (s *Service) months() int {
	if s.DurationMonths <= 0 {
		return DefaultDurationMonths
	}
	return s.DurationMonths
}

// ErrNoCapacity is the conflict of an acceptance by a mentor without a free place.
var ErrNoCapacity = errors.New("no free capacity")

// Accept is the mentor's yes to a sent proposal. Capacity is held by one
// conditional update on the mentor, never by a transaction, and each place
// belongs to the proposal that took it:
//
//  1. give the proposal a place: Active+1 where Active < Capacity and the
//     proposal holds none yet (apperr.Conflict "no free capacity" when none
//     is left); a proposal that holds one already keeps it, so a repeated
//     or concurrent acceptance never takes a second place;
//  2. create the mentorship, pending: the beneficiary's first acceptance
//     wins, a second one is apperr.Conflict and gives its place back (a
//     second acceptance of the same proposal gives nothing back);
//  3. accept the proposal, guarded on state sent; if it changed meanwhile
//     (withdrawn, expired), cancel the mentorship and give the place back;
//  4. activate the mentorship;
//  5. withdraw the beneficiary's other open mentor proposals.
//
// From step 3 on the acceptance is committed: the rest runs whatever
// happens to the request (a deadline passed, a client gone), and accepting
// again an accepted proposal answers the committed result, activating its
// mentorship if a failure left it pending. A crash between steps leaves a
// place held with no mentorship (after 1: Reconcile gives it back), a
// pending mentorship (after 2 or 3: Repair accepts the proposal if it is
// still sent and activates, or cancels and gives the place back) or open
// proposals of a matched beneficiary (after 4: Repair withdraws them).
func (s *Service) Accept(ctx context.Context, org, id string, mentor Mentor, by string, now time.Time) (proposals.Proposal, Mentorship, error) {
	p, err := s.Proposals.Proposal(ctx, org, id)
	if err != nil {
		return p, Mentorship{}, err
	}
	if p.Kind != proposals.KindMentor || p.OpeningID != mentor.ID {
		return p, Mentorship{}, apperr.NotFoundf("The proposal %s does not exist.", id).FR("La proposition %s n'existe pas.", id)
	}
	if p.State == proposals.Accepted {
		return s.accepted(ctx, p, now)
	}
	next, err := p.Advance(proposals.Accepted, by, "", now)
	if err != nil {
		return p, Mentorship{}, err
	}
	if err := s.takePlace(ctx, org, mentor.ID, p.ID, now); err != nil {
		return p, Mentorship{}, err
	}
	ms := Mentorship{
		ID: ids.NewAt("msh", now), OrganisationID: org, ProposalID: p.ID, MentorID: mentor.ID, BeneficiaryID: p.BeneficiaryID,
		State: MentorshipPending, StartedOn: civil.Of(now), EndsOn: civil.Of(now).AddDate(0, s.months(), 0),
		CheckIns: []CheckIn{}, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	// A place is given back only when it is certain nothing holds it: after
	// an unclear failure (a timeout) it stays held, which is safe, and
	// Repair and ReconcileAll settle it.
	if err := s.Mentorships.CreateMentorship(ctx, ms); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			if _, merr := s.Mentorships.MentorshipOfProposal(ctx, org, p.ID); merr == nil {
				// Another acceptance of this proposal is under way: the
				// place is the proposal's, and stays.
				return p, Mentorship{}, apperr.Conflictf("This proposal is being accepted already.").
					FR("Cette proposition est déjà en cours d'acceptation.").WithExtra("currentState", string(p.State))
			}
			s.releasePlace(ctx, org, mentor.ID, p.ID, now)
			return p, Mentorship{}, apperr.Conflictf("The beneficiary already has a mentor.").
				FR("La personne accompagnée a déjà un mentor.").WithExtra("currentState", string(p.State))
		}
		return p, Mentorship{}, err
	}
	if err := s.Proposals.TransitionProposal(ctx, proposals.Sent, next); err != nil {
		if !apperr.Is(err, apperr.Conflict) && !apperr.Is(err, apperr.NotFound) {
			return p, Mentorship{}, err // the pending mentorship is Repair's
		}
		if cerr := s.cancelPending(ctx, ms, now); cerr != nil {
			return p, Mentorship{}, errors.Join(err, cerr)
		}
		return p, Mentorship{}, err
	}
	ctx, cancel := committed(ctx)
	defer cancel()
	s.changed(ctx, next)
	active, err := s.activate(ctx, ms, now)
	if err != nil {
		return next, ms, err
	}
	if err := s.withdrawOthers(ctx, next, now); err != nil {
		return next, active, err
	}
	return next, active, nil
}

// commitTail bounds the work that follows a committed change.
const commitTail = 15 * time.Second

// committed is the context of the work that follows a committed change: it
// keeps the request's values and outlives its deadline, up to commitTail.
func committed(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), commitTail)
}

// accepted answers the acceptance of an accepted proposal with its
// mentorship, finishing what a failure after the commit left undone.
func (s *Service) accepted(ctx context.Context, p proposals.Proposal, now time.Time) (proposals.Proposal, Mentorship, error) {
	ms, err := s.Mentorships.MentorshipOfProposal(ctx, p.OrganisationID, p.ID)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return p, Mentorship{}, proposals.CheckTransition(p.State, proposals.Accepted)
		}
		return p, Mentorship{}, err
	}
	ctx, cancel := committed(ctx)
	defer cancel()
	if ms.State == MentorshipPending {
		if ms, err = s.activate(ctx, ms, now); err != nil {
			return p, ms, err
		}
		if err := s.withdrawOthers(ctx, p, now); err != nil {
			return p, ms, err
		}
	}
	if ms.State != MentorshipActive {
		return p, Mentorship{}, proposals.CheckTransition(p.State, proposals.Accepted)
	}
	return p, ms, nil
}

// takePlace gives the proposal holder a place of the mentor against the
// capacity read, re-reading when the capacity changed meanwhile.
func (s *Service) takePlace(ctx context.Context, org, mentorID, holder string, now time.Time) error {
	for range capacityRetries {
		m, err := s.Mentors.Mentor(ctx, org, mentorID)
		if err != nil {
			return err
		}
		err = s.Places.TakeMentorPlace(ctx, org, mentorID, m.Capacity, holder, now)
		if !apperr.Is(err, apperr.PreconditionFailed) {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Wrap(apperr.Conflict, ErrNoCapacity, "The mentor has no free capacity: %d mentees already.", m.Capacity).
					FR("Le mentor n'a plus de place : %d personnes accompagnées déjà.", m.Capacity).
					WithExtra("currentState", string(proposals.Sent))
			}
			return err
		}
	}
	return apperr.Conflictf("The mentor's capacity keeps changing; try again.").
		FR("Les places du mentor changent en ce moment ; réessayez.")
}

// releasePlace gives the proposal holder's place back; a failure leaves the
// counter high, which Reconcile corrects, so it is not the caller's error.
func (s *Service) releasePlace(ctx context.Context, org, mentorID, holder string, now time.Time) {
	_ = s.Places.ReleaseMentorPlace(ctx, org, mentorID, holder, now)
}

// cancelPending cancels a pending mentorship and gives its place back, once:
// the guarded state change decides who gives it back.
func (s *Service) cancelPending(ctx context.Context, ms Mentorship, now time.Time) error {
	next := ms
	next.State, next.UpdatedAt, next.Version = MentorshipCancelled, now, ms.Version+1
	if err := s.Mentorships.ReplaceMentorship(ctx, MentorshipPending, next); err != nil {
		return err
	}
	s.releasePlace(ctx, ms.OrganisationID, ms.MentorID, ms.ProposalID, now)
	return nil
}

func (s *Service) activate(ctx context.Context, ms Mentorship, now time.Time) (Mentorship, error) {
	next := ms
	next.State, next.UpdatedAt, next.Version = MentorshipActive, now, ms.Version+1
	if err := s.Mentorships.ReplaceMentorship(ctx, MentorshipPending, next); err != nil {
		return ms, err
	}
	return next, nil
}

// withdrawOthers withdraws the beneficiary's other open mentor proposals
// once one is accepted: the first acceptance wins.
func (s *Service) withdrawOthers(ctx context.Context, accepted proposals.Proposal, now time.Time) error {
	list, _, err := s.Proposals.Proposals(ctx, proposals.Filter{OrganisationID: accepted.OrganisationID, BeneficiaryID: accepted.BeneficiaryID,
		Kind: proposals.KindMentor, States: proposals.OpenStates, Limit: 50})
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range list {
		if o.ID == accepted.ID {
			continue
		}
		next, err := o.Advance(proposals.Withdrawn, proposals.SystemActor, "The beneficiary accepted another mentor.", now)
		if err != nil {
			continue
		}
		if err := s.Proposals.TransitionProposal(ctx, o.State, next); err != nil && !apperr.Is(err, apperr.Conflict) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// CheckIn logs a meeting of an active mentorship.
func (s *Service) CheckIn(ctx context.Context, org, id string, c CheckIn, now time.Time) (Mentorship, error) {
	for range 3 {
		ms, err := s.Mentorships.Mentorship(ctx, org, id)
		if err != nil {
			return ms, err
		}
		if ms.State != MentorshipActive {
			return ms, apperr.Conflictf("Check-ins are logged on active mentorships; this one is %q.", ms.State).
				FR("Les rencontres se notent sur un mentorat en cours ; celui-ci est %s.", ms.State.French()).WithExtra("currentState", string(ms.State))
		}
		next := ms
		c.ID, c.At = ids.NewAt("chk", now), now
		next.CheckIns = append(append([]CheckIn{}, ms.CheckIns...), c)
		next.UpdatedAt, next.Version = now, ms.Version+1
		err = s.Mentorships.ReplaceMentorship(ctx, MentorshipActive, next)
		if err == nil {
			return next.WithFollowUp(now), nil
		}
		if !apperr.Is(err, apperr.Conflict) {
			return ms, err
		}
	}
	return Mentorship{}, apperr.Conflictf("The mentorship keeps changing; try again.").FR("Le mentorat change en ce moment ; réessayez.")
}

// End ends an active mentorship for a reason and gives the mentor's place
// back, once: the guarded state change comes first.
func (s *Service) End(ctx context.Context, org, id string, reason EndReason, comment, by string, now time.Time) (Mentorship, error) {
	ms, err := s.Mentorships.Mentorship(ctx, org, id)
	if err != nil {
		return ms, err
	}
	next, err := ms.End(reason, comment, by, now)
	if err != nil {
		return ms, err
	}
	if err := s.Mentorships.ReplaceMentorship(ctx, MentorshipActive, next); err != nil {
		return ms, err
	}
	s.releasePlace(ctx, org, ms.MentorID, ms.ProposalID, now)
	return next.WithFollowUp(now), nil
}

// Alerts returns, across organisations, the active mentorships whose pair
// met too little at now.
func (s *Service) Alerts(ctx context.Context, now time.Time) ([]Mentorship, error) {
	out, after := []Mentorship{}, ""
	for {
		list, next, err := s.Mentorships.MentorshipsInState(ctx, MentorshipActive, time.Time{}, after, 200)
		if err != nil {
			return out, err
		}
		for _, ms := range list {
			if ms.FollowUpAt(now) == FollowUpAlert {
				out = append(out, ms.WithFollowUp(now))
			}
		}
		if next == "" {
			return out, nil
		}
		after = next
	}
}

// Repair settles mentorships left pending by a crash in Accept for longer
// than a grace period: if the proposal is still sent it is accepted and the
// mentorship activated; if it was accepted the mentorship is activated; if
// it closed otherwise the mentorship is cancelled and the place given back.
// It then withdraws the other open mentor proposals of the beneficiaries
// concerned. It returns how many mentorships it settled.
func (s *Service) Repair(ctx context.Context, now time.Time) (int, error) {
	n, after := 0, ""
	for {
		list, next, err := s.Mentorships.MentorshipsInState(ctx, MentorshipPending, now.Add(-settleGrace), after, 100)
		if err != nil {
			return n, err
		}
		for _, ms := range list {
			if err := s.repairOne(ctx, ms, now); err != nil {
				return n, err
			}
			n++
		}
		if next == "" {
			return n, nil
		}
		after = next
	}
}

func (s *Service) repairOne(ctx context.Context, ms Mentorship, now time.Time) error {
	p, err := s.Proposals.Proposal(ctx, ms.OrganisationID, ms.ProposalID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if err == nil && p.State == proposals.Sent {
		mentor := proposals.SystemActor
		if m, merr := s.Mentors.Mentor(ctx, ms.OrganisationID, ms.MentorID); merr == nil && m.UserID != "" {
			mentor = m.UserID
		}
		next, aerr := p.Advance(proposals.Accepted, mentor, "", now)
		if aerr == nil {
			if terr := s.Proposals.TransitionProposal(ctx, proposals.Sent, next); terr == nil {
				p = next
			} else if !apperr.Is(terr, apperr.Conflict) {
				return terr
			} else if p, err = s.Proposals.Proposal(ctx, ms.OrganisationID, ms.ProposalID); err != nil {
				return err
			}
		}
	}
	if err == nil && p.State == proposals.Accepted {
		if _, err := s.activate(ctx, ms, now); err != nil && !apperr.Is(err, apperr.Conflict) {
			return err
		}
		return s.withdrawOthers(ctx, p, now)
	}
	if err := s.cancelPending(ctx, ms, now); err != nil && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	return nil
}

// Reconcile sets a mentor's places to the proposals of the mentorships it
// holds (pending and active) when they differ, and reports their number. A
// count that moved within a grace period is left alone, since an acceptance
// may be under way; the update is guarded on the version read.
func (s *Service) Reconcile(ctx context.Context, org, mentorID string, now time.Time) (int, error) {
	m, err := s.Mentors.Mentor(ctx, org, mentorID)
	if err != nil {
		return 0, err
	}
	held, err := s.Mentorships.HeldProposals(ctx, mentorID)
	if err != nil {
		return 0, err
	}
	slices.Sort(held)
	if (len(held) == m.Active && slices.Equal(held, slices.Sorted(slices.Values(m.PlaceHolders)))) || now.Sub(m.UpdatedAt) < settleGrace {
		return m.Active, nil
	}
	if err := s.Places.SetMentorPlaces(ctx, org, mentorID, m.Version, held, now); err != nil {
		return m.Active, err
	}
	return len(held), nil
}

// ReconcileAll runs Reconcile on every mentor, of every organisation, whose
// count is above zero (a crash can only leave a count too high) and returns
// how many counts it corrected. Run it after Repair.
func (s *Service) ReconcileAll(ctx context.Context, now time.Time) (int, error) {
	n, after := 0, ""
	for {
		list, next, err := s.Places.MentorsHoldingPlaces(ctx, after, 200)
		if err != nil {
			return n, err
		}
		for _, m := range list {
			got, err := s.Reconcile(ctx, m.OrganisationID, m.ID, now)
			if err != nil && !apperr.Is(err, apperr.PreconditionFailed) {
				return n, err
			}
			if err == nil && got != m.Active {
				n++
			}
		}
		if next == "" {
			return n, nil
		}
		after = next
	}
}
