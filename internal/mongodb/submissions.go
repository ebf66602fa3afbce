package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/jobs"
)

var _ jobs.SubmissionStore = (*DB)(nil)

const colSubmissions = "submissions"

// submissionDoc is an organisation's last submission; its id is the
// organisation's.
type submissionDoc struct {
	ID      string         `bson:"_id"`
	UserID  string         `bson:"userId"`
	At      time.Time      `bson:"at"`
	Items   int            `bson:"items"`
	Counts  map[string]int `bson:"counts"`
	Refused []refusedPart  `bson:"refused"`
}

type refusedPart struct {
	Index       int             `bson:"index"`
	ExternalRef string          `bson:"externalRef"`
	Errors      []itemErrorPart `bson:"errors"`
}

type itemErrorPart struct {
	Pointer string `bson:"pointer"`
	Detail  string `bson:"detail"`
}

// SaveSubmission replaces the organisation's last submission.
func (d *DB) SaveSubmission(ctx context.Context, s jobs.Submission) error {
	doc := submissionDoc{ID: s.OrganisationID, UserID: s.UserID, At: s.At, Items: s.Items, Counts: s.Counts, Refused: []refusedPart{}}
	for _, r := range s.Refused {
		p := refusedPart{Index: r.Index, ExternalRef: r.ExternalRef}
		for _, e := range r.Errors {
			p.Errors = append(p.Errors, itemErrorPart(e))
		}
		doc.Refused = append(doc.Refused, p)
	}
	_, err := d.col(colSubmissions).ReplaceOne(ctx, bson.D{{Key: "_id", Value: s.OrganisationID}}, doc, options.Replace().SetUpsert(true))
	return translate(err, "save submission of "+s.OrganisationID)
}

// LastSubmission returns the organisation's last submission.
func (d *DB) LastSubmission(ctx context.Context, org string) (jobs.Submission, error) {
	var doc submissionDoc
	if err := d.col(colSubmissions).FindOne(ctx, bson.D{{Key: "_id", Value: org}}).Decode(&doc); err != nil {
		return jobs.Submission{}, translate(err, "find submission of "+org)
	}
	s := jobs.Submission{OrganisationID: doc.ID, UserID: doc.UserID, At: doc.At.UTC(), Items: doc.Items, Counts: doc.Counts}
	for _, r := range doc.Refused {
		item := jobs.RefusedItem{Index: r.Index, ExternalRef: r.ExternalRef}
		for _, e := range r.Errors {
			item.Errors = append(item.Errors, jobs.ItemError(e))
		}
		s.Refused = append(s.Refused, item)
	}
	return s, nil
}
