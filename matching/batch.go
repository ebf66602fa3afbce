package matching

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultBatchCandidates is how many candidate openings per seeker a batch
// keeps by default.
const DefaultBatchCandidates = 30

// BatchOptions tune BuildProblemWith.
type BatchOptions struct {
	// Candidates is how many of each seeker's best eligible openings become
	// arcs (0: DefaultBatchCandidates; < 0: all eligible openings found).
	Candidates int
	// Workers is how many goroutines score seekers (0: GOMAXPROCS).
	Workers int
	// SkipEvaluations leaves the per-arc evaluations out, for callers that
	// re-evaluate only the assigned pairs (Engine.Evaluate) to save memory.
	SkipEvaluations bool
}

// BuildProblem builds the batch assignment problem of seekers and openings
// of one kind: one arc per eligible pair found through the index whose
// score reaches minScore, keeping each seeker's DefaultBatchCandidates best;
// capacities are the openings' capacity left. Arc scores are round(score ×
// 1000). It returns the evaluation of each arc, in arc order (seekers in
// order, each seeker's arcs best first). It is an error for openings to mix
// kinds, for IDs to repeat, or for minScore to fall outside [0, 1].
func (e *Engine) BuildProblem(seekers []Seeker, openings []Opening, minScore float64, now time.Time) (*Problem, []Evaluation, error) {
	return e.BuildProblemWith(seekers, openings, minScore, now, BatchOptions{})
}

// BuildProblemWith is BuildProblem with options.
func (e *Engine) BuildProblemWith(seekers []Seeker, openings []Opening, minScore float64, now time.Time, opt BatchOptions) (*Problem, []Evaluation, error) {
	if math.IsNaN(minScore) || minScore < 0 || minScore > 1 {
		return nil, nil, fmt.Errorf("build batch: minimum score %v is outside [0, 1]", minScore)
	}
	if err := checkBatchInput(seekers, openings); err != nil {
		return nil, nil, fmt.Errorf("build batch: %w", err)
	}
	k := opt.Candidates
	switch {
	case k == 0:
		k = DefaultBatchCandidates
	case k < 0:
		k = len(openings)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ix := e.NewIndex(openings)

	// Seekers are scored in chunks by a few workers; each seeker's arcs go
	// to its own slot, so the result does not depend on scheduling nor on
	// order. They are taken by place and trade, so that queries one after
	// the other read the same buckets and openings, still in cache.
	perSeeker := make([][]scored, len(seekers))
	order := nearbyFirst(seekers)
	inChunks(len(seekers), workers, func(i int) {
		si := order[i]
		sc := ix.prepSeeker(&seekers[si])
		top := ix.top(&sc, k, now, nil)
		kept := top[:0]
		for _, t := range top {
			if t.score >= minScore {
				kept = append(kept, t)
			}
		}
		perSeeker[si] = slices.Clip(kept)
	})

	first := make([]int, len(seekers)+1) // seeker si's arcs are [first[si], first[si+1])
	for si, t := range perSeeker {
		first[si+1] = first[si] + len(t)
	}
	n := first[len(seekers)]
	p := &Problem{Seekers: len(seekers), Capacities: make([]int32, len(openings)), Arcs: make([]Arc, 0, n)}
	for i := range openings {
		p.Capacities[i] = int32(max(0, min(openings[i].Capacity, math.MaxInt32)))
	}
	for si, top := range perSeeker {
		for _, t := range top {
			p.Arcs = append(p.Arcs, Arc{Seeker: int32(si), Opening: ix.order[t.id], Score: int32(math.Round(t.score * 1000))})
		}
	}
	if opt.SkipEvaluations {
		return p, nil, nil
	}

	// Evaluations are written in place, in arc order.
	out := make([]Evaluation, n)
	inChunks(len(seekers), workers, func(i int) {
		si := order[i]
		if len(perSeeker[si]) == 0 {
			return
		}
		sc := ix.prepSeeker(&seekers[si])
		size := 0
		for _, t := range perSeeker[si] {
			size += len(componentsOf(ix.prep[t.id].mentor))
		}
		slab := make([]Component, 0, size)
		for j, t := range perSeeker[si] {
			out[first[si]+j] = e.evaluateEligible(&sc, &ix.prep[t.id], now, &slab)
		}
	})
	return p, out, nil
}

// nearbyFirst orders seekers by grid cell (département for those without
// coordinates), then by their first project code.
func nearbyFirst(seekers []Seeker) []int32 {
	return placeOrder(len(seekers), func(i int) (int64, string) {
		s := &seekers[i]
		code := ""
		if len(s.Project) > 0 {
			code = s.Project[0]
		}
		return placeKey(false, s.Place), code
	})
}

// inChunks calls fn(i) for i in [0, n) on workers goroutines, in chunks.
func inChunks(n, workers int, fn func(i int)) {
	const chunk = 256
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
}

func checkBatchInput(seekers []Seeker, openings []Opening) error {
	if len(seekers) > math.MaxInt32 || len(openings) > math.MaxInt32 {
		return fmt.Errorf("batch too large: %d seekers, %d openings", len(seekers), len(openings))
	}
	seen := make(map[string]bool, len(seekers))
	for i := range seekers {
		id := seekers[i].ID
		if seen[id] {
			return fmt.Errorf("seeker ID %q appears twice", id)
		}
		seen[id] = true
	}
	clear(seen)
	for i := range openings {
		o := &openings[i]
		if seen[o.ID] {
			return fmt.Errorf("opening ID %q appears twice", o.ID)
		}
		seen[o.ID] = true
		if o.Kind != openings[0].Kind {
			return fmt.Errorf("openings mix kinds %q and %q: a batch assigns one kind", openings[0].Kind, o.Kind)
		}
	}
	return nil
}
