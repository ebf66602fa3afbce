package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/mentoring"
)

const colMentorships = "mentorships"

var _ mentoring.MentorshipStore = (*DB)(nil)

// mentorshipDoc is a mentorship as stored. ProposalKey (the proposal id)
// makes creation idempotent; MenteeKey is the beneficiary's id while the
// mentorship holds a place (pending, active) and "id:"+ID after, so a
// beneficiary has one mentor at a time through a unique index.
type mentorshipDoc struct {
	ID             string                    `bson:"_id"`
	OrganisationID string                    `bson:"organisationId"`
	ProposalID     string                    `bson:"proposalId"`
	MenteeKey      string                    `bson:"menteeKey"`
	MentorID       string                    `bson:"mentorId"`
	BeneficiaryID  string                    `bson:"beneficiaryId"`
	State          mentoring.MentorshipState `bson:"state"`
	StartedOn      civil.Date                `bson:"startedOn"`
	EndsOn         civil.Date                `bson:"endsOn"`
	CheckIns       []checkInPart             `bson:"checkIns"`
	EndedOn        civil.Date                `bson:"endedOn,omitempty"`
	EndReason      mentoring.EndReason       `bson:"endReason,omitempty"`
	EndComment     string                    `bson:"endComment,omitempty"`
	EndedBy        string                    `bson:"endedBy,omitempty"`
	CreatedAt      time.Time                 `bson:"createdAt"`
	UpdatedAt      time.Time                 `bson:"updatedAt"`
	Version        int64                     `bson:"version"`
}

func toMentorshipDoc(m mentoring.Mentorship) mentorshipDoc {
	key := "id:" + m.ID
	if m.State.Holds() {
		key = m.BeneficiaryID
	}
	d := mentorshipDoc{
		ID: m.ID, OrganisationID: m.OrganisationID, ProposalID: m.ProposalID, MenteeKey: key, MentorID: m.MentorID,
		BeneficiaryID: m.BeneficiaryID, State: m.State, StartedOn: m.StartedOn, EndsOn: m.EndsOn, CheckIns: parts(m.CheckIns, toCheckInPart),
		EndedOn: m.EndedOn, EndReason: m.EndReason, EndComment: m.EndComment, EndedBy: m.EndedBy,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Version: m.Version,
	}
	return d
}

func toMentorship(d mentorshipDoc) mentoring.Mentorship {
	m := mentoring.Mentorship{
		ID: d.ID, OrganisationID: d.OrganisationID, ProposalID: d.ProposalID, MentorID: d.MentorID,
		BeneficiaryID: d.BeneficiaryID, State: d.State, StartedOn: d.StartedOn, EndsOn: d.EndsOn, CheckIns: parts(d.CheckIns, checkInPart.checkIn),
		EndedOn: d.EndedOn, EndReason: d.EndReason, EndComment: d.EndComment, EndedBy: d.EndedBy,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
	}
	if m.CheckIns == nil {
		m.CheckIns = []mentoring.CheckIn{}
	}
	for i := range m.CheckIns {
		m.CheckIns[i].At = m.CheckIns[i].At.UTC()
		if m.CheckIns[i].Topics == nil {
			m.CheckIns[i].Topics = []string{}
		}
	}
	return m
}

// CreateMentorship inserts m.
func (d *DB) CreateMentorship(ctx context.Context, m mentoring.Mentorship) error {
	_, err := d.col(colMentorships).InsertOne(ctx, toMentorshipDoc(m))
	return translate(err, "insert mentorship "+m.ID)
}

// Mentorship returns org's mentorship id.
func (d *DB) Mentorship(ctx context.Context, org, id string) (mentoring.Mentorship, error) {
	return d.findMentorship(ctx, bson.D{{Key: "_id", Value: id}, {Key: "organisationId", Value: org}}, "find mentorship "+id)
}

// MentorshipOfProposal returns the mentorship born of the proposal.
func (d *DB) MentorshipOfProposal(ctx context.Context, org, proposalID string) (mentoring.Mentorship, error) {
	return d.findMentorship(ctx, bson.D{{Key: "proposalId", Value: proposalID}, {Key: "organisationId", Value: org}}, "find mentorship of proposal "+proposalID)
}

