package matching

import (
	"errors"
	"fmt"
	"math"
)

// Arc is one candidate pair of a batch: seeker index, opening index, integer
// score >= 0 (round(score*1000)).
type Arc struct {
	Seeker, Opening int32
	Score           int32
}

// Problem is one batch: Seekers seekers (0..Seekers-1), openings
// 0..len(Capacities)-1 with their capacities (>= 0), and the candidate arcs.
//
// A minimum score is applied by the caller, by leaving out the arcs below it.
// Two arcs for the same pair are allowed; the better one is the only one that
// can ever be used.
type Problem struct {
	Seekers    int
	Capacities []int32
	Arcs       []Arc
}

// Solution is the optimum of a Problem: Objective is the maximum total score,
// Assigned[s] is the opening given to seeker s, or -1.
type Solution struct {
	Objective int64
	Assigned  []int32
}

// maxSolverSize bounds the number of nodes (seekers plus openings) and arcs,
// so that every index fits the solver's int32 arrays.
const maxSolverSize = 1<<31 - 2

// Validate reports the first reason the problem cannot be solved: negative
// counts or capacities, arcs naming a seeker or an opening that does not
// exist, negative scores.
func (p *Problem) Validate() error {
	if p == nil {
		return errors.New("the problem is missing")
	}
	if p.Seekers < 0 {
		return fmt.Errorf("the number of seekers is negative (%d)", p.Seekers)
	}
	if p.Seekers > maxSolverSize-len(p.Capacities) || len(p.Capacities) > maxSolverSize || len(p.Arcs) > maxSolverSize {
		return errors.New("the problem is too large for the solver")
	}
	for o, c := range p.Capacities {
		if c < 0 {
			return fmt.Errorf("opening %d has a negative capacity (%d)", o, c)
		}
	}
	for i, a := range p.Arcs {
		switch {
		case a.Seeker < 0 || int(a.Seeker) >= p.Seekers:
			return fmt.Errorf("arc %d names seeker %d, outside 0..%d", i, a.Seeker, p.Seekers-1)
		case a.Opening < 0 || int(a.Opening) >= len(p.Capacities):
			return fmt.Errorf("arc %d names opening %d, outside 0..%d", i, a.Opening, len(p.Capacities)-1)
		case a.Score < 0:
			return fmt.Errorf("arc %d (seeker %d, opening %d) has a negative score (%d)", i, a.Seeker, a.Opening, a.Score)
		}
	}
	return nil
}

// Solve returns an assignment of seekers to openings that maximises the total
// score: each seeker gets at most one opening, each opening at most its
// capacity, only along the problem's arcs. The optimum is exact. Equal
// problems (same arcs in the same order) give equal solutions. An invalid
// problem returns an error, see Validate.
//
// It is the min-cost flow of design.md, solved by successive shortest paths
// (Dijkstra on reduced costs, potentials kept valid throughout) with two
// ways of choosing the paths: seekers enter one at a time in index order,
// each entry augmenting along one shortest path; or primal-dual phases
// route all pending seekers together, one search per phase. A path ends at
// an opening with room left, or at a seeker who gives up its opening (or
// stays unassigned), which is the design's source-to-sink arc. Where places
// are scarce it is solved by cost scaling instead (solver_scaling.go). See
// solve for how the strategy is chosen. Arcs with score 0, or to an opening
// of capacity 0, can never be used and are left out.
func Solve(p *Problem) (Solution, error) {
	if err := p.Validate(); err != nil {
		return Solution{}, fmt.Errorf("solve: %w", err)
	}
	return solve(p, solveBudget(p)), nil
}

// solveBudget is the work the first strategy may spend: a few passes over
// the graph.
func solveBudget(p *Problem) int64 {
	return budgetPasses*(2*int64(len(p.Arcs))+int64(p.Seekers)+int64(len(p.Capacities))) + 1<<16
}

var budgetPasses int64 = 4

// plateauScores is the number of distinct positive scores up to which a
// batch counts as made of plateaus of ties: phases serve many seekers per
// search only where many paths have equal length.
const plateauScores = 16

