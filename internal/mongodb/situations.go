package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

var _ pathways.SituationStore = (*DB)(nil)

const colSituations = "situations"

var situationIndexes = []index{
	{colSituations, "beneficiary_start", bson.D{{Key: "beneficiaryId", Value: 1}, {Key: "startDate", Value: 1}, {Key: "_id", Value: 1}}, false},
}

// situationDoc is a situation as stored. A revision replaces it with one
// more entry in its history, guarded by the number of revisions.
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
	EndReason      string                 `bson:"endReason,omitempty"`
	Voided         *stampPart             `bson:"voided,omitempty"`
	History        []revisionPart         `bson:"history"`
	Revisions      int                    `bson:"revisions"`
}

type stampPart struct {
	At     time.Time `bson:"at"`
	By     string    `bson:"by"`
	Reason string    `bson:"reason"`
}

func toStampPart(s *pathways.Stamp) *stampPart {
	if s == nil {
		return nil
	}
	return &stampPart{At: s.At, By: s.By, Reason: s.Reason}
}

func (s *stampPart) stamp() *pathways.Stamp {
	if s == nil {
		return nil
	}
	return &pathways.Stamp{At: s.At.UTC(), By: s.By, Reason: s.Reason}
}

type revisionPart struct {
	Action   string        `bson:"action"`
	At       time.Time     `bson:"at"`
	By       string        `bson:"by"`
	Reason   string        `bson:"reason"`
	Previous situationPart `bson:"previous"`
}

func toSituationDoc(s pathways.Situation) situationDoc {
	return situationDoc{
		ID: s.ID, OrganisationID: s.OrganisationID, BeneficiaryID: s.BeneficiaryID, Kind: s.Kind,
		Start: s.Start, End: s.End, DurationMonths: s.DurationMonths, ExitReason: s.ExitReason, Tenure: s.Tenure,
		Employer: s.Employer, Note: s.Note, RecordedAt: s.RecordedAt, RecordedBy: s.RecordedBy,
		EndReason: s.EndReason, Voided: toStampPart(s.Voided), Revisions: len(s.History),
		History: parts(s.History, func(r pathways.Revision) revisionPart {
			v := r.Previous
			return revisionPart{Action: r.Action, At: r.At, By: r.By, Reason: r.Reason, Previous: situationPart{Kind: string(v.Kind), Start: v.Start,
				End: v.End, DurationMonths: v.DurationMonths, ExitReason: v.ExitReason, Tenure: v.Tenure, Employer: v.Employer, Note: v.Note, EndReason: v.EndReason}}
		}),
	}
}

func toSituation(d situationDoc) pathways.Situation {
	return pathways.Situation{
		ID: d.ID, OrganisationID: d.OrganisationID, BeneficiaryID: d.BeneficiaryID, Kind: d.Kind,
		Start: d.Start, End: d.End, DurationMonths: d.DurationMonths, ExitReason: d.ExitReason, Tenure: d.Tenure,
		Employer: d.Employer, Note: d.Note, RecordedAt: d.RecordedAt.UTC(), RecordedBy: d.RecordedBy,
		EndReason: d.EndReason, Voided: d.Voided.stamp(),
		History: parts(d.History, func(r revisionPart) pathways.Revision {
			p := r.Previous
			return pathways.Revision{Action: r.Action, Stamp: pathways.Stamp{At: r.At.UTC(), By: r.By, Reason: r.Reason},
				Previous: pathways.SituationValues{Kind: pathways.SituationKind(p.Kind), Start: p.Start, End: p.End, DurationMonths: p.DurationMonths,
					ExitReason: p.ExitReason, Tenure: p.Tenure, Employer: p.Employer, Note: p.Note, EndReason: p.EndReason}}
		}),
	}
}

// CreateSituation inserts s.
func (d *DB) CreateSituation(ctx context.Context, s pathways.Situation) error {
	_, err := d.col(colSituations).InsertOne(ctx, toSituationDoc(s))
	return translate(err, "insert situation "+s.ID)
}

// Situation returns org's situation id.
func (d *DB) Situation(ctx context.Context, org, id string) (pathways.Situation, error) {
	var doc situationDoc
	err := d.col(colSituations).FindOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "organisationId", Value: org}}).Decode(&doc)
	if err != nil {
		return pathways.Situation{}, translate(err, "read situation "+id)
	}
	return toSituation(doc), nil
}

// ReviseSituation replaces s if the stored one has one revision fewer.
func (d *DB) ReviseSituation(ctx context.Context, s pathways.Situation) error {
	res, err := d.col(colSituations).ReplaceOne(ctx, bson.D{{Key: "_id", Value: s.ID}, {Key: "organisationId", Value: s.OrganisationID},
		{Key: "revisions", Value: len(s.History) - 1}}, toSituationDoc(s))
	if err != nil {
		return translate(err, "revise situation "+s.ID)
	}
	if res.MatchedCount == 0 {
		return apperr.New(apperr.PreconditionFailed, "The situation changed meanwhile; read it again.").FR("La situation a changé entre-temps ; relisez-la.")
	}
	return nil
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

// migrateSituations gives the situations recorded before revisions existed
// their count of revisions, which guards every revision.
func (d *DB) migrateSituations(ctx context.Context) error {
	_, err := d.col(colSituations).UpdateMany(ctx, bson.D{{Key: "revisions", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revisions", Value: 0}, {Key: "history", Value: bson.A{}}}}})
	return translate(err, "migrate situations")
}

// migrateExits gives the files that left before exit reasons were kept on
// them the reason of their exit, from their situations, so that the rule
// sets' exclusions apply to them too.
func (d *DB) migrateExits(ctx context.Context) error {
	cur, err := d.col(colBeneficiaries).Find(ctx, bson.D{{Key: "exitedOn", Value: bson.D{{Key: "$gt", Value: ""}}}, {Key: "exitReason", Value: bson.D{{Key: "$exists", Value: false}}}},
		options.Find().SetProjection(bson.D{{Key: "organisationId", Value: 1}}))
	if err != nil {
		return translate(err, "find exits to migrate")
	}
	var docs []struct {
		ID             string `bson:"_id"`
		OrganisationID string `bson:"organisationId"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return translate(err, "find exits to migrate")
	}
	for _, doc := range docs {
		sits, err := d.Situations(ctx, doc.OrganisationID, doc.ID)
		if err != nil {
			return err
		}
		exit, _ := pathways.ExitOf(sits)
		if _, err := d.col(colBeneficiaries).UpdateOne(ctx, bson.D{{Key: "_id", Value: doc.ID}, {Key: "exitReason", Value: bson.D{{Key: "$exists", Value: false}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "exitReason", Value: exit.ExitReason}}}}); err != nil {
			return translate(err, "migrate the exit of "+doc.ID)
		}
	}
	return nil
}