func (d *DB) findMentorship(ctx context.Context, filter bson.D, what string) (mentoring.Mentorship, error) {
	var doc mentorshipDoc
	if err := d.col(colMentorships).FindOne(ctx, filter).Decode(&doc); err != nil {
		return mentoring.Mentorship{}, translate(err, what)
	}
	return toMentorship(doc), nil
}

// Mentorships returns a page of org's mentorships.
func (d *DB) Mentorships(ctx context.Context, f mentoring.MentorshipFilter) ([]mentoring.Mentorship, string, error) {
	filter := bson.D{{Key: "organisationId", Value: f.OrganisationID}}
	if f.MentorID != "" {
		filter = append(filter, bson.E{Key: "mentorId", Value: f.MentorID})
	}
	if f.BeneficiaryID != "" {
		filter = append(filter, bson.E{Key: "beneficiaryId", Value: f.BeneficiaryID})
	}
	if len(f.States) > 0 {
		filter = append(filter, bson.E{Key: "state", Value: bson.D{{Key: "$in", Value: f.States}}})
	}
	return d.mentorshipPage(ctx, filter, f.After, f.Limit)
}

// MentorshipsInState returns a page of mentorships in state across organisations.
func (d *DB) MentorshipsInState(ctx context.Context, state mentoring.MentorshipState, updatedBefore time.Time, after string, limit int) ([]mentoring.Mentorship, string, error) {
	filter := bson.D{{Key: "state", Value: state}}
	if !updatedBefore.IsZero() {
		filter = append(filter, bson.E{Key: "updatedAt", Value: bson.D{{Key: "$lt", Value: updatedBefore}}})
	}
	return d.mentorshipPage(ctx, filter, after, limit)
}

func (d *DB) mentorshipPage(ctx context.Context, filter bson.D, after string, limit int) ([]mentoring.Mentorship, string, error) {
	docs, next, err := page(ctx, d.col(colMentorships), filter, after, limit, func(d mentorshipDoc) string { return d.ID }, "list mentorships")
	if err != nil {
		return nil, "", err
	}
	out := make([]mentoring.Mentorship, len(docs))
	for i, doc := range docs {
		out[i] = toMentorship(doc)
	}
	return out, next, nil
}

// ReplaceMentorship stores next guarded on state and version.
func (d *DB) ReplaceMentorship(ctx context.Context, from mentoring.MentorshipState, next mentoring.Mentorship) error {
	filter := bson.D{{Key: "_id", Value: next.ID}, {Key: "organisationId", Value: next.OrganisationID},
		{Key: "state", Value: from}, {Key: "version", Value: next.Version - 1}}
	res, err := d.col(colMentorships).ReplaceOne(ctx, filter, toMentorshipDoc(next))
	if isDuplicate(err) {
		return apperr.Wrap(apperr.Conflict, err, "The beneficiary already has a mentor.").
			FR("La personne accompagnée a déjà un mentor.")
	}
	if err != nil {
		return translate(err, "replace mentorship "+next.ID)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	cur, err := d.Mentorship(ctx, next.OrganisationID, next.ID)
	if err != nil {
		return err
	}
	return apperr.Conflictf("The mentorship changed meanwhile: it is now %q.", cur.State).
		FR("Le mentorat a changé entre-temps : il est maintenant %s.", cur.State.French()).WithExtra("currentState", string(cur.State))
}

// HeldProposals lists the proposals of the mentor's pending and active
// mentorships.
func (d *DB) HeldProposals(ctx context.Context, mentorID string) ([]string, error) {
	cur, err := d.col(colMentorships).Find(ctx, bson.D{{Key: "mentorId", Value: mentorID},
		{Key: "state", Value: bson.D{{Key: "$in", Value: []mentoring.MentorshipState{mentoring.MentorshipPending, mentoring.MentorshipActive}}}}},
		options.Find().SetProjection(bson.D{{Key: "proposalId", Value: 1}}))
	if err != nil {
		return nil, translate(err, "list mentorships of "+mentorID)
	}
	var docs []struct {
		ProposalID string `bson:"proposalId"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, translate(err, "list mentorships of "+mentorID)
	}
	out := make([]string, len(docs))
	for i, x := range docs {
		out[i] = x.ProposalID
	}
	return out, nil
}
