package mongodb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/proposals"
)

const colProposals = "proposals"

var _ proposals.Store = (*DB)(nil)

// proposalDoc is a proposal as stored. Three always-present keys carry the
// invariants through unique indexes, since FerretDB has no partial index and
// no transaction:
//   - OnceKey is "batch|beneficiary|opening" for a batch's proposal, so a
//     retried batch cannot write a pair twice ("id:"+ID otherwise);
//   - OpenSlot is "beneficiary#n" (n < MaxOpenMentorProposals) while a mentor
//     proposal is open, so a beneficiary never holds more open ones;
//   - SentSlot is "mentor#n" (n < the limit given when sending) while a mentor
//     proposal is sent, so a mentor is never sent more than the limit.
//
// A closed proposal gives its slots back by setting them to "id:"+ID.
type proposalDoc struct {
	ID             string           `bson:"_id"`
	OrganisationID string           `bson:"organisationId"`
	BeneficiaryID  string           `bson:"beneficiaryId"`
	Kind           proposals.Kind   `bson:"kind"`
	OpeningID      string           `bson:"openingId"`
	BatchID        string           `bson:"batchId,omitempty"`
	OnceKey        string           `bson:"onceKey"`
	OpenSlot       string           `bson:"openSlot"`
	SentSlot       string           `bson:"sentSlot"`
	Source         proposals.Source `bson:"source"`
	State          proposals.State  `bson:"state"`
	Score          float64          `bson:"score"`
	// Explanation is the engine's evaluation as JSON text, kept byte for byte.
	Explanation string `bson:"explanation,omitempty"`
	// Inputs are what the engine evaluated the pair from, as JSON text.
	Inputs        string           `bson:"inputs,omitempty"`
	History       []transitionPart `bson:"history"`
	DeclineReason string           `bson:"declineReason,omitempty"`
	DeclineCode   string           `bson:"declineCode,omitempty"`
	AvailableFrom civil.Date       `bson:"availableFrom,omitempty"`
	ExpiresAt     *time.Time       `bson:"expiresAt,omitempty"`
	CreatedAt     time.Time        `bson:"createdAt"`
	UpdatedAt     time.Time        `bson:"updatedAt"`
	Version       int64            `bson:"version"`
}

func onceKey(p proposals.Proposal) string {
	if p.BatchID == "" {
		return "id:" + p.ID
	}
	return p.BatchID + "|" + p.BeneficiaryID + "|" + p.OpeningID
}

// toProposalDoc converts p with its slots released; the store takes slots
// when it writes.
func toProposalDoc(p proposals.Proposal) proposalDoc {
	d := proposalDoc{
		ID: p.ID, OrganisationID: p.OrganisationID, BeneficiaryID: p.BeneficiaryID, Kind: p.Kind,
		OpeningID: p.OpeningID, BatchID: p.BatchID, OnceKey: onceKey(p), OpenSlot: "id:" + p.ID, SentSlot: "id:" + p.ID,
		Source: p.Source, State: p.State, Score: p.Score, Explanation: string(p.Explanation), Inputs: string(p.Inputs),
		History: parts(p.History, toTransitionPart), DeclineReason: p.DeclineReason, DeclineCode: p.DeclineCode, AvailableFrom: p.AvailableFrom, ExpiresAt: p.ExpiresAt,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Version: p.Version,
	}
	return d
}

func toProposal(d proposalDoc) proposals.Proposal {
	p := proposals.Proposal{
		ID: d.ID, OrganisationID: d.OrganisationID, BeneficiaryID: d.BeneficiaryID, Kind: d.Kind,
		OpeningID: d.OpeningID, BatchID: d.BatchID, Source: d.Source, State: d.State, Score: d.Score,
		History: parts(d.History, transitionPart.transition), DeclineReason: d.DeclineReason, DeclineCode: d.DeclineCode, AvailableFrom: d.AvailableFrom,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
	}
	if d.Inputs != "" {
		p.Inputs = json.RawMessage(d.Inputs)
	}
	if d.Explanation != "" {
		p.Explanation = json.RawMessage(d.Explanation)
	}
	if d.ExpiresAt != nil {
		t := d.ExpiresAt.UTC()
		p.ExpiresAt = &t
	}
	return p
}

