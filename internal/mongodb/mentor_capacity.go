package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/mentoring"
)

var _ mentoring.PlaceStore = (*DB)(nil)

// TakeMentorPlace adds one to the mentor's active count in one conditional
// update: {_id, capacity: C, active: {$lt: C}} → $inc active and version.
// When nothing matches, a re-read tells a changed capacity
// (PreconditionFailed) from a full mentor (Conflict).
func (d *DB) TakeMentorPlace(ctx context.Context, org, mentorID string, capacity int, at time.Time) error {
	filter := bson.D{{Key: "_id", Value: mentorID}, {Key: "organisationId", Value: org},
		{Key: "capacity", Value: capacity}, {Key: "active", Value: bson.D{{Key: "$lt", Value: capacity}}}}
	update := bson.D{{Key: "$inc", Value: bson.D{{Key: "active", Value: 1}, {Key: "version", Value: 1}}},
		{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: at}}}}
	res, err := d.col(colMentors).UpdateOne(ctx, filter, update)
	if err != nil {
		return translate(err, "take a place of mentor "+mentorID)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	m, err := d.Mentor(ctx, org, mentorID)
	if err != nil {
		return err
	}
	if m.Capacity != capacity {
		return apperr.New(apperr.PreconditionFailed, "The mentor's capacity changed; read it again.").
			FR("Les places du mentor ont changé ; relisez-les.")
	}
	return apperr.Conflictf("The mentor has no free capacity.").FR("Le mentor n'a plus de place libre.")
}

// ReleaseMentorPlace takes one from the mentor's active count, never below zero.
func (d *DB) ReleaseMentorPlace(ctx context.Context, org, mentorID string, at time.Time) error {
	filter := bson.D{{Key: "_id", Value: mentorID}, {Key: "organisationId", Value: org}, {Key: "active", Value: bson.D{{Key: "$gt", Value: 0}}}}
	update := bson.D{{Key: "$inc", Value: bson.D{{Key: "active", Value: -1}, {Key: "version", Value: 1}}},
		{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: at}}}}
	_, err := d.col(colMentors).UpdateOne(ctx, filter, update)
	return translate(err, "release a place of mentor "+mentorID)
}

// SetMentorActive sets the active count if the mentor is still at version.
func (d *DB) SetMentorActive(ctx context.Context, org, mentorID string, version int64, active int, at time.Time) error {
	filter := bson.D{{Key: "_id", Value: mentorID}, {Key: "organisationId", Value: org}, {Key: "version", Value: version}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "active", Value: active}, {Key: "updatedAt", Value: at}}},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}}
	res, err := d.col(colMentors).UpdateOne(ctx, filter, update)
	if err != nil {
		return translate(err, "set the active count of mentor "+mentorID)
	}
	if res.MatchedCount == 0 {
		return apperr.Stale()
	}
	return nil
}

// MentorsHoldingPlaces returns a page, across organisations, of the mentors
// whose active count is above zero, ordered by id.
func (d *DB) MentorsHoldingPlaces(ctx context.Context, after string, limit int) ([]mentoring.Mentor, string, error) {
	filter := bson.D{{Key: "active", Value: bson.D{{Key: "$gt", Value: 0}}}}
	docs, next, err := page(ctx, d.col(colMentors), filter, after, limit, func(d mentorDoc) string { return d.ID }, "list mentors holding places")
	if err != nil {
		return nil, "", err
	}
	out := make([]mentoring.Mentor, len(docs))
	for i, doc := range docs {
		out[i] = toMentor(doc)
	}
	return out, next, nil
}
