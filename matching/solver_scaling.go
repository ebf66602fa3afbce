package matching

import "math/bits"

// Cost scaling: Goldberg's push-relabel with ε-scaling, on the batch's own
// network. Seekers have one unit each; each seeker arc costs -score·k; every
// seeker may also send its unit straight to the sink t (cost 0: unassigned),
// and each opening sends up to its capacity to t (cost 0). Node prices p
// give reduced costs c(u,v) + p(u) - p(v); a flow is ε-optimal when every
// residual arc has reduced cost >= -ε. Each refine divides ε by scaleFactor
// and restores feasibility by pushes along arcs of negative reduced cost and
// relabels (price drops). With costs multiplied by k = nodes+1, a 1-optimal
// flow is optimal, so the last refine runs at ε = 1.
//
// Seekers are handled as in Goldberg and Kennedy's CSA: an active seeker
// scans its arcs once, pushes its unit along the best and sets its price to
// the second best minus ε (a double push). An opening that receives more
// than it can send to t gives a unit back to the member whose arc is the
// least worth keeping, as an auction would.
//
// Every refine starts from the previous prices and flow: a seeker keeps its
// unit where it is while its best other arc is worth at most 2ε more, and
// becomes active again otherwise; each opening keeps sending to t what it
// received, so it asks for seekers to replace those who left. When more
// seekers go out than t expects, t gives units back, but only once no other
// node is active (then only the openings left short need them), through a
// lazy heap of its residual arcs by value; and when the work since the last
// one exceeds half the nodes, a global price update first sets every price
// by its distance to the openings left short, so the units go straight
// there instead of raising prices ε by ε.

const scaleFactor = 8

// scalingFits reports whether cost scaling suits the solver's arcs: see
// costScalingFits.
func (sv *solver) scalingFits() bool {
	var maxScore int64
	for _, w := range sv.score {
		maxScore = max(maxScore, int64(w))
	}
	return costScalingFits(int64(sv.nS)+int64(sv.nO)+1, maxScore)
}

// costScalingFits reports whether cost scaling's prices stay well within
// int64 on a network of that many nodes: in a refine a price moves by at
// most about (2·nodes+2)·ε, ε starting at the largest score times
// k = nodes+1. Beyond, the other strategies solve alone.
func costScalingFits(nodes, maxScore int64) bool {
	hi, lo := bits.Mul64(uint64(maxScore+1), uint64(nodes+1))
	if hi != 0 || lo > 1<<62 {
		return false
	}
	hi, lo = bits.Mul64(lo, uint64(4*nodes+8))
	return hi == 0 && lo < 1<<62
}

// scaling is the state of the cost-scaling strategy; the graph, members
// and assignments are the solver's.
type scaling struct {
	sv     *solver
	k      int64   // an arc's value is its score times k
	ps, po []int64 // prices of seekers and openings (views of sv.pot)
	pt     int64   // the sink's price
	eps    int64

	toSink []int32 // per opening: flow to t
	imb    []int32 // per opening: inflow - flow to t
	queue  []int32 // active seekers, from head on
	head   int

	tExcess int64 // t's inflow minus its demand (the seekers with arcs)
	nIn     int64

	// t's residual arcs by value, while t is being relieved: entries
	// (-value, node), checked against the current state when on top.
	sinkHeap distHeap
	live     bool

	// The price update's reverse graph: the arcs into each opening, as
	// seeker and score, from inFirst[o] to inFirst[o+1]-1.
	inFirst         []int32
	inSeeker, inArc []int32
	dist            []int64
	settled         []int32
	updates         int32
	work            int64 // discharges since the last update
	heap            distHeap

	// Per seeker, from its last full scan in this refine (seen == round):
	// its two best arcs (-1: t) and the third best value.
	round        int32
	seen         []int32
	best1, best2 []int32
	third        []int64
}

// solveScaled solves a valid problem by cost scaling alone.
func solveScaled(p *Problem) Solution {
	sv := newSolver(p)
	sv.solveScaling()
	return sv.solution()
}

