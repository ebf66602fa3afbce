package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pmsmp"
)

var _ jobs.PMSMPStore = (*DB)(nil)

const colConventions = "pmsmp_conventions"

type conventionDoc struct {
	ID             string          `bson:"_id"`
	OrganisationID string          `bson:"organisationId"`
	BeneficiaryID  string          `bson:"beneficiaryId"`
	HostID         string          `bson:"hostId"`
	Objective      pmsmp.Objective `bson:"objective"`
	Start          time.Time       `bson:"start"`
	End            time.Time       `bson:"end"`
	RenewalOf      string          `bson:"renewalOf,omitempty"`
}

func toConventionDoc(org string, c pmsmp.Convention) conventionDoc {
	return conventionDoc{ID: c.ID, OrganisationID: org, BeneficiaryID: c.BeneficiaryID, HostID: c.HostID,
		Objective: c.Objective, Start: c.Start, End: c.End, RenewalOf: c.RenewalOf}
}

func toConvention(d conventionDoc) pmsmp.Convention {
	return pmsmp.Convention{ID: d.ID, BeneficiaryID: d.BeneficiaryID, HostID: d.HostID, Objective: d.Objective,
		Start: d.Start.UTC(), End: d.End.UTC(), RenewalOf: d.RenewalOf}
}

// CreatePMSMPConvention records c; the same id twice is a no-op.
func (d *DB) CreatePMSMPConvention(ctx context.Context, org string, c pmsmp.Convention) error {
	_, err := d.col(colConventions).InsertOne(ctx, toConventionDoc(org, c))
	if isDuplicate(err) {
		return nil
	}
	return translate(err, "insert PMSMP convention "+c.ID)
}

// PMSMPConventions returns the beneficiary's conventions, oldest first.
func (d *DB) PMSMPConventions(ctx context.Context, org, beneficiaryID string) ([]pmsmp.Convention, error) {
	return d.conventions(ctx, bson.D{{Key: "organisationId", Value: org}, {Key: "beneficiaryId", Value: beneficiaryID}})
}

// PMSMPConventionsOf returns every convention of org, by beneficiary.
func (d *DB) PMSMPConventionsOf(ctx context.Context, org string) (map[string][]pmsmp.Convention, error) {
	list, err := d.conventions(ctx, bson.D{{Key: "organisationId", Value: org}})
	if err != nil {
		return nil, err
	}
	out := map[string][]pmsmp.Convention{}
	for _, c := range list {
		out[c.BeneficiaryID] = append(out[c.BeneficiaryID], c)
	}
	return out, nil
}

func (d *DB) conventions(ctx context.Context, filter bson.D) ([]pmsmp.Convention, error) {
	return findAll(ctx, d.col(colConventions), filter, toConvention, "list PMSMP conventions",
		options.Find().SetSort(bson.D{{Key: "start", Value: 1}, {Key: "_id", Value: 1}}))
}