// holdsOpenSlot reports whether a proposal in this kind and state takes one
// of its beneficiary's open mentor places.
func holdsOpenSlot(p proposals.Proposal) bool {
	return p.Kind == proposals.KindMentor && p.State.Open()
}

func openSlot(beneficiaryID string, n int) string { return fmt.Sprintf("%s#%d", beneficiaryID, n) }
func sentSlot(mentorID string, n int) string      { return fmt.Sprintf("%s#%d", mentorID, n) }

// isDuplicate reports a unique index violation. FerretDB v1 answers one met
// by an update with an internal error naming SQLite's constraint instead of
// the duplicate key code, so both are recognised.
func isDuplicate(err error) bool {
	return err != nil && (mongo.IsDuplicateKeyError(err) || strings.Contains(err.Error(), "UNIQUE constraint failed"))
}

// CreateProposal inserts p.
func (d *DB) CreateProposal(ctx context.Context, p proposals.Proposal) error {
	_, err := d.insertProposal(ctx, p)
	return err
}

// CreateProposalOnce inserts p unless its batch already proposed the pair.
func (d *DB) CreateProposalOnce(ctx context.Context, p proposals.Proposal) (proposals.Proposal, bool, error) {
	if p.BatchID == "" {
		return proposals.Proposal{}, false, apperr.Invalidf([]apperr.FieldError{{Pointer: "/batchId", Detail: "A batch proposal needs its batch id.",
			DetailFR: "Une proposition de lot a besoin de l'identifiant de son lot."}}, "The proposal has no batch.").FR("La proposition n'a pas de lot.")
	}
	// Insert first: a retry is the rare case, and a lookup before every
	// insert costs a scan on the embedded store.
	dup, err := d.insertProposal(ctx, p)
	if dup {
		existing, err := d.proposalByOnceKey(ctx, onceKey(p))
		if err != nil {
			return proposals.Proposal{}, false, err
		}
		return existing, false, nil
	}
	if err != nil {
		return proposals.Proposal{}, false, err
	}
	return p, true, nil
}

func (d *DB) proposalByOnceKey(ctx context.Context, key string) (proposals.Proposal, error) {
	var doc proposalDoc
	if err := d.col(colProposals).FindOne(ctx, bson.D{{Key: "onceKey", Value: key}}).Decode(&doc); err != nil {
		return proposals.Proposal{}, translate(err, "find proposal "+key)
	}
	return toProposal(doc), nil
}

// insertProposal inserts p, taking a free open slot for an open mentor
// proposal. It reports dup when the batch key already exists (the caller
// decides whether that is an error: for CreateProposal it is a Conflict).
func (d *DB) insertProposal(ctx context.Context, p proposals.Proposal) (dup bool, err error) {
	doc := toProposalDoc(p)
	slots := 1
	if holdsOpenSlot(p) {
		slots = proposals.MaxOpenMentorProposals
	}
	for n := 0; n < slots; n++ {
		if holdsOpenSlot(p) {
			doc.OpenSlot = openSlot(p.BeneficiaryID, n)
		}
		_, err := d.col(colProposals).InsertOne(ctx, doc)
		if err == nil {
			return false, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return false, translate(err, "insert proposal "+p.ID)
		}
		// Which key was taken? The batch key ends the attempt; a slot
		// sends us to the next one.
		if p.BatchID != "" {
			if _, ferr := d.proposalByOnceKey(ctx, doc.OnceKey); ferr == nil {
				return true, apperr.Conflictf("This batch already proposed this pair.").FR("Ce lot a déjà proposé ce rapprochement.")
			}
		}
		if !holdsOpenSlot(p) {
			return false, translate(err, "insert proposal "+p.ID)
		}
	}
	return false, apperr.Conflictf("The beneficiary already has %d open mentor proposals.", proposals.MaxOpenMentorProposals).
		FR("La personne a déjà %d propositions de mentorat en cours.", proposals.MaxOpenMentorProposals).
		WithExtra("limit", proposals.MaxOpenMentorProposals)
}

