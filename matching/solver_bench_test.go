package matching

import (
	"bytes"
	"fmt"
	"testing"
)

// benchShapes are the batches of BENCHMARKS.md's tables: n seekers, n
// openings, 30 candidate arcs per seeker; "capacities 1-5" is the target
// shape, the others stress scarce places, plateaus of equal scores and a few
// openings everyone wants. The dense shape has its own sizes (denseShape).
var benchShapes = []struct {
	name string
	opt  GenerateOptions
}{
	{"capacities 1-5", GenerateOptions{ArcsPerSeeker: 30, CapacityMin: 1, CapacityMax: 5}},
	{"scarce capacities 0-1", GenerateOptions{ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 1}},
	{"three score levels, capacities 0-2", GenerateOptions{ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 2, ScoreLevels: 3}},
	{"10 popular openings, capacities 0-50", GenerateOptions{ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 50, Popular: 10}},
}

// denseShape is BENCHMARKS.md's dense small batch: n seekers, n/2
// openings, n/4 candidate arcs per seeker, capacities 0-2.
func denseShape(n int) GenerateOptions {
	return GenerateOptions{Seekers: n, Openings: n / 2, ArcsPerSeeker: n / 4, CapacityMin: 0, CapacityMax: 2}
}

// BenchmarkSolve solves each shape of BENCHMARKS.md at its sizes (10k, 60k
// and 100k seekers; dense: 1k, 2k, 4k), from the generated problem.
func BenchmarkSolve(b *testing.B) {
	bench := func(name string, n int, opt GenerateOptions) {
		if testing.Short() && n > 10000 {
			return
		}
		p := GenerateProblem(1, opt)
		b.Run(fmt.Sprintf("%s/seekers=%d", name, n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Solve(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, sh := range benchShapes {
		for _, n := range []int{10000, 60000, 100000} {
			opt := sh.opt
			opt.Seekers, opt.Openings = n, n
			bench(sh.name, n, opt)
		}
	}
	for _, n := range []int{1000, 2000, 4000} {
		bench("dense small, capacities 0-2", n, denseShape(n))
	}
}

// BenchmarkReadDIMACS parses the table's files (3M arc lines at 100k).
func BenchmarkReadDIMACS(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		var file bytes.Buffer
		if err := WriteDIMACS(&file, GenerateProblem(1, GenerateOptions{Seekers: n, Openings: n, ArcsPerSeeker: 30, CapacityMin: 1, CapacityMax: 5})); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("seekers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(file.Len()))
			for b.Loop() {
				if _, err := ReadDIMACS(bytes.NewReader(file.Bytes())); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
