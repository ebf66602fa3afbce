package matching_test

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/matching"
)

type benchPool struct {
	seekers  []matching.Seeker
	openings []matching.Opening
}

var (
	benchPoolsMu sync.Mutex
	benchPools   = map[int]*benchPool{}
)

// poolOf builds (once per size) an n × n job pool with the realistic shape
// of makePool.
func poolOf(n int) *benchPool {
	benchPoolsMu.Lock()
	defer benchPoolsMu.Unlock()
	if p, ok := benchPools[n]; ok {
		return p
	}
	s, o := makePool(2026, poolShape{seekers: n, openings: n, kind: matching.KindJob}, testNow)
	p := &benchPool{s, o}
	benchPools[n] = p
	return p
}

// cpuTime is the process's user and system CPU time so far: on a shared
// machine it says more than the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchSizes are the pool sizes benchmarked: 10k, and 100k when
// MATCHING_BENCH_LARGE is set (a 100k run takes minutes and, with per-arc
// evaluations, over 3 GB).
func benchSizes() []int {
	if os.Getenv("MATCHING_BENCH_LARGE") != "" {
		return []int{10_000, 100_000}
	}
	return []int{10_000}
}

// parallel runs fn(i) for i in [0, n) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				lo := next
				next += 256
				mu.Unlock()
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+256, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkSuggestions computes the top 20 openings of every seeker of an
// n × n pool: one op is the whole pool. Reported: pairs scored per op, the
// fraction of all pairs that is, and the index build time.
func BenchmarkSuggestions(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("%dx%d", n, n), func(b *testing.B) {
			p := poolOf(n)
			e := newEngine(b)
			b.ReportAllocs()
			b.ResetTimer()
			var scored int64
			var build time.Duration
			c0 := cpuTime()
			for range b.N {
				t0 := time.Now()
				ix := e.NewIndex(p.openings)
				build += time.Since(t0)
				parallel(len(p.seekers), func(i int) { ix.TopOpenings(&p.seekers[i], 20, testNow) })
				scored += ix.PairsScored()
			}
			b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
			perOp := float64(scored) / float64(b.N)
			b.ReportMetric(perOp, "pairs-scored/op")
			b.ReportMetric(perOp/float64(n*n), "fraction-scored")
			b.ReportMetric(build.Seconds()/float64(b.N), "index-s/op")
		})
	}
}

// BenchmarkTopSeekers computes the top 20 seekers of every opening.
func BenchmarkTopSeekers(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("%dx%d", n, n), func(b *testing.B) {
			p := poolOf(n)
			e := newEngine(b)
			b.ReportAllocs()
			b.ResetTimer()
			var scored int64
			c0 := cpuTime()
			defer func() { b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op") }()
			for range b.N {
				ix := e.NewSeekerIndex(p.seekers)
				parallel(len(p.openings), func(i int) { ix.TopSeekers(&p.openings[i], 20, testNow) })
				scored += ix.PairsScored()
			}
			perOp := float64(scored) / float64(b.N)
			b.ReportMetric(perOp, "pairs-scored/op")
			b.ReportMetric(perOp/float64(n*n), "fraction-scored")
		})
	}
}

// BenchmarkBatchPipeline runs a whole batch on an n × n pool: index, score,
// build the Problem (with per-arc evaluations, or without), Solve. With
// MATCHING_DIMACS_OUT set, the 100k instance is written there in DIMACS for
// timing an independent solver on it.
func BenchmarkBatchPipeline(b *testing.B) {
	for _, n := range benchSizes() {
		for _, skip := range []bool{false, true} {
			name := fmt.Sprintf("%dx%d/evaluations", n, n)
			if skip {
				name = fmt.Sprintf("%dx%d/arcs-only", n, n)
			}
			b.Run(name, func(b *testing.B) {
				p := poolOf(n)
				e := newEngine(b)
				b.ReportAllocs()
				b.ResetTimer()
				var build, solve, buildCPU, solveCPU time.Duration
				var arcs int
				var objective int64
				var prob *matching.Problem
				for range b.N {
					t0, c0 := time.Now(), cpuTime()
					pr, _, err := e.BuildProblemWith(p.seekers, p.openings, 0, testNow, matching.BatchOptions{SkipEvaluations: skip})
					if err != nil {
						b.Fatal(err)
					}
					t1, c1 := time.Now(), cpuTime()
					sol, err := matching.Solve(pr)
					if err != nil {
						b.Fatal(err)
					}
					build += t1.Sub(t0)
					solve += time.Since(t1)
					buildCPU += c1 - c0
					solveCPU += cpuTime() - c1
					arcs, prob, objective = len(pr.Arcs), pr, sol.Objective
				}
				b.ReportMetric(build.Seconds()/float64(b.N), "build-s/op")
				b.ReportMetric(solve.Seconds()/float64(b.N), "solve-s/op")
				b.ReportMetric(buildCPU.Seconds()/float64(b.N), "build-cpu-s/op")
				b.ReportMetric(solveCPU.Seconds()/float64(b.N), "solve-cpu-s/op")
				b.ReportMetric(float64(objective), "objective")
				b.ReportMetric(float64(arcs), "arcs")
				if out := os.Getenv("MATCHING_DIMACS_OUT"); out != "" && n == 100_000 && skip {
					b.StopTimer()
					writeDIMACSFile(b, out, prob)
				}
			})
		}
	}
}

func writeDIMACSFile(b *testing.B, name string, p *matching.Problem) {
	b.Helper()
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := matching.WriteDIMACS(w, p); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
