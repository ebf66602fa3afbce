package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

var _ pathways.SituationStore = (*DB)(nil)

const colSituations = "situations"

var situationIndexes = []index{
	{colSituations, "beneficiary_start", bson.D{{Key: "beneficiaryId", Value: 1}, {Key: "startDate", Value: 1}, {Key: "_id", Value: 1}}, false},
}

// situationDoc is a situation as stored; situations are only inserted.
type situationDoc struct {
	ID             string                 `bson:"_id"`
	OrganisationID string                 `bson:"organisationId"`
	BeneficiaryID  string                 `bson:"beneficiaryId"`
	Kind           pathways.SituationKind `bson:"kind"`
	Start          civil.Date             `bson:"startDate"`
	End            civil.Date             `bson:"endDate"`
	DurationMonths int                    `bson:"durationMonths"`
	ExitReason     string                 `bson:"exitReason"`
	Tenure         string                 `bson:"tenure,omitempty"`
	Employer       string                 `bson:"employer"`
	Note           string                 `bson:"note"`
	RecordedAt     time.Time              `bson:"recordedAt"`
	RecordedBy     string                 `bson:"recordedBy"`
}

func toSituationDoc(s pathways.Situation) situationDoc {
	return situationDoc{
		ID: s.ID, OrganisationID: s.OrganisationID, BeneficiaryID: s.BeneficiaryID, Kind: s.Kind,
		Start: s.Start, End: s.End, DurationMonths: s.DurationMonths, ExitReason: s.ExitReason, Tenure: s.Tenure,
		Employer: s.Employer, Note: s.Note, RecordedAt: s.RecordedAt, RecordedBy: s.RecordedBy,
	}
}

func toSituation(d situationDoc) pathways.Situation {
	return pathways.Situation{
		ID: d.ID, OrganisationID: d.OrganisationID, BeneficiaryID: d.BeneficiaryID, Kind: d.Kind,
		Start: d.Start, End: d.End, DurationMonths: d.DurationMonths, ExitReason: d.ExitReason, Tenure: d.Tenure,
		Employer: d.Employer, Note: d.Note, RecordedAt: d.RecordedAt.UTC(), RecordedBy: d.RecordedBy,
	}
}

// CreateSituation inserts s.
func (d *DB) CreateSituation(ctx context.Context, s pathways.Situation) error {
	_, err := d.col(colSituations).InsertOne(ctx, toSituationDoc(s))
	return translate(err, "insert situation "+s.ID)
}

// Situations returns org's beneficiary's situations by start date then id.
func (d *DB) Situations(ctx context.Context, org, beneficiaryID string) ([]pathways.Situation, error) {
	return d.situations(ctx, bson.D{{Key: "beneficiaryId", Value: beneficiaryID}, {Key: "organisationId", Value: org}})
}

// AllSituations returns a beneficiary's situations whatever the organisation.
func (d *DB) AllSituations(ctx context.Context, beneficiaryID string) ([]pathways.Situation, error) {
	return d.situations(ctx, bson.D{{Key: "beneficiaryId", Value: beneficiaryID}})
}

// SituationsOf returns the situations of several beneficiaries in one read.
func (d *DB) SituationsOf(ctx context.Context, org string, beneficiaryIDs []string) (map[string][]pathways.Situation, error) {
	filter := bson.D{{Key: "beneficiaryId", Value: bson.D{{Key: "$in", Value: beneficiaryIDs}}}}
	if org != "" {
		filter = append(filter, bson.E{Key: "organisationId", Value: org})
	}
	list, err := d.situations(ctx, filter)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]pathways.Situation, len(beneficiaryIDs))
	for _, s := range list {
		out[s.BeneficiaryID] = append(out[s.BeneficiaryID], s)
	}
	return out, nil
}

func (d *DB) situations(ctx context.Context, filter bson.D) ([]pathways.Situation, error) {
	return findAll(ctx, d.col(colSituations), filter, toSituation, "list situations",
		options.Find().SetSort(bson.D{{Key: "startDate", Value: 1}, {Key: "_id", Value: 1}}))
}
