package matching

import (
	"fmt"
	"math"
	"runtime"
	"sync"
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
	// to its own slot, so the result does not depend on scheduling.
	perSeeker := make([][]scored, len(seekers))
	var evs [][]Evaluation
	if !opt.SkipEvaluations {
		evs = make([][]Evaluation, len(seekers))
	}
	const chunk = 256
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				lo := next
				next += chunk
				mu.Unlock()
				if lo >= len(seekers) {
					return
				}
				for si := lo; si < min(lo+chunk, len(seekers)); si++ {
					sc := ix.prepSeeker(&seekers[si])
					top := ix.top(&sc, k, now, nil)
					kept := top[:0]
					for _, t := range top {
						if t.score >= minScore {
							kept = append(kept, t)
						}
					}
					perSeeker[si] = kept
					if evs != nil && len(kept) > 0 {
						row := make([]Evaluation, len(kept))
						for j, t := range kept {
							row[j] = e.evaluateEligible(&sc, &ix.prep[t.id], now)
						}
						evs[si] = row
					}
				}
			}
		}()
	}
	wg.Wait()

	n := 0
	for _, t := range perSeeker {
		n += len(t)
	}
	p := &Problem{Seekers: len(seekers), Capacities: make([]int32, len(openings)), Arcs: make([]Arc, 0, n)}
	for i := range openings {
		p.Capacities[i] = int32(max(0, min(openings[i].Capacity, math.MaxInt32)))
	}
	var out []Evaluation
	if evs != nil {
		out = make([]Evaluation, 0, n)
	}
	for si, top := range perSeeker {
		for _, t := range top {
			p.Arcs = append(p.Arcs, Arc{Seeker: int32(si), Opening: ix.order[t.id], Score: int32(math.Round(t.score * 1000))})
		}
		if evs != nil {
			out = append(out, evs[si]...)
			evs[si] = nil
		}
	}
	return p, out, nil
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
