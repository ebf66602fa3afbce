package matching

import (
	"fmt"
	"testing"
)

// BenchmarkSolve solves generated batches of the benchmark table's shape:
// n seekers, n openings, 30 candidate arcs per seeker, capacities 1-5.
func BenchmarkSolve(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		p := GenerateProblem(1, GenerateOptions{Seekers: n, Openings: n, ArcsPerSeeker: 30, CapacityMin: 1, CapacityMax: 5})
		b.Run(fmt.Sprintf("seekers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Solve(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSolveTight is the same shape with scarce places (capacities 0-1),
// where most entries displace other seekers.
func BenchmarkSolveTight(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		p := GenerateProblem(1, GenerateOptions{Seekers: n, Openings: n, ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 1})
		b.Run(fmt.Sprintf("seekers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Solve(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
