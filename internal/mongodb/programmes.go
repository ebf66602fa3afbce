package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/pathways"
)

var _ pathways.ProgrammeStore = (*DB)(nil)

const colProgrammes = "programmes"

// programmeIndexes: one programme per name (accents and case aside) in an
// organisation, whoever writes.
var programmeIndexes = []index{
	{colProgrammes, "org_key", bson.D{{Key: "organisationId", Value: 1}, {Key: "key", Value: 1}}, true},
	{colBeneficiaries, "org_programme_id", bson.D{{Key: "organisationId", Value: 1}, {Key: "enrolment.programmeId", Value: 1}, {Key: "_id", Value: 1}}, false},
}

type programmeDoc struct {
	ID             string    `bson:"_id"`
	OrganisationID string    `bson:"organisationId"`
	Name           string    `bson:"name"`
	Key            string    `bson:"key"`
	RuleSet        string    `bson:"ruleSet"`
	DurationMonths int       `bson:"durationMonths"`
	Horizons       []int     `bson:"horizons"`
	ExitHorizons   []int     `bson:"exitHorizons"`
	TargetRate     *float64  `bson:"targetRate,omitempty"`
	CreatedAt      time.Time `bson:"createdAt"`
	CreatedBy      string    `bson:"createdBy"`
}

func toProgrammeDoc(p pathways.Programme) programmeDoc {
	return programmeDoc{ID: p.ID, OrganisationID: p.OrganisationID, Name: p.Name, Key: p.Key(), RuleSet: p.RuleSet,
		DurationMonths: p.DurationMonths, Horizons: emptyIfNil(p.Horizons), ExitHorizons: emptyIfNil(p.ExitHorizons),
		TargetRate: p.TargetRate, CreatedAt: p.CreatedAt, CreatedBy: p.CreatedBy}
}

func toProgramme(d programmeDoc) pathways.Programme {
	return pathways.Programme{ID: d.ID, OrganisationID: d.OrganisationID, Name: d.Name, RuleSet: d.RuleSet,
		DurationMonths: d.DurationMonths, Horizons: emptyIfNil(d.Horizons), ExitHorizons: emptyIfNil(d.ExitHorizons),
		TargetRate: d.TargetRate, CreatedAt: d.CreatedAt.UTC(), CreatedBy: d.CreatedBy}
}

// CreateProgramme inserts p.
func (d *DB) CreateProgramme(ctx context.Context, p pathways.Programme) error {
	_, err := d.col(colProgrammes).InsertOne(ctx, toProgrammeDoc(p))
	return translate(err, "insert programme "+p.ID)
}

// Programmes lists org's programmes by name ("" for all).
func (d *DB) Programmes(ctx context.Context, org string) ([]pathways.Programme, error) {
	filter := bson.D{}
	if org != "" {
		filter = append(filter, bson.E{Key: "organisationId", Value: org})
	}
	return findAll(ctx, d.col(colProgrammes), filter, toProgramme, "list programmes",
		options.Find().SetSort(bson.D{{Key: "organisationId", Value: 1}, {Key: "key", Value: 1}}))
}

// migrateProgrammes turns the programme names typed into enrolments
// before programmes were records into records: one per organisation and
// name (accents and case aside: "Agir" and "AGIR" become one, named as
// most files wrote it), with the rule set the name picked; then each
// enrolment gets its programme's id and name.
func (d *DB) migrateProgrammes(ctx context.Context) error {
	cur, err := d.col(colBeneficiaries).Find(ctx, bson.D{{Key: "enrolment.programmeId", Value: bson.D{{Key: "$exists", Value: false}}}},
		options.Find().SetProjection(bson.D{{Key: "organisationId", Value: 1}, {Key: "enrolment.programme", Value: 1}}))
	if err != nil {
		return translate(err, "find enrolments to migrate")
	}
	var docs []struct {
		ID             string `bson:"_id"`
		OrganisationID string `bson:"organisationId"`
		Enrolment      struct {
			Programme string `bson:"programme"`
		} `bson:"enrolment"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return translate(err, "find enrolments to migrate")
	}
	if len(docs) == 0 {
		return nil
	}
	type group struct {
		org, key string
		spelling map[string]int
		files    []string
	}
	groups := map[[2]string]*group{}
	var order [][2]string
	for _, x := range docs {
		key := pathways.Fold(x.Enrolment.Programme)
		if key == "" {
			continue
		}
		k := [2]string{x.OrganisationID, key}
		g, ok := groups[k]
		if !ok {
			g = &group{org: x.OrganisationID, key: key, spelling: map[string]int{}}
			groups[k] = g
			order = append(order, k)
		}
		g.spelling[x.Enrolment.Programme]++
		g.files = append(g.files, x.ID)
	}
	existing, err := d.Programmes(ctx, "")
	if err != nil {
		return err
	}
	known := map[[2]string]pathways.Programme{}
	for _, p := range existing {
		known[[2]string{p.OrganisationID, p.Key()}] = p
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	for _, k := range order {
		g := groups[k]
		p, ok := known[k]
		if !ok {
			name, most := "", 0
			for sp, n := range g.spelling {
				if n > most || n == most && sp < name {
					name, most = sp, n
				}
			}
			p = pathways.ProgrammeDefaults(pathways.Programme{ID: ids.NewAt("prg", now), OrganisationID: g.org, Name: name, CreatedAt: now, CreatedBy: "migration"})
			if err := d.CreateProgramme(ctx, p); err != nil {
				// Another process migrating at once made it: read it back.
				list, rerr := d.Programmes(ctx, g.org)
				if rerr != nil {
					return err
				}
				found := false
				for _, q := range list {
					if q.Key() == g.key {
						p, found = q, true
					}
				}
				if !found {
					return err
				}
			}
		}
		if _, err := d.col(colBeneficiaries).UpdateMany(ctx,
			bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: g.files}}}, {Key: "enrolment.programmeId", Value: bson.D{{Key: "$exists", Value: false}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "enrolment.programmeId", Value: p.ID}, {Key: "enrolment.programme", Value: p.Name}}}}); err != nil {
			return translate(err, "migrate the enrolments of "+p.Name)
		}
	}
	return nil
}

// ReplaceProgramme stores p, then names its files after it.
func (d *DB) ReplaceProgramme(ctx context.Context, p pathways.Programme) error {
	res, err := d.col(colProgrammes).ReplaceOne(ctx, bson.D{{Key: "_id", Value: p.ID}, {Key: "organisationId", Value: p.OrganisationID}}, toProgrammeDoc(p))
	if err != nil {
		return translate(err, "replace programme "+p.ID)
	}
	if res.MatchedCount == 0 {
		return apperr.NotFoundf("No such programme.").FR("Ce dispositif n'existe pas.")
	}
	_, err = d.col(colBeneficiaries).UpdateMany(ctx, bson.D{{Key: "organisationId", Value: p.OrganisationID}, {Key: "enrolment.programmeId", Value: p.ID},
		{Key: "enrolment.programme", Value: bson.D{{Key: "$ne", Value: p.Name}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "enrolment.programme", Value: p.Name}}}})
	return translate(err, "rename the files of programme "+p.ID)
}
