package devstack_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/internal/devstack"
)

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// startMongo starts an embedded store in dir and closes it at cleanup.
func startMongo(t testing.TB, dir string) *devstack.Mongo {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, err := devstack.StartMongo(ctx, dir, quietLogger())
	if err != nil {
		t.Fatalf("StartMongo: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return m
}

// connect opens a client on uri, disconnected at cleanup.
func connect(t testing.TB, uri string) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetMaxPoolSize(100))
	if err != nil {
		t.Fatalf("connect %s: %v", uri, err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c
}

// guardedIncrements runs n concurrent updateOne({_id, used: {$lt: limit}},
// {$inc: {used: 1}}) on a fresh document and returns how many reported a
// modification and the final value of used.
func guardedIncrements(t testing.TB, coll *mongo.Collection, id string, n, limit int) (modified, final int) {
	t.Helper()
	ctx := context.Background()
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "used", Value: 0}}); err != nil {
		t.Fatalf("insert %s: %v", id, err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		errs  []error
		start = make(chan struct{})
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := coll.UpdateOne(ctx,
				bson.D{{Key: "_id", Value: id}, {Key: "used", Value: bson.D{{Key: "$lt", Value: limit}}}},
				bson.D{{Key: "$inc", Value: bson.D{{Key: "used", Value: 1}}}})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			modified += int(res.ModifiedCount)
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d updates failed, first: %v", len(errs), errs[0])
	}
	var doc struct {
		Used int `bson:"used"`
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
		t.Fatalf("find %s: %v", id, err)
	}
	return modified, doc.Used
}

func TestGuardedIncrementsAreAtomicThroughTheProxy(t *testing.T) {
	m := startMongo(t, t.TempDir())
	coll := connect(t, m.URI()).Database("devstack").Collection("quota")

	type outcome struct{ Modified, Final int }
	want := outcome{Modified: 3, Final: 3}
	// Several rounds: one lucky interleaving must not hide a lost update.
	for _, id := range []string{"quota-1", "quota-2", "quota-3", "quota-4", "quota-5"} {
		modified, final := guardedIncrements(t, coll, id, 50, 3)
		if diff := cmp.Diff(want, outcome{modified, final}); diff != "" {
			t.Errorf("50 concurrent guarded increments of %s, limit 3 (-want +got):\n%s", id, diff)
		}
	}
}

func TestDataSurvivesARestartOnTheSameDir(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	type opening struct {
		ID        string `bson:"_id"`
		Rome      string `bson:"rome"`
		Positions int    `bson:"positions"`
	}
	want := opening{ID: "o-1", Rome: "H2913", Positions: 2}

	first, err := devstack.StartMongo(ctx, dir, quietLogger())
	if err != nil {
		t.Fatalf("first StartMongo: %v", err)
	}
	c := connect(t, first.URI())
	if _, err := c.Database("devstack").Collection("openings").InsertOne(ctx, want); err != nil {
		t.Fatalf("insert: %v", err)
	}
	_ = c.Disconnect(ctx)
	if err := first.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}

	second := startMongo(t, dir)
	var got opening
	err = connect(t, second.URI()).Database("devstack").Collection("openings").
		FindOne(ctx, bson.D{{Key: "_id", Value: "o-1"}}).Decode(&got)
	if err != nil {
		t.Fatalf("find after restart: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("document after restart (-want +got):\n%s", diff)
	}
}

func TestMessagesLargerThanTheProxyBufferRoundTrip(t *testing.T) {
	m := startMongo(t, t.TempDir())
	coll := connect(t, m.URI()).Database("devstack").Collection("notes")
	ctx := context.Background()

	// 1 MiB documents: requests and replies are streamed in several chunks.
	docs := []any{
		bson.D{{Key: "_id", Value: 1}, {Key: "text", Value: strings.Repeat("a", 1<<20)}},
		bson.D{{Key: "_id", Value: 2}, {Key: "text", Value: strings.Repeat("b", 1<<20)}},
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatalf("insert: %v", err)
	}
	cur, err := coll.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		t.Fatalf("find: %v", err)
	}
	var got []struct {
		ID   int    `bson:"_id"`
		Text string `bson:"text"`
	}
	if err := cur.All(ctx, &got); err != nil {
		t.Fatalf("read cursor: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("found %d documents, want 2", len(got))
	}
	for i, want := range []string{strings.Repeat("a", 1<<20), strings.Repeat("b", 1<<20)} {
		if got[i].Text != want {
			t.Errorf("document %d: text of %d bytes differs from the %d bytes written", got[i].ID, len(got[i].Text), len(want))
		}
	}
}

func TestCloseTwiceIsHarmless(t *testing.T) {
	m, err := devstack.StartMongo(context.Background(), t.TempDir(), quietLogger())
	if err != nil {
		t.Fatalf("StartMongo: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestASecondStoreOnTheSameDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	startMongo(t, dir)
	second, err := devstack.StartMongo(context.Background(), dir, quietLogger())
	if err == nil {
		second.Close()
		t.Fatal("second StartMongo on a dir in use succeeded, want an error")
	}
	if !strings.Contains(err.Error(), "in use") {
		t.Errorf("error = %q, want it to say the dir is in use", err)
	}
}
