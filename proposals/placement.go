package proposals

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/pmsmp"
)

// conventionID is the id of the convention a placement's acceptance makes:
// one per proposal, so a retried acceptance never records two.
func conventionID(proposalID string) string { return "pmc_" + proposalID }

// acceptPlacement accepts a sent PMSMP proposal and records its convention,
// with no transaction:
//
//  1. reserve: check the PMSMP rules against the beneficiary's conventions
//     (pending ones included) and insert the convention, pending, as the
//     beneficiary's next one. Two acceptances that read the same history
//     compete for the same place in it: one wins, the other reads the
//     history again (now holding the winner) and checks the rules again;
//  2. accept the proposal, guarded on state sent; if it changed meanwhile
//     (withdrawn, expired), cancel the pending convention;
//  3. record the convention.
//
// A crash after 1 or 2 leaves a pending convention, which already counts
// for the rules: RepairConventions accepts the proposal if it is still
// sent and records the convention, or cancels it if the proposal closed
// otherwise. A failure of step 3 alone is not the caller's: the acceptance
// holds, and the repair records the convention.
func (s *Service) acceptPlacement(ctx context.Context, p Proposal, by string, now time.Time) (Proposal, error) {
	next, err := p.Advance(Accepted, by, "", now)
	if err != nil {
		return p, err
	}
	o, err := s.Opportunities.Opportunity(ctx, p.OpeningID)
	if err != nil {
		return p, err
	}
	conv, ok := jobs.ConventionFor(conventionID(p.ID), p.BeneficiaryID, o)
	if !ok {
		return s.move(ctx, p.OrganisationID, p.ID, Accepted, by, "", now)
	}
	if err := s.reserve(ctx, p, conv, now); err != nil {
		return p, err
	}
	if err := s.Store.TransitionProposal(ctx, Sent, next); err != nil {
		if !apperr.Is(err, apperr.Conflict) && !apperr.Is(err, apperr.NotFound) {
			return p, err // unclear: the pending convention is the repair's
		}
		if cerr := s.Conventions.SetConventionState(ctx, p.OrganisationID, conv.ID, jobs.ConventionPending, jobs.ConventionCancelled, now); cerr != nil {
			return p, errors.Join(err, cerr)
		}
		return p, err
	}
	_ = s.Conventions.SetConventionState(ctx, p.OrganisationID, conv.ID, jobs.ConventionPending, jobs.ConventionRecorded, now)
	s.changed(ctx, next)
	return next, nil
}

// reserve inserts conv, pending, as the beneficiary's next convention once
// the PMSMP rules hold against their history; apperr.Conflict naming each
// broken rule otherwise. A convention the proposal reserved already (an
// earlier attempt) is kept.
func (s *Service) reserve(ctx context.Context, p Proposal, conv pmsmp.Convention, now time.Time) error {
	for range reserveRetries {
		all, err := s.Conventions.Conventions(ctx, p.OrganisationID, p.BeneficiaryID)
		if err != nil {
			return err
		}
		for _, c := range all {
			if c.ID == conv.ID {
				if c.State == jobs.ConventionPending {
					return nil
				}
				return apperr.Conflictf("This placement's convention is %s already.", c.State).
					FR("La convention de cette PMSMP est déjà « %s ».", c.State).WithExtra("currentState", string(p.State))
			}
		}
		if v := pmsmp.Check(conv, jobs.Holding(all)); len(v) > 0 {
			return brokenRules(v)
		}
		err = s.Conventions.ReserveConvention(ctx, jobs.Convention{
			Convention: conv, OrganisationID: p.OrganisationID, ProposalID: p.ID, State: jobs.ConventionPending,
			CreatedAt: now, UpdatedAt: now,
		}, len(all))
		if !apperr.Is(err, apperr.Conflict) {
			return err
		}
		// Another acceptance took this place in the history: read it again.
	}
	return apperr.Conflictf("The beneficiary's PMSMP conventions keep changing; try again.").
		FR("Les conventions de PMSMP de cette personne changent sans cesse ; réessayez.")
}

// brokenRules is the apperr.Conflict of an acceptance the PMSMP rules forbid.
func brokenRules(violations []pmsmp.Violation) error {
	fields := make([]apperr.FieldError, len(violations))
	for i, v := range violations {
		fields[i] = apperr.FieldError{Pointer: "/answer", Detail: v.EN, DetailFR: v.FR, Tag: string(v.Rule)}
	}
	e := apperr.Conflictf("Accepting this placement would break the PMSMP rules.").
		FR("Accepter cette PMSMP enfreindrait les règles des PMSMP.")
	e.Fields = fields
	return e
}

// RepairConventions settles the conventions left pending by a crash in an
// acceptance for longer than a grace period: if the proposal is still sent
// it is accepted (the acceptance was under way) and the convention
// recorded; if it was accepted the convention is recorded; if it closed
// otherwise the convention is cancelled. It returns how many it settled.
func (s *Service) RepairConventions(ctx context.Context, now time.Time) (int, error) {
	if s.Conventions == nil {
		return 0, nil
	}
	n := 0
	for {
		list, err := s.Conventions.PendingConventions(ctx, now.Add(-settleGrace), 100)
		if err != nil {
			return n, err
		}
		for _, c := range list {
			if err := s.repairConvention(ctx, c, now); err != nil {
				return n, err
			}
			n++
		}
		if len(list) < 100 {
			return n, nil
		}
	}
}