// solveScaling routes every seeker by cost scaling. The solver must hold no
// flow (fresh or reset).
func (sv *solver) solveScaling() {
	nS, nO := sv.nS, sv.nO
	k := int64(nS) + int64(nO) + 2
	var maxScore int64
	for _, w := range sv.score {
		maxScore = max(maxScore, int64(w))
	}
	if maxScore == 0 {
		for s := range sv.state {
			sv.state[s] = seekerOut
		}
		return
	}
	sc := &scaling{
		sv:     sv,
		k:      k,
		ps:     sv.pot[:nS],
		po:     sv.pot[nS:],
		toSink: make([]int32, nO),
		imb:    make([]int32, nO),
		queue:  make([]int32, 0, nS),
		seen:   make([]int32, nS),
		best1:  make([]int32, nS),
		best2:  make([]int32, nS),
		third:  make([]int64, nS),
	}
	for s := int32(0); s < nS; s++ {
		if sv.first[s] < sv.first[s+1] {
			sc.nIn++
		}
	}
	sc.buildReverse()
	sc.eps = maxScore * k
	for sc.eps > 1 {
		sc.eps = max(sc.eps/scaleFactor, 1)
		sc.refine()
	}
}

// refine turns the previous refine's prices into an ε-optimal flow.
func (sc *scaling) refine() {
	sv, eps := sc.sv, sc.eps
	po := sc.po
	sc.tExcess = -sc.nIn
	sc.live = false
	sc.round++
	// Every flow of the previous refine stays where the prices still allow
	// it at the new ε; the other seekers become active again, and their
	// openings ask for as many others.
	for o := int32(0); o < sv.nO; o++ {
		c := sv.capacity[o] - sv.room[o] // members
		sc.toSink[o] = c
		sc.tExcess += int64(c)
		// Within ε of t's price on each residual side of the sink arc.
		if c < sv.capacity[o] {
			po[o] = max(po[o], sc.pt-eps)
		}
		if c > 0 {
			po[o] = min(po[o], sc.pt+eps)
		}
	}
	sc.queue, sc.head = sc.queue[:0], 0
	ps, score, k := sc.ps, sv.score, sc.k
	for s := int32(0); s < sv.nS; s++ {
		if sv.first[s] == sv.first[s+1] {
			sv.state[s] = seekerOut
			continue
		}
		best, b1, b2 := sc.bestTwo(s)
		// The arc carrying s's unit (-1: t) may keep it when a price of s
		// puts every other arc at >= -ε and its reverse at >= -ε: when the
		// best other value is at most its own plus 2ε.
		switch sv.state[s] {
		case seekerPlaced:
			own := sv.arcOf[s]
			other := b1
			if best == own {
				other = b2
			}
			if other-eps <= po[sv.open[own]]+int64(score[own])*k+eps {
				ps[s] = other - eps
				continue
			}
			o := sv.open[own]
			sv.unlink(s, o)
			sv.arcOf[s] = -1
		case seekerOut:
			other := b1
			if best < 0 {
				other = b2
			}
			if other-eps <= sc.pt+eps {
				ps[s] = other - eps
				sc.tExcess++
				continue
			}
		}
		sv.state[s] = seekerPending
		sc.queue = append(sc.queue, s)
	}
	for o := int32(0); o < sv.nO; o++ {
		sc.imb[o] = sv.capacity[o] - sv.room[o] - sc.toSink[o]
	}
	for {
		for sc.head < len(sc.queue) {
			s := sc.queue[sc.head]
			sc.head++
			sc.work++
			sc.discharge(s)
			if sc.head >= 1<<16 && 2*sc.head >= len(sc.queue) {
				sc.queue = sc.queue[:copy(sc.queue, sc.queue[sc.head:])]
				sc.head = 0
			}
		}
		if sc.tExcess <= 0 {
			return
		}
		if 2*sc.work >= int64(sv.nS)+int64(sv.nO) {
			sc.work = 0
			sc.updatePrices()
		}
		sc.relieveSink()
	}
}

// discharge routes active seeker s's unit: along its best arc, or to t.
func (sc *scaling) discharge(s int32) {
	sv := sc.sv
	best, _, b2 := sc.bestTwo(s)
	sc.ps[s] = b2 - sc.eps
	if best < 0 {
		sv.state[s] = seekerOut
		sc.tExcess++
		if sc.live {
			sc.sinkHeap.push(heapEntry{d: -sc.ps[s], v: s})
		}
		return
	}
	o := sv.open[best]
	sv.arcOf[s] = best
	sv.state[s] = seekerPlaced
	sv.link(s, o)
	sc.imb[o]++
	if sc.imb[o] > 0 {
		sc.dischargeOpening(o)
	}
}

