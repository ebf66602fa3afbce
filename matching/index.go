package matching

import (
	"cmp"
	"hash/fnv"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Suggestion is one result of a top-k query: the position of the opening
// (or seeker) in the slice the index was built from, and the full
// evaluation of the pair.
type Suggestion struct {
	Index int `json:"-"`
	Evaluation
}

// The candidate indexes prune pairs that cannot pass the hard constraints,
// so that a query scores only the plausible pairs, and find exactly what
// scoring every pair would. Entries are bucketed by place and grouped by ROME
// code within a bucket, each group ordered by French level:
//   - place: a grid of cellDeg-degree cells for places with coordinates,
//     the département otherwise (the "distance" constraint), remote
//     openings apart; only the buckets in reach are visited;
//   - trade and ROME proximity: only the code groups of the families the
//     "trade" constraint allows are visited, from the closest codes to the
//     farthest (same code, mobility link, same domain, same family, other
//     allowed families), and a query stops as soon as its k-th best score
//     beats the best any farther class, at that distance, could reach;
//   - level: a group is read while the level required (or held) allows,
//     and the required levels are checked per skill from the bucket's own
//     arrays before the opening (or seeker) is read.

const cellDeg = 0.1 // about 11 km of latitude, 7–8 km of longitude in France

type cellKey int64

func cellOf(latDeg, lonDeg float64) cellKey {
	return cellKey(int64(math.Floor(latDeg/cellDeg))<<32 | int64(uint32(int32(math.Floor(lonDeg/cellDeg)))))
}

type deptKey string
type remoteKey struct{}
type noCoordsKey string

// scratch is one query's working memory.
type scratch struct {
	seen    []uint32
	gen     uint32
	top     []scored
	buckets []placeBucket
	clsGen  []uint32    // per code number (codeBook): the query that cached its class
	cls     []Proximity // the cached class
}

// placeBucket is a bucket a query visits and the best distance value of its
// openings for the seeker.
type placeBucket struct {
	b    *codeBucket
	dist float64
}

type scored struct {
	id    int32
	score float64
}

func (sc *scratch) reset(n, codes int) {
	if len(sc.seen) < n || len(sc.clsGen) < codes {
		sc.seen = make([]uint32, n)
		sc.clsGen = make([]uint32, codes)
		sc.cls = make([]Proximity, codes)
		sc.gen = 0
	}
	sc.gen++
	if sc.gen == 0 {
		clear(sc.seen)
		clear(sc.clsGen)
		sc.gen = 1
	}
	sc.top = sc.top[:0]
}

// offer keeps the k best by score desc, then id (a string) asc.
func offer(top []scored, k int, c scored, id func(int32) string) []scored {
	better := func(a, b scored) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return id(a.id) < id(b.id)
	}
	if len(top) == k && !better(c, top[k-1]) {
		return top
	}
	i := len(top)
	if i < k {
		top = append(top, c)
	} else {
		i = k - 1
	}
	for i > 0 && better(c, top[i-1]) {
		top[i] = top[i-1]
		i--
	}
	top[i] = c
	return top
}

// cellsWithin calls fn for every grid cell with a point within km of
// (lat, lon) in degrees, with the distance to the cell's nearest point.
func cellsWithin(latDeg, lonDeg, km float64, fn func(cellKey, float64)) {
	dLat := km / 111.19
	lat0, lat1 := math.Floor((latDeg-dLat)/cellDeg), math.Floor((latDeg+dLat)/cellDeg)
	maxLat := math.Min(89, math.Max(math.Abs(latDeg-dLat), math.Abs(latDeg+dLat)))
	dLon := km / (111.19 * math.Cos(maxLat*math.Pi/180))
	lon0, lon1 := math.Floor((lonDeg-dLon)/cellDeg), math.Floor((lonDeg+dLon)/cellDeg)
	r := math.Pi / 180
	latR, lonR := latDeg*r, lonDeg*r
	cosLat := math.Cos(latR)
	for a := lat0; a <= lat1; a++ {
		// The latitude of the row's nearest points, and its cosine.
		nl := math.Max(a*cellDeg, math.Min(latDeg, (a+1)*cellDeg)) * r
		cosNl := math.Cos(nl)
		for o := lon0; o <= lon1; o++ {
			// Skip cells whose nearest point is out of reach.
			no := math.Max(o*cellDeg, math.Min(lonDeg, (o+1)*cellDeg))
			d := distanceRad(latR, lonR, cosLat, nl, no*r, cosNl)
			if d > km {
				continue
			}
			fn(cellKey(int64(a)<<32|int64(uint32(int32(o)))), d)
		}
	}
}