// solve solves a valid problem with three exact strategies that suit
// different batches, with budget the first turn's work (nodes finished plus
// arcs scanned).
//
// Where places are plentiful, or the batch is made of plateaus of ties,
// seekers enter one by one in index order (fastest while each search stays
// small) and primal-dual phases route all pending seekers together (far
// better on plateaus): they take turns, entering first, each turn's budget
// four times the last (on plateaus the first turn has a quarter of it, so
// phases start sooner). Both keep the flow optimal for the seekers routed
// so far, so each continues where the other stopped and no work is thrown
// away.
//
// Where places are scarce (fewer than the seekers who have candidates),
// searches grow long once the places are taken: after entering for a
// quarter of the budget, cost scaling (solver_scaling.go) starts again
// from nothing and routes everyone.
//
// Nothing but the problem decides, so equal problems give equal solutions.
// A negative budget routes by phases only.
func solve(p *Problem, budget int64) Solution {
	sv := newSolver(p)
	if budget < 0 {
		sv.budget = math.MaxInt64
		sv.solvePhases()
		return sv.solution()
	}
	next := int32(0) // seekers before next have been entered or routed
	few := sv.fewScores()
	if !few && sv.scarce() && sv.scalingFits() {
		sv.budget = budget / 4
		if sv.enterFrom(&next) {
			return sv.solution()
		}
		sv.reset()
		sv.solveScaling()
		return sv.solution()
	}
	if few {
		budget /= 4 // plateaus: phases sooner
	}
	for turn := 0; ; turn++ {
		sv.budget = budget
		if turn%2 == 0 && sv.enterFrom(&next) || turn%2 == 1 && sv.solvePhases() {
			return sv.solution()
		}
		if budget < math.MaxInt64/8 {
			budget = 4*budget + 1
		}
	}
}

// scarce reports whether the places seekers can reach (each opening's
// capacity, up to its number of candidates) are fewer than the seekers who
// have candidates.
func (sv *solver) scarce() bool {
	in := make([]int32, sv.nO)
	for _, o := range sv.open {
		in[o]++
	}
	var places, seekers int64
	for o, n := range in {
		places += int64(min(n, sv.capacity[o]))
	}
	for s := int32(0); s < sv.nS; s++ {
		if sv.first[s] < sv.first[s+1] {
			seekers++
		}
	}
	return places < seekers
}

// fewScores reports whether the arcs carry at most plateauScores distinct
// scores.
func (sv *solver) fewScores() bool {
	var seen [plateauScores]int32
	n := 0
next:
	for _, w := range sv.score {
		for _, v := range seen[:n] {
			if v == w {
				continue next
			}
		}
		if n == plateauScores {
			return false
		}
		seen[n] = w
		n++
	}
	return true
}

// reset removes every unit of flow and every price.
func (sv *solver) reset() {
	for s := range sv.arcOf {
		sv.arcOf[s] = -1
		sv.state[s] = seekerPending
	}
	for o := range sv.member {
		sv.member[o] = -1
	}
	copy(sv.room, sv.capacity)
	clear(sv.pot)
}

// enterFrom enters the pending seekers from *next on, in index order, until
// all are routed (true) or the budget runs out (false).
func (sv *solver) enterFrom(next *int32) bool {
	for s := *next; s < sv.nS; s++ {
		if sv.state[s] != seekerPending {
			continue
		}
		sv.enter(s)
		if sv.budget < 0 {
			*next = s + 1
			return false
		}
	}
	*next = sv.nS
	return true
}

// solver holds the residual graph of the flow in compact arrays. Nodes are
// numbered seekers first (0..nS-1), then openings (nS..nS+nO-1); the sink is
// implicit.
type solver struct {
	nS, nO int32

	// Seeker s's arcs are first[s]..first[s+1]-1, to opening open[a], with
	// score score[a]. Only arcs with a positive score, to an opening with a
	// positive capacity, are kept.
	first []int32
	open  []int32
	score []int32

	capacity []int32 // per opening, from the problem
	room     []int32 // capacity left per opening
	arcOf    []int32 // arc carrying seeker s's flow, or -1
	member   []int32 // first seeker assigned to opening o, or -1
	next     []int32 // seekers of the same opening, doubly linked
	prev     []int32

	pot []int64 // node potentials; reduced cost c(u,v) + pot[u] - pot[v] >= 0

	// Dijkstra state, valid for a node when seen[v] == round.
	round    int32
	seen     []int32
	done     []int32
	dist     []int64
	fromArc  []int32 // per opening: the arc it was reached by
	heap     distHeap
	finished []int32

	state []uint8 // per seeker: pending, placed or out

	// Phased solver only.
	cur      []int32 // depth-first search position per node
	curRound []int32
	stack    []int32

	budget int64 // work left before the current strategy gives up
}

