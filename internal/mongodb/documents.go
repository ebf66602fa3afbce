package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/conventions"
)

var _ conventions.Store = (*DB)(nil)

const colDocuments = "convention_documents"

var documentIndexes = []index{
	{colDocuments, "org_id", bson.D{{Key: "organisationId", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colDocuments, "state_start", bson.D{{Key: "state", Value: 1}, {Key: "start", Value: 1}}, false},
}

type documentDoc struct {
	ID              string          `bson:"_id"`
	OrganisationID  string          `bson:"organisationId"`
	ConventionID    string          `bson:"conventionId"`
	BeneficiaryID   string          `bson:"beneficiaryId"`
	BeneficiaryName string          `bson:"beneficiaryName"`
	HostSIRET       string          `bson:"hostSiret"`
	HostName        string          `bson:"hostName"`
	HostAddress     string          `bson:"hostAddress"`
	Tutor           tutorPart       `bson:"tutor"`
	PrescriberKind  string          `bson:"prescriberKind"`
	PrescriberName  string          `bson:"prescriberName"`
	Structure       string          `bson:"structure"`
	AdviserID       string          `bson:"adviserId"`
	Start           civil.Date      `bson:"start"`
	End             civil.Date      `bson:"end"`
	Schedule        string          `bson:"schedule"`
	HoursPerWeek    int             `bson:"hoursPerWeek"`
	Place           string          `bson:"place"`
	Objective       string          `bson:"objective"`
	Objectives      string          `bson:"objectives"`
	Tasks           string          `bson:"tasks"`
	Risks           string          `bson:"risks"`
	Equipment       string          `bson:"equipment"`
	Signatories     []signatoryPart `bson:"signatories"`
	State           string          `bson:"state"`
	History         []docStepPart   `bson:"history"`
	Assessment      *assessmentPart `bson:"assessment,omitempty"`
	AssessmentToken string          `bson:"assessmentTokenHash,omitempty"`
	AssessmentUntil time.Time       `bson:"assessmentExpires,omitempty"`
	CreatedAt       time.Time       `bson:"createdAt"`
	UpdatedAt       time.Time       `bson:"updatedAt"`
	Version         int64           `bson:"version"`
}

type signatoryPart struct {
	Party     string         `bson:"party"`
	Name      string         `bson:"name"`
	Email     string         `bson:"email"`
	TokenHash string         `bson:"tokenHash"`
	Expires   time.Time      `bson:"expires"`
	Signed    *signaturePart `bson:"signed,omitempty"`
}

type signaturePart struct {
	Name      string    `bson:"name"`
	At        time.Time `bson:"at"`
	IP        string    `bson:"ip"`
	UserAgent string    `bson:"userAgent"`
}

type docStepPart struct {
	From   string    `bson:"from"`
	To     string    `bson:"to"`
	At     time.Time `bson:"at"`
	By     string    `bson:"by"`
	Reason string    `bson:"reason,omitempty"`
}

type assessmentPart struct {
	Outcome  string    `bson:"outcome"`
	Skills   string    `bson:"skills"`
	Hired    bool      `bson:"hired"`
	Contract string    `bson:"contract"`
	Months   int       `bson:"months"`
	By       string    `bson:"by"`
	At       time.Time `bson:"at"`
}

func toDocumentDoc(d conventions.Document) documentDoc {
	out := documentDoc{ID: d.ID, OrganisationID: d.OrganisationID, ConventionID: d.ConventionID, BeneficiaryID: d.BeneficiaryID,
		BeneficiaryName: d.BeneficiaryName, HostSIRET: d.HostSIRET, HostName: d.HostName, HostAddress: d.HostAddress,
		Tutor: tutorPart(d.Tutor), PrescriberKind: d.PrescriberKind, PrescriberName: d.PrescriberName, Structure: d.Structure,
		AdviserID: d.AdviserID, Start: d.Start, End: d.End, Schedule: d.Schedule, HoursPerWeek: d.HoursPerWeek, Place: d.Place,
		Objective: d.Objective, Objectives: d.Objectives, Tasks: d.Tasks, Risks: d.Risks, Equipment: d.Equipment,
		State: string(d.State), CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: d.Version,
		Signatories: []signatoryPart{}, History: []docStepPart{}, AssessmentToken: d.AssessmentTokenHash, AssessmentUntil: d.AssessmentExpires}
	for _, s := range d.Signatories {
		p := signatoryPart{Party: string(s.Party), Name: s.Name, Email: s.Email, TokenHash: s.TokenHash, Expires: s.Expires}
		if s.Signed != nil {
			p.Signed = &signaturePart{Name: s.Signed.Name, At: s.Signed.At, IP: s.Signed.IP, UserAgent: s.Signed.UserAgent}
		}
		out.Signatories = append(out.Signatories, p)
	}
	for _, h := range d.History {
		out.History = append(out.History, docStepPart{From: string(h.From), To: string(h.To), At: h.At, By: h.By, Reason: h.Reason})
	}
	if a := d.Assessment; a != nil {
		out.Assessment = &assessmentPart{Outcome: a.Outcome, Skills: a.Skills, Hired: a.Hired, Contract: a.Contract, Months: a.Months, By: a.By, At: a.At}
	}
	return out
}

func toDocument(d documentDoc) conventions.Document {
	out := conventions.Document{ID: d.ID, OrganisationID: d.OrganisationID, ConventionID: d.ConventionID, BeneficiaryID: d.BeneficiaryID,
		BeneficiaryName: d.BeneficiaryName, HostSIRET: d.HostSIRET, HostName: d.HostName, HostAddress: d.HostAddress,
		Tutor: conventions.TutorOf(d.Tutor), PrescriberKind: d.PrescriberKind, PrescriberName: d.PrescriberName, Structure: d.Structure,
		AdviserID: d.AdviserID, Start: d.Start, End: d.End, Schedule: d.Schedule, HoursPerWeek: d.HoursPerWeek, Place: d.Place,
		Objective: d.Objective, Objectives: d.Objectives, Tasks: d.Tasks, Risks: d.Risks, Equipment: d.Equipment,
		State: conventions.State(d.State), CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
		Signatories: []conventions.Signatory{}, History: []conventions.Transition{}, AssessmentTokenHash: d.AssessmentToken, AssessmentExpires: d.AssessmentUntil.UTC()}
	for _, s := range d.Signatories {
		x := conventions.Signatory{Party: conventions.Party(s.Party), Name: s.Name, Email: s.Email, TokenHash: s.TokenHash, Expires: s.Expires.UTC()}
		if s.Signed != nil {
			x.Signed = &conventions.Signature{Name: s.Signed.Name, At: s.Signed.At.UTC(), IP: s.Signed.IP, UserAgent: s.Signed.UserAgent}
		}
		out.Signatories = append(out.Signatories, x)
	}
	for _, h := range d.History {
		out.History = append(out.History, conventions.Transition{From: conventions.State(h.From), To: conventions.State(h.To), At: h.At.UTC(), By: h.By, Reason: h.Reason})
	}
	if a := d.Assessment; a != nil {
		out.Assessment = &conventions.Assessment{Outcome: a.Outcome, Skills: a.Skills, Hired: a.Hired, Contract: a.Contract, Months: a.Months, By: a.By, At: a.At.UTC()}
	}
	return out
}

// CreateDocument inserts d.
func (d *DB) CreateDocument(ctx context.Context, doc conventions.Document) error {
	_, err := d.col(colDocuments).InsertOne(ctx, toDocumentDoc(doc))
	return translate(err, "insert convention document "+doc.ID)
}

// Document returns org's document id.
func (d *DB) Document(ctx context.Context, org, id string) (conventions.Document, error) {
	return d.findDocument(ctx, bson.D{{Key: "_id", Value: id}, {Key: "organisationId", Value: org}}, id)
}

// DocumentByID returns the document id of any organisation.
func (d *DB) DocumentByID(ctx context.Context, id string) (conventions.Document, error) {
	return d.findDocument(ctx, bson.D{{Key: "_id", Value: id}}, id)
}

func (d *DB) findDocument(ctx context.Context, filter bson.D, id string) (conventions.Document, error) {
	var doc documentDoc
	if err := d.col(colDocuments).FindOne(ctx, filter).Decode(&doc); err != nil {
		return conventions.Document{}, translate(err, "find convention document "+id)
	}
	return toDocument(doc), nil
}

// ReplaceDocument stores doc if the stored one is at doc.Version-1.
func (d *DB) ReplaceDocument(ctx context.Context, doc conventions.Document) error {
	res, err := d.col(colDocuments).ReplaceOne(ctx, bson.D{{Key: "_id", Value: doc.ID}, {Key: "organisationId", Value: doc.OrganisationID},
		{Key: "version", Value: doc.Version - 1}}, toDocumentDoc(doc))
	if err != nil {
		return translate(err, "replace convention document "+doc.ID)
	}
	if res.MatchedCount == 0 {
		return apperr.Stale()
	}
	return nil
}

// DocumentsInState returns documents in one of the states, by start date.
func (d *DB) DocumentsInState(ctx context.Context, states []conventions.State, limit int) ([]conventions.Document, error) {
	in := make([]string, len(states))
	for i, s := range states {
		in[i] = string(s)
	}
	return findAll(ctx, d.col(colDocuments), bson.D{{Key: "state", Value: bson.D{{Key: "$in", Value: in}}}}, toDocument,
		"list convention documents", options.Find().SetSort(bson.D{{Key: "start", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}