// codeBucket lists a place's openings grouped by ROME code (0: no code),
// codes in increasing order, each group ordered by the French level
// required. A query reads a group's header and then its entries in
// sequence: both are arrays of structs, so that a group of one or two
// entries costs a line or two of memory.
type codeBucket struct {
	// groups[g] starts at es[groups[g].start]; a last group, of code
	// noCode, ends the others.
	groups  []codeGroup
	es      []bucketEntry
	has     []uint64 // bit n: a group has the code numbered n (codeBook)
	rank    []int32  // rank[w]: the groups whose numbers are below 64w
	located bool     // a grid cell's bucket: entries have their place
}

type codeGroup struct {
	code  romeID
	num   int32 // the code's number (codeBook)
	start int32
	free  bool   // an entry has no skill signature (no skill asked, or none known)
	sig   uint64 // the union of its entries' signatures
}

// holds reports whether a group has the code numbered n.
func (b *codeBucket) holds(n int32) bool { return b.has[n>>6]&(1<<(n&63)) != 0 }

// group is the position of the first group whose code's number is n or
// more: the groups below it, counted from the bits.
func (b *codeBucket) group(n int32) int {
	w := int(n >> 6)
	if w >= len(b.has) {
		return len(b.groups) - 1
	}
	return int(b.rank[w]) + bits.OnesCount64(b.has[w]&(1<<(n&63)-1))
}

// noCode is the code of a bucket's end: above every code.
const noCode = ^romeID(0)

// bucketEntry is an opening (or seeker) in a bucket, with what a query
// reads before it reads the opening.
type bucketEntry struct {
	id    int32
	lv    Level  // the highest French level required (held, for a seeker)
	fr    French // the levels required (held)
	asked uint8  // how many skills an opening asks for (manySkills: 255 or more)
	sig   uint64 // skillSig of its skills
	at    spot   // in a grid cell's bucket, the opening's place
}

// noneHeld reports whether every entry of group g asks for skills none of
// which a holder of signature sig can hold.
func (b *codeBucket) noneHeld(g int, sig uint64) bool {
	grp := &b.groups[g]
	return !grp.free && grp.sig&sig == 0
}

// spot is a place as distanceRad reads it.
type spot struct{ lat, lon, cosLat float64 }

type codeEntry struct {
	code romeID
	bucketEntry
}

// skillSig is a signature of skill numbers, bit n%64 for number n: sets
// whose signatures share no bit share no skill.
func skillSig(ids []uint32) uint64 {
	var sig uint64
	for _, n := range ids {
		sig |= 1 << (n % 64)
	}
	return sig
}

// manySkills stands in a bucket for 255 skills asked or more: no bound.
const manySkills = 255

// skillsAtMost bounds the skills component (held / asked) of a pair from
// signatures: the opening's n skill numbers under sigO, the seeker's under
// sigS. A number held has its bit in both, and the shared bits carry at
// most one number each plus the opening's numbers beyond its distinct bits.
func skillsAtMost(sigO, sigS uint64, n, asked int) float64 {
	if asked == 0 {
		return 1
	}
	held := bits.OnesCount64(sigO&sigS) + n - bits.OnesCount64(sigO)
	return min(1, float64(held)/float64(asked))
}

// codeBook numbers the codes of an index's entries in increasing order,
// so that a bucket says in one bit whether it holds a code and, counting
// the bits below, where its group is: a query finds the groups of its
// seeker's codes and their links (most absent from most buckets) without
// searching the buckets.
type codeBook struct {
	codes []romeID // by number
	nums  map[romeID]int32
}

func newCodeBook(bb map[any][]codeEntry) *codeBook {
	cb := &codeBook{nums: map[romeID]int32{}}
	for _, es := range bb {
		for _, e := range es {
			if _, ok := cb.nums[e.code]; !ok {
				cb.nums[e.code] = 0
				cb.codes = append(cb.codes, e.code)
			}
		}
	}
	slices.Sort(cb.codes)
	for n, c := range cb.codes {
		cb.nums[c] = int32(n)
	}
	return cb
}

// start is where a query of the codes in [lo, hi] begins: the number of
// the first code at least lo, or for a single code its number, ok false
// when no entry has it.
func (cb *codeBook) start(lo, hi romeID) (n int32, ok bool) {
	if lo == hi {
		n, ok = cb.nums[lo]
		return n, ok
	}
	i, _ := slices.BinarySearch(cb.codes, lo)
	return int32(i), true
}

