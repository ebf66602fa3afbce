package matching

import (
	"math"
	"math/rand"
)

// GenerateOptions shapes a generated batch for GenerateProblem.
type GenerateOptions struct {
	Seekers  int
	Openings int
	// ArcsPerSeeker candidate openings per seeker, all distinct; every
	// opening when there are fewer.
	ArcsPerSeeker int
	// Capacities are drawn uniformly in CapacityMin..CapacityMax.
	CapacityMin, CapacityMax int32
	// Popular openings (the first ones) are among every seeker's
	// candidates, counted in ArcsPerSeeker: a few openings everyone wants.
	Popular int
	// ScoreLevels, when > 0, draws scores from that many evenly spaced values
	// in 0..1000 (2 gives only 0 and 1000): a batch full of ties. When 0,
	// scores look like the engine's: a weighted sum of a few coarse
	// components, rounded to 0..1000, so many pairs share a score.
	ScoreLevels int
}

// GenerateProblem returns a random batch drawn from seed: equal seeds and
// options give equal problems, on every platform and Go version. Arcs come
// seeker by seeker. Negative counts are taken as 0 and inverted capacity
// bounds as CapacityMin.
func GenerateProblem(seed int64, opt GenerateOptions) *Problem {
	rng := rand.New(rand.NewSource(seed))
	nS, nO := max(opt.Seekers, 0), max(opt.Openings, 0)
	lo, hi := max(opt.CapacityMin, 0), opt.CapacityMax
	if hi < lo {
		hi = lo
	}
	p := &Problem{Seekers: nS, Capacities: make([]int32, nO)}
	for o := range p.Capacities {
		p.Capacities[o] = lo + int32(rng.Int63n(int64(hi-lo)+1))
	}
	k := min(max(opt.ArcsPerSeeker, 0), nO)
	if nS == 0 || k == 0 {
		return p
	}
	p.Arcs = make([]Arc, 0, nS*k)
	picked := make([]int32, 0, k)
	popular := min(max(opt.Popular, 0), k)
	for s := 0; s < nS; s++ {
		picked = picked[:0]
		for o := 0; o < popular; o++ {
			picked = append(picked, int32(o))
		}
		if popular > 0 {
			for len(picked) < k {
				o := int32(popular + rng.Intn(nO-popular))
				if !containsInt32(picked, o) {
					picked = append(picked, o)
				}
			}
		} else if 2*k > nO {
			// Dense: a random subset of all openings.
			for _, o := range rng.Perm(nO)[:k] {
				picked = append(picked, int32(o))
			}
		} else {
			for len(picked) < k {
				o := int32(rng.Intn(nO))
				if !containsInt32(picked, o) {
					picked = append(picked, o)
				}
			}
		}
		for _, o := range picked {
			p.Arcs = append(p.Arcs, Arc{Seeker: int32(s), Opening: o, Score: generatedScore(rng, opt.ScoreLevels)})
		}
	}
	return p
}

// generatedScore draws one score in 0..1000.
func generatedScore(rng *rand.Rand, levels int) int32 {
	if levels == 1 {
		return 1000
	}
	if levels > 1 {
		return int32(rng.Intn(levels) * 1000 / (levels - 1))
	}
	// ROME proximity (5 steps), skills overlap (6), French margin (3),
	// distance (5), availability fit (3), with the engine's kind of weights.
	v := 0.35*float64(rng.Intn(5))/4 +
		0.25*float64(rng.Intn(6))/5 +
		0.15*float64(rng.Intn(3))/2 +
		0.15*float64(rng.Intn(5))/4 +
		0.10*float64(rng.Intn(3))/2
	return int32(math.Round(v * 1000))
}

func containsInt32(xs []int32, x int32) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