func (s *Service) repairConvention(ctx context.Context, c jobs.Convention, now time.Time) error {
	p, err := s.Store.Proposal(ctx, c.OrganisationID, c.ProposalID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if err == nil && p.State == Sent {
		if next, aerr := p.Advance(Accepted, SystemActor, "The acceptance was under way when it was interrupted.", now); aerr == nil {
			if terr := s.Store.TransitionProposal(ctx, Sent, next); terr == nil {
				p = next
			} else if !apperr.Is(terr, apperr.Conflict) {
				return terr
			} else if p, err = s.Store.Proposal(ctx, c.OrganisationID, c.ProposalID); err != nil {
				return err
			}
		}
	}
	to := jobs.ConventionCancelled
	if err == nil && p.State == Accepted {
		to = jobs.ConventionRecorded
	}
	if err := s.Conventions.SetConventionState(ctx, c.OrganisationID, c.ID, jobs.ConventionPending, to, now); err != nil && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	return nil
}

// ConventionsOf returns the PMSMP conventions of who's organisation's
// beneficiary, of every state, oldest first.
func (s *Service) ConventionsOf(ctx context.Context, who access.Principal, beneficiaryID string) ([]jobs.Convention, error) {
	if s.Conventions == nil {
		return nil, nil
	}
	return s.Conventions.Conventions(ctx, who.OrganisationID, beneficiaryID)
}

// RenewConvention renews a recorded PMSMP convention of who's
// organisation's beneficiary once, with the same host and objectives, from
// the day after it ends to end: apperr.NotFound for a convention or a
// person who's organisation does not have, apperr.Conflict (currentState)
// for a convention not recorded, apperr.Invalid (/endDate) for an end
// before the start, and apperr.Conflict naming each PMSMP rule the renewal
// would break (one month at most, one renewal, 60 days with the host in 12
// months).
func (s *Service) RenewConvention(ctx context.Context, who access.Principal, beneficiaryID, id string, end civil.Date) (jobs.Convention, error) {
	if s.Conventions == nil {
		return jobs.Convention{}, apperr.NotFoundf("No PMSMP convention %s.", id).FR("Aucune convention de PMSMP %s.", id)
	}
	if s.Beneficiaries != nil {
		if _, err := pathways.Live(ctx, s.Beneficiaries, who.OrganisationID, beneficiaryID); err != nil {
			return jobs.Convention{}, err
		}
	}
	now := s.now()
	for range reserveRetries {
		all, err := s.Conventions.Conventions(ctx, who.OrganisationID, beneficiaryID)
		if err != nil {
			return jobs.Convention{}, err
		}
		i := slices.IndexFunc(all, func(c jobs.Convention) bool { return c.ID == id })
		if i < 0 {
			return jobs.Convention{}, apperr.NotFoundf("No PMSMP convention %s for this person.", id).
				FR("Aucune convention de PMSMP %s pour cette personne.", id)
		}
		orig := all[i]
		if orig.State != jobs.ConventionRecorded {
			return jobs.Convention{}, apperr.Conflictf("Only a recorded convention is renewed; this one is %s.", orig.State).
				FR("Seule une convention enregistrée se renouvelle ; celle-ci est « %s ».", orig.State).WithExtra(apperr.CurrentState, string(orig.State))
		}
		start := civil.Of(orig.End).AddDate(0, 0, 1)
		if !end.Valid() || end.Before(start) {
			return jobs.Convention{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/endDate", Tag: "gtefield",
				Detail:   "The renewal starts on " + start.English() + ", the day after the convention ends: its end cannot be before.",
				DetailFR: "Le renouvellement commence le " + start.French() + ", le lendemain de la fin de la convention : sa fin ne peut pas être avant."}},
				"Bad end date.").FR("Date de fin incorrecte.")
		}
		conv := pmsmp.Convention{ID: ids.NewAt("pmc", now), BeneficiaryID: beneficiaryID, HostID: orig.HostID,
			Objective: orig.Objective, Start: start.Time(), End: end.Time(), RenewalOf: orig.ID}
		if v := pmsmp.Check(conv, jobs.Holding(all)); len(v) > 0 {
			fields := make([]apperr.FieldError, len(v))
			for i, x := range v {
				fields[i] = apperr.FieldError{Pointer: "/endDate", Detail: x.EN, DetailFR: x.FR, Tag: string(x.Rule)}
			}
			e := apperr.Conflictf("This renewal would break the PMSMP rules.").FR("Ce renouvellement enfreindrait les règles des PMSMP.")
			e.Fields = fields
			return jobs.Convention{}, e
		}
		c := jobs.Convention{Convention: conv, OrganisationID: who.OrganisationID, State: jobs.ConventionRecorded, CreatedAt: now, UpdatedAt: now}
		err = s.Conventions.ReserveConvention(ctx, c, len(all))
		if err == nil {
			return c, nil
		}
		if !apperr.Is(err, apperr.Conflict) {
			return jobs.Convention{}, err
		}
		// Another convention took this place in the history: read it again.
	}
	return jobs.Convention{}, apperr.Conflictf("The beneficiary's PMSMP conventions keep changing; try again.").
		FR("Les conventions de PMSMP de cette personne changent sans cesse ; réessayez.")
}