func newCodeBucket(es []codeEntry, book *codeBook, located bool) *codeBucket {
	slices.SortFunc(es, func(a, b codeEntry) int {
		if c := cmp.Compare(a.code, b.code); c != 0 {
			return c
		}
		if c := cmp.Compare(a.lv, b.lv); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	words := (len(book.codes) + 63) / 64
	b := &codeBucket{es: make([]bucketEntry, len(es)), has: make([]uint64, words), rank: make([]int32, words), located: located}
	for i, e := range es {
		if i == 0 || e.code != es[i-1].code {
			n := book.nums[e.code]
			b.groups = append(b.groups, codeGroup{code: e.code, num: n, start: int32(i)})
			b.has[n>>6] |= 1 << (n & 63)
		}
		g := &b.groups[len(b.groups)-1]
		g.sig |= e.sig
		g.free = g.free || e.sig == 0
		b.es[i] = e.bucketEntry
	}
	b.groups = append(b.groups, codeGroup{code: noCode, num: int32(len(book.codes)), start: int32(len(es))})
	for w := 1; w < words; w++ {
		b.rank[w] = b.rank[w-1] + int32(bits.OnesCount64(b.has[w-1]))
	}
	return b
}

// OpeningIndex finds the best openings for a seeker. Build it once per set
// of openings (capacities included); it is safe for concurrent queries.
//
// Besides pruning by trade, place and level, it visits openings from the
// closest ROME codes to the farthest (no code, same code, mobility link,
// same domain, same family, other families the trade constraint allows)
// and stops as soon as the k-th best score found beats what any farther
// class could reach, so most remote candidates are never scored.
type OpeningIndex struct {
	e        *Engine
	openings []Opening
	prep     []openingCtx
	buckets  map[any]*codeBucket
	book     *codeBook
	norm     float64 // the largest score normaliser among the openings' kinds
	mentors  bool    // some openings are mentors
	dict     *labelDict
	order    []int32 // internal position -> position in openings
	pool     sync.Pool
	scored   atomic.Int64
}

// NewIndex indexes openings for TopOpenings. Openings without capacity left
// are left out. The index keeps the slice: do not modify it while in use.
func (e *Engine) NewIndex(openings []Opening) *OpeningIndex {
	ix := &OpeningIndex{e: e, openings: openings, prep: make([]openingCtx, len(openings)), norm: e.norm[0],
		dict: &labelDict{ids: map[string]uint32{}}}
	bb := map[any][]codeEntry{}
	add := func(key any, oc *openingCtx, id int32) {
		e := codeEntry{bucketEntry: bucketEntry{id: id, lv: oc.reqMax, fr: oc.french, asked: uint8(min(oc.asked, manySkills)),
			sig: skillSig(oc.skillIDs), at: spot{oc.lat, oc.lon, oc.cosLat}}}
		// An opening for any trade is also under code 0, which every
		// seeker visits first.
		if len(oc.codes) == 0 || oc.anyTrade {
			bb[key] = append(bb[key], e)
			// Found under code 0, its class is its own: no hint.
			oc.noHint = oc.noHint || len(oc.codes) > 0
		}
		for _, c := range oc.codes {
			e.code = c
			bb[key] = append(bb[key], e)
		}
		// A mentor's sector also admits seekers of its family: index it
		// under a code of its domain or family (F16 as F1600, F as F0000),
		// which is never farther than the mentor's own codes.
		if c, ok := sectorCode(oc.sector); ok && !slices.Contains(oc.codes, c) {
			e.code = c
			bb[key] = append(bb[key], e)
			oc.noHint = true
		}
	}
	// Prepared openings are laid out by place, then code, so that a query
	// reads them mostly in sequence; ix.order maps back to the caller's
	// positions.
	ix.order = placeOrder(len(openings), func(i int) (int64, romeID) {
		o := &openings[i]
		var code romeID
		for _, c := range o.ROME {
			if id, ok := parseCode(c); ok {
				code = id
				break
			}
		}
		return placeKey(o.Remote, o.Place), code
	})
	// Openings are prepared on every core, then numbered and bucketed in
	// order.
	inChunks(len(openings), runtime.GOMAXPROCS(0), func(internal int) {
		ix.prep[internal] = e.prepOpening(&openings[ix.order[internal]])
	})
	for internal, orig := range ix.order {
		o := &openings[orig]
		ix.prep[internal].setSkillIDs(ix.dict.add(ix.prep[internal].skills), ix.dict)
		if o.Capacity <= 0 {
			continue
		}
		if o.Kind == KindMentor {
			ix.norm = max(ix.norm, e.norm[1])
			ix.mentors = true
		}
		oc := &ix.prep[internal]
		id := int32(internal)
		switch {
		case o.Remote:
			add(remoteKey{}, oc, id)
		case oc.hasCoords:
			add(cellOf(o.Place.Coords.Lat, o.Place.Coords.Lon), oc, id)
			add(deptKey(oc.dept), oc, id)
		default:
			add(deptKey(oc.dept), oc, id)
			add(noCoordsKey(oc.dept), oc, id)
		}
	}
	ix.book = newCodeBook(bb)
	ix.buckets = make(map[any]*codeBucket, len(bb))
	for k, es := range bb {
		_, cell := k.(cellKey)
		ix.buckets[k] = newCodeBucket(es, ix.book, cell)
	}
	ix.pool.New = func() any { return &scratch{} }
	return ix
}

// placeKey sorts places: remote first, then by grid cell, then those
// without coordinates by département.
func placeKey(remote bool, p Place) int64 {
	switch {
	case remote:
		return math.MinInt64
	case p.Coords != nil:
		return int64(cellOf(p.Coords.Lat, p.Coords.Lon))
	}
	h := fnv.New64a()
	h.Write([]byte(normDept(p.Department)))
	return math.MaxInt64 - int64(h.Sum64()>>2)
}

// placeOrder is positions 0 to n-1 ordered by their place key, then code,
// then position.
func placeOrder[C cmp.Ordered](n int, key func(i int) (int64, C)) []int32 {
	type sortKey struct {
		place int64
		code  C
		i     int32
	}
	keys := make([]sortKey, n)
	for i := range keys {
		keys[i].place, keys[i].code = key(i)
		keys[i].i = int32(i)
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		return cmp.Or(cmp.Compare(a.place, b.place), cmp.Compare(a.code, b.code), cmp.Compare(a.i, b.i))
	})
	order := make([]int32, n)
	for i, k := range keys {
		order[i] = k.i
	}
	return order
}

func sectorCode(sector string) (romeID, bool) {
	switch len(sector) {
	case 1:
		return parseCode(sector + "0000")
	case 3:
		return parseCode(sector + "00")
	case 5:
		return parseCode(sector)
	}
	return 0, false
}

func normDept(d string) string { return strings.ToUpper(strings.TrimSpace(d)) }

// PairsScored is how many pairs the index's queries have checked and scored
// so far.
func (ix *OpeningIndex) PairsScored() int64 { return ix.scored.Load() }

// TopOpenings returns the k eligible openings with the best scores for s,
// best first (score descending, then opening ID), fully evaluated.
func (ix *OpeningIndex) TopOpenings(s *Seeker, k int, now time.Time) []Suggestion {
	sc := ix.prepSeeker(s)
	top := ix.top(&sc, k, now, nil)
	out := make([]Suggestion, len(top))
	for i, t := range top {
		out[i] = Suggestion{Index: int(ix.order[t.id]), Evaluation: ix.e.evaluateEligible(&sc, &ix.prep[t.id], now, nil)}
	}
	return out
}

// prepSeeker prepares a seeker for this index's queries.
func (ix *OpeningIndex) prepSeeker(s *Seeker) seekerCtx {
	sc := ix.e.prepSeeker(s)
	sc.skillIDs, sc.dict = ix.dict.lookup(sc.skills, nil), ix.dict
	return sc
}

// bestProximity is the ROME class for the seeker of an opening code
// numbered n, cached for the query in scr.
func (ix *OpeningIndex) bestProximity(sc *seekerCtx, scr *scratch, c romeID, n int32) Proximity {
	if scr.clsGen[n] == scr.gen {
		return scr.cls[n]
	}
	best := ProximityNone
	for i := range sc.codes {
		best = max(best, sc.codes[i].proximity(c))
	}
	scr.clsGen[n], scr.cls[n] = scr.gen, best
	return best
}

// frenchOK is the French constraint on levels alone.
func frenchOK(held, req French) bool {
	for k, r := range req {
		if r != LevelNone && max(held[k], BelowA1) < r {
			return false
		}
	}
	return true
}

// top runs a query and returns the k best (internal opening position,
// score); when dst is given it is reused.
func (ix *OpeningIndex) top(sc *seekerCtx, k int, now time.Time, dst []scored) []scored {
	if k <= 0 {
		return dst[:0]
	}
	scr := ix.pool.Get().(*scratch)
	defer ix.pool.Put(scr)
	scr.reset(len(ix.openings), len(ix.book.codes))
	lvl := max(sc.maxLevel, BelowA1)
	today := dayNum(now)
	id := func(i int32) string { return ix.prep[i].o.ID }
	// With k at least the number of openings nothing can be cut: keep all
	// and sort once rather than insert into an ordered top.
	all := k >= len(ix.openings)

	// The place buckets the seeker reaches, with the best distance value
	// their openings can have, nearest first.
	bs := scr.buckets[:0]
	if b := ix.buckets[remoteKey{}]; b != nil {
		bs = append(bs, placeBucket{b, 1})
	}
	if sc.hasCoords && sc.s.MaxKm > 0 {
		c := sc.s.Place.Coords
		maxKm := sc.s.MaxKm
		cellsWithin(c.Lat, c.Lon, maxKm, func(k cellKey, d float64) {
			if b := ix.buckets[k]; b != nil {
				bs = append(bs, placeBucket{b, clamp01(1 - 0.9*d/maxKm)})
			}
		})
		if b := ix.buckets[noCoordsKey(sc.dept)]; b != nil {
			bs = append(bs, placeBucket{b, 0.5})
		}
	} else if b := ix.buckets[deptKey(sc.dept)]; b != nil {
		bs = append(bs, placeBucket{b, 0.5})
	}
	slices.SortStableFunc(bs, func(a, b placeBucket) int { return cmp.Compare(b.dist, a.dist) })
	scr.buckets = bs

	n := int64(0)
	held := sc.s.French
	wRome, wDist, wFrench, wSkills := ix.e.w[cROME], ix.e.w[cDistance], ix.e.w[cFrench], ix.e.w[cSkills]
	sigS := skillSig(sc.skillIDs)
	// The outcome component is at most the seeker's best outcome value
	// (mentor openings have none: then it bounds nothing).
	outcomeLoss := 0.0
	if !ix.mentors {
		outcomeLoss = ix.e.w[cOutcome] * (1 - slices.Max(sc.outcomes[:]))
	}
	// group visits a code group of class p in a bucket at distance value at
	// most dist. Once the top is full, an opening whose score could not
	// enter it, given its class, distance, the French levels it requires
	// and how many of its skills the seeker may hold (both read from the
	// bucket), is passed over unread.
	group := func(b *codeBucket, g int, p Proximity, dist float64) {
		loss := wRome*(1-p.value()) + outcomeLoss
		es := b.es[b.groups[g].start:b.groups[g+1].start]
		for j := range es {
			e := &es[j]
			if e.lv > lvl {
				break
			}
			oi := e.id
			if scr.seen[oi] == scr.gen || !frenchOK(held, e.fr) {
				continue
			}
			scr.seen[oi] = scr.gen
			km := -1.0 // measured below for the bound, then reused
			if len(scr.top) == k {
				fit, _, _ := frenchFit(held, e.fr)
				l := loss + wFrench*(1-fit)
				if a := int(e.asked); a != manySkills {
					l += wSkills * (1 - skillsAtMost(e.sig, sigS, a, a))
				}
				kth := scr.top[k-1].score
				if kth > 1-(l+wDist*(1-dist))/ix.norm+1e-9 {
					continue
				}
				// In a cell, the opening's own distance value (the score's)
				// may still leave it out.
				if b.located {
					at := &e.at
					km = distanceRad(sc.lat, sc.lon, sc.cosLat, at.lat, at.lon, at.cosLat)
					if kth > 1-(l+wDist*(1-clamp01(1-0.9*km/sc.s.MaxKm)))/ix.norm+1e-9 {
						continue
					}
				}
			}
			n++
			oc := &ix.prep[oi]
			hint := p
			if oc.noHint {
				hint = noHint
			}
			if score, ok := ix.e.quickAt(sc, oc, now, today, hint, km); ok {
				if all {
					scr.top = append(scr.top, scored{oi, score})
				} else {
					scr.top = offer(scr.top, k, scored{oi, score}, id)
				}
			}
		}
	}
	// beaten reports whether no opening of ROME class p at distance value
	// at most dist can enter the top k: the outcome counts the seeker's
	// best value, every other component 1.
	beatenBy := func(p Proximity, dist, loss float64) bool {
		if len(scr.top) < k {
			return false
		}
		ub := 1 - (wRome*(1-p.value())+wDist*(1-dist)+outcomeLoss+loss)/ix.norm
		return scr.top[k-1].score > ub+1e-9
	}
	beaten := func(p Proximity, dist float64) bool { return beatenBy(p, dist, 0) }
	done := func(p Proximity) bool { return beaten(p, 1) }
	// visitRange visits, in every bucket, the code groups in [lo, hi] whose
	// class for the seeker is p.
	visitRange := func(lo, hi romeID, p Proximity) {
		num, ok := ix.book.start(lo, hi)
		if !ok {
			return
		}
		point := lo == hi
		for _, pb := range bs {
			if beaten(p, pb.dist) {
				continue
			}
			b := pb.b
			if point && !b.holds(num) {
				continue
			}
			for g := b.group(num); b.groups[g].code <= hi; g++ {
				if c := b.groups[g].code; c != 0 && ix.bestProximity(sc, scr, c, b.groups[g].num) != p {
					continue
				}
				if b.noneHeld(g, sigS) && beatenBy(p, pb.dist, wSkills) {
					continue
				}
				group(b, g, p, pb.dist)
			}
		}
	}

	visitRange(0, 0, ProximitySame) // openings for any trade score 1 on ROME
	if len(sc.codes) == 0 {
		// No project nor past job: every trade is allowed, none is close.
		visitRange(1, romeID(15*10000), ProximityNone)
	} else {
		if !done(ProximitySame) {
			for _, c := range sc.codes {
				visitRange(c.id, c.id, ProximitySame)
			}
		}
		if !done(ProximityMobility) {
			for _, c := range sc.codes {
				for _, l := range ix.e.tax.linkedFrom(c.id) {
					visitRange(l, l, ProximityMobility)
				}
			}
		}
		if !done(ProximityDomain) {
			for i, c := range sc.codes {
				if !slices.ContainsFunc(sc.codes[:i], func(x seekerCode) bool { return x.id.domain() == c.id.domain() }) {
					d := romeID(c.id.domain() * 100)
					visitRange(d, d+99, ProximityDomain)
				}
			}
		}
		if !done(ProximityFamily) {
			for i, c := range sc.codes {
				if !slices.ContainsFunc(sc.codes[:i], func(x seekerCode) bool { return x.id.family() == c.id.family() }) {
					f := romeID(c.id.family() * 10000)
					visitRange(f, f+9999, ProximityFamily)
				}
			}
		}
		if !done(ProximityNone) {
			// Families reached only through mobility links.
			var own uint16
			for _, c := range sc.codes {
				own |= familyBit(c.id.family())
			}
			for f := uint32(1); f <= 14; f++ {
				if sc.families&familyBit(f) != 0 && own&familyBit(f) == 0 {
					visitRange(romeID(f*10000), romeID(f*10000+9999), ProximityNone)
				}
			}
		}
	}
	ix.scored.Add(n)
	if all {
		// Every eligible opening was kept: order them once.
		slices.SortFunc(scr.top, func(a, b scored) int {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return strings.Compare(id(a.id), id(b.id))
		})
	}
	return append(dst[:0], scr.top...)
}

// SeekerIndex finds the best seekers for an opening. Build it once per set
// of seekers; it is safe for concurrent queries. It works as OpeningIndex
// does, from the other side: seekers grouped by place and by each of their
// ROME codes, visited from the closest codes to the opening's to the
// farthest, nearest places first, until the k-th best beats what is left.
type SeekerIndex struct {
	e       *Engine
	seekers []Seeker
	prep    []seekerCtx
	buckets map[any]*codeBucket
	book    *codeBook
	maxKm   float64
	dict    *labelDict
	pool    sync.Pool
	scored  atomic.Int64
}

type allKey struct{}

// NewSeekerIndex indexes seekers for TopSeekers. The index keeps the
// slice: do not modify it while in use.
func (e *Engine) NewSeekerIndex(seekers []Seeker) *SeekerIndex {
	ix := &SeekerIndex{e: e, seekers: seekers, prep: make([]seekerCtx, len(seekers)), dict: &labelDict{ids: map[string]uint32{}}}
	bb := map[any][]codeEntry{}
	add := func(key any, sc *seekerCtx, lvl Level, id int32) {
		sig := skillSig(sc.skillIDs)
		if len(sc.codes) == 0 {
			bb[key] = append(bb[key], codeEntry{0, bucketEntry{id: id, lv: lvl, fr: sc.s.French, sig: sig}})
		}
		for i, c := range sc.codes {
			if !slices.ContainsFunc(sc.codes[:i], func(x seekerCode) bool { return x.id == c.id }) {
				bb[key] = append(bb[key], codeEntry{c.id, bucketEntry{id: id, lv: lvl, fr: sc.s.French, sig: sig}})
			}
		}
	}
	for i := range seekers {
		s := &seekers[i]
		ix.prep[i] = e.prepSeeker(s)
		sc := &ix.prep[i]
		sc.skillIDs, sc.dict = ix.dict.add(sc.skills), ix.dict
		id := int32(i)
		lvl := max(sc.maxLevel, BelowA1)
		add(allKey{}, sc, lvl, id)
		add(deptKey(sc.dept), sc, lvl, id)
		if sc.hasCoords && s.MaxKm > 0 {
			add(cellOf(s.Place.Coords.Lat, s.Place.Coords.Lon), sc, lvl, id)
			ix.maxKm = max(ix.maxKm, s.MaxKm)
		} else {
			add(noCoordsKey(sc.dept), sc, lvl, id)
		}
	}
	ix.book = newCodeBook(bb)
	ix.buckets = make(map[any]*codeBucket, len(bb))
	for k, es := range bb {
		ix.buckets[k] = newCodeBucket(es, ix.book, false)
	}
	ix.pool.New = func() any { return &scratch{} }
	return ix
}

// PairsScored is how many pairs the index's queries have checked and scored
// so far.
func (ix *SeekerIndex) PairsScored() int64 { return ix.scored.Load() }

// TopSeekers returns the k eligible seekers with the best scores for o,
// best first (score descending, then seeker ID), fully evaluated.
func (ix *SeekerIndex) TopSeekers(o *Opening, k int, now time.Time) []Suggestion {
	if k <= 0 {
		return nil
	}
	oc := ix.e.prepOpening(o)
	oc.setSkillIDs(ix.dict.lookup(oc.skills, nil), ix.dict)
	scr := ix.pool.Get().(*scratch)
	defer ix.pool.Put(scr)
	scr.reset(len(ix.seekers), len(ix.book.codes))
	today := dayNum(now)
	id := func(i int32) string { return ix.seekers[i].ID }
	tax := ix.e.tax

	// The opening's codes, and a mentor's sector as one more code that is
	// never farther than the real ones (then the class is only a bound).
	codes := oc.codes
	// An opening for any trade meets every seeker at any class: no hint.
	hintOK := !oc.anyTrade
	if c, ok := sectorCode(oc.sector); ok && !slices.Contains(codes, c) {
		codes = append(slices.Clip(codes), c)
		hintOK = false
	}
	class := func(c romeID, n int32) Proximity {
		if scr.clsGen[n] == scr.gen {
			return scr.cls[n]
		}
		best := ProximityNone
		for _, g := range codes {
			best = max(best, tax.proximity(c, g))
		}
		scr.clsGen[n], scr.cls[n] = scr.gen, best
		return best
	}

	// The place buckets that may hold seekers in reach, nearest first.
	bs := scr.buckets[:0]
	switch {
	case o.Remote:
		if b := ix.buckets[allKey{}]; b != nil {
			bs = append(bs, placeBucket{b, 1})
		}
	case oc.hasCoords:
		c := o.Place.Coords
		cellsWithin(c.Lat, c.Lon, ix.maxKm, func(k cellKey, d float64) {
			if b := ix.buckets[k]; b != nil {
				bs = append(bs, placeBucket{b, clamp01(1 - 0.9*d/ix.maxKm)})
			}
		})
		if b := ix.buckets[noCoordsKey(oc.dept)]; b != nil {
			bs = append(bs, placeBucket{b, 0.5})
		}
	default:
		if b := ix.buckets[deptKey(oc.dept)]; b != nil {
			bs = append(bs, placeBucket{b, 0.5})
		}
	}
	slices.SortStableFunc(bs, func(a, b placeBucket) int { return cmp.Compare(b.dist, a.dist) })
	scr.buckets = bs

	norm := ix.e.norm[0]
	if oc.mentor {
		norm = ix.e.norm[1]
	}
	wRome, wDist, wFrench, wSkills := ix.e.w[cROME], ix.e.w[cDistance], ix.e.w[cFrench], ix.e.w[cSkills]
	sigO := skillSig(oc.skillIDs)
	beatenBy := func(p Proximity, dist, loss float64) bool {
		if len(scr.top) < k {
			return false
		}
		ub := 1 - (wRome*(1-p.value())+wDist*(1-dist)+loss)/norm
		return scr.top[k-1].score > ub+1e-9
	}
	beaten := func(p Proximity, dist float64) bool { return beatenBy(p, dist, 0) }
	req := oc.french
	n := int64(0)
	// group visits a code group as OpeningIndex's does, passing over the
	// seekers whose French levels and skills (read from the bucket) leave
	// them out of the top.
	group := func(b *codeBucket, g int, p Proximity, dist float64) {
		loss := wRome*(1-p.value()) + wDist*(1-dist)
		// Seekers are in increasing level: walk down while they reach the
		// highest level required.
		es := b.es[b.groups[g].start:b.groups[g+1].start]
		for j := len(es) - 1; j >= 0 && es[j].lv >= oc.reqMax; j-- {
			e := &es[j]
			si := e.id
			if scr.seen[si] == scr.gen || !frenchOK(e.fr, req) {
				continue
			}
			scr.seen[si] = scr.gen
			if len(scr.top) == k {
				fit, _, _ := frenchFit(e.fr, req)
				l := loss + wFrench*(1-fit)
				l += wSkills * (1 - skillsAtMost(sigO, e.sig, len(oc.skillIDs), int(oc.asked)))
				if scr.top[k-1].score > 1-l/norm+1e-9 {
					continue
				}
			}
			n++
			hint := p
			if !hintOK {
				hint = noHint
			}
			if score, ok := ix.e.quick(&ix.prep[si], &oc, now, today, hint); ok {
				scr.top = offer(scr.top, k, scored{si, score}, id)
			}
		}
	}
	visitRange := func(lo, hi romeID, p Proximity) {
		num, ok := ix.book.start(lo, hi)
		if !ok {
			return
		}
		point := lo == hi
		for _, pb := range bs {
			if beaten(p, pb.dist) {
				continue
			}
			b := pb.b
			if point && !b.holds(num) {
				continue
			}
			for g := b.group(num); b.groups[g].code <= hi; g++ {
				if c := b.groups[g].code; c != 0 && len(oc.codes) > 0 && !oc.anyTrade && class(c, b.groups[g].num) != p {
					continue
				}
				// Skills asked, none of them held by the group's seekers.
				if oc.asked > 0 && b.groups[g].sig&sigO == 0 && beatenBy(p, pb.dist, wSkills) {
					continue
				}
				group(b, g, p, pb.dist)
			}
		}
	}

	switch {
	case len(oc.codes) == 0 || oc.anyTrade:
		// An opening for any trade: every seeker, ROME counting at most 1.
		visitRange(0, romeID(15*10000), ProximitySame)
	default:
		for _, p := range []Proximity{ProximitySame, ProximityMobility, ProximityDomain, ProximityFamily} {
			if beaten(p, 1) {
				break
			}
			for i, g := range codes {
				switch p {
				case ProximitySame:
					visitRange(g, g, p)
				case ProximityMobility:
					for _, c := range tax.linkedTo(g) {
						visitRange(c, c, p)
					}
				case ProximityDomain:
					if !slices.ContainsFunc(codes[:i], func(x romeID) bool { return x.domain() == g.domain() }) {
						visitRange(romeID(g.domain()*100), romeID(g.domain()*100+99), p)
					}
				case ProximityFamily:
					if !slices.ContainsFunc(codes[:i], func(x romeID) bool { return x.family() == g.family() }) {
						visitRange(romeID(g.family()*10000), romeID(g.family()*10000+9999), p)
					}
				}
			}
		}
		if !beaten(ProximityNone, 1) {
			// Seekers without a code, and those whose codes reach the
			// opening's families only through mobility links.
			visitRange(0, 0, ProximityNone)
			for f := uint32(1); f <= 14; f++ {
				if oc.families&familyBit(f) != 0 {
					for _, c := range tax.intoFamily(f) {
						visitRange(c, c, ProximityNone)
					}
				}
			}
		}
	}
	ix.scored.Add(n)
	out := make([]Suggestion, len(scr.top))
	for i, t := range scr.top {
		out[i] = Suggestion{Index: int(t.id), Evaluation: ix.e.evaluateEligible(&ix.prep[t.id], &oc, now, nil)}
	}
	return out
}
