package testenv

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/parcours-emploi/parcours/internal/devstack"
)

func TestParsePool(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []int
		wantErr bool
	}{
		{name: "unset: databases 1 to 15", in: "", want: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}},
		{name: "a range", in: "3-5", want: []int{3, 4, 5}},
		{name: "a list with a range", in: "2, 7-8 ,11", want: []int{2, 7, 8, 11}},
		{name: "database 0 holds the claims", in: "0-3", wantErr: true},
		{name: "a reversed range", in: "5-3", wantErr: true},
		{name: "not a number", in: "a", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePool(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parsePool(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parsePool(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestWithDB(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no database in the URL", "redis://127.0.0.1:6379", "redis://127.0.0.1:6379/4"},
		{"database path replaced", "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/4"},
		{"credentials and TLS kept", "rediss://u:p@cache:6380/2", "rediss://u:p@cache:6380/4"},
		{"db query parameter replaced", "redis://127.0.0.1:6379?db=1", "redis://127.0.0.1:6379/4?db=4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := withDB(tt.in, 4); got != tt.want {
				t.Errorf("withDB(%q, 4) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDatabaseNames(t *testing.T) {
	e := &Env{tag: "abc123"}
	tests := []struct {
		name, testName, want string
	}{
		{"test name kept", "TestAccept", "t_abc123_1_TestAccept"},
		{"subtest separators and spaces replaced", "TestAccept/B1 required, A2 held", "t_abc123_2_TestAccept_B1_required_A2_held"},
		{"cut to 63 characters", "TestAVeryLongNameThatGoesOnAndOnAndOnBeyondWhatMongoAccepts", "t_abc123_3_TestAVeryLongNameThatGoesOnAndOnAndOnBeyondWhatMongo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.databaseName(tt.testName)
			if got != tt.want {
				t.Errorf("databaseName(%q) = %q, want %q", tt.testName, got, tt.want)
			}
			if len(got) > 63 {
				t.Errorf("databaseName(%q) has %d characters, more than 63", tt.testName, len(got))
			}
		})
	}
}

// redisServer starts an embedded Redis for the claim tests and returns its URL.
func redisServer(t *testing.T) string {
	t.Helper()
	r, err := devstack.StartRedis(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("StartRedis: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return "redis://" + r.Addr()
}

func TestClaimsAreExclusiveAndFlushTheirDatabase(t *testing.T) {
	ctx := context.Background()
	url := redisServer(t)

	// Leftovers of an earlier run in database 3.
	old := redis.NewClient(&redis.Options{Addr: url[len("redis://"):], DB: 3})
	defer old.Close()
	if err := old.Set(ctx, "stale", "x", 0).Err(); err != nil {
		t.Fatal(err)
	}

	first, err := claimRedisDB(ctx, url, []int{3, 4}, 0)
	if err != nil {
		t.Fatalf("first claim: %v", err)
	}
	second, err := claimRedisDB(ctx, url, []int{3, 4}, 0)
	if err != nil {
		t.Fatalf("second claim: %v", err)
	}
	if diff := cmp.Diff([]int{3, 4}, []int{first.opts.DB, second.opts.DB}); diff != "" {
		t.Errorf("claimed databases (-want +got):\n%s", diff)
	}
	if n, err := old.Exists(ctx, "stale").Result(); err != nil || n != 0 {
		t.Errorf("stale key after claim: exists=%d err=%v, want flushed", n, err)
	}
	if _, err := claimRedisDB(ctx, url, []int{3, 4}, 0); err == nil {
		t.Error("third claim on a pool of two succeeded, want an error")
	}

	// Released, database 3 is free again and flushed.
	if err := old.Set(ctx, "work", "x", 0).Err(); err != nil {
		t.Fatal(err)
	}
	first.release()
	if n, err := old.Exists(ctx, "work").Result(); err != nil || n != 0 {
		t.Errorf("key after release: exists=%d err=%v, want flushed", n, err)
	}
	third, err := claimRedisDB(ctx, url, []int{3, 4}, time.Second)
	if err != nil {
		t.Fatalf("claim after release: %v", err)
	}
	if third.opts.DB != 3 {
		t.Errorf("claim after release got database %d, want 3", third.opts.DB)
	}
	third.release()
	second.release()
}

func TestReleaseLeavesAnotherOwnersClaimAlone(t *testing.T) {
	ctx := context.Background()
	url := redisServer(t)
	c, err := claimRedisDB(ctx, url, []int{5}, 0)
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	// The claim expired and another process took database 5.
	if err := c.admin.Set(ctx, c.key, "another-process", claimTTL).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.db.Set(ctx, "theirs", "x", 0).Err(); err != nil {
		t.Fatal(err)
	}
	check := redis.NewClient(&redis.Options{Addr: url[len("redis://"):]})
	defer check.Close()
	c.release()

	owner, err := check.Get(ctx, claimKeyPrefix+"5").Result()
	if err != nil || owner != "another-process" {
		t.Errorf("claim owner after release = %q (err %v), want another-process", owner, err)
	}
	db5 := redis.NewClient(&redis.Options{Addr: url[len("redis://"):], DB: 5})
	defer db5.Close()
	if n, err := db5.Exists(ctx, "theirs").Result(); err != nil || n != 1 {
		t.Errorf("their key after our release: exists=%d err=%v, want kept", n, err)
	}
}

func TestStartWithRedisURLClaimsADatabaseUntilCleanup(t *testing.T) {
	ctx := context.Background()
	url := redisServer(t)
	getenv := func(k string) string {
		return map[string]string{"REDIS_URL": url, "PARCOURS_TEST_REDIS_DBS": "7-8"}[k]
	}
	env, cleanup, err := start(ctx, getenv, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	admin := redis.NewClient(&redis.Options{Addr: url[len("redis://"):]})
	defer admin.Close()

	o := env.RedisOpt(t)
	if o.DB != 7 {
		t.Errorf("claimed database %d, want 7, the first of the pool", o.DB)
	}
	if got, want := env.RedisURL(), url+"/7"; got != want {
		t.Errorf("RedisURL = %q, want %q", got, want)
	}
	if n, err := admin.Exists(ctx, claimKeyPrefix+"7").Result(); err != nil || n != 1 {
		t.Errorf("claim key while running: exists=%d err=%v, want 1", n, err)
	}
	if ttl, err := admin.PTTL(ctx, claimKeyPrefix+"7").Result(); err != nil || ttl <= 0 {
		t.Errorf("claim key TTL = %v (err %v), want an expiry", ttl, err)
	}
	cleanup()
	if n, err := admin.Exists(ctx, claimKeyPrefix+"7").Result(); err != nil || n != 0 {
		t.Errorf("claim key after cleanup: exists=%d err=%v, want 0", n, err)
	}
}
