package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/fairness"
)

var _ fairness.Store = (*DB)(nil)

// colMonitoring holds the monitoring attributes, apart from the files:
// one document per person, its id the person's.
const colMonitoring = "monitoring"

var monitoringIndexes = []index{
	{colMonitoring, "org_id", bson.D{{Key: "organisationId", Value: 1}, {Key: "_id", Value: 1}}, false},
}

type monitoringDoc struct {
	BeneficiaryID  string    `bson:"_id"`
	OrganisationID string    `bson:"organisationId"`
	Sex            string    `bson:"sex"`
	Nationality    string    `bson:"nationality"`
	UpdatedAt      time.Time `bson:"updatedAt"`
	UpdatedBy      string    `bson:"updatedBy"`
}

// SaveMonitoring stores r over the person's record.
func (d *DB) SaveMonitoring(ctx context.Context, r fairness.Record) error {
	_, err := d.col(colMonitoring).ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.BeneficiaryID}, {Key: "organisationId", Value: r.OrganisationID}},
		monitoringDoc(r), options.Replace().SetUpsert(true))
	return translate(err, "save the monitoring of "+r.BeneficiaryID)
}

// MonitoringOf returns org's records of the people among ids.
func (d *DB) MonitoringOf(ctx context.Context, org string, ids []string) (map[string]fairness.Record, error) {
	list, err := findAll(ctx, d.col(colMonitoring), bson.D{{Key: "organisationId", Value: org}, {Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		func(m monitoringDoc) fairness.Record {
			r := fairness.Record(m)
			r.UpdatedAt = r.UpdatedAt.UTC()
			return r
		}, "read monitoring")
	if err != nil {
		return nil, err
	}
	out := make(map[string]fairness.Record, len(list))
	for _, r := range list {
		out[r.BeneficiaryID] = r
	}
	return out, nil
}

// EraseMonitoring deletes the person's record.
func (d *DB) EraseMonitoring(ctx context.Context, org, beneficiaryID string) error {
	_, err := d.col(colMonitoring).DeleteOne(ctx, bson.D{{Key: "_id", Value: beneficiaryID}, {Key: "organisationId", Value: org}})
	return translate(err, "erase the monitoring of "+beneficiaryID)
}
