package mongodb_test

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/pathways"
)

// TestAFileWrittenWithTheOldLicenceYesReadsAsAFrenchB: files stored when
// the licence was a yes/no keep their meaning.
func TestAFileWrittenWithTheOldLicenceYesReadsAsAFrenchB(t *testing.T) {
	env := testenv.Get(t)
	database := env.Database(t)
	ctx := context.Background()
	db, err := mongodb.Open(ctx, env.MongoURI(), database.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for id, yes := range map[string]bool{"ben_old_yes": true, "ben_old_no": false} {
		_, err := database.Collection("beneficiaries").InsertOne(ctx, bson.D{
			{Key: "_id", Value: id}, {Key: "organisationId", Value: "org_1"}, {Key: "firstName", Value: "A"}, {Key: "lastName", Value: "B"},
			{Key: "mobility", Value: bson.D{{Key: "maxKm", Value: 10}, {Key: "drivingLicence", Value: yes}, {Key: "vehicle", Value: false}, {Key: "publicTransport", Value: true}}},
			{Key: "createdAt", Value: now}, {Key: "updatedAt", Value: now}, {Key: "version", Value: int64(1)},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	yes, err := db.Beneficiary(ctx, "org_1", "ben_old_yes")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(pathways.DrivingLicence{Status: pathways.LicenceFrench, Categories: []string{"B"}}, yes.Mobility.DrivingLicence); diff != "" {
		t.Errorf("old yes (-want +got):\n%s", diff)
	}
	no, err := db.Beneficiary(ctx, "org_1", "ben_old_no")
	if err != nil {
		t.Fatal(err)
	}
	if no.Mobility.DrivingLicence.Status != "" || len(no.Mobility.DrivingLicence.Categories) != 0 {
		t.Errorf("old no = %+v, want not said", no.Mobility.DrivingLicence)
	}
	// Written again, the file has the new shape and reads the same.
	yes.Version = 2
	if err := db.ReplaceBeneficiary(ctx, yes); err != nil {
		t.Fatal(err)
	}
	again, err := db.Beneficiary(ctx, "org_1", "ben_old_yes")
	if err != nil || !again.Mobility.DrivingLicence.Held("B") {
		t.Errorf("rewritten = %+v (%v)", again.Mobility.DrivingLicence, err)
	}
}