// bestTwo returns seeker s's best arc (-1: t) and the second best value,
// over its arcs and t's: value(o) = p(o) + score·k, value(t) = p(t).
// Values only fall within a refine, so when the two best of the last full
// scan are still worth at least the third best then, they still lead and
// the scan is skipped.
func (sc *scaling) bestTwo(s int32) (best int32, b1, b2 int64) {
	sv, po := sc.sv, sc.po
	score, k := sv.score, sc.k
	value := func(a int32) int64 {
		if a < 0 {
			return sc.pt
		}
		return po[sv.open[a]] + int64(score[a])*k
	}
	if sc.seen[s] == sc.round {
		c1, c2 := sc.best1[s], sc.best2[s]
		v1, v2 := value(c1), value(c2)
		if v1 >= sc.third[s] && v2 >= sc.third[s] {
			if v2 > v1 || v2 == v1 && c2 < c1 {
				return c2, v2, v1
			}
			return c1, v1, v2
		}
	}
	b1, b2 = sc.pt, minInt64
	b3 := int64(minInt64)
	best, second := int32(-1), int32(-1)
	for a := sv.first[s]; a < sv.first[s+1]; a++ {
		v := po[sv.open[a]] + int64(score[a])*k
		switch {
		case v > b1:
			b3, b2, second = b2, b1, best
			b1, best = v, a
		case v > b2:
			b3 = b2
			b2, second = v, a
		case v > b3:
			b3 = v
		}
	}
	sc.seen[s], sc.best1[s], sc.best2[s], sc.third[s] = sc.round, best, second, b3
	return best, b1, b2
}

// dischargeOpening removes opening o's excess: to t while its arc has room
// and is admissible, else back to members (who become active again),
// relabelling o when no residual arc is admissible.
func (sc *scaling) dischargeOpening(o int32) {
	sv, ps, po := sc.sv, sc.ps, sc.po
	for sc.imb[o] > 0 {
		// Values of o's residual arcs, p(w) - c(o,w): t's is p(t); a
		// member's (the reverse of its arc) p(u) - score·k.
		bestV, bestU := int64(minInt64), int32(-1)
		if sc.toSink[o] < sv.capacity[o] {
			bestV = sc.pt
		}
		for u := sv.member[o]; u >= 0; u = sv.next[u] {
			if v := ps[u] - int64(sv.score[sv.arcOf[u]])*sc.k; v > bestV {
				bestV, bestU = v, u
			}
		}
		if bestV <= po[o] {
			po[o] = bestV - sc.eps // relabel
			if sc.live && sc.toSink[o] > 0 {
				sc.sinkHeap.push(heapEntry{d: -po[o], v: sv.nS + o})
			}
		}
		if bestU < 0 {
			n := min(sc.imb[o], sv.capacity[o]-sc.toSink[o])
			if sc.live && sc.toSink[o] == 0 {
				sc.sinkHeap.push(heapEntry{d: -po[o], v: sv.nS + o})
			}
			sc.toSink[o] += n
			sc.imb[o] -= n
			sc.tExcess += int64(n)
			continue
		}
		// Give the unit back to bestU.
		sv.unlink(bestU, o)
		sc.imb[o]--
		sv.arcOf[bestU] = -1
		sv.state[bestU] = seekerPending
		sc.queue = append(sc.queue, bestU)
	}
}

// relieveSink pushes t's excess back along its residual arcs: to openings
// whose sink arc carries flow (value p(o)), which then give units back to
// their members, or to seekers who went out (value p(s)), who look again;
// t is relabelled when none is admissible.
func (sc *scaling) relieveSink() {
	sv := sc.sv
	if !sc.live {
		sc.live = true
		h := sc.sinkHeap[:0]
		for o := int32(0); o < sv.nO; o++ {
			if sc.toSink[o] > 0 {
				h = append(h, heapEntry{d: -sc.po[o], v: sv.nS + o})
			}
		}
		for s := int32(0); s < sv.nS; s++ {
			if sv.state[s] == seekerOut && sv.first[s] < sv.first[s+1] {
				h = append(h, heapEntry{d: -sc.ps[s], v: s})
			}
		}
		sc.sinkHeap = h
		h.heapify()
	}
	for sc.tExcess > 0 {
		// The best residual arc: the heap's top once stale entries go.
		var top heapEntry
		for {
			if len(sc.sinkHeap) == 0 {
				panic("matching: cost scaling found no way back from the sink")
			}
			top = sc.sinkHeap[0]
			v := top.v
			if v < sv.nS && sv.state[v] == seekerOut && -top.d == sc.ps[v] ||
				v >= sv.nS && sc.toSink[v-sv.nS] > 0 && -top.d == sc.po[v-sv.nS] {
				break
			}
			sc.sinkHeap.pop()
		}
		if -top.d <= sc.pt {
			sc.pt = -top.d - sc.eps // relabel
		}
		if top.v < sv.nS {
			// The seeker takes its unit back and looks again.
			sc.sinkHeap.pop()
			sv.state[top.v] = seekerPending
			sc.queue = append(sc.queue, top.v)
			sc.tExcess--
			continue
		}
		o := top.v - sv.nS
		n := int32(min(sc.tExcess, int64(sc.toSink[o])))
		sc.toSink[o] -= n
		sc.imb[o] += n
		sc.tExcess -= int64(n)
		if sc.imb[o] > 0 {
			sc.dischargeOpening(o)
		}
	}
}