func newSolver(p *Problem) *solver {
	nS, nO := int32(p.Seekers), int32(len(p.Capacities))
	sv := &solver{nS: nS, nO: nO}

	// Group the positive arcs by seeker, keeping their order.
	sv.first = make([]int32, nS+1)
	kept := 0
	for _, a := range p.Arcs {
		if a.Score > 0 && p.Capacities[a.Opening] > 0 {
			sv.first[a.Seeker+1]++
			kept++
		}
	}
	for s := int32(0); s < nS; s++ {
		sv.first[s+1] += sv.first[s]
	}
	sv.open = make([]int32, kept)
	sv.score = make([]int32, kept)
	fill := make([]int32, nS)
	copy(fill, sv.first[:nS])
	for _, a := range p.Arcs {
		if a.Score > 0 && p.Capacities[a.Opening] > 0 {
			i := fill[a.Seeker]
			fill[a.Seeker]++
			sv.open[i] = a.Opening
			sv.score[i] = a.Score
		}
	}

	n := nS + nO
	sv.capacity = p.Capacities
	sv.room = make([]int32, nO)
	sv.arcOf = make([]int32, nS)
	sv.next = make([]int32, nS)
	sv.prev = make([]int32, nS)
	sv.member = make([]int32, nO)
	sv.pot = make([]int64, n)
	sv.seen = make([]int32, n)
	sv.done = make([]int32, n)
	sv.dist = make([]int64, n)
	sv.fromArc = make([]int32, nO)
	sv.state = make([]uint8, nS)
	copy(sv.room, p.Capacities)
	for s := range sv.arcOf {
		sv.arcOf[s] = -1
	}
	for o := range sv.member {
		sv.member[o] = -1
	}
	return sv
}

// charge counts the work of finishing node v in a search: the node and the
// arcs it scans.
func (sv *solver) charge(v int32) {
	if v < sv.nS {
		sv.budget -= 1 + int64(sv.first[v+1]-sv.first[v])
	} else {
		o := v - sv.nS
		sv.budget -= 1 + int64(sv.capacity[o]-sv.room[o])
	}
}

// enter adds seeker s to the flow: one unit along a shortest path from s to
// the sink in the residual graph, which keeps the flow optimal for the
// seekers entered so far.
func (sv *solver) enter(s int32) {
	lo, hi := sv.first[s], sv.first[s+1]
	if lo == hi {
		sv.state[s] = seekerOut // no positive arc: s stays unassigned
		return
	}
	// s has no residual arc in yet, so its potential can be chosen freely:
	// the smallest one that keeps its own arcs' reduced costs >= 0.
	var ps int64
	for a := lo; a < hi; a++ {
		if v := sv.pot[sv.nS+sv.open[a]] + int64(sv.score[a]); v > ps {
			ps = v
		}
	}
	sv.pot[s] = ps

	sv.round++
	sv.heap = sv.heap[:0]
	sv.finished = sv.finished[:0]
	sv.seen[s], sv.dist[s] = sv.round, 0

	// best is the shortest distance to the sink found so far, end the last
	// node before the sink: s itself (stays unassigned), a seeker who gives up
	// its opening, or an opening with room left.
	best, end := ps, s
	v, d := s, int64(0)
	for {
		sv.done[v] = sv.round
		sv.finished = append(sv.finished, v)
		sv.charge(v)
		if v < sv.nS {
			if v != s {
				// v holds an opening: leaving it goes straight to the sink.
				if nd := d + sv.pot[v]; nd < best {
					best, end = nd, v
				}
			}
			pv := sv.pot[v]
			own := sv.arcOf[v]
			for a := sv.first[v]; a < sv.first[v+1]; a++ {
				if a == own {
					continue
				}
				w := sv.nS + sv.open[a]
				nd := d - int64(sv.score[a]) + pv - sv.pot[w]
				if nd < best && sv.relax(w, nd) {
					sv.fromArc[w-sv.nS] = a
				}
			}
		} else {
			o := v - sv.nS
			pv := sv.pot[v]
			if sv.room[o] > 0 {
				if nd := d + pv; nd < best {
					best, end = nd, v
				}
			}
			for u := sv.member[o]; u >= 0; u = sv.next[u] {
				nd := d + int64(sv.score[sv.arcOf[u]]) + pv - sv.pot[u]
				if nd < best {
					sv.relax(u, nd)
				}
			}
		}
		// Next node: the closest one not yet finished, unless the sink is
		// at least as close.
		found := false
		for len(sv.heap) > 0 {
			e := sv.heap[0]
			if e.d >= best {
				break
			}
			sv.heap.pop()
			if sv.done[e.v] == sv.round || e.d != sv.dist[e.v] {
				continue
			}
			v, d, found = e.v, e.d, true
			break
		}
		if !found {
			break
		}
	}

	// Keep reduced costs >= 0: every finished node moves by its distance,
	// relative to the sink's.
	for _, u := range sv.finished {
		sv.pot[u] += sv.dist[u] - best
	}
	sv.augment(end)
	if end < sv.nS {
		sv.state[end] = seekerOut // s itself, or the seeker who left
	}
	if sv.arcOf[s] >= 0 {
		sv.state[s] = seekerPlaced
	}
}

