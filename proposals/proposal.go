package proposals

import (
	"context"
	"encoding/json"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
)

// Kind is what a proposal offers a beneficiary: a mentor, or an
// opportunity of one of the jobs kinds.
type Kind string

// Opening kinds of a proposal.
const (
	KindMentor   Kind = "mentor"
	KindJob      Kind = "job"
	KindPMSMP    Kind = "pmsmp"
	KindTraining Kind = "training"
)

// Valid reports whether k is one of the four kinds.
func (k Kind) Valid() bool {
	return k == KindMentor || k == KindJob || k == KindPMSMP || k == KindTraining
}

// Kinds lists the accepted kinds.
var Kinds = []Kind{KindMentor, KindJob, KindPMSMP, KindTraining}

// Source says who proposed a pair.
type Source string

// Proposal sources.
const (
	SourceEngine  Source = "engine"
	SourceAdviser Source = "adviser"
)

// State is where a proposal is in its lifecycle.
type State string

// Proposal states. Proposed, approved and sent are open; the others are final.
const (
	Proposed  State = "proposed"
	Approved  State = "approved"
	Sent      State = "sent"
	Accepted  State = "accepted"
	Declined  State = "declined"
	Expired   State = "expired"
	Withdrawn State = "withdrawn"
)

// French names the state in French, for people's sentences.
func (s State) French() string {
	if f, ok := stateFR[s]; ok {
		return f
	}
	return string(s)
}

// States lists every state in lifecycle order.
var States = []State{Proposed, Approved, Sent, Accepted, Declined, Expired, Withdrawn}

// stateFR names the states in French, for people.
var stateFR = map[State]string{Proposed: "proposée", Approved: "validée", Sent: "envoyée", Accepted: "acceptée",
	Declined: "déclinée", Expired: "expirée", Withdrawn: "retirée"}

// MaxOpenMentorProposals is the most open mentor proposals a beneficiary may
// have at once; the store refuses one more with apperr.Conflict.
const MaxOpenMentorProposals = 3

// OpenStates are the states of a proposal still waiting for a decision.
var OpenStates = []State{Proposed, Approved, Sent}

// Open reports whether a proposal in state s still waits for a decision.
func (s State) Open() bool {
	return s == Proposed || s == Approved || s == Sent
}

// SystemActor is the By of transitions made by the platform itself (expiry,
// withdrawal after another acceptance).
const SystemActor = "system"

// nextStates is the lifecycle: proposed → approved (human oversight) → sent
// (to the mentor or the beneficiary) → accepted | declined | expired;
// staff may withdraw any open proposal.
var nextStates = map[State][]State{
	Proposed: {Approved, Withdrawn},
	Approved: {Sent, Withdrawn},
	Sent:     {Accepted, Declined, Expired, Withdrawn},
}

// Transition is one change of a proposal's state, with who made it and when.
type Transition struct {
	From State
	To   State
	At   time.Time
	// By is the user id of the person who made the change, or SystemActor.
	By     string
	Reason string
}

// Proposal pairs one beneficiary with one opening (a mentor or an
// opportunity). Batches and advisers share this one lifecycle; the engine
// only proposes, people decide.
type Proposal struct {
	ID string
	// OrganisationID is the beneficiary's organisation: its staff oversee the proposal.
	OrganisationID string
	BeneficiaryID  string
	Kind           Kind
	// OpeningID is the mentor's id (kind mentor) or the opportunity's.
	OpeningID string
	// BatchID is the matching batch that proposed the pair, if any.
	BatchID string
	Source  Source
	State   State
	Score   float64
	// Explanation is the engine's evaluation of the pair when it was proposed
	// (components, weights version, taxonomy version, instant), kept so that
	// every proposal can be explained and reproduced.
	Explanation json.RawMessage
	// Inputs are what the engine evaluated the pair from (matching.Inputs
	// as JSON): the seeker and opening as it saw them, and the instant, so
	// that the score can be derived again.
	Inputs  json.RawMessage
	History []Transition
	// DeclineReason is set when the proposal was declined.
	DeclineReason string
	// DeclineCode is the kind of reason a mentor picked (DeclineCodes),
	// counted in aggregate by the fairness report.
	DeclineCode string
	// AvailableFrom is set when it was declined because the mentor (or the
	// host) is not available before that day: the pair may be proposed
	// again from then on, in place of the cooldown.
	AvailableFrom civil.Date
	// ExpiresAt is when a sent proposal without an answer expires.
	ExpiresAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version counts changes; every transition is guarded on it.
	Version int64
}

// CheckTransition returns nil if a proposal may go from one state to the
// other, and otherwise apperr.Conflict carrying currentState.
func CheckTransition(from, to State) error {
	for _, s := range nextStates[from] {
		if s == to {
			return nil
		}
	}
	return apperr.Conflictf("A proposal in state %q cannot become %q.", from, to).
		FR("Une proposition %s ne peut pas devenir %s.", stateFR[from], stateFR[to]).WithExtra(apperr.CurrentState, string(from))
}

// Advance returns p moved to state to by the actor at the instant, with the
// transition recorded, the version incremented and, for a decline, the
// reason kept. It returns apperr.Conflict (with currentState) for a
// transition the lifecycle forbids. Setting ExpiresAt when sending is the
// caller's business: the delay is configuration.
func (p Proposal) Advance(to State, by, reason string, at time.Time) (Proposal, error) {
	if err := CheckTransition(p.State, to); err != nil {
		return p, err
	}
	next := p
	next.History = append(append([]Transition(nil), p.History...), Transition{From: p.State, To: to, At: at, By: by, Reason: reason})
	next.State = to
	if to == Declined {
		next.DeclineReason = reason
	}
	next.UpdatedAt = at
	next.Version = p.Version + 1
	return next, nil
}

