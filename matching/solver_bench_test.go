package matching

import (
	"bytes"
	"fmt"
	"testing"
)

// benchShapes are the benchmark table's batches: n seekers, n openings, 30
// candidate arcs per seeker; "capacities 1-5" is the table's shape, the
// others stress scarce places and plateaus of equal scores.
var benchShapes = []struct {
	name string
	opt  GenerateOptions
}{
	{"capacities 1-5", GenerateOptions{ArcsPerSeeker: 30, CapacityMin: 1, CapacityMax: 5}},
	{"scarce capacities 0-1", GenerateOptions{ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 1}},
	{"three score levels, capacities 0-2", GenerateOptions{ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 2, ScoreLevels: 3}},
	{"10 popular openings, capacities 0-50", GenerateOptions{ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 50, Popular: 10}},
}

func BenchmarkSolve(b *testing.B) {
	for _, sh := range benchShapes {
		for _, n := range []int{1000, 10000, 100000} {
			if testing.Short() && n > 10000 {
				continue
			}
			opt := sh.opt
			opt.Seekers, opt.Openings = n, n
			p := GenerateProblem(1, opt)
			b.Run(fmt.Sprintf("%s/seekers=%d", sh.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Solve(p); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
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