// relax records a tentative distance nd for node v if it improves on the
// current one, and reports whether it did.
func (sv *solver) relax(v int32, nd int64) bool {
	if sv.seen[v] == sv.round {
		if sv.done[v] == sv.round || sv.dist[v] <= nd {
			return false
		}
	} else {
		sv.seen[v] = sv.round
	}
	sv.dist[v] = nd
	sv.heap.push(heapEntry{d: nd, v: v})
	return true
}

// augment pushes one unit along the path recorded by fromArc that ends at
// end, from the seeker that has no opening yet at its start. When end is
// that seeker itself, it leaves through the sink arc and nothing changes.
func (sv *solver) augment(end int32) {
	o := end - sv.nS
	if end < sv.nS {
		if sv.arcOf[end] < 0 {
			return
		}
		// A seeker gives up its opening and leaves through the sink arc.
		o = sv.open[sv.arcOf[end]]
		sv.unlink(end, o)
		sv.arcOf[end] = -1
	}
	for {
		// o has one free place: the seeker it was reached from takes it and
		// frees its own previous opening, if any.
		a := sv.fromArc[o]
		u := sv.seekerOf(a)
		old := sv.arcOf[u]
		if old >= 0 {
			sv.unlink(u, sv.open[old])
		}
		sv.link(u, o)
		sv.arcOf[u] = a
		if old < 0 {
			return
		}
		o = sv.open[old]
	}
}

// seekerOf returns the seeker whose arc range holds arc a.
func (sv *solver) seekerOf(a int32) int32 {
	lo, hi := int32(0), sv.nS-1
	for lo < hi {
		mid := int32(uint32(lo+hi+1) >> 1)
		if sv.first[mid] <= a {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func (sv *solver) link(u, o int32) {
	h := sv.member[o]
	sv.next[u], sv.prev[u] = h, -1
	if h >= 0 {
		sv.prev[h] = u
	}
	sv.member[o] = u
	sv.room[o]--
}

func (sv *solver) unlink(u, o int32) {
	if p := sv.prev[u]; p >= 0 {
		sv.next[p] = sv.next[u]
	} else {
		sv.member[o] = sv.next[u]
	}
	if n := sv.next[u]; n >= 0 {
		sv.prev[n] = sv.prev[u]
	}
	sv.room[o]++
}

func (sv *solver) solution() Solution {
	sol := Solution{Assigned: make([]int32, sv.nS)}
	for s, a := range sv.arcOf {
		if a < 0 {
			sol.Assigned[s] = -1
			continue
		}
		sol.Assigned[s] = sv.open[a]
		sol.Objective += int64(sv.score[a])
	}
	return sol
}

type heapEntry struct {
	d int64
	v int32
}

// distHeap is a binary min-heap by distance, then node, so that the order of
// exploration never depends on anything but the input.
type distHeap []heapEntry

func (e heapEntry) less(f heapEntry) bool {
	return e.d < f.d || (e.d == f.d && e.v < f.v)
}

func (h *distHeap) push(e heapEntry) {
	*h = append(*h, e)
	q := *h
	i := len(q) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !e.less(q[p]) {
			break
		}
		q[i] = q[p]
		i = p
	}
	q[i] = e
}

func (h *distHeap) pop() {
	q := *h
	n := len(q) - 1
	q[0] = q[n]
	*h = q[:n]
	if n > 0 {
		h.down(0)
	}
}

// heapify orders h as a heap.
func (h distHeap) heapify() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h distHeap) down(i int) {
	n := len(h)
	e := h[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].less(h[c]) {
			c++
		}
		if !h[c].less(e) {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = e
}
