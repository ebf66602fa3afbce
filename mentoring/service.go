package mentoring

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/pathways"
)

// Defaults of the Service's settings.
const (
	DefaultExpiryDays = 14
	// DefaultDeclineCooldown is how long a declined pair is not proposed
	// again (matching's cooldown).
	DefaultDeclineCooldown = 90 * 24 * time.Hour
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

// Service runs the proposal lifecycle and the mentorships: it holds the
// rules (limits, cooldown, capacity, expiry) over plain stores. Every method
// takes the instant to act at, so a clock can be injected.
type Service struct {
	Proposals   pathways.ProposalStore
	Mentorships MentorshipStore
	Mentors     MentorStore
	Places      PlaceStore
	// ExpiryDays is how long a sent proposal waits for an answer (0: 14).
	ExpiryDays int
	// DurationMonths is a mentorship's planned length (0: 6).
	DurationMonths int
	// Cooldown is how long a declined pair is not proposed again (0: 90 days).
	Cooldown time.Duration
}

func (s *Service) expiry() time.Duration {
	if s.ExpiryDays <= 0 {
		return DefaultExpiryDays * 24 * time.Hour
	}
	return time.Duration(s.ExpiryDays) * 24 * time.Hour
}

func (s *Service) months() int {
	if s.DurationMonths <= 0 {
		return DefaultDurationMonths
	}
	return s.DurationMonths
}

// DeclineCooldown is the cooldown in force.
func (s *Service) DeclineCooldown() time.Duration {
	if s.Cooldown <= 0 {
		return DefaultDeclineCooldown
	}
	return s.Cooldown
}

// CheckCooldown returns apperr.Conflict (with cooldownEnds) if the
// beneficiary and the opening were declined within the cooldown.
func (s *Service) CheckCooldown(ctx context.Context, beneficiaryID, openingID string, now time.Time) error {
	declines, err := s.Proposals.DeclinesOf(ctx, beneficiaryID, now.Add(-s.DeclineCooldown()))
	if err != nil {
		return err
	}
	if at, ok := declines[openingID]; ok {
		ends := at.Add(s.DeclineCooldown()).UTC()
		return apperr.Conflictf("This pair was declined on %s; it cannot be proposed again before %s.", civil.Of(at), civil.Of(ends)).
			WithExtra("cooldownEnds", ends.Format(time.RFC3339))
	}
	return nil
}

// Propose stores p (state proposed) after checking the decline cooldown. It
// returns apperr.Conflict for a pair in cooldown or a beneficiary with
// already pathways.MaxOpenMentorProposals open mentor proposals.
func (s *Service) Propose(ctx context.Context, p pathways.Proposal, now time.Time) (pathways.Proposal, error) {
	if err := s.CheckCooldown(ctx, p.BeneficiaryID, p.OpeningID, now); err != nil {
		return p, err
	}
	p.State = pathways.ProposalProposed
	if p.ID == "" {
		p.ID = ids.NewAt("pro", now)
	}
	p.History = []pathways.Transition{}
	p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
	if err := s.Proposals.CreateProposal(ctx, p); err != nil {
		return p, err
	}
	return p, nil
}

// Approve records an adviser's approval of a proposed pair (human oversight).
func (s *Service) Approve(ctx context.Context, org, id, by string, now time.Time) (pathways.Proposal, error) {
	return s.move(ctx, org, id, pathways.ProposalApproved, by, "", now)
}

// Withdraw closes an open proposal on staff's decision.
func (s *Service) Withdraw(ctx context.Context, org, id, by, reason string, now time.Time) (pathways.Proposal, error) {
	return s.move(ctx, org, id, pathways.ProposalWithdrawn, by, reason, now)
}

// Send sends an approved proposal and sets when it expires. A mentor may
// have at most capacity + SentMargin proposals sent at once
// (apperr.Conflict beyond).
func (s *Service) Send(ctx context.Context, org, id, by string, now time.Time) (pathways.Proposal, error) {
	p, err := s.Proposals.Proposal(ctx, org, id)
	if err != nil {
		return p, err
	}
	next, err := p.Advance(pathways.ProposalSent, by, "", now)
	if err != nil {
		return p, err
	}
	expires := now.Add(s.expiry())
	next.ExpiresAt = &expires
	maxSent := 0
	if p.Kind == pathways.OpeningMentor {
		m, err := s.Mentors.Mentor(ctx, org, p.OpeningID)
		if err != nil {
			return p, fmt.Errorf("read mentor of proposal %s: %w", id, err)
		}
		maxSent = m.Capacity + SentMargin
		// The slots bound concurrent sends; the count also holds when the
		// capacity was lowered after places were taken.
		sent, err := s.countSent(ctx, org, m.ID)
		if err != nil {
			return p, err
		}
		if sent >= maxSent {
			return p, apperr.Conflictf("The mentor already has %d proposals waiting for an answer.", sent).WithExtra("limit", maxSent)
		}
	}
	if err := s.Proposals.SendProposal(ctx, next, maxSent); err != nil {
		return p, err
	}
	return next, nil
}

func (s *Service) countSent(ctx context.Context, org, mentorID string) (int, error) {
	n, after := 0, ""
	for {
		list, next, err := s.Proposals.Proposals(ctx, pathways.ProposalFilter{OrganisationID: org, Kind: pathways.OpeningMentor,
			OpeningID: mentorID, States: []pathways.ProposalState{pathways.ProposalSent}, After: after, Limit: 200})
		if err != nil {
			return 0, err
		}
		n += len(list)
		if next == "" {
			return n, nil
		}
		after = next
	}
}

// Decline records the answer no, with its reason. The pair enters the
// cooldown; the beneficiary can be proposed elsewhere at once.
func (s *Service) Decline(ctx context.Context, org, id, by, reason string, now time.Time) (pathways.Proposal, error) {
	return s.move(ctx, org, id, pathways.ProposalDeclined, by, reason, now)
}

// move applies one guarded transition.
func (s *Service) move(ctx context.Context, org, id string, to pathways.ProposalState, by, reason string, now time.Time) (pathways.Proposal, error) {
	p, err := s.Proposals.Proposal(ctx, org, id)
	if err != nil {
		return p, err
	}
	next, err := p.Advance(to, by, reason, now)
	if err != nil {
		return p, err
	}
	if err := s.Proposals.TransitionProposal(ctx, p.State, next); err != nil {
		return p, err
	}
	return next, nil
}

// AcceptOther records the answer yes for a proposal of an opportunity (job,
// PMSMP, training); mentor proposals go through Accept.
func (s *Service) AcceptOther(ctx context.Context, org, id, by string, now time.Time) (pathways.Proposal, error) {
	p, err := s.Proposals.Proposal(ctx, org, id)
	if err != nil {
		return p, err
	}
	if p.Kind == pathways.OpeningMentor {
		return p, apperr.New(apperr.Forbidden, "Only the mentor answers a mentor proposal.")
	}
	return s.move(ctx, org, id, pathways.ProposalAccepted, by, "", now)
}

// ErrNoCapacity is the conflict of an acceptance by a mentor without a free place.
var ErrNoCapacity = errors.New("no free capacity")

// Accept is the mentor's yes to a sent proposal. Capacity is held by one
// conditional update on the mentor, never by a transaction:
//
//  1. take a place: Active+1 where Active < Capacity (apperr.Conflict "no
//     free capacity" when none is left);
//  2. create the mentorship, pending: the beneficiary's first acceptance
//     wins, a second one is apperr.Conflict and gives its place back;
//  3. accept the proposal, guarded on state sent; if it changed meanwhile
//     (withdrawn, expired), cancel the mentorship and give the place back;
//  4. activate the mentorship;
//  5. withdraw the beneficiary's other open mentor proposals.
//
// A crash between steps leaves a counter one too high (after 1: Reconcile
// recomputes it), a pending mentorship (after 2 or 3: Repair accepts the
// proposal if it is still sent and activates, or cancels and gives the
// place back) or open proposals of a matched beneficiary (after 4: Repair
// withdraws them). Accepting an accepted proposal is a conflict.
func (s *Service) Accept(ctx context.Context, org, id string, mentor Mentor, by string, now time.Time) (pathways.Proposal, Mentorship, error) {
	p, err := s.Proposals.Proposal(ctx, org, id)
	if err != nil {
		return p, Mentorship{}, err
	}
	if p.Kind != pathways.OpeningMentor || p.OpeningID != mentor.ID {
		return p, Mentorship{}, apperr.NotFoundf("proposal %s", id)
	}
	next, err := p.Advance(pathways.ProposalAccepted, by, "", now)
	if err != nil {
		return p, Mentorship{}, err
	}
	if err := s.takePlace(ctx, org, mentor.ID, now); err != nil {
		return p, Mentorship{}, err
	}
	ms := Mentorship{
		ID: ids.NewAt("msh", now), OrganisationID: org, ProposalID: p.ID, MentorID: mentor.ID, BeneficiaryID: p.BeneficiaryID,
		State: MentorshipPending, StartedOn: civil.Of(now), EndsOn: civil.Of(now).AddDate(0, s.months(), 0),
		CheckIns: []CheckIn{}, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	// A place is given back only when it is certain nothing holds it: after
	// an unclear failure (a timeout) the count stays high, which is safe,
	// and Repair and ReconcileAll settle it.
	if err := s.Mentorships.CreateMentorship(ctx, ms); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			s.releasePlace(ctx, org, mentor.ID, now)
			return p, Mentorship{}, apperr.Conflictf("The beneficiary already has a mentor.").WithExtra("currentState", string(p.State))
		}
		return p, Mentorship{}, err
	}
	if err := s.Proposals.TransitionProposal(ctx, pathways.ProposalSent, next); err != nil {
		if !apperr.Is(err, apperr.Conflict) && !apperr.Is(err, apperr.NotFound) {
			return p, Mentorship{}, err // the pending mentorship is Repair's
		}
		if cerr := s.cancelPending(ctx, ms, now); cerr != nil {
			return p, Mentorship{}, errors.Join(err, cerr)
		}
		return p, Mentorship{}, err
	}
	active, err := s.activate(ctx, ms, now)
	if err != nil {
		return next, ms, err
	}
	if err := s.withdrawOthers(ctx, next, now); err != nil {
		return next, active, err
	}
	return next, active, nil
}

