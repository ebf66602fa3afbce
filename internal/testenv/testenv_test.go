package testenv_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/parcours-emploi/parcours/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestDatabaseIsFreshAndDroppedAfterTheTest(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	var names []string
	for _, sub := range []string{"first", "second"} {
		t.Run(sub, func(t *testing.T) {
			db := env.Database(t)
			names = append(names, db.Name())
			n, err := db.Collection("openings").CountDocuments(ctx, bson.D{})
			if err != nil {
				t.Fatalf("count: %v", err)
			}
			if n != 0 {
				t.Errorf("fresh database holds %d documents, want 0", n)
			}
			if _, err := db.Collection("openings").InsertOne(ctx, bson.D{{Key: "_id", Value: "o-1"}}); err != nil {
				t.Fatalf("insert: %v", err)
			}
		})
	}
	if names[0] == names[1] {
		t.Errorf("two tests got the same database %q", names[0])
	}
	all, err := env.Client().ListDatabaseNames(ctx, bson.D{})
	if err != nil {
		t.Fatalf("list databases: %v", err)
	}
	for _, name := range names {
		if slices.Contains(all, name) {
			t.Errorf("database %s still exists after its test", name)
		}
	}
}

func TestRedisOptAndRedisURLNameTheSameDatabase(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	o := env.RedisOpt(t)
	t.Logf("redis database %d at %s", o.DB, o.Addr)
	if o.Addr != env.RedisAddr() {
		t.Errorf("RedisOpt address %q, RedisAddr %q", o.Addr, env.RedisAddr())
	}
	byOpt := redis.NewClient(&redis.Options{Addr: o.Addr, Username: o.Username, Password: o.Password, DB: o.DB})
	defer byOpt.Close()
	urlOpts, err := redis.ParseURL(env.RedisURL())
	if err != nil {
		t.Fatalf("parse RedisURL %q: %v", env.RedisURL(), err)
	}
	byURL := redis.NewClient(urlOpts)
	defer byURL.Close()

	key := env.Prefix(t) + ":probe"
	if err := byOpt.Set(ctx, key, "here", 0).Err(); err != nil {
		t.Fatalf("set: %v", err)
	}
	defer byOpt.Del(ctx, key)
	got, err := byURL.Get(ctx, key).Result()
	if err != nil {
		t.Fatalf("get through RedisURL: %v", err)
	}
	if got != "here" {
		t.Errorf("value through RedisURL = %q, want %q", got, "here")
	}
}

func TestPrefixesDiffer(t *testing.T) {
	env := testenv.Get(t)
	a, b := env.Prefix(t), env.Prefix(t)
	if a == b {
		t.Errorf("two prefixes are both %q", a)
	}
	if diff := cmp.Diff("", strings.Trim(a, "abcdefghijklmnopqrstuvwxyz0123456789_")); diff != "" {
		t.Errorf("prefix %q has characters other than [a-z0-9_] (-want +got):\n%s", a, diff)
	}
}
