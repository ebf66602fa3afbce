package jobs

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/access"
)

// Submission is what an agency's last bulk submission of openings gave:
// the counts by outcome and each refused item with its errors, so the
// agency sees on its page what its software sent wrong.
type Submission struct {
	OrganisationID string
	UserID         string
	At             time.Time
	Items          int
	Counts         map[string]int
	Refused        []RefusedItem
}

// RefusedItem is an item of a submission that was not recorded.
type RefusedItem struct {
	Index       int
	ExternalRef string
	// Errors are the sentences the submission's answer gave, in its
	// language, each with the field it names.
	Errors []ItemError
}

// ItemError is one error of a refused item.
type ItemError struct {
	Pointer, Detail string
}

// SubmissionStore keeps each organisation's last submission.
type SubmissionStore interface {
	SaveSubmission(ctx context.Context, s Submission) error
	// LastSubmission returns apperr.NotFound when org submitted nothing.
	LastSubmission(ctx context.Context, org string) (Submission, error)
}

// RecordSubmission keeps who's organisation's last bulk submission (a
// failure is the caller's to log: the openings themselves are recorded).
func (s *Service) RecordSubmission(ctx context.Context, who access.Principal, sub Submission) error {
	if s.Submissions == nil {
		return nil
	}
	sub.OrganisationID, sub.UserID, sub.At = who.OrganisationID, who.UserID, s.now()
	return s.Submissions.SaveSubmission(ctx, sub)
}

// LastSubmission returns who's organisation's last bulk submission.
func (s *Service) LastSubmission(ctx context.Context, who access.Principal) (Submission, error) {
	if s.Submissions == nil {
		return Submission{}, nil
	}
	return s.Submissions.LastSubmission(ctx, who.OrganisationID)
}
