package mentoring

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
)

// MentorStatus is whether a mentor can be proposed.
type MentorStatus string

// Mentor statuses.
const (
	MentorActive   MentorStatus = "active"
	MentorPaused   MentorStatus = "paused"
	MentorInactive MentorStatus = "inactive"
)

// MentorStatuses lists the accepted statuses.
var MentorStatuses = []MentorStatus{MentorActive, MentorPaused, MentorInactive}

// Mentor is a volunteer who takes mentees for co-training.
type Mentor struct {
	ID             string
	OrganisationID string
	// UserID is the mentor's own account (role mentor), if any.
	UserID string

	FirstName string
	LastName  string
	Company   string
	Sector    string // ROME family or domain, e.g. "H" or "H29"
	ROME      []string
	Skills    []string
	Interests []string
	Languages []string
	// Capacity is the most mentees the mentor agreed to follow at once.
	Capacity int
	// Active counts the mentor's mentorships under way; it only changes through
	// the store's guarded updates so it never exceeds Capacity.
	Active int
	// PlaceHolders are the proposals whose acceptance holds each of the
	// Active places: a proposal holds at most one, so a repeated or
	// concurrent acceptance of it never takes a second.
	PlaceHolders []string

	Availability MentorAvailability
	Place        geo.Place
	TrainedAt    *civil.Date
	Status       MentorStatus

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// MentorAvailability says when a mentor can meet.
type MentorAvailability struct {
	HoursPerMonth int
	Days          []string
	Remote        bool
}

// Trained reports whether the mentor completed the initial training.
func (m Mentor) Trained() bool { return m.TrainedAt != nil && !m.TrainedAt.IsZero() }

// FreeCapacity is how many more mentees the mentor can take.
func (m Mentor) FreeCapacity() int {
	if n := m.Capacity - m.Active; n > 0 {
		return n
	}
	return 0
}

// MentorFilter selects mentors of one organisation.
type MentorFilter struct {
	OrganisationID string
	Status         MentorStatus
	Department     string
	After          string
	Limit          int
}

// MentorStore keeps mentors.
type MentorStore interface {
	// CreateMentor inserts m; apperr.Conflict if m.UserID already has a profile.
	CreateMentor(ctx context.Context, m Mentor) error
	// Mentor returns apperr.NotFound if org has no such mentor.
	Mentor(ctx context.Context, org, id string) (Mentor, error)
	// MentorByUser returns apperr.NotFound if the user has no mentor profile.
	MentorByUser(ctx context.Context, userID string) (Mentor, error)
	// Mentors returns a page and the position of the next one.
	Mentors(ctx context.Context, f MentorFilter) ([]Mentor, string, error)
	// ReplaceMentor stores m if the stored version is still m.Version-1
	// (apperr.NotFound, apperr.PreconditionFailed). It never changes Active.
	ReplaceMentor(ctx context.Context, m Mentor) error
}
