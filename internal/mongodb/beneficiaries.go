package mongodb

import (
	"context"
	"regexp"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

var (
	_ pathways.Store    = (*DB)(nil)
	_ pathways.AuditLog = (*DB)(nil)
)

// beneficiaryDoc is a beneficiary as stored.
type beneficiaryDoc struct {
	ID             string           `bson:"_id"`
	OrganisationID string           `bson:"organisationId"`
	FirstName      string           `bson:"firstName"`
	LastName       string           `bson:"lastName"`
	BirthDate      civil.Date       `bson:"birthDate"`
	Protection     string           `bson:"protection"`
	Enrolment      enrolmentPart    `bson:"enrolment"`
	Department     string           `bson:"department"`
	Address        addressPart      `bson:"address"`
	French         frenchPart       `bson:"french"`
	Diplomas       []diplomaPart    `bson:"diplomas"`
	Skills         []skillPart      `bson:"skills"`
	PastJobs       []pastJobPart    `bson:"pastJobs"`
	Project        projectPart      `bson:"project"`
	Availability   availabilityPart `bson:"availability"`
	Mobility       mobilityPart     `bson:"mobility"`
	Barriers       []string         `bson:"barriers"`
	Languages      []string         `bson:"languages"`
	Interests      []string         `bson:"interests"`
	ConsentAt      civil.Date       `bson:"consentDate"`
	Notes          string           `bson:"notes"`
	ExitedOn       civil.Date       `bson:"exitedOn"`
	ExitReason     string           `bson:"exitReason,omitempty"`
	// SearchKeys are the folded names the search matches from their start.
	SearchKeys []string     `bson:"searchKeys"`
	Erased     *erasurePart `bson:"erased,omitempty"`
	CreatedAt  time.Time    `bson:"createdAt"`
	UpdatedAt  time.Time    `bson:"updatedAt"`
	Version    int64        `bson:"version"`
}

func toBeneficiaryDoc(b pathways.Beneficiary) beneficiaryDoc {
	a := b.Availability
	return beneficiaryDoc{
		ID: b.ID, OrganisationID: b.OrganisationID, FirstName: b.FirstName, LastName: b.LastName,
		BirthDate: b.BirthDate, Protection: string(b.Protection), Enrolment: toEnrolmentPart(b.Enrolment), Department: b.Department,
		Address:      addressPart{Line: b.Address.Line, Postcode: b.Address.Postcode, City: b.Address.City, Location: toPointPart(b.Address.Location)},
		French:       toFrenchPart(b.French),
		Diplomas:     parts(b.Diplomas, func(d pathways.Diploma) diplomaPart { return diplomaPart(d) }),
		Skills:       parts(b.Skills, func(s pathways.Skill) skillPart { return skillPart(s) }),
		PastJobs:     parts(b.PastJobs, func(j pathways.PastJob) pastJobPart { return pastJobPart(j) }),
		Project:      projectPart{TargetROME: b.Project.TargetROME, Description: b.Project.Description},
		Availability: availabilityPart{From: a.From, HoursPerWeek: a.HoursPerWeek, Days: a.Days, Constraints: a.Constraints},
		Mobility:     toMobilityPart(b.Mobility),
		Barriers:     parts(b.Barriers, func(x pathways.Barrier) string { return string(x) }),
		Languages:    b.Languages, Interests: b.Interests,
		ConsentAt: b.ConsentAt, Notes: b.Notes, ExitedOn: b.ExitedOn, ExitReason: b.ExitReason, SearchKeys: pathways.SearchKeys(b.FirstName, b.LastName),
		Erased:    toErasurePart(b.Erased),
		CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt, Version: b.Version,
	}
}

func toBeneficiary(d beneficiaryDoc) pathways.Beneficiary {
	a := d.Availability
	return pathways.Beneficiary{
		ID: d.ID, OrganisationID: d.OrganisationID, FirstName: d.FirstName, LastName: d.LastName,
		BirthDate: d.BirthDate, Protection: pathways.Protection(d.Protection), Enrolment: d.Enrolment.enrolment(), Department: d.Department,
		Address:      pathways.Address{Line: d.Address.Line, Postcode: d.Address.Postcode, City: d.Address.City, Location: d.Address.Location.point()},
		French:       d.French.french(),
		Diplomas:     parts(d.Diplomas, func(x diplomaPart) pathways.Diploma { return pathways.Diploma(x) }),
		Skills:       parts(d.Skills, func(x skillPart) pathways.Skill { return pathways.Skill(x) }),
		PastJobs:     parts(d.PastJobs, func(x pastJobPart) pathways.PastJob { return pathways.PastJob(x) }),
		Project:      pathways.Project{TargetROME: emptyIfNil(d.Project.TargetROME), Description: d.Project.Description},
		Availability: pathways.Availability{From: a.From, HoursPerWeek: a.HoursPerWeek, Days: emptyIfNil(a.Days), Constraints: a.Constraints},
		Mobility:     d.Mobility.mobility(),
		Barriers:     parts(d.Barriers, func(x string) pathways.Barrier { return pathways.Barrier(x) }),
		Languages:    emptyIfNil(d.Languages), Interests: emptyIfNil(d.Interests),
		ConsentAt: d.ConsentAt, Notes: d.Notes, ExitedOn: d.ExitedOn, ExitReason: d.ExitReason, Erased: d.Erased.stamp(),
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
	if q := pathways.Fold(f.Search); q != "" {
		filter = append(filter, bson.E{Key: "searchKeys", Value: bson.D{{Key: "$regex", Value: "^" + regexp.QuoteMeta(q)}}})
	}
	if f.OralAtLeast != "" {
		filter = append(filter, bson.E{Key: "french.oralProduction", Value: bson.D{{Key: "$in", Value: pathways.AtLeast(f.OralAtLeast)}}})
	}
	switch f.Status {
	case pathways.StatusActive:
		filter = append(filter, bson.E{Key: "exitedOn", Value: ""})
	case pathways.StatusExited:
		filter = append(filter, bson.E{Key: "exitedOn", Value: bson.D{{Key: "$gt", Value: ""}}})
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

// BeneficiariesByID returns org's beneficiaries among ids.
func (d *DB) BeneficiariesByID(ctx context.Context, org string, ids []string) ([]pathways.Beneficiary, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return findAll(ctx, d.col(colBeneficiaries), bson.D{{Key: "organisationId", Value: org}, {Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		toBeneficiary, "find beneficiaries by id")
}

// EnrolmentValues lists the programmes, cohorts and départements of org's
// beneficiaries, reading only those fields.
func (d *DB) EnrolmentValues(ctx context.Context, org string) (pathways.EnrolmentValues, error) {
	cur, err := d.col(colBeneficiaries).Find(ctx, bson.D{{Key: "organisationId", Value: org}},
		options.Find().SetProjection(bson.D{{Key: "enrolment.programme", Value: 1}, {Key: "enrolment.cohort", Value: 1}, {Key: "department", Value: 1}}))
	if err != nil {
		return pathways.EnrolmentValues{}, translate(err, "list enrolments of "+org)
	}
	var docs []struct {
		Enrolment  enrolmentPart `bson:"enrolment"`
		Department string        `bson:"department"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return pathways.EnrolmentValues{}, translate(err, "list enrolments of "+org)
	}
	programmes, cohorts, departments := map[string]bool{}, map[string]bool{}, map[string]bool{}
	people := map[string]int{}
	for _, x := range docs {
		programmes[x.Enrolment.Programme] = true
		cohorts[x.Enrolment.Cohort] = true
		departments[x.Department] = true
		people[x.Department]++
	}
	return pathways.EnrolmentValues{Programmes: sortedKeys(programmes), Cohorts: sortedKeys(cohorts),
		Departments: sortedKeys(departments), People: people}, nil
}

func sortedKeys(m map[string]bool) []string {
	out := []string{}
	for k := range m {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
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

// AuditEntries returns a page of an organisation's audit log, newest first.
func (d *DB) AuditEntries(ctx context.Context, f pathways.AuditFilter) ([]pathways.AuditEntry, string, error) {
	filter := bson.D{{Key: "organisationId", Value: f.OrganisationID}}
	if f.UserID != "" {
		filter = append(filter, bson.E{Key: "userId", Value: f.UserID})
	}
	if f.BeneficiaryIDs != nil {
		filter = append(filter, bson.E{Key: "beneficiaryId", Value: bson.D{{Key: "$in", Value: f.BeneficiaryIDs}}})
	}
	at := bson.D{}
	if f.From.Valid() {
		at = append(at, bson.E{Key: "$gte", Value: civil.StartInFrance(f.From)})
	}
	if f.To.Valid() {
		at = append(at, bson.E{Key: "$lt", Value: civil.StartInFrance(f.To.AddDate(0, 0, 1))})
	}
	if len(at) > 0 {
		filter = append(filter, bson.E{Key: "at", Value: at})
	}
	if f.Before != "" {
		id, err := bson.ObjectIDFromHex(f.Before)
		if err != nil {
			return nil, "", apperr.Invalidf([]apperr.FieldError{{Pointer: "cursor", Detail: "The cursor is not one this list gave.",
				DetailFR: "Ce curseur n'a pas été donné par cette liste.", Tag: "cursor"}}, "The cursor is not valid.").FR("Le curseur n'est pas valide.")
		}
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: id}}})
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 100
	}
	cur, err := d.col(colAudit).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit+1)))
	if err != nil {
		return nil, "", translate(err, "read the audit log")
	}
	var docs []auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, "", translate(err, "read the audit log")
	}
	next := ""
	if len(docs) > limit {
		docs = docs[:limit]
		next = docs[limit-1].ID.Hex()
	}
	out := make([]pathways.AuditEntry, len(docs))
	for i, x := range docs {
		out[i] = toAuditEntry(x)
	}
	return out, next, nil
}

// AuditTrail returns the entries about one beneficiary, oldest first.
func (d *DB) AuditTrail(ctx context.Context, beneficiaryID string) ([]pathways.AuditEntry, error) {
	return findAll(ctx, d.col(colAudit), bson.D{{Key: "beneficiaryId", Value: beneficiaryID}}, toAuditEntry, "read audit trail",
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
}

func toAuditEntry(x auditDoc) pathways.AuditEntry {
	return pathways.AuditEntry{At: x.At.UTC(), UserID: x.UserID, OrganisationID: x.OrganisationID, Action: x.Action, BeneficiaryID: x.BeneficiaryID, RequestID: x.RequestID}
}

// migrateBeneficiaries gives the files recorded before name search and
// exits their search keys and exit day.
func (d *DB) migrateBeneficiaries(ctx context.Context) error {
	c := d.col(colBeneficiaries)
	cur, err := c.Find(ctx, bson.D{{Key: "searchKeys", Value: bson.D{{Key: "$exists", Value: false}}}},
		options.Find().SetProjection(bson.D{{Key: "firstName", Value: 1}, {Key: "lastName", Value: 1}}))
	if err != nil {
		return translate(err, "find beneficiaries to migrate")
	}
	var docs []struct {
		ID        string `bson:"_id"`
		FirstName string `bson:"firstName"`
		LastName  string `bson:"lastName"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return translate(err, "find beneficiaries to migrate")
	}
	for _, x := range docs {
		_, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: x.ID}}, bson.D{{Key: "$set", Value: bson.D{
			{Key: "searchKeys", Value: pathways.SearchKeys(x.FirstName, x.LastName)}}}})
		if err != nil {
			return translate(err, "migrate beneficiary "+x.ID)
		}
	}
	// A file without an exit day gets an empty one; one that has a day
	// keeps it.
	_, err = c.UpdateMany(ctx, bson.D{{Key: "exitedOn", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "exitedOn", Value: ""}}}})
	return translate(err, "migrate the exit days of beneficiaries")
}
