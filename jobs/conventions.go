package jobs

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/pmsmp"
)

// ConventionState is where a recorded PMSMP convention is. A pending
// convention is the short step of an acceptance between reserving the
// beneficiary's next convention and accepting the proposal; it already
// counts for the PMSMP rules, so two acceptances cannot both pass them. A
// repair sweep settles one left pending by a crash.
type ConventionState string

// Convention states. Pending and recorded conventions hold: the rules count
// them.
const (
	ConventionPending   ConventionState = "pending"
	ConventionRecorded  ConventionState = "recorded"
	ConventionCancelled ConventionState = "cancelled"
)

// Holds reports whether a convention in state s counts for the PMSMP rules.
func (s ConventionState) Holds() bool { return s == ConventionPending || s == ConventionRecorded }

// Convention is a PMSMP convention a beneficiary entered by accepting a
// placement: what the rules look at, and where it stands.
type Convention struct {
	pmsmp.Convention
	OrganisationID string
	// ProposalID is the accepted proposal that made the convention.
	ProposalID string
	State      ConventionState
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ConventionStore keeps the PMSMP conventions beneficiaries entered, so the
// PMSMP rules (one month, one renewal, two per host in 12 months, 60 days)
// are held when a placement is accepted and when matching proposes one.
type ConventionStore interface {
	// ReserveConvention inserts c as the seq-th convention (counting every
	// state, from 0) of its beneficiary. It returns apperr.Conflict when
	// the beneficiary has a seq-th convention already (another acceptance
	// went first: read the history again) or when c's id exists.
	ReserveConvention(ctx context.Context, c Convention, seq int) error
	// SetConventionState moves org's convention id from state from to to;
	// apperr.Conflict (currentState) when it is no longer in from,
	// apperr.NotFound when there is none.
	SetConventionState(ctx context.Context, org, id string, from, to ConventionState, at time.Time) error
	// Conventions returns every convention of org's beneficiary, of every
	// state, oldest first.
	Conventions(ctx context.Context, org, beneficiaryID string) ([]Convention, error)
	// PendingConventions returns up to limit pending conventions of every
	// organisation, created before the instant, oldest first.
	PendingConventions(ctx context.Context, createdBefore time.Time, limit int) ([]Convention, error)
	// PMSMPConventions returns the conventions of org's beneficiary that
	// hold, oldest first: the engine's history.
	PMSMPConventions(ctx context.Context, org, beneficiaryID string) ([]pmsmp.Convention, error)
	// PMSMPConventionsOf returns every convention of org that holds, by
	// beneficiary.
	PMSMPConventionsOf(ctx context.Context, org string) (map[string][]pmsmp.Convention, error)
}

// Holding returns the conventions of list that count for the rules.
func Holding(list []Convention) []pmsmp.Convention {
	out := make([]pmsmp.Convention, 0, len(list))
	for _, c := range list {
		if c.State.Holds() {
			out = append(out, c.Convention)
		}
	}
	return out
}

// ConventionFor returns the convention that the beneficiary's acceptance of
// the PMSMP placement o makes, under the id given; ok is false when o is
// not a PMSMP placement.
func ConventionFor(id, beneficiaryID string, o Opportunity) (c pmsmp.Convention, ok bool) {
	if o.Kind != KindPMSMP || o.PMSMP == nil {
		return pmsmp.Convention{}, false
	}
	return pmsmp.Convention{
		ID: id, BeneficiaryID: beneficiaryID, HostID: o.PMSMP.HostID, Objective: o.PMSMP.Objective,
		Start: o.Start.Time(), End: o.End.Time(),
	}, true
}