// Proposal returns org's proposal id.
func (d *DB) Proposal(ctx context.Context, org, id string) (proposals.Proposal, error) {
	var doc proposalDoc
	if err := d.col(colProposals).FindOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "organisationId", Value: org}}).Decode(&doc); err != nil {
		return proposals.Proposal{}, translate(err, "find proposal "+id)
	}
	return toProposal(doc), nil
}

// ProposalsOn returns proposals on the openings, newest first.
func (d *DB) ProposalsOn(ctx context.Context, openingIDs []string, states []proposals.State, limit int) ([]proposals.Proposal, error) {
	if len(openingIDs) == 0 {
		return nil, nil
	}
	filter := bson.D{{Key: "openingId", Value: bson.D{{Key: "$in", Value: openingIDs}}}}
	if len(states) > 0 {
		filter = append(filter, bson.E{Key: "state", Value: bson.D{{Key: "$in", Value: states}}})
	}
	return findAll(ctx, d.col(colProposals), filter, toProposal, "list proposals on openings",
		options.Find().SetSort(bson.D{{Key: "updatedAt", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)))
}

// ProposalByID returns the proposal id, whatever its organisation.
func (d *DB) ProposalByID(ctx context.Context, id string) (proposals.Proposal, error) {
	var doc proposalDoc
	if err := d.col(colProposals).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
		return proposals.Proposal{}, translate(err, "find proposal "+id)
	}
	return toProposal(doc), nil
}

// Proposals returns a page of proposals.
func (d *DB) Proposals(ctx context.Context, f proposals.Filter) ([]proposals.Proposal, string, error) {
	if f.OrganisationID == "" {
		return nil, "", fmt.Errorf("list proposals: no organisation")
	}
	filter := bson.D{{Key: "organisationId", Value: f.OrganisationID}}
	if f.BeneficiaryID != "" {
		filter = append(filter, bson.E{Key: "beneficiaryId", Value: f.BeneficiaryID})
	}
	if f.Kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: f.Kind})
	}
	if f.OpeningID != "" {
		filter = append(filter, bson.E{Key: "openingId", Value: f.OpeningID})
	}
	if len(f.States) == 1 {
		filter = append(filter, bson.E{Key: "state", Value: f.States[0]})
	} else if len(f.States) > 1 {
		filter = append(filter, bson.E{Key: "state", Value: bson.D{{Key: "$in", Value: f.States}}})
	}
	if f.BatchID != "" {
		filter = append(filter, bson.E{Key: "batchId", Value: f.BatchID})
	}
	if !f.UpdatedSince.IsZero() {
		filter = append(filter, bson.E{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: f.UpdatedSince}}})
	}
	docs, next, err := page(ctx, d.col(colProposals), filter, f.After, f.Limit, func(d proposalDoc) string { return d.ID }, "list proposals")
	if err != nil {
		return nil, "", err
	}
	out := make([]proposals.Proposal, len(docs))
	for i, doc := range docs {
		out[i] = toProposal(doc)
	}
	return out, next, nil
}

// TransitionProposal stores next if the proposal is still in state from at
// version next.Version-1. An open mentor proposal keeps its open slot; a
// sent one keeps its sent slot; a closed one gives both back.
func (d *DB) TransitionProposal(ctx context.Context, from proposals.State, next proposals.Proposal) error {
	cur, err := d.proposalGuarded(ctx, next.ID)
	if err != nil {
		return err
	}
	doc := toProposalDoc(next)
	if holdsOpenSlot(next) {
		doc.OpenSlot = cur.OpenSlot
	}
	if next.State == proposals.Sent {
		doc.SentSlot = cur.SentSlot
	}
	return d.replaceProposal(ctx, from, next, doc)
}

