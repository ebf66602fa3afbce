package mongodb

import (
	"context"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/mentoring"
)

var _ mentoring.PlaceStore = (*DB)(nil)

// TakeMentorPlace gives the proposal holder a place in one conditional
// update: {_id, capacity: C, active: {$lt: C}, placeHolders: {$ne: holder}}
// → $inc active and version, $push holder. When nothing matches, a re-read
// tells a holder that has its place already (nothing to do) from a changed
// capacity (PreconditionFailed) and a full mentor (Conflict).
func (d *DB) TakeMentorPlace(ctx context.Context, org, mentorID string, capacity int, holder string, at time.Time) error {
	filter := bson.D{{Key: "_id", Value: mentorID}, {Key: "organisationId", Value: org},
		{Key: "capacity", Value: capacity}, {Key: "active", Value: bson.D{{Key: "$lt", Value: capacity}}},
		{Key: "placeHolders", Value: bson.D{{Key: "$ne", Value: holder}}}}
	update := bson.D{{Key: "$inc", Value: bson.D{{Key: "active", Value: 1}, {Key: "version", Value: 1}}},
		{Key: "$push", Value: bson.D{{Key: "placeHolders", Value: holder}}},
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
	if slices.Contains(m.PlaceHolders, holder) {
		return nil
	}
	if m.Capacity != capacity {
		return apperr.New(apperr.PreconditionFailed, "The mentor's capacity changed; read it again.").
			FR("Les places du mentor ont changé ; relisez-les.")
	}
	return apperr.Conflictf("The mentor has no free capacity.").FR("Le mentor n'a plus de place libre.")
}

// ReleaseMentorPlace gives back the place of holder, if it has one: the
// filter names the holder, so a second release changes nothing.
func (d *DB) ReleaseMentorPlace(ctx context.Context, org, mentorID, holder string, at time.Time) error {
	filter := bson.D{{Key: "_id", Value: mentorID}, {Key: "organisationId", Value: org},
		{Key: "active", Value: bson.D{{Key: "$gt", Value: 0}}}, {Key: "placeHolders", Value: holder}}
	update := bson.D{{Key: "$inc", Value: bson.D{{Key: "active", Value: -1}, {Key: "version", Value: 1}}},
		{Key: "$pullAll", Value: bson.D{{Key: "placeHolders", Value: bson.A{holder}}}},
		{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: at}}}}
	_, err := d.col(colMentors).UpdateOne(ctx, filter, update)
	return translate(err, "release a place of mentor "+mentorID)
}

// SetMentorPlaces sets the holders and the active count if the mentor is
// still at version.
func (d *DB) SetMentorPlaces(ctx context.Context, org, mentorID string, version int64, holders []string, at time.Time) error {
	filter := bson.D{{Key: "_id", Value: mentorID}, {Key: "organisationId", Value: org}, {Key: "version", Value: version}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "active", Value: len(holders)}, {Key: "placeHolders", Value: emptyIfNil(holders)}, {Key: "updatedAt", Value: at}}},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}}
	res, err := d.col(colMentors).UpdateOne(ctx, filter, update)
	if err != nil {
		return translate(err, "set the places of mentor "+mentorID)
	}
	if res.MatchedCount == 0 {
		return apperr.Stale()
	}
	return nil
}

// migrateMentorPlaces names the holders of the places taken before places
// had holders: the proposals of each mentor's pending and active
// mentorships, which then also give the count.
func (d *DB) migrateMentorPlaces(ctx context.Context) error {
	cur, err := d.col(colMentors).Find(ctx, bson.D{{Key: "placeHolders", Value: bson.D{{Key: "$exists", Value: false}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "organisationId", Value: 1}}))
	if err != nil {
		return translate(err, "find mentors to migrate")
	}
	var list []struct {
		ID             string `bson:"_id"`
		OrganisationID string `bson:"organisationId"`
	}
	if err := cur.All(ctx, &list); err != nil {
		return translate(err, "find mentors to migrate")
	}
	for _, m := range list {
		held, err := d.HeldProposals(ctx, m.ID)
		if err != nil {
			return err
		}
		_, err = d.col(colMentors).UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "placeHolders", Value: bson.D{{Key: "$exists", Value: false}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "placeHolders", Value: emptyIfNil(held)}, {Key: "active", Value: len(held)}}}})
		if err != nil {
			return translate(err, "migrate the places of mentor "+m.ID)
		}
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
