package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/jobs"
)

var _ jobs.Store = (*DB)(nil)

// opportunityDoc is an opportunity as stored. RefKey makes the agency
// reference unique per organisation ("org/ref"), and is the id for
// opportunities without one, so the unique index never sees a missing value.
type opportunityDoc struct {
	ID             string                   `bson:"_id"`
	OrganisationID string                   `bson:"organisationId"`
	Kind           jobs.Kind                `bson:"kind"`
	Status         jobs.Status              `bson:"status"`
	ExternalRef    string                   `bson:"externalRef,omitempty"`
	RefKey         string                   `bson:"refKey"`
	Title          string                   `bson:"title"`
	Description    string                   `bson:"description"`
	Employer       string                   `bson:"employer,omitempty"`
	ROME           string                   `bson:"rome"`
	Place          placePart                `bson:"place"`
	Start          civil.Date               `bson:"startDate"`
	End            civil.Date               `bson:"endDate,omitempty"`
	HoursPerWeek   int                      `bson:"hoursPerWeek"`
	Days           []string                 `bson:"days"`
	Positions      int                      `bson:"positions"`
	Contract       *contractPart            `bson:"contract,omitempty"`
	PMSMP          *pmsmpPart               `bson:"pmsmp,omitempty"`
	French         frenchRequirementPart    `bson:"frenchRequired"`
	Diplomas       []diplomaRequirementPart `bson:"diplomasRequired"`
	Licences       []string                 `bson:"licencesRequired"`
	Skills         []string                 `bson:"skills"`
	CreatedAt      time.Time                `bson:"createdAt"`
	UpdatedAt      time.Time                `bson:"updatedAt"`
	Version        int64                    `bson:"version"`
}

func refKey(o jobs.Opportunity) string {
	if o.ExternalRef == "" {
		return "id:" + o.ID
	}
	return "ref:" + o.OrganisationID + "/" + o.ExternalRef
}

func toOpportunityDoc(o jobs.Opportunity) opportunityDoc {
	return opportunityDoc{
		ID: o.ID, OrganisationID: o.OrganisationID, Kind: o.Kind, Status: o.Status, ExternalRef: o.ExternalRef,
		RefKey: refKey(o), Title: o.Title, Description: o.Description, Employer: o.Employer, ROME: o.ROME,
		Place: toPlacePart(o.Place), Start: o.Start, End: o.End, HoursPerWeek: o.HoursPerWeek, Days: o.Days,
		Positions: o.Positions, Contract: toContractPart(o.Contract), PMSMP: toPMSMPPart(o.PMSMP), French: frenchRequirementPart(o.French),
		Diplomas: parts(o.Diplomas, func(x jobs.DiplomaRequirement) diplomaRequirementPart { return diplomaRequirementPart(x) }),
		Licences: o.Licences, Skills: o.Skills, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version,
	}
}

func toOpportunity(d opportunityDoc) jobs.Opportunity {
	return jobs.Opportunity{
		ID: d.ID, OrganisationID: d.OrganisationID, Kind: d.Kind, Status: d.Status, ExternalRef: d.ExternalRef,
		Title: d.Title, Description: d.Description, Employer: d.Employer, ROME: d.ROME,
		Place: d.Place.place(), Start: d.Start, End: d.End, HoursPerWeek: d.HoursPerWeek, Days: emptyIfNil(d.Days),
		Positions: d.Positions, Contract: d.Contract.contract(), PMSMP: d.PMSMP.pmsmp(), French: jobs.FrenchRequirement(d.French),
		Diplomas: parts(d.Diplomas, func(x diplomaRequirementPart) jobs.DiplomaRequirement { return jobs.DiplomaRequirement(x) }),
		Licences: d.Licences, Skills: d.Skills, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
	}
}

// CreateOpportunity inserts o; a reused agency reference is a conflict.
func (d *DB) CreateOpportunity(ctx context.Context, o jobs.Opportunity) error {
	_, err := d.col(colOpportunities).InsertOne(ctx, toOpportunityDoc(o))
	return translate(err, "insert opportunity "+o.ID)
}

// Opportunity returns the opportunity id.
func (d *DB) Opportunity(ctx context.Context, id string) (jobs.Opportunity, error) {
	var doc opportunityDoc
	if err := d.col(colOpportunities).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
		return jobs.Opportunity{}, translate(err, "find opportunity "+id)
	}
	return toOpportunity(doc), nil
}

// OpportunityByRef returns org's opportunity with the agency reference ref.
func (d *DB) OpportunityByRef(ctx context.Context, org, ref string) (jobs.Opportunity, error) {
	var doc opportunityDoc
	key := refKey(jobs.Opportunity{OrganisationID: org, ExternalRef: ref})
	if err := d.col(colOpportunities).FindOne(ctx, bson.D{{Key: "refKey", Value: key}}).Decode(&doc); err != nil {
		return jobs.Opportunity{}, translate(err, "find opening "+ref)
	}
	return toOpportunity(doc), nil
}

// Opportunities returns a page of opportunities.
func (d *DB) Opportunities(ctx context.Context, f jobs.Filter) ([]jobs.Opportunity, string, error) {
	var filter bson.D
	switch {
	case f.OrganisationID != "":
		filter = bson.D{{Key: "organisationId", Value: f.OrganisationID}}
	case f.Visible != "":
		// Published opportunities of everyone, and the caller's own drafts.
		filter = bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "status", Value: bson.D{{Key: "$ne", Value: jobs.StatusDraft}}}},
			bson.D{{Key: "organisationId", Value: f.Visible}},
		}}}
	default:
		filter = bson.D{{Key: "status", Value: bson.D{{Key: "$ne", Value: jobs.StatusDraft}}}}
	}
	if f.Kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: f.Kind})
	}
	if f.ROME != "" {
		filter = append(filter, bson.E{Key: "rome", Value: f.ROME})
	}
	if f.Department != "" {
		filter = append(filter, bson.E{Key: "place.department", Value: f.Department})
	}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: f.Status})
	}
	docs, next, err := page(ctx, d.col(colOpportunities), filter, f.After, f.Limit, func(d opportunityDoc) string { return d.ID }, "list opportunities")
	if err != nil {
		return nil, "", err
	}
	out := make([]jobs.Opportunity, len(docs))
	for i, doc := range docs {
		out[i] = toOpportunity(doc)
	}
	return out, next, nil
}

// ReplaceOpportunity stores o if the stored version is o.Version-1.
func (d *DB) ReplaceOpportunity(ctx context.Context, o jobs.Opportunity) error {
	return replaceVersioned(ctx, d.col(colOpportunities), bson.D{{Key: "organisationId", Value: o.OrganisationID}},
		o.ID, o.Version-1, toOpportunityDoc(o), "replace opportunity "+o.ID)
}
