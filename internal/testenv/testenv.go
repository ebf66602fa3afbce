// Package testenv gives test packages real stores: the MongoDB and Redis
// servers named by MONGODB_URI and REDIS_URL when set, otherwise the embedded
// ones of internal/devstack in a temporary directory.
//
// A test package starts them once, in TestMain:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
//
// and its tests use testenv.Get(t).Database(t) for a fresh MongoDB database.
//
// Redis isolation: each test binary gets a Redis database of its own (with a
// real Redis, a number claimed from a pool, see RedisOpt; with the embedded
// one, a whole server). Tests of one package share it, so tests that run in
// parallel must use distinct queue names or key prefixes, e.g. Prefix(t).
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/internal/devstack"
)

// Env is the set of stores of one test binary.
type Env struct {
	mongoURI string
	client   *mongo.Client
	redis    RedisOptions
	redisURL string

	seq atomic.Int64 // numbers the databases handed out
	tag string       // distinguishes this binary's databases from other processes'
}

// RedisOptions say how to reach the Redis database of this test binary. For
// Asynq: asynq.RedisClientOpt{Addr: o.Addr, Username: o.Username,
// Password: o.Password, DB: o.DB}, or asynq.ParseRedisURI(env.RedisURL()),
// which also carries TLS for a rediss:// URL.
type RedisOptions struct {
	Addr     string // host:port
	Username string
	Password string
	DB       int
}

// current is the Env started by Main.
var current atomic.Pointer[Env]

// Main starts the stores, runs the tests, cleans up and exits; it is meant to
// be the whole TestMain of a test package.
func Main(m *testing.M) {
	env, cleanup, err := Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		os.Exit(1)
	}
	current.Store(env)
	code := m.Run()
	current.Store(nil)
	cleanup()
	os.Exit(code)
}

// Get returns the Env started by Main; the test fails if Main is not the
// package's TestMain.
func Get(t testing.TB) *Env {
	t.Helper()
	env := current.Load()
	if env == nil {
		t.Fatal("testenv: no stores started; the package's TestMain must call testenv.Main")
	}
	return env
}

// Start starts the stores tests use: the servers named by MONGODB_URI and
// REDIS_URL when set, else embedded ones in a temporary directory. With a
// real Redis it claims a database number (see RedisOpt). The returned
// function releases everything; call it once all tests have run.
func Start() (*Env, func(), error) {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	return start(context.Background(), os.Getenv, logger)
}

func start(ctx context.Context, getenv func(string) string, logger *slog.Logger) (_ *Env, _ func(), err error) {
	var cleanups []func()
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()

	env := &Env{tag: randomHex(3)}

	// MongoDB.
	env.mongoURI = getenv("MONGODB_URI")
	if env.mongoURI == "" {
		dir, err := os.MkdirTemp("", "parcours-testenv-")
		if err != nil {
			return nil, nil, fmt.Errorf("create store dir: %w", err)
		}
		cleanups = append(cleanups, func() { os.RemoveAll(dir) })
		m, err := devstack.StartMongo(ctx, dir, logger)
		if err != nil {
			return nil, nil, err
		}
		cleanups = append(cleanups, func() { m.Close() })
		env.mongoURI = m.URI()
	}
	env.client, err = mongo.Connect(options.Client().ApplyURI(env.mongoURI))
	if err != nil {
		return nil, nil, fmt.Errorf("connect to mongodb: %w", err)
	}
	cleanups = append(cleanups, func() { env.client.Disconnect(context.Background()) })
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := env.client.Ping(pingCtx, nil); err != nil {
		return nil, nil, fmt.Errorf("ping mongodb: %w", err)
	}

	// Redis.
	if rawURL := getenv("REDIS_URL"); rawURL != "" {
		pool, err := parsePool(getenv("PARCOURS_TEST_REDIS_DBS"))
		if err != nil {
			return nil, nil, err
		}
		c, err := claimRedisDB(ctx, rawURL, pool, 2*time.Minute)
		if err != nil {
			return nil, nil, err
		}
		cleanups = append(cleanups, c.release)
		env.redis, env.redisURL = c.opts, c.url
	} else {
		r, err := devstack.StartRedis(logger)
		if err != nil {
			return nil, nil, err
		}
		cleanups = append(cleanups, func() { r.Close() })
		env.redis = RedisOptions{Addr: r.Addr()}
		env.redisURL = "redis://" + r.Addr() + "/0"
	}
	return env, cleanup, nil
}

// MongoURI is the connection string of the MongoDB store.
func (e *Env) MongoURI() string { return e.mongoURI }

// Client is a client connected to the MongoDB store, shared by the tests.
func (e *Env) Client() *mongo.Client { return e.client }

// Database returns a database no other test uses, dropped when the test and
// its subtests have finished.
func (e *Env) Database(t testing.TB) *mongo.Database {
	t.Helper()
	db := e.client.Database(e.databaseName(t.Name()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := db.Drop(ctx); err != nil {
			t.Errorf("drop test database %s: %v", db.Name(), err)
		}
	})
	return db
}

var unsafeNameChars = regexp.MustCompile(`[^a-zA-Z0-9_]+`)

// databaseName is t_<tag>_<n>_<test name>, cut to the 63 characters MongoDB
// and FerretDB accept and made of [a-zA-Z0-9_] only.
func (e *Env) databaseName(testName string) string {
	name := fmt.Sprintf("t_%s_%d_%s", e.tag, e.seq.Add(1), unsafeNameChars.ReplaceAllString(testName, "_"))
	if len(name) > 63 {
		name = name[:63]
	}
	return name
}

// Prefix returns a short name unique to this test among all test processes,
// for queue names and Redis keys: tests of one package share a Redis database.
func (e *Env) Prefix(t testing.TB) string {
	t.Helper()
	return fmt.Sprintf("t%s_%d", e.tag, e.seq.Add(1))
}

// RedisAddr is the host:port of the Redis server.
func (e *Env) RedisAddr() string { return e.redis.Addr }

// RedisURL is a redis:// (or rediss://) URL naming this binary's database.
func (e *Env) RedisURL() string { return e.redisURL }

// RedisOpt says how to reach this test binary's Redis database. With the
// embedded server it is database 0 of a server of its own. With a real Redis
// (REDIS_URL) the database number is claimed at Start from a pool, 1 to 15
// unless PARCOURS_TEST_REDIS_DBS says otherwise ("3-9" or "3,5,7"): the claim
// is a key parcours:test:db:N in database 0, set if absent with an expiry
// that is renewed while the binary runs; the database is flushed when
// claimed and when released. Test packages running in parallel processes
// thus never share a database.
func (e *Env) RedisOpt(t testing.TB) RedisOptions {
	t.Helper()
	return e.redis
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails, see crypto/rand.Read
	return hex.EncodeToString(b)
}
