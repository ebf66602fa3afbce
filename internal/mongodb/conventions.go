package mongodb

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pmsmp"
)

var _ jobs.ConventionStore = (*DB)(nil)

const colConventions = "pmsmp_conventions"

// conventionDoc is a PMSMP convention as stored. Slot is
// "beneficiary#seq": its unique index lets one acceptance at a time take a
// beneficiary's next convention, so two cannot both pass the PMSMP rules
// against the same history. Conventions recorded before slots existed get
// "legacy:"+ID (see migrateConventions).
type conventionDoc struct {
	ID             string          `bson:"_id"`
	OrganisationID string          `bson:"organisationId"`
	BeneficiaryID  string          `bson:"beneficiaryId"`
	ProposalID     string          `bson:"proposalId,omitempty"`
	HostID         string          `bson:"hostId"`
	Objective      pmsmp.Objective `bson:"objective"`
	Start          time.Time       `bson:"start"`
	End            time.Time       `bson:"end"`
	RenewalOf      string          `bson:"renewalOf,omitempty"`
	Slot           string          `bson:"slot"`
	State          string          `bson:"state"`
	CreatedAt      time.Time       `bson:"createdAt"`
	UpdatedAt      time.Time       `bson:"updatedAt"`
}

func toConventionDoc(c jobs.Convention, seq int) conventionDoc {
	return conventionDoc{ID: c.ID, OrganisationID: c.OrganisationID, BeneficiaryID: c.BeneficiaryID, ProposalID: c.ProposalID,
		HostID: c.HostID, Objective: c.Objective, Start: c.Start, End: c.End, RenewalOf: c.RenewalOf,
		Slot: fmt.Sprintf("%s#%d", c.BeneficiaryID, seq), State: string(c.State), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func toConvention(d conventionDoc) jobs.Convention {
	state := jobs.ConventionState(d.State)
	if state == "" {
		state = jobs.ConventionRecorded
	}
	return jobs.Convention{
		Convention: pmsmp.Convention{ID: d.ID, BeneficiaryID: d.BeneficiaryID, HostID: d.HostID, Objective: d.Objective,
			Start: d.Start.UTC(), End: d.End.UTC(), RenewalOf: d.RenewalOf},
		OrganisationID: d.OrganisationID, ProposalID: d.ProposalID, State: state,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
	}
}

// ReserveConvention inserts c as its beneficiary's seq-th convention.
func (d *DB) ReserveConvention(ctx context.Context, c jobs.Convention, seq int) error {
	_, err := d.col(colConventions).InsertOne(ctx, toConventionDoc(c, seq))
	if isDuplicate(err) {
		return apperr.Wrap(apperr.Conflict, err, "Another PMSMP convention of this beneficiary was recorded meanwhile; try again.").
			FR("Une autre convention de PMSMP de cette personne vient d'être enregistrée ; réessayez.")
	}
	return translate(err, "insert PMSMP convention "+c.ID)
}

// SetConventionState moves a convention from one state to another.
func (d *DB) SetConventionState(ctx context.Context, org, id string, from, to jobs.ConventionState, at time.Time) error {
	filter := bson.D{{Key: "_id", Value: id}, {Key: "organisationId", Value: org}}
	res, err := d.col(colConventions).UpdateOne(ctx, append(filter, bson.E{Key: "state", Value: string(from)}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: string(to)}, {Key: "updatedAt", Value: at}}}})
	if err != nil {
		return translate(err, "set state of PMSMP convention "+id)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	var cur conventionDoc
	if err := d.col(colConventions).FindOne(ctx, filter).Decode(&cur); err != nil {
		return translate(err, "find PMSMP convention "+id)
	}
	return apperr.Conflictf("The convention is %s now.", cur.State).FR("La convention est désormais « %s ».", cur.State).
		WithExtra("currentState", cur.State)
}

// Conventions returns every convention of the beneficiary, oldest first.
func (d *DB) Conventions(ctx context.Context, org, beneficiaryID string) ([]jobs.Convention, error) {
	return d.conventions(ctx, bson.D{{Key: "organisationId", Value: org}, {Key: "beneficiaryId", Value: beneficiaryID}})
}

// PendingConventions returns pending conventions created before the instant.
func (d *DB) PendingConventions(ctx context.Context, createdBefore time.Time, limit int) ([]jobs.Convention, error) {
	return findAll(ctx, d.col(colConventions),
		bson.D{{Key: "state", Value: string(jobs.ConventionPending)}, {Key: "createdAt", Value: bson.D{{Key: "$lt", Value: createdBefore}}}},
		toConvention, "list pending PMSMP conventions",
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

// PMSMPConventions returns the beneficiary's conventions that hold.
func (d *DB) PMSMPConventions(ctx context.Context, org, beneficiaryID string) ([]pmsmp.Convention, error) {
	list, err := d.Conventions(ctx, org, beneficiaryID)
	if err != nil {
		return nil, err
	}
	return jobs.Holding(list), nil
}

// PMSMPConventionsOf returns every convention of org that holds, by beneficiary.
func (d *DB) PMSMPConventionsOf(ctx context.Context, org string) (map[string][]pmsmp.Convention, error) {
	list, err := d.conventions(ctx, bson.D{{Key: "organisationId", Value: org}})
	if err != nil {
		return nil, err
	}
	out := map[string][]pmsmp.Convention{}
	for _, c := range list {
		if c.State.Holds() {
			out[c.BeneficiaryID] = append(out[c.BeneficiaryID], c.Convention)
		}
	}
	return out, nil
}

func (d *DB) conventions(ctx context.Context, filter bson.D) ([]jobs.Convention, error) {
	return findAll(ctx, d.col(colConventions), filter, toConvention, "list PMSMP conventions",
		options.Find().SetSort(bson.D{{Key: "start", Value: 1}, {Key: "_id", Value: 1}}))
}

// migrateConventions gives the conventions recorded before slots existed a
// slot of their own and the recorded state, so the unique index on slots
// can be built.
func (d *DB) migrateConventions(ctx context.Context) error {
	c := d.col(colConventions)
	cur, err := c.Find(ctx, bson.D{{Key: "slot", Value: bson.D{{Key: "$exists", Value: false}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return translate(err, "find PMSMP conventions to migrate")
	}
	var ids []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return translate(err, "find PMSMP conventions to migrate")
	}
	for _, x := range ids {
		_, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: x.ID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "slot", Value: "legacy:" + x.ID}, {Key: "state", Value: string(jobs.ConventionRecorded)}}}})
		if err != nil {
			return translate(err, "migrate PMSMP convention "+x.ID)
		}
	}
	return nil
}
