package mongodb_test

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
)

// TestHostsWrittenBeforeSIRETsGetTheirSIRET: at start-up, placements and
// conventions whose host was written "siret-…" or "SIRET 812 345 …" are
// counted by the SIRET's 14 digits; a host written as a name stays.
func TestHostsWrittenBeforeSIRETsGetTheirSIRET(t *testing.T) {
	env := testenv.Get(t)
	database := env.Database(t)
	ctx := context.Background()
	for _, d := range []struct {
		col string
		doc bson.D
	}{
		{"opportunities", bson.D{{Key: "_id", Value: "opp_1"}, {Key: "kind", Value: "pmsmp"}, {Key: "pmsmp", Value: bson.D{{Key: "hostId", Value: "siret-81234567800013"}, {Key: "objective", Value: "discover"}}}}},
		{"opportunities", bson.D{{Key: "_id", Value: "opp_2"}, {Key: "kind", Value: "pmsmp"}, {Key: "pmsmp", Value: bson.D{{Key: "hostId", Value: "Ferme des Monts"}, {Key: "objective", Value: "discover"}}}}},
		{"pmsmp_conventions", bson.D{{Key: "_id", Value: "pmc_1"}, {Key: "hostId", Value: "SIRET 812 345 678 00013"}, {Key: "slot", Value: "s1"}}},
	} {
		if _, err := database.Collection(d.col).InsertOne(ctx, d.doc); err != nil {
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
	host := func(col, id string) string {
		var doc struct {
			HostID string `bson:"hostId"`
			PMSMP  struct {
				HostID string `bson:"hostId"`
			} `bson:"pmsmp"`
		}
		if err := database.Collection(col).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if col == "opportunities" {
			return doc.PMSMP.HostID
		}
		return doc.HostID
	}
	for _, c := range []struct{ col, id, want string }{
		{"opportunities", "opp_1", "81234567800013"},
		{"opportunities", "opp_2", "Ferme des Monts"},
		{"pmsmp_conventions", "pmc_1", "81234567800013"},
	} {
		if got := host(c.col, c.id); got != c.want {
			t.Errorf("%s %s: host %q, want %q", c.col, c.id, got, c.want)
		}
	}
}
