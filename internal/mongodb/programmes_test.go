package mongodb_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
)

// TestTypedProgrammesBecomeRecords: at start-up, the programme names typed
// into enrolments become one record per organisation and name, accents and
// case aside ("Agir", "AGIR" and "agir " are one, named as most files
// wrote it), with the rule set the name picks; each enrolment then holds
// its programme's id and name. A second start changes nothing.
func TestTypedProgrammesBecomeRecords(t *testing.T) {
	env := testenv.Get(t)
	database := env.Database(t)
	ctx := context.Background()
	for _, b := range []struct{ id, org, programme string }{
		{"ben_1", "org_a", "AGIR"}, {"ben_2", "org_a", "Agir"}, {"ben_3", "org_a", "AGIR"}, {"ben_4", "org_a", "agir "},
		{"ben_5", "org_a", "Kodiko"}, {"ben_6", "org_b", "agir"}, {"ben_7", "org_b", "Booster Drôme"},
	} {
		doc := bson.D{{Key: "_id", Value: b.id}, {Key: "organisationId", Value: b.org},
			{Key: "enrolment", Value: bson.D{{Key: "programme", Value: b.programme}, {Key: "entryDate", Value: "2026-01-05"}, {Key: "cohort", Value: "c"}}}}
		if _, err := database.Collection("beneficiaries").InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	db, err := mongodb.Open(ctx, env.MongoURI(), database.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	for range 2 {
		if err := db.EnsureIndexes(ctx); err != nil {
			t.Fatal(err)
		}
	}
	progs, err := db.Programmes(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	type prog struct{ Org, Name, RuleSet string }
	var got []prog
	byID := map[string]string{}
	for _, p := range progs {
		got = append(got, prog{p.OrganisationID, p.Name, p.RuleSet})
		byID[p.ID] = p.Name
	}
	want := []prog{{"org_a", "AGIR", "agir"}, {"org_a", "Kodiko", "kodiko"}, {"org_b", "agir", "agir"}, {"org_b", "Booster Drôme", "iae"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("programmes (-want +got):\n%s", diff)
	}
	cur, err := database.Collection("beneficiaries").Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		ID        string `bson:"_id"`
		Enrolment struct {
			ProgrammeID string `bson:"programmeId"`
			Programme   string `bson:"programme"`
		} `bson:"enrolment"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		t.Fatal(err)
	}
	enrolled := map[string]string{}
	for _, d := range docs {
		if byID[d.Enrolment.ProgrammeID] != d.Enrolment.Programme {
			t.Errorf("%s holds programme %q with id %q (%q)", d.ID, d.Enrolment.Programme, d.Enrolment.ProgrammeID, byID[d.Enrolment.ProgrammeID])
		}
		enrolled[d.ID] = d.Enrolment.Programme
	}
	wantEnrolled := map[string]string{"ben_1": "AGIR", "ben_2": "AGIR", "ben_3": "AGIR", "ben_4": "AGIR", "ben_5": "Kodiko", "ben_6": "agir", "ben_7": "Booster Drôme"}
	if diff := cmp.Diff(wantEnrolled, enrolled); diff != "" {
		t.Errorf("enrolments (-want +got):\n%s", diff)
	}
}

// TestExitsRecordedBeforeGetTheirReason: a file that left before exit
// reasons were kept on files gets the reason of its earliest exit not
// voided, so the rule sets' exclusions count it; written before name
// search too, it keeps its exit day.
func TestExitsRecordedBeforeGetTheirReason(t *testing.T) {
	env := testenv.Get(t)
	database := env.Database(t)
	ctx := context.Background()
	if _, err := database.Collection("beneficiaries").InsertOne(ctx, bson.D{{Key: "_id", Value: "ben_1"}, {Key: "organisationId", Value: "org_a"},
		{Key: "exitedOn", Value: "2026-03-01"}, {Key: "enrolment", Value: bson.D{{Key: "programme", Value: "AGIR"}}}}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []bson.D{
		{{Key: "_id", Value: "sit_1"}, {Key: "organisationId", Value: "org_a"}, {Key: "beneficiaryId", Value: "ben_1"}, {Key: "kind", Value: "programme-exit"}, {Key: "startDate", Value: "2026-03-01"}, {Key: "exitReason", Value: "moved"}},
		{{Key: "_id", Value: "sit_2"}, {Key: "organisationId", Value: "org_a"}, {Key: "beneficiaryId", Value: "ben_1"}, {Key: "kind", Value: "programme-exit"}, {Key: "startDate", Value: "2026-05-01"}, {Key: "exitReason", Value: "success"}},
	} {
		if _, err := database.Collection("situations").InsertOne(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	db, err := mongodb.Open(ctx, env.MongoURI(), database.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	if err := db.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := db.Beneficiary(ctx, "org_a", "ben_1")
	if err != nil || b.ExitedOn != "2026-03-01" || b.ExitReason != "moved" {
		t.Errorf("after the migration the file left on %q for %q (%v), want 2026-03-01 for moved", b.ExitedOn, b.ExitReason, err)
	}
}