// SentAt returns when p was sent, or false if it never was.
func (p Proposal) SentAt() (time.Time, bool) {
	for _, t := range p.History {
		if t.To == Sent {
			return t.At, true
		}
	}
	return time.Time{}, false
}

// LastTransition returns the most recent transition, or false for a new proposal.
func (p Proposal) LastTransition() (Transition, bool) {
	if len(p.History) == 0 {
		return Transition{}, false
	}
	return p.History[len(p.History)-1], true
}

// Decline is a declined pair as the cooldown reads it.
type Decline struct {
	OpeningID     string
	At            time.Time
	AvailableFrom civil.Date
}

// MaxAvailableFrom is how far ahead a "not available before" date may be.
const MaxAvailableFrom = 366 * 24 * time.Hour

// Until is when the pair may be proposed again: the day given as
// AvailableFrom (its first instant, in France), or the cooldown after the
// decline.
func (d Decline) Until(period time.Duration) time.Time {
	if d.AvailableFrom.Valid() {
		return civil.StartInFrance(d.AvailableFrom)
	}
	return d.At.Add(period).UTC()
}

// DeclineOf is p's decline; p must be declined.
func DeclineOf(p Proposal) Decline {
	return Decline{OpeningID: p.OpeningID, At: p.UpdatedAt, AvailableFrom: p.AvailableFrom}
}

// DeclinedUntil maps each opening of the declines to the end of its
// cooldown, the latest when a pair was declined twice, leaving out those
// over at now: matching's Declines.
func DeclinedUntil(declines []Decline, now time.Time, period time.Duration) map[string]time.Time {
	out := map[string]time.Time{}
	for _, d := range declines {
		if until := d.Until(period); now.Before(until) && until.After(out[d.OpeningID]) {
			out[d.OpeningID] = until
		}
	}
	return out
}

// Filter selects proposals. Empty fields do not filter.
type Filter struct {
	OrganisationID string
	BeneficiaryID  string
	Kind           Kind
	// OpeningID selects the proposals of one mentor or opportunity.
	OpeningID string
	States    []State
	BatchID   string
	// UpdatedSince keeps the proposals changed at or after the instant.
	UpdatedSince time.Time
	// After is the opaque position of the last item of the previous page.
	After string
	Limit int
}

// Store keeps proposals.
type Store interface {
	// CreateProposal inserts p; apperr.Conflict if its id (or its batch key)
	// exists already, or if p is an open mentor proposal and the beneficiary
	// already has MaxOpenMentorProposals open ones (checked atomically).
	CreateProposal(ctx context.Context, p Proposal) error
	// CreateProposalOnce inserts p unless a proposal with the same BatchID,
	// BeneficiaryID and OpeningID exists; then it returns that one and
	// created false, with no error. BatchID must be set (apperr.Invalid).
	// Batches use it so that a retried task never duplicates a proposal. The
	// open mentor proposal limit applies as for CreateProposal.
	CreateProposalOnce(ctx context.Context, p Proposal) (stored Proposal, created bool, err error)
	// Proposal returns apperr.NotFound if org has no such proposal.
	Proposal(ctx context.Context, org, id string) (Proposal, error)
	// Proposals returns a page ordered by id and the position of the next one
	// ("" at the end). OrganisationID is required.
	Proposals(ctx context.Context, f Filter) ([]Proposal, string, error)
	// TransitionProposal stores next, the result of Advance on a proposal
	// read in state from at version next.Version-1, only if the stored
	// proposal is still in that state at that version: of two concurrent
	// transitions only one wins. It returns apperr.NotFound if the proposal
	// is gone and apperr.Conflict carrying currentState if it changed.
	TransitionProposal(ctx context.Context, from State, next Proposal) error
	// SendProposal is TransitionProposal from approved to sent that, for a
	// mentor proposal, also takes one of maxSent places of the mentor
	// atomically: apperr.Conflict when the mentor already has maxSent sent
	// proposals.
	SendProposal(ctx context.Context, next Proposal, maxSent int) error
	// DueProposals returns up to limit sent proposals, of every organisation,
	// whose ExpiresAt is before the instant, oldest first.
	DueProposals(ctx context.Context, before time.Time, limit int) ([]Proposal, error)
	// ProposalsOn returns up to limit proposals of any organisation on the
	// openings named, in the states given, newest first: what a host (an
	// agency) sees of the candidates proposed to it.
	ProposalsOn(ctx context.Context, openingIDs []string, states []State, limit int) ([]Proposal, error)
	// ProposalByID returns the proposal id of any organisation
	// (apperr.NotFound if none): a host answers on it.
	ProposalByID(ctx context.Context, id string) (Proposal, error)
	// DeclinesOf returns the beneficiary's declined proposals that may still
	// hold their pair back: declined since the instant, or available again
	// only after the day given.
	DeclinesOf(ctx context.Context, beneficiaryID string, since time.Time, after civil.Date) ([]Decline, error)
}

// DeclineCodes are the kinds of reason a mentor declines for: not
// available before a day, the project too far from their trade, no time
// now, another reason.
var DeclineCodes = []string{"unavailable", "trade", "time", "other"}
