package devstack_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/internal/devstack"
)

// go test -run '^$' -bench . -benchtime 2000x ./internal/devstack/

func BenchmarkStartMongo(b *testing.B) {
	b.Run("empty dir", func(b *testing.B) {
		root := b.TempDir()
		i := 0
		for b.Loop() {
			i++
			m, err := devstack.StartMongo(context.Background(), filepath.Join(root, fmt.Sprint(i)), quietLogger())
			if err != nil {
				b.Fatal(err)
			}
			m.Close()
		}
	})
	b.Run("restart with data", func(b *testing.B) {
		dir := b.TempDir()
		m := startMongo(b, dir)
		c := connect(b, m.URI())
		for i := range 100 {
			if _, err := c.Database("devstack").Collection("openings").InsertOne(context.Background(), bson.D{{Key: "_id", Value: i}}); err != nil {
				b.Fatal(err)
			}
		}
		_ = c.Disconnect(context.Background())
		m.Close()
		for b.Loop() {
			m, err := devstack.StartMongo(context.Background(), dir, quietLogger())
			if err != nil {
				b.Fatal(err)
			}
			m.Close()
		}
	})
	// Start, connect, find a document written before the restart, close: the
	// time before dev can serve.
	b.Run("restart to first read", func(b *testing.B) {
		dir := b.TempDir()
		m := startMongo(b, dir)
		c := connect(b, m.URI())
		if _, err := c.Database("devstack").Collection("openings").InsertOne(context.Background(), bson.D{{Key: "_id", Value: 1}}); err != nil {
			b.Fatal(err)
		}
		_ = c.Disconnect(context.Background())
		m.Close()
		for b.Loop() {
			ctx := context.Background()
			m, err := devstack.StartMongo(ctx, dir, quietLogger())
			if err != nil {
				b.Fatal(err)
			}
			c, err := mongo.Connect(options.Client().ApplyURI(m.URI()))
			if err != nil {
				b.Fatal(err)
			}
			if err := c.Database("devstack").Collection("openings").FindOne(ctx, bson.D{{Key: "_id", Value: 1}}).Err(); err != nil {
				b.Fatal(err)
			}
			_ = c.Disconnect(ctx)
			m.Close()
		}
	})
}

// runs numbers benchmark runs: a benchmark function that does not use b.Loop
// runs several times, each run gets collections of its own.
var runs atomic.Int64

// routes are the two ways to the same store: through the proxy, and straight
// to FerretDB.
func routes(b *testing.B) []struct{ name, uri string } {
	b.Helper()
	m := startMongo(b, b.TempDir())
	return []struct{ name, uri string }{
		{"proxy", m.URI()},
		{"direct", devstack.DirectURI(m)},
	}
}

func BenchmarkInsertOne(b *testing.B) {
	for _, r := range routes(b) {
		b.Run(r.name, func(b *testing.B) {
			coll := connect(b, r.uri).Database("bench").Collection(fmt.Sprint("insert_", r.name, runs.Add(1)))
			var n atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					doc := bson.D{{Key: "_id", Value: n.Add(1)}, {Key: "rome", Value: "G1602"}, {Key: "positions", Value: 2}}
					if _, err := coll.InsertOne(context.Background(), doc); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func BenchmarkFindOne(b *testing.B) {
	const docs = 200
	for _, r := range routes(b) {
		b.Run(r.name, func(b *testing.B) {
			coll := connect(b, r.uri).Database("bench").Collection(fmt.Sprint("find_", r.name, runs.Add(1)))
			for i := range docs {
				if _, err := coll.InsertOne(context.Background(), bson.D{{Key: "_id", Value: i}, {Key: "rome", Value: "G1602"}}); err != nil {
					b.Fatal(err)
				}
			}
			var n atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					id := n.Add(1) % docs
					if err := coll.FindOne(context.Background(), bson.D{{Key: "_id", Value: id}}).Err(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkGuardedIncrements runs 50 concurrent guarded increments (limit 3)
// per iteration and reports how many reported a modification and the final
// value: 3 and 3 through the proxy; straight to FerretDB they drift above.
func BenchmarkGuardedIncrements(b *testing.B) {
	for _, r := range routes(b) {
		b.Run(r.name, func(b *testing.B) {
			coll := connect(b, r.uri).Database("bench").Collection(fmt.Sprint("quota_", r.name, runs.Add(1)))
			var modified, final, wrong, i int
			for b.Loop() {
				i++
				mod, fin := guardedIncrements(b, coll, fmt.Sprint("q", i), 50, 3)
				modified += mod
				final += fin
				if mod != 3 || fin != 3 {
					wrong++
				}
			}
			b.ReportMetric(float64(modified)/float64(i), "modified/op")
			b.ReportMetric(float64(final)/float64(i), "final/op")
			b.ReportMetric(float64(wrong)/float64(i), "wrong/op")
		})
	}
}

// BenchmarkPing measures the proxy's own cost: ping does no storage work.
func BenchmarkPing(b *testing.B) {
	for _, r := range routes(b) {
		b.Run(r.name, func(b *testing.B) {
			db := connect(b, r.uri).Database("admin")
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := db.RunCommand(context.Background(), bson.D{{Key: "ping", Value: 1}}).Err(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