// SendProposal moves an approved proposal to sent, taking one of the
// mentor's maxSent places for a mentor proposal.
func (d *DB) SendProposal(ctx context.Context, next proposals.Proposal, maxSent int) error {
	if next.Kind != proposals.KindMentor {
		return d.TransitionProposal(ctx, proposals.Approved, next)
	}
	cur, err := d.proposalGuarded(ctx, next.ID)
	if err != nil {
		return err
	}
	doc := toProposalDoc(next)
	doc.OpenSlot = cur.OpenSlot
	for n := 0; n < maxSent; n++ {
		doc.SentSlot = sentSlot(next.OpeningID, n)
		err := d.replaceProposal(ctx, proposals.Approved, next, doc)
		if err == nil || !isDuplicate(err) {
			return err
		}
	}
	return apperr.Conflictf("The mentor already has %d proposals waiting for an answer.", maxSent).
		FR("Le mentor a déjà %d propositions en attente de réponse.", maxSent).WithExtra("limit", maxSent)
}

func (d *DB) proposalGuarded(ctx context.Context, id string) (proposalDoc, error) {
	var doc proposalDoc
	if err := d.col(colProposals).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
		return doc, translate(err, "find proposal "+id)
	}
	return doc, nil
}

// replaceProposal replaces the proposal guarded on state and version. A
// duplicate slot comes back as a Conflict wrapping the driver's error.
func (d *DB) replaceProposal(ctx context.Context, from proposals.State, next proposals.Proposal, doc proposalDoc) error {
	filter := bson.D{{Key: "_id", Value: next.ID}, {Key: "organisationId", Value: next.OrganisationID},
		{Key: "state", Value: from}, {Key: "version", Value: next.Version - 1}}
	res, err := d.col(colProposals).ReplaceOne(ctx, filter, doc)
	if isDuplicate(err) {
		return apperr.Wrap(apperr.Conflict, fmt.Errorf("transition proposal %s: %w", next.ID, err), "The proposal collides with another one of the same beneficiary.").
			FR("La proposition entre en conflit avec une autre de la même personne.")
	}
	if err != nil {
		return translate(err, "transition proposal "+next.ID)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	var cur proposalDoc
	err = d.col(colProposals).FindOne(ctx, bson.D{{Key: "_id", Value: next.ID}, {Key: "organisationId", Value: next.OrganisationID}}).Decode(&cur)
	if err != nil {
		return translate(err, "find proposal "+next.ID)
	}
	return apperr.Conflictf("The proposal changed meanwhile: it is now %q.", cur.State).
		FR("La proposition a changé entre-temps : elle est maintenant %s.", cur.State.French()).WithExtra("currentState", string(cur.State))
}

// DueProposals returns sent proposals whose answer is overdue.
func (d *DB) DueProposals(ctx context.Context, before time.Time, limit int) ([]proposals.Proposal, error) {
	if limit <= 0 {
		limit = 100
	}
	filter := bson.D{{Key: "state", Value: proposals.Sent}, {Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: before}}}}
	return findAll(ctx, d.col(colProposals), filter, toProposal, "list due proposals",
		options.Find().SetSort(bson.D{{Key: "expiresAt", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

// DeclinesOf returns the beneficiary's declines made since the instant, or
// whose pair is available again only after the day.
func (d *DB) DeclinesOf(ctx context.Context, beneficiaryID string, since time.Time, after civil.Date) ([]proposals.Decline, error) {
	filter := bson.D{{Key: "beneficiaryId", Value: beneficiaryID}, {Key: "state", Value: proposals.Declined},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: since}}}},
			bson.D{{Key: "availableFrom", Value: bson.D{{Key: "$gt", Value: after}}}},
		}}}
	cur, err := d.col(colProposals).Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "openingId", Value: 1}, {Key: "updatedAt", Value: 1}, {Key: "availableFrom", Value: 1}}))
	if err != nil {
		return nil, translate(err, "list declines of "+beneficiaryID)
	}
	var docs []struct {
		OpeningID     string     `bson:"openingId"`
		UpdatedAt     time.Time  `bson:"updatedAt"`
		AvailableFrom civil.Date `bson:"availableFrom"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, translate(err, "list declines of "+beneficiaryID)
	}
	out := make([]proposals.Decline, len(docs))
	for i, doc := range docs {
		out[i] = proposals.Decline{OpeningID: doc.OpeningID, At: doc.UpdatedAt.UTC(), AvailableFrom: doc.AvailableFrom}
	}
	return out, nil
}
