package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/mentoring"
)

var _ mentoring.MentorStore = (*DB)(nil)

// mentorDoc is a mentor as stored. UserKey is the linked user's id, or the
// mentor's own id when none is linked, so one user has at most one profile.
type mentorDoc struct {
	ID             string                 `bson:"_id"`
	OrganisationID string                 `bson:"organisationId"`
	UserID         string                 `bson:"userId,omitempty"`
	UserKey        string                 `bson:"userKey"`
	FirstName      string                 `bson:"firstName"`
	LastName       string                 `bson:"lastName"`
	Company        string                 `bson:"company"`
	Sector         string                 `bson:"sector"`
	ROME           []string               `bson:"rome"`
	Skills         []string               `bson:"skills"`
	Interests      []string               `bson:"interests"`
	Languages      []string               `bson:"languages"`
	Capacity       int                    `bson:"capacity"`
	Active         int                    `bson:"active"`
	PlaceHolders   []string               `bson:"placeHolders"`
	Availability   mentorAvailabilityPart `bson:"availability"`
	Place          placePart              `bson:"place"`
	TrainedAt      *civil.Date            `bson:"trainedAt,omitempty"`
	Status         mentoring.MentorStatus `bson:"status"`
	CreatedAt      time.Time              `bson:"createdAt"`
	UpdatedAt      time.Time              `bson:"updatedAt"`
	Version        int64                  `bson:"version"`
}

func toMentorDoc(m mentoring.Mentor) mentorDoc {
	key := m.UserID
	if key == "" {
		key = "id:" + m.ID
	}
	return mentorDoc{
		ID: m.ID, OrganisationID: m.OrganisationID, UserID: m.UserID, UserKey: key, FirstName: m.FirstName,
		LastName: m.LastName, Company: m.Company, Sector: m.Sector, ROME: m.ROME, Skills: m.Skills,
		Interests: m.Interests, Languages: m.Languages, Capacity: m.Capacity, Active: m.Active, PlaceHolders: emptyIfNil(m.PlaceHolders),
		Availability: mentorAvailabilityPart(m.Availability), Place: toPlacePart(m.Place), TrainedAt: m.TrainedAt, Status: m.Status,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Version: m.Version,
	}
}

func toMentor(d mentorDoc) mentoring.Mentor {
	return mentoring.Mentor{
		ID: d.ID, OrganisationID: d.OrganisationID, UserID: d.UserID, FirstName: d.FirstName,
		LastName: d.LastName, Company: d.Company, Sector: d.Sector, ROME: d.ROME, Skills: d.Skills,
		Interests: d.Interests, Languages: d.Languages, Capacity: d.Capacity, Active: d.Active, PlaceHolders: d.PlaceHolders,
		Availability: mentoring.MentorAvailability(d.Availability), Place: d.Place.place(), TrainedAt: d.TrainedAt, Status: d.Status,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
	}
}

// CreateMentor inserts m.
func (d *DB) CreateMentor(ctx context.Context, m mentoring.Mentor) error {
	_, err := d.col(colMentors).InsertOne(ctx, toMentorDoc(m))
	return translate(err, "insert mentor "+m.ID)
}

// Mentor returns org's mentor id.
func (d *DB) Mentor(ctx context.Context, org, id string) (mentoring.Mentor, error) {
	var doc mentorDoc
	if err := d.col(colMentors).FindOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "organisationId", Value: org}}).Decode(&doc); err != nil {
		return mentoring.Mentor{}, translate(err, "find mentor "+id)
	}
	return toMentor(doc), nil
}

// MentorByUser returns the profile of the user.
func (d *DB) MentorByUser(ctx context.Context, userID string) (mentoring.Mentor, error) {
	var doc mentorDoc
	if err := d.col(colMentors).FindOne(ctx, bson.D{{Key: "userKey", Value: userID}}).Decode(&doc); err != nil {
		return mentoring.Mentor{}, translate(err, "find mentor of user "+userID)
	}
	return toMentor(doc), nil
}

// Mentors returns a page of org's mentors.
func (d *DB) Mentors(ctx context.Context, f mentoring.MentorFilter) ([]mentoring.Mentor, string, error) {
	filter := bson.D{{Key: "organisationId", Value: f.OrganisationID}}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: f.Status})
	}
	if f.Department != "" {
		filter = append(filter, bson.E{Key: "place.department", Value: f.Department})
	}
	docs, next, err := page(ctx, d.col(colMentors), filter, f.After, f.Limit, func(d mentorDoc) string { return d.ID }, "list mentors")
	if err != nil {
		return nil, "", err
	}
	out := make([]mentoring.Mentor, len(docs))
	for i, doc := range docs {
		out[i] = toMentor(doc)
	}
	return out, next, nil
}

// ReplaceMentor stores m if the stored version is m.Version-1. Every change
// of the active-mentee count also moves the version, so a profile edit made
// from a stale read cannot overwrite it.
func (d *DB) ReplaceMentor(ctx context.Context, m mentoring.Mentor) error {
	return replaceVersioned(ctx, d.col(colMentors), bson.D{{Key: "organisationId", Value: m.OrganisationID}},
		m.ID, m.Version-1, toMentorDoc(m), "replace mentor "+m.ID)
}
