package mentoring

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
)

// MentorshipState is where a mentorship is in its life.
type MentorshipState string

// Mentorship states. A pending mentorship is the short step of an acceptance
// between taking the mentor's place and accepting the proposal; Repair
// settles one left pending by a crash. Pending and active ones hold a place
// of the mentor and the beneficiary's one mentorship.
const (
	MentorshipPending   MentorshipState = "pending"
	MentorshipActive    MentorshipState = "active"
	MentorshipEnded     MentorshipState = "ended"
	MentorshipCancelled MentorshipState = "cancelled"
)

// French names the state in French, for people's sentences.
func (s MentorshipState) French() string {
	switch s {
	case MentorshipPending:
		return "en attente"
	case MentorshipActive:
		return "en cours"
	case MentorshipEnded:
		return "terminé"
	case MentorshipCancelled:
		return "annulé"
	}
	return string(s)
}

// Holds reports whether a mentorship in state s holds a place of its mentor.
func (s MentorshipState) Holds() bool { return s == MentorshipPending || s == MentorshipActive }

// EndReason says why a mentorship ended.
type EndReason string

// End reasons.
const (
	EndCompleted  EndReason = "completed"
	EndJobFound   EndReason = "job-found"
	EndDroppedOut EndReason = "dropped-out"
	EndRematch    EndReason = "rematch"
	// EndErased ends the mentorship of a person whose data was erased.
	EndErased EndReason = "erased"
)

// EndReasons lists the accepted reasons.
var EndReasons = []EndReason{EndCompleted, EndJobFound, EndDroppedOut, EndRematch}

// DefaultDurationMonths is the programme's mentorship length (Kodiko: six months).
const DefaultDurationMonths = 6

// Follow-up rule: pairs meet at least twice a month, so fewer than
// MinCheckIns check-ins in the last AlertWindow puts a mentorship in alert.
// The first AlertWindow of a mentorship (the diagnosis month) is exempt.
const (
	MinCheckIns = 2
	AlertWindow = 30 * 24 * time.Hour
)

// FollowUp is whether a mentorship's pair meets often enough.
type FollowUp string

// Follow-up states.
const (
	FollowUpOK    FollowUp = "ok"
	FollowUpAlert FollowUp = "alert"
	FollowUpNone  FollowUp = "" // not active
)

// CheckIn is one meeting of a pair, logged by the mentor or an adviser.
type CheckIn struct {
	ID       string
	Date     civil.Date
	Minutes  int
	Topics   []string
	NextStep string
	// By is the user who logged it; At is when.
	By string
	At time.Time
}