// takePlace increments the mentor's Active count against the capacity read,
// re-reading when the capacity changed meanwhile.
func (s *Service) takePlace(ctx context.Context, org, mentorID string, now time.Time) error {
	for range capacityRetries {
		m, err := s.Mentors.Mentor(ctx, org, mentorID)
		if err != nil {
			return err
		}
		err = s.Places.TakeMentorPlace(ctx, org, mentorID, m.Capacity, now)
		if !apperr.Is(err, apperr.PreconditionFailed) {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Wrap(apperr.Conflict, ErrNoCapacity, "The mentor has no free capacity: %d mentees already.", m.Capacity).
					WithExtra("currentState", string(pathways.ProposalSent))
			}
			return err
		}
	}
	return apperr.Conflictf("The mentor's capacity keeps changing; try again.")
}

// releasePlace gives a place back; a failure leaves the counter high, which
// Reconcile corrects, so it is not the caller's error.
func (s *Service) releasePlace(ctx context.Context, org, mentorID string, now time.Time) {
	_ = s.Places.ReleaseMentorPlace(ctx, org, mentorID, now)
}

// cancelPending cancels a pending mentorship and gives its place back, once:
// the guarded state change decides who gives it back.
func (s *Service) cancelPending(ctx context.Context, ms Mentorship, now time.Time) error {
	next := ms
	next.State, next.UpdatedAt, next.Version = MentorshipCancelled, now, ms.Version+1
	if err := s.Mentorships.ReplaceMentorship(ctx, MentorshipPending, next); err != nil {
		return err
	}
	s.releasePlace(ctx, ms.OrganisationID, ms.MentorID, now)
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
func (s *Service) withdrawOthers(ctx context.Context, accepted pathways.Proposal, now time.Time) error {
	list, _, err := s.Proposals.Proposals(ctx, pathways.ProposalFilter{OrganisationID: accepted.OrganisationID, BeneficiaryID: accepted.BeneficiaryID,
		Kind: pathways.OpeningMentor, States: pathways.OpenProposalStates, Limit: 50})
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range list {
		if o.ID == accepted.ID {
			continue
		}
		next, err := o.Advance(pathways.ProposalWithdrawn, pathways.SystemActor, "The beneficiary accepted another mentor.", now)
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
			return ms, apperr.Conflictf("Check-ins are logged on active mentorships; this one is %q.", ms.State).WithExtra("currentState", string(ms.State))
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
	return Mentorship{}, apperr.Conflictf("The mentorship keeps changing; try again.")
}

// End ends an active mentorship for a reason and gives the mentor's place
// back, once: the guarded state change comes first.
func (s *Service) End(ctx context.Context, org, id string, reason EndReason, by string, now time.Time) (Mentorship, error) {
	ms, err := s.Mentorships.Mentorship(ctx, org, id)
	if err != nil {
		return ms, err
	}
	next, err := ms.End(reason, by, now)
	if err != nil {
		return ms, err
	}
	if err := s.Mentorships.ReplaceMentorship(ctx, MentorshipActive, next); err != nil {
		return ms, err
	}
	s.releasePlace(ctx, org, ms.MentorID, now)
	return next.WithFollowUp(now), nil
}

// ExpireDue expires every sent proposal whose answer is overdue at now and
// returns how many it expired. The workers' mentoring:remind task calls it;
// it is safe to run concurrently and again (a proposal answered meanwhile is
// left alone).
func (s *Service) ExpireDue(ctx context.Context, now time.Time) (int, error) {
	n := 0
	for {
		due, err := s.Proposals.DueProposals(ctx, now, 100)
		if err != nil {
			return n, err
		}
		moved := 0
		for _, p := range due {
			next, err := p.Advance(pathways.ProposalExpired, pathways.SystemActor, "No answer before the deadline.", now)
			if err != nil {
				continue
			}
			err = s.Proposals.TransitionProposal(ctx, pathways.ProposalSent, next)
			switch {
			case err == nil:
				n++
				moved++
			case apperr.Is(err, apperr.Conflict), apperr.Is(err, apperr.NotFound):
			default:
				return n, err
			}
		}
		if len(due) < 100 || moved == 0 {
			return n, nil
		}
	}
}

// Reminders is what the reminder task tells people about.
type Reminders struct {
	// Expiring are sent proposals that expire within the next ReminderWindow.
	Expiring []pathways.Proposal `json:"expiring"`
	// Alerts are active mentorships whose pair met too little.
	Alerts []Mentorship `json:"alerts"`
}

// ReminderWindow is how far ahead Reminders looks for expiring proposals.
const ReminderWindow = 3 * 24 * time.Hour

// Reminders returns, across organisations, the sent proposals expiring within
// ReminderWindow after now (not yet expired) and the active mentorships in
// alert at now.
func (s *Service) Reminders(ctx context.Context, now time.Time) (Reminders, error) {
	r := Reminders{Expiring: []pathways.Proposal{}, Alerts: []Mentorship{}}
	due, err := s.Proposals.DueProposals(ctx, now.Add(ReminderWindow), 1000)
	if err != nil {
		return r, err
	}
	for _, p := range due {
		if p.ExpiresAt != nil && !p.ExpiresAt.Before(now) {
			r.Expiring = append(r.Expiring, p)
		}
	}
	after := ""
	for {
		list, next, err := s.Mentorships.MentorshipsInState(ctx, MentorshipActive, time.Time{}, after, 200)
		if err != nil {
			return r, err
		}
		for _, ms := range list {
			if ms.FollowUpAt(now) == FollowUpAlert {
				r.Alerts = append(r.Alerts, ms.WithFollowUp(now))
			}
		}
		if next == "" {
			return r, nil
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
	if err == nil && p.State == pathways.ProposalSent {
		mentor := pathways.SystemActor
		if m, merr := s.Mentors.Mentor(ctx, ms.OrganisationID, ms.MentorID); merr == nil && m.UserID != "" {
			mentor = m.UserID
		}
		next, aerr := p.Advance(pathways.ProposalAccepted, mentor, "", now)
		if aerr == nil {
			if terr := s.Proposals.TransitionProposal(ctx, pathways.ProposalSent, next); terr == nil {
				p = next
			} else if !apperr.Is(terr, apperr.Conflict) {
				return terr
			} else if p, err = s.Proposals.Proposal(ctx, ms.OrganisationID, ms.ProposalID); err != nil {
				return err
			}
		}
	}
	if err == nil && p.State == pathways.ProposalAccepted {
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

// Reconcile sets a mentor's Active count to the number of mentorships it
// holds (pending and active) when they differ, and reports the count. A
// count that moved within a grace period is left alone, since an acceptance
// may be under way; the update is guarded on the version read.
func (s *Service) Reconcile(ctx context.Context, org, mentorID string, now time.Time) (int, error) {
	m, err := s.Mentors.Mentor(ctx, org, mentorID)
	if err != nil {
		return 0, err
	}
	held, err := s.Mentorships.CountHeld(ctx, mentorID)
	if err != nil {
		return 0, err
	}
	if held == m.Active || now.Sub(m.UpdatedAt) < settleGrace {
		return m.Active, nil
	}
	if err := s.Places.SetMentorActive(ctx, org, mentorID, m.Version, held, now); err != nil {
		return m.Active, err
	}
	return held, nil
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
