package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

var _ pathways.MeasurementStore = (*DB)(nil)

const colMeasurements = "measurements"

// measurementIndexes: the unique key (beneficiary, horizon, version) is what
// keeps two schedulers from recording the same version twice; the id says
// the same, the index keeps it true for any writer.
var measurementIndexes = []index{
	{colMeasurements, "beneficiary_horizon_version", bson.D{{Key: "beneficiaryId", Value: 1}, {Key: "horizon", Value: 1}, {Key: "version", Value: 1}}, true},
	{colMeasurements, "org_programme_horizon", bson.D{{Key: "organisationId", Value: 1}, {Key: "programme", Value: 1}, {Key: "horizon", Value: 1}, {Key: "cohort", Value: 1}}, false},
	{colBeneficiaries, "enrolment_entry", bson.D{{Key: "enrolment.entryDate", Value: 1}, {Key: "_id", Value: 1}}, false},
}

// measurementDoc is a measurement as stored; it is never updated.
type measurementDoc struct {
	ID             string          `bson:"_id"`
	OrganisationID string          `bson:"organisationId"`
	BeneficiaryID  string          `bson:"beneficiaryId"`
	Programme      string          `bson:"programme"`
	Cohort         string          `bson:"cohort"`
	EntryDate      civil.Date      `bson:"entryDate"`
	Horizon        int             `bson:"horizon"`
	HorizonDate    civil.Date      `bson:"horizonDate"`
	Version        int             `bson:"version"`
	RuleSet        string          `bson:"ruleSet"`
	RuleSetVersion string          `bson:"ruleSetVersion"`
	Situations     []situationPart `bson:"situations"`
	Decisive       string          `bson:"decisiveSituationId"`
	Category       string          `bson:"category"`
	Positive       bool            `bson:"positive"`
	MeasuredAt     time.Time       `bson:"measuredAt"`
}

func toMeasurementDoc(m pathways.Measurement) measurementDoc {
	return measurementDoc{
		ID: m.ID, OrganisationID: m.OrganisationID, BeneficiaryID: m.BeneficiaryID, Programme: m.Programme,
		Cohort: m.Cohort, EntryDate: m.EntryDate, Horizon: m.Horizon, HorizonDate: m.HorizonDate, Version: m.Version,
		RuleSet: m.RuleSet, RuleSetVersion: m.RuleSetVersion, Situations: parts(m.Situations, toSituationPart), Decisive: m.Decisive,
		Category: m.Category, Positive: m.Positive, MeasuredAt: m.MeasuredAt,
	}
}

func toMeasurement(d measurementDoc) pathways.Measurement {
	sits := parts(d.Situations, situationPart.situation)
	return pathways.Measurement{
		ID: d.ID, OrganisationID: d.OrganisationID, BeneficiaryID: d.BeneficiaryID, Programme: d.Programme,
		Cohort: d.Cohort, EntryDate: d.EntryDate, Horizon: d.Horizon, HorizonDate: d.HorizonDate, Version: d.Version,
		RuleSet: d.RuleSet, RuleSetVersion: d.RuleSetVersion, Situations: sits, Decisive: d.Decisive,
		Category: d.Category, Positive: d.Positive, MeasuredAt: d.MeasuredAt.UTC(),
	}
}

// LatestMeasurement returns the highest version for the enrolment and horizon.
func (d *DB) LatestMeasurement(ctx context.Context, beneficiaryID string, horizon int) (pathways.Measurement, error) {
	var doc measurementDoc
	err := d.col(colMeasurements).FindOne(ctx,
		bson.D{{Key: "beneficiaryId", Value: beneficiaryID}, {Key: "horizon", Value: horizon}},
		options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&doc)
	if err != nil {
		return pathways.Measurement{}, translate(err, "find latest measurement of "+beneficiaryID)
	}
	return toMeasurement(doc), nil
}

// InsertMeasurement inserts m; a version that exists is apperr.Conflict.
func (d *DB) InsertMeasurement(ctx context.Context, m pathways.Measurement) error {
	_, err := d.col(colMeasurements).InsertOne(ctx, toMeasurementDoc(m))
	return translate(err, "insert measurement "+m.ID)
}

// Measurements returns the latest version of each matching measurement, by
// cohort then beneficiary (versions are folded in Go: FerretDB v1 has no
// $first in $group).
func (d *DB) Measurements(ctx context.Context, f pathways.MeasurementFilter) ([]pathways.Measurement, error) {
	filter := bson.D{{Key: "organisationId", Value: f.OrganisationID}, {Key: "programme", Value: f.Programme}, {Key: "horizon", Value: f.Horizon}}
	if f.Cohort != "" {
		filter = append(filter, bson.E{Key: "cohort", Value: f.Cohort})
	}
	docs, err := d.measurementDocs(ctx, filter)
	if err != nil {
		return nil, err
	}
	var out []pathways.Measurement
	for i, x := range docs {
		// Sorted by beneficiary then version: keep the last of each run.
		if i+1 < len(docs) && docs[i+1].BeneficiaryID == x.BeneficiaryID {
			continue
		}
		out = append(out, toMeasurement(x))
	}
	sortMeasurements(out)
	return out, nil
}