const minInt64 = -1 << 63

// buildReverse lists the arcs into each opening.
func (sc *scaling) buildReverse() {
	sv := sc.sv
	sc.inFirst = make([]int32, sv.nO+1)
	for _, o := range sv.open {
		sc.inFirst[o+1]++
	}
	for o := int32(0); o < sv.nO; o++ {
		sc.inFirst[o+1] += sc.inFirst[o]
	}
	sc.inSeeker = make([]int32, len(sv.open))
	sc.inArc = make([]int32, len(sv.open))
	fill := make([]int32, sv.nO)
	copy(fill, sc.inFirst[:sv.nO])
	for s := int32(0); s < sv.nS; s++ {
		for a := sv.first[s]; a < sv.first[s+1]; a++ {
			o := sv.open[a]
			sc.inSeeker[fill[o]], sc.inArc[fill[o]] = s, a
			fill[o]++
		}
	}
	n := int(sv.nS) + int(sv.nO) + 1
	sc.dist = make([]int64, n)
	sc.settled = make([]int32, n)
}

// steps is the length of a residual arc of reduced cost cp in the price
// update: how many ε its tail's price may drop below its head's while the
// arc stays >= -ε.
func steps(cp, eps int64) int64 {
	if cp < 0 {
		return 0
	}
	return cp/eps + 1
}

// updatePrices is the global price update: the distance of every node to
// the openings short of units, in steps of ε along residual arcs, by a
// Dijkstra backwards from those openings until t is reached; every price
// then drops by its distance (capped at t's) times ε. Reduced costs stay >=
// -ε, and t's excess finds admissible paths to where it is missing instead
// of raising prices ε by ε.
func (sc *scaling) updatePrices() {
	sv, eps := sc.sv, sc.eps
	ps, po := sc.ps, sc.po
	nS := sv.nS
	t := nS + sv.nO
	sc.updates++
	round := sc.updates
	h := sc.heap[:0]
	for o := int32(0); o < sv.nO; o++ {
		if sc.imb[o] < 0 {
			sc.dist[nS+o] = 0
			sc.settled[nS+o] = -round // tentative
			h = append(h, heapEntry{d: 0, v: nS + o})
		}
	}
	relax := func(v int32, d int64) {
		if sc.settled[v] == round || sc.settled[v] == -round && sc.dist[v] <= d {
			return
		}
		sc.settled[v], sc.dist[v] = -round, d
		h.push(heapEntry{d: d, v: v})
	}
	var top int64 = -1
	for len(h) > 0 {
		e := h[0]
		h.pop()
		w := e.v
		if sc.settled[w] == round || e.d != sc.dist[w] {
			continue
		}
		sc.settled[w] = round
		d := e.d
		if w == t {
			top = d
			break
		}
		if w < nS {
			// Into seeker w: from its opening (reverse arc), or from t.
			if a := sv.arcOf[w]; a >= 0 {
				o := sv.open[a]
				relax(nS+o, d+steps(int64(sv.score[a])*sc.k+po[o]-ps[w], eps))
			} else if sv.state[w] == seekerOut {
				relax(t, d+steps(sc.pt-ps[w], eps))
			}
			continue
		}
		o := w - nS
		// Into opening o: from t if its sink arc carries flow, and from
		// each seeker whose arc to o carries nothing.
		if sc.toSink[o] > 0 {
			relax(t, d+steps(sc.pt-po[o], eps))
		}
		for i := sc.inFirst[o]; i < sc.inFirst[o+1]; i++ {
			s, a := sc.inSeeker[i], sc.inArc[i]
			if sv.arcOf[s] == a {
				continue
			}
			relax(s, d+steps(-int64(sv.score[a])*sc.k+ps[s]-po[o], eps))
		}
	}
	sc.heap = h
	if top < 0 {
		panic("matching: the price update did not reach the sink")
	}
	lower := func(v int32) int64 {
		if sc.settled[v] == round {
			return sc.dist[v] * eps
		}
		return top * eps
	}
	for s := int32(0); s < nS; s++ {
		if sv.first[s] < sv.first[s+1] {
			ps[s] -= lower(s)
		}
	}
	for o := int32(0); o < sv.nO; o++ {
		po[o] -= lower(nS + o)
	}
	sc.pt -= top * eps
	sc.live = false // t's heap holds the old values
}
