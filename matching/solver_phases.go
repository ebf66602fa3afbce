package matching

import "math"

// Seeker states.
const (
	seekerPending uint8 = iota // its unit of flow is not routed yet
	seekerPlaced               // its unit goes through an opening
	seekerOut                  // its unit goes straight to the sink: unassigned
)

// solvePhases routes every seeker's unit of flow by primal-dual phases: one
// Dijkstra from all pending seekers at once gives the shortest distance D to
// the sink; potentials move so that shortest paths have reduced cost 0; then
// as many zero-cost paths as a depth-first search finds are augmented, the
// first being Dijkstra's own so every phase makes progress. Reduced costs stay
// >= 0 on every residual arc, so the final flow is a min-cost flow. Compared
// with entering seekers one by one, a phase serves many seekers for one
// search, which matters on large plateaus of equal scores. It routes the
// pending seekers and reports false, the flow partial but optimal for the
// seekers routed, if the budget runs out first.
func (sv *solver) solvePhases() bool {
	if sv.cur == nil {
		sv.cur = make([]int32, sv.nS+sv.nO)
		sv.curRound = make([]int32, sv.nS+sv.nO)
	}
	pending := make([]int32, 0, sv.nS)
	for s := int32(0); s < sv.nS; s++ {
		if sv.state[s] != seekerPending {
			continue
		}
		// As in enter: the smallest potential that keeps the reduced costs
		// of s's arcs >= 0 (s has no residual arc in).
		var ps int64
		for a := sv.first[s]; a < sv.first[s+1]; a++ {
			ps = max(ps, sv.pot[sv.nS+sv.open[a]]+int64(sv.score[a]))
		}
		sv.pot[s] = ps
		if ps == 0 {
			sv.state[s] = seekerOut
			continue
		}
		pending = append(pending, s)
	}
	for len(pending) > 0 {
		end := sv.phaseDijkstra(pending)
		sv.route(end)
		// Only seekers closer than the sink can start a zero-cost path.
		dijkstra := sv.round
		sv.round++ // fresh marks for the search: seen = dead, done = on the path
		for _, s := range pending {
			if sv.state[s] == seekerPending && sv.done[s] == dijkstra && sv.seen[s] != sv.round {
				sv.search(s)
			}
		}
		if sv.budget < 0 {
			return false
		}
		kept := pending[:0]
		for _, s := range pending {
			if sv.state[s] == seekerPending {
				kept = append(kept, s)
			}
		}
		pending = kept
	}
	return true
}

// phaseDijkstra computes shortest distances from all pending seekers, moves
// the potentials of the nodes closer than the sink, and returns the last node
// of a shortest path to the sink (fromArc holds the path).
func (sv *solver) phaseDijkstra(pending []int32) int32 {
	sv.round++
	sv.heap = sv.heap[:0]
	sv.finished = sv.finished[:0]
	// Seekers with the most to gain start first: pending seeker s starts at
	// top-pot[s], which is a valid distance from a virtual source whose
	// arcs to them have reduced cost >= 0.
	var top int64
	for _, s := range pending {
		top = max(top, sv.pot[s])
	}
	for _, s := range pending {
		d := top - sv.pot[s]
		sv.seen[s], sv.dist[s] = sv.round, d
		sv.heap.push(heapEntry{d: d, v: s})
	}
	best, end := int64(math.MaxInt64), int32(-1)
	for len(sv.heap) > 0 {
		e := sv.heap[0]
		if e.d >= best {
			break
		}
		sv.heap.pop()
		v, d := e.v, e.d
		if sv.done[v] == sv.round || d != sv.dist[v] {
			continue
		}
		sv.done[v] = sv.round
		sv.finished = append(sv.finished, v)
		sv.charge(v)
		pv := sv.pot[v]
		if v < sv.nS {
			// Pending or placed, v can go straight to the sink.
			if nd := d + pv; nd < best {
				best, end = nd, v
			}
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
			continue
		}
		o := v - sv.nS
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
	for _, u := range sv.finished {
		sv.pot[u] += sv.dist[u] - best
	}
	sv.budget -= int64(len(pending))
	return end
}

// route augments along the path ending at end and records the seekers'
// new states.
func (sv *solver) route(end int32) {
	if end < sv.nS {
		sv.state[end] = seekerOut
	}
	o := end - sv.nS
	if end < sv.nS {
		if sv.arcOf[end] < 0 {
			return
		}
		o = sv.open[sv.arcOf[end]]
	}
	// The seeker at the start of the path is the one without an opening.
	for {
		u := sv.seekerOf(sv.fromArc[o])
		old := sv.arcOf[u]
		if old < 0 {
			sv.state[u] = seekerPlaced
			break
		}
		o = sv.open[old]
	}
	sv.augment(end)
}

// search looks for a zero reduced cost path from pending seeker s to the
// sink, depth first, and augments along it. Nodes found not to lead to the
// sink are marked dead for the rest of the phase.
func (sv *solver) search(s int32) {
	stack := sv.stack[:0]
	stack = append(stack, s)
	sv.done[s] = sv.round
	sv.cur[s], sv.curRound[s] = sv.first[s], sv.round
	for len(stack) > 0 {
		sv.budget--
		v := stack[len(stack)-1]
		pv := sv.pot[v]
		next := int32(-1)
		if v < sv.nS {
			if pv == 0 {
				sv.finishSearch(stack, v)
				return
			}
			own := sv.arcOf[v]
			for a := sv.cur[v]; a < sv.first[v+1]; a++ {
				w := sv.nS + sv.open[a]
				if a == own || sv.seen[w] == sv.round || sv.done[w] == sv.round ||
					int64(sv.score[a]) != pv-sv.pot[w] {
					continue
				}
				sv.cur[v] = a + 1
				sv.fromArc[w-sv.nS] = a
				next = w
				break
			}
			if next < 0 {
				sv.cur[v] = sv.first[v+1]
			}
		} else {
			o := v - sv.nS
			if sv.room[o] > 0 && pv == 0 {
				sv.finishSearch(stack, v)
				return
			}
			u := sv.member[o]
			if sv.curRound[v] == sv.round {
				u = sv.cur[v]
			} else {
				sv.curRound[v] = sv.round
			}
			for ; u >= 0; u = sv.next[u] {
				if sv.seen[u] == sv.round || sv.done[u] == sv.round ||
					int64(sv.score[sv.arcOf[u]])+pv != sv.pot[u] {
					continue
				}
				next = u
				break
			}
			if next >= 0 {
				sv.cur[v] = sv.next[next]
				if sv.curRound[next] != sv.round {
					sv.cur[next], sv.curRound[next] = sv.first[next], sv.round
				}
			} else {
				sv.cur[v] = -1
			}
		}
		if next < 0 {
			// Dead end for this phase.
			sv.seen[v] = sv.round
			sv.done[v] = 0
			stack = stack[:len(stack)-1]
			continue
		}
		sv.done[next] = sv.round
		stack = append(stack, next)
	}
	sv.stack = stack
}

// finishSearch augments along the search path, which ends at end, and
// releases the path's nodes for the rest of the phase.
func (sv *solver) finishSearch(stack []int32, end int32) {
	sv.route(end)
	for _, v := range stack {
		sv.done[v] = 0
		if v >= sv.nS {
			// Its member list changed: scan it again from the start.
			sv.curRound[v] = 0
		}
	}
	sv.stack = stack
}
