package workers_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/batches"
)

// BenchmarkBatch runs one job batch end to end on the test stores (embedded
// FerretDB unless MONGODB_URI is set): load the seekers and openings,
// build the candidate pairs, solve, write the proposals. The population is
// PARCOURS_BENCH_SEEKERS × PARCOURS_BENCH_OPENINGS (default 10000 × 10000),
// seeded once before the timer starts. Each phase is reported in ms/op.
//
//	go test -run '^$' -bench BenchmarkBatch -benchtime 1x -timeout 60m ./workers/
func BenchmarkBatch(b *testing.B) {
	n, m := envInt(b, "PARCOURS_BENCH_SEEKERS", 10000), envInt(b, "PARCOURS_BENCH_OPENINGS", 10000)
	b.Run(fmt.Sprintf("%dx%d", n, m), func(b *testing.B) {
		db := openDB(b)
		const org = "org-bench"
		start := time.Now()
		seed(b, db, org, n, m, 42)
		b.Logf("seeded %d beneficiaries and %d offers in %v", n, m, time.Since(start).Round(time.Millisecond))
		r := runner(db, db)
		r.ProgressEvery = 500
		b.ReportAllocs()
		b.ResetTimer()
		var sum batches.Durations
		for i := 0; i < b.N; i++ {
			bt := newBatch(b, db, org)
			if err := r.Run(context.Background(), bt.ID); err != nil {
				b.Fatal(err)
			}
			done, err := db.BatchByID(context.Background(), bt.ID)
			if err != nil {
				b.Fatal(err)
			}
			d := done.Durations
			sum.LoadMs += d.LoadMs
			sum.BuildMs += d.BuildMs
			sum.SolveMs += d.SolveMs
			sum.WriteMs += d.WriteMs
			sum.TotalMs += d.TotalMs
			b.Logf("batch %d: %d seekers, %d openings, %d candidate pairs, %d assigned, objective %d; load %d ms, build %d ms, solve %d ms, write %d ms, total %d ms",
				i, done.Counts.Seekers, done.Counts.Openings, done.Counts.Candidates, done.Counts.Assigned, done.Objective,
				d.LoadMs, d.BuildMs, d.SolveMs, d.WriteMs, d.TotalMs)
		}
		per := func(v int64) float64 { return float64(v) / float64(b.N) }
		b.ReportMetric(per(sum.LoadMs), "load-ms/op")
		b.ReportMetric(per(sum.BuildMs), "build-ms/op")
		b.ReportMetric(per(sum.SolveMs), "solve-ms/op")
		b.ReportMetric(per(sum.WriteMs), "write-ms/op")
	})
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive whole number", name, v)
	}
	return n
}