// LatestMeasurementsOf returns the latest version per beneficiary and
// horizon of several beneficiaries in one read.
func (d *DB) LatestMeasurementsOf(ctx context.Context, beneficiaryIDs []string) (map[string]map[int]pathways.Measurement, error) {
	docs, err := d.measurementDocs(ctx, bson.D{{Key: "beneficiaryId", Value: bson.D{{Key: "$in", Value: beneficiaryIDs}}}})
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[int]pathways.Measurement, len(beneficiaryIDs))
	for _, x := range docs {
		byH := out[x.BeneficiaryID]
		if byH == nil {
			byH = map[int]pathways.Measurement{}
			out[x.BeneficiaryID] = byH
		}
		if cur, ok := byH[x.Horizon]; !ok || x.Version > cur.Version {
			byH[x.Horizon] = toMeasurement(x)
		}
	}
	return out, nil
}

// MeasurementHistory returns every version, oldest first.
func (d *DB) MeasurementHistory(ctx context.Context, beneficiaryID string, horizon int) ([]pathways.Measurement, error) {
	docs, err := d.measurementDocs(ctx, bson.D{{Key: "beneficiaryId", Value: beneficiaryID}, {Key: "horizon", Value: horizon}})
	if err != nil {
		return nil, err
	}
	out := make([]pathways.Measurement, len(docs))
	for i, x := range docs {
		out[i] = toMeasurement(x)
	}
	return out, nil
}

func (d *DB) measurementDocs(ctx context.Context, filter bson.D) ([]measurementDoc, error) {
	cur, err := d.col(colMeasurements).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "beneficiaryId", Value: 1}, {Key: "version", Value: 1}}))
	if err != nil {
		return nil, translate(err, "list measurements")
	}
	var docs []measurementDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, translate(err, "list measurements")
	}
	return docs, nil
}

func sortMeasurements(ms []pathways.Measurement) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && (ms[j].Cohort < ms[j-1].Cohort || ms[j].Cohort == ms[j-1].Cohort && ms[j].BeneficiaryID < ms[j-1].BeneficiaryID); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// enrolmentDoc is the part of a beneficiary outcome measurement reads.
type enrolmentDoc struct {
	ID             string        `bson:"_id"`
	OrganisationID string        `bson:"organisationId"`
	Enrolment      enrolmentPart `bson:"enrolment"`
	ExitedOn       civil.Date    `bson:"exitedOn"`
	ExitReason     string        `bson:"exitReason"`
}

// Enrolments returns a page of enrolments, erased beneficiaries included.
func (d *DB) Enrolments(ctx context.Context, f pathways.EnrolmentFilter) ([]pathways.Enrolled, string, error) {
	filter := bson.D{}
	if f.OrganisationID != "" {
		filter = append(filter, bson.E{Key: "organisationId", Value: f.OrganisationID})
	}
	if f.ProgrammeID != "" {
		filter = append(filter, bson.E{Key: "enrolment.programmeId", Value: f.ProgrammeID})
	} else if f.Programme != "" {
		filter = append(filter, bson.E{Key: "enrolment.programme", Value: f.Programme})
	}
	if f.Cohort != "" {
		filter = append(filter, bson.E{Key: "enrolment.cohort", Value: f.Cohort})
	}
	if f.EnteredBefore != "" {
		filter = append(filter, bson.E{Key: "enrolment.entryDate", Value: bson.D{{Key: "$lt", Value: f.EnteredBefore}}})
	}
	docs, next, err := page(ctx, d.col(colBeneficiaries), filter, f.After, f.Limit, func(d enrolmentDoc) string { return d.ID }, "list enrolments")
	if err != nil {
		return nil, "", err
	}
	out := make([]pathways.Enrolled, len(docs))
	for i, x := range docs {
		out[i] = pathways.Enrolled{BeneficiaryID: x.ID, OrganisationID: x.OrganisationID, ProgrammeID: x.Enrolment.ProgrammeID, Programme: x.Enrolment.Programme,
			Cohort: x.Enrolment.Cohort, EntryDate: x.Enrolment.EntryDate, ExitedOn: x.ExitedOn, ExitReason: x.ExitReason}
	}
	return out, next, nil
}

// workIndexes are the indexes of the background work's collections.
var workIndexes = concat(programmeIndexes, monitoringIndexes, batchIndexes, situationIndexes, measurementIndexes, outboxIndexes, hostIndexes, documentIndexes)

func concat(lists ...[]index) []index {
	var out []index
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