// Mentorship is a mentor following a beneficiary for the programme's
// duration, born of an accepted proposal.
type Mentorship struct {
	ID             string
	OrganisationID string
	ProposalID     string
	MentorID       string
	BeneficiaryID  string
	State          MentorshipState
	StartedOn      civil.Date
	// EndsOn is the planned end: StartedOn plus the programme's duration.
	EndsOn    civil.Date
	CheckIns  []CheckIn
	EndedOn   civil.Date
	EndReason EndReason
	// EndComment is what whoever ended it added, if anything.
	EndComment string
	EndedBy    string
	// FollowUp is computed when read: "alert" when the pair met too little.
	FollowUp  FollowUp
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// FollowUpAt returns the follow-up state of m at the instant: alert when m is
// active, older than AlertWindow, and fewer than MinCheckIns check-ins fall
// in the last AlertWindow.
func (m Mentorship) FollowUpAt(now time.Time) FollowUp {
	if m.State != MentorshipActive {
		return FollowUpNone
	}
	since := civil.Of(now.UTC().Add(-AlertWindow))
	if m.StartedOn >= since {
		return FollowUpOK
	}
	today := civil.Of(now.UTC())
	n := 0
	for _, c := range m.CheckIns {
		if c.Date > since && c.Date <= today {
			n++
		}
	}
	if n < MinCheckIns {
		return FollowUpAlert
	}
	return FollowUpOK
}

// WithFollowUp returns m with FollowUp computed at the instant.
func (m Mentorship) WithFollowUp(now time.Time) Mentorship {
	m.FollowUp = m.FollowUpAt(now)
	return m
}

// End returns m ended for the reason by the actor on the instant, or
// apperr.Conflict (with currentState) unless m is active.
func (m Mentorship) End(reason EndReason, comment, by string, at time.Time) (Mentorship, error) {
	if m.State != MentorshipActive {
		return m, apperr.Conflictf("Only an active mentorship can end; this one is %q.", m.State).
			FR("Seul un mentorat en cours peut se terminer ; celui-ci est %s.", m.State.French()).WithExtra("currentState", string(m.State))
	}
	m.State, m.EndReason, m.EndComment, m.EndedBy, m.EndedOn = MentorshipEnded, reason, comment, by, civil.Of(at)
	m.CheckIns = append([]CheckIn(nil), m.CheckIns...)
	m.UpdatedAt, m.Version = at, m.Version+1
	return m, nil
}

// MentorshipFilter selects mentorships of one organisation.
type MentorshipFilter struct {
	OrganisationID string
	MentorID       string
	BeneficiaryID  string
	States         []MentorshipState
	After          string
	Limit          int
}

// MentorshipStore keeps mentorships.
type MentorshipStore interface {
	// CreateMentorship inserts m. It returns apperr.Conflict if a mentorship
	// of the same proposal exists, or if the beneficiary already has a
	// pending or active one (checked atomically: the first wins).
	CreateMentorship(ctx context.Context, m Mentorship) error
	// Mentorship returns apperr.NotFound if org has no such mentorship.
	Mentorship(ctx context.Context, org, id string) (Mentorship, error)
	// MentorshipOfProposal returns apperr.NotFound if the proposal has none.
	MentorshipOfProposal(ctx context.Context, org, proposalID string) (Mentorship, error)
	// Mentorships returns a page ordered by id and the next position.
	Mentorships(ctx context.Context, f MentorshipFilter) ([]Mentorship, string, error)
	// ReplaceMentorship stores next if the stored mentorship is still in
	// state from at version next.Version-1: apperr.NotFound if gone,
	// apperr.Conflict with currentState otherwise.
	ReplaceMentorship(ctx context.Context, from MentorshipState, next Mentorship) error
	// MentorshipsInState returns a page of mentorships in a state across
	// organisations, updated before the instant (zero: any), ordered by id.
	MentorshipsInState(ctx context.Context, state MentorshipState, updatedBefore time.Time, after string, limit int) ([]Mentorship, string, error)
	// HeldProposals lists the proposals of the mentor's pending and active
	// mentorships.
	HeldProposals(ctx context.Context, mentorID string) ([]string, error)
}

// PlaceStore changes a mentor's count of mentees under way, one atomic
// conditional update at a time (no transaction).
type PlaceStore interface {
	// TakeMentorPlace gives the proposal holder one of the mentor's places
	// if Active is below capacity and the stored Capacity is still
	// capacity; a holder that has a place keeps it and nothing changes. It
	// returns apperr.Conflict when the mentor has no free place, and
	// apperr.PreconditionFailed when the capacity changed (read it again).
	TakeMentorPlace(ctx context.Context, org, mentorID string, capacity int, holder string, at time.Time) error
	// ReleaseMentorPlace gives back the place holder has, if any: releasing
	// twice is releasing once.
	ReleaseMentorPlace(ctx context.Context, org, mentorID, holder string, at time.Time) error
	// SetMentorPlaces sets the holders (and Active, their number) if the
	// mentor is still at version: apperr.PreconditionFailed otherwise.
	SetMentorPlaces(ctx context.Context, org, mentorID string, version int64, holders []string, at time.Time) error
	// MentorsHoldingPlaces returns a page, across organisations, of the
	// mentors whose Active count is above zero, and the next position.
	MentorsHoldingPlaces(ctx context.Context, after string, limit int) ([]Mentor, string, error)
}
