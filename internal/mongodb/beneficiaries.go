package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

var (
	_ pathways.Store    = (*DB)(nil)
	_ pathways.AuditLog = (*DB)(nil)
)

// beneficiaryDoc is a beneficiary as stored.
type beneficiaryDoc struct {
	ID             string                 `bson:"_id"`
	OrganisationID string                 `bson:"organisationId"`
	FirstName      string                 `bson:"firstName"`
	LastName       string                 `bson:"lastName"`
	BirthDate      civil.Date             `bson:"birthDate"`
	Protection     pathways.Protection    `bson:"protection"`
	Enrolment      pathways.Enrolment     `bson:"enrolment"`
	Department     string                 `bson:"department"`
	Address        pathways.Address       `bson:"address"`
	French         pathways.French        `bson:"french"`
	Diplomas       []pathways.Diploma     `bson:"diplomas"`
	Skills         []pathways.Skill       `bson:"skills"`
	PastJobs       []pathways.PastJob     `bson:"pastJobs"`
	Project        pathways.Project       `bson:"project"`
	Availability   pathways.Availability  `bson:"availability"`
	Mobility       pathways.Mobility      `bson:"mobility"`
	Barriers       []pathways.Barrier     `bson:"barriers"`
	Languages      []string               `bson:"languages"`
	Interests      []string               `bson:"interests"`
	ConsentAt      civil.Date             `bson:"consentDate"`
	Notes          string                 `bson:"notes"`
	Erased         *pathways.ErasureStamp `bson:"erased,omitempty"`
	CreatedAt      time.Time              `bson:"createdAt"`
	UpdatedAt      time.Time              `bson:"updatedAt"`
	Version        int64                  `bson:"version"`
}

func toBeneficiaryDoc(b pathways.Beneficiary) beneficiaryDoc {
	return beneficiaryDoc{
		ID: b.ID, OrganisationID: b.OrganisationID, FirstName: b.FirstName, LastName: b.LastName,
		BirthDate: b.BirthDate, Protection: b.Protection, Enrolment: b.Enrolment, Department: b.Department,
		Address: b.Address, French: b.French, Diplomas: b.Diplomas, Skills: b.Skills, PastJobs: b.PastJobs,
		Project: b.Project, Availability: b.Availability, Mobility: b.Mobility, Barriers: b.Barriers,
		Languages: b.Languages, Interests: b.Interests,
		ConsentAt: b.ConsentAt, Notes: b.Notes, Erased: b.Erased,
		CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt, Version: b.Version,
	}
}

func toBeneficiary(d beneficiaryDoc) pathways.Beneficiary {
	return pathways.Beneficiary{
		ID: d.ID, OrganisationID: d.OrganisationID, FirstName: d.FirstName, LastName: d.LastName,
		BirthDate: d.BirthDate, Protection: d.Protection, Enrolment: d.Enrolment, Department: d.Department,
		Address: d.Address, French: d.French, Diplomas: d.Diplomas, Skills: d.Skills, PastJobs: d.PastJobs,
		Project: d.Project, Availability: d.Availability, Mobility: d.Mobility, Barriers: d.Barriers,
		Languages: d.Languages, Interests: d.Interests,
		ConsentAt: d.ConsentAt, Notes: d.Notes, Erased: d.Erased,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
	}
}

// CreateBeneficiary inserts b.
func (d *DB) CreateBeneficiary(ctx context.Context, b pathways.Beneficiary) error {
	_, err := d.col(colBeneficiaries).InsertOne(ctx, toBeneficiaryDoc(b))
	return translate(err, "insert beneficiary "+b.ID)
}

// Beneficiary returns org's beneficiary id.
func (d *DB) Beneficiary(ctx context.Context, org, id string) (pathways.Beneficiary, error) {
	var doc beneficiaryDoc
	err := d.col(colBeneficiaries).FindOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "organisationId", Value: org}}).Decode(&doc)
	if err != nil {
		return pathways.Beneficiary{}, translate(err, "find beneficiary "+id)
	}
	return toBeneficiary(doc), nil
}

// Beneficiaries returns a page of org's beneficiaries, erased ones left out.
func (d *DB) Beneficiaries(ctx context.Context, f pathways.Filter) ([]pathways.Beneficiary, string, error) {
	filter := bson.D{{Key: "organisationId", Value: f.OrganisationID}, {Key: "erased", Value: bson.D{{Key: "$exists", Value: false}}}}
	if f.Programme != "" {
		filter = append(filter, bson.E{Key: "enrolment.programme", Value: f.Programme})
	}
	if f.Cohort != "" {
		filter = append(filter, bson.E{Key: "enrolment.cohort", Value: f.Cohort})
	}
	if f.Department != "" {
		filter = append(filter, bson.E{Key: "department", Value: f.Department})
	}
	if f.Referent != "" {
		filter = append(filter, bson.E{Key: "enrolment.referents", Value: f.Referent})
	}
	docs, next, err := page(ctx, d.col(colBeneficiaries), filter, f.After, f.Limit, func(d beneficiaryDoc) string { return d.ID }, "list beneficiaries")
	if err != nil {
		return nil, "", err
	}
	out := make([]pathways.Beneficiary, len(docs))
	for i, doc := range docs {
		out[i] = toBeneficiary(doc)
	}
	return out, next, nil
}

// ReplaceBeneficiary stores b if the stored version is b.Version-1.
func (d *DB) ReplaceBeneficiary(ctx context.Context, b pathways.Beneficiary) error {
	return replaceVersioned(ctx, d.col(colBeneficiaries), bson.D{{Key: "organisationId", Value: b.OrganisationID}},
		b.ID, b.Version-1, toBeneficiaryDoc(b), "replace beneficiary "+b.ID)
}

type auditDoc struct {
	ID             bson.ObjectID `bson:"_id"`
	At             time.Time     `bson:"at"`
	UserID         string        `bson:"userId"`
	OrganisationID string        `bson:"organisationId"`
	Action         string        `bson:"action"`
	BeneficiaryID  string        `bson:"beneficiaryId"`
	RequestID      string        `bson:"requestId"`
}

// Audit appends an entry to the audit collection.
func (d *DB) Audit(ctx context.Context, e pathways.AuditEntry) error {
	_, err := d.col(colAudit).InsertOne(ctx, auditDoc{
		ID: bson.NewObjectID(), At: e.At, UserID: e.UserID, OrganisationID: e.OrganisationID,
		Action: e.Action, BeneficiaryID: e.BeneficiaryID, RequestID: e.RequestID,
	})
	return translate(err, "write audit entry")
}

// AuditTrail returns the entries about one beneficiary, oldest first.
func (d *DB) AuditTrail(ctx context.Context, beneficiaryID string) ([]pathways.AuditEntry, error) {
	return findAll(ctx, d.col(colAudit), bson.D{{Key: "beneficiaryId", Value: beneficiaryID}}, toAuditEntry, "read audit trail",
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
}

func toAuditEntry(x auditDoc) pathways.AuditEntry {
	return pathways.AuditEntry{At: x.At.UTC(), UserID: x.UserID, OrganisationID: x.OrganisationID, Action: x.Action, BeneficiaryID: x.BeneficiaryID, RequestID: x.RequestID}
}
