package matching

import (
	"cmp"
	"math"
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
// scoring every pair would. They prune on:
//   - trade: the ROME families of the opening against those of the seeker's
//     project, past jobs and their mobility links (the "trade" constraint);
//   - place: a grid of cellDeg-degree cells for places with coordinates,
//     the département otherwise (the "distance" constraint), remote
//     openings apart;
//   - level: the highest French level required against the seeker's best
//     (a necessary condition of the "french" constraint).
// Entries of a bucket are grouped by family and ordered by level, so both
// family and level pruning cut ranges without looking at what is cut.

const cellDeg = 0.1 // about 11 km of latitude, 7–8 km of longitude in France

type cellKey int64

func cellOf(latDeg, lonDeg float64) cellKey {
	return cellKey(int64(math.Floor(latDeg/cellDeg))<<32 | int64(uint32(int32(math.Floor(lonDeg/cellDeg)))))
}

// bucket lists entries grouped by family key (0 = no family, 1..14 = A..N),
// each group ordered by level key.
type bucket struct {
	ids      []int32
	lv       []Level
	famStart [16]int32
}

type entry struct {
	fam uint8
	lv  Level
	id  int32
}

// newBucket orders entries by family, then level (ascending, or descending
// when desc), then id.
func newBucket(es []entry, desc bool) *bucket {
	slices.SortFunc(es, func(a, b entry) int {
		if c := cmp.Compare(a.fam, b.fam); c != 0 {
			return c
		}
		if c := cmp.Compare(a.lv, b.lv); c != 0 {
			if desc {
				return -c
			}
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	b := &bucket{ids: make([]int32, len(es)), lv: make([]Level, len(es))}
	for i, e := range es {
		b.ids[i], b.lv[i] = e.id, e.lv
	}
	f := 0
	for i := 0; i < 16; i++ {
		for f < len(es) && int(es[f].fam) < i {
			f++
		}
		b.famStart[i] = int32(f)
	}
	return b
}

func (b *bucket) family(f int) (lo, hi int) {
	lo = int(b.famStart[f])
	hi = len(b.ids)
	if f < 15 {
		hi = int(b.famStart[f+1])
	}
	return lo, hi
}

type bucketBuilder map[any][]entry

func (bb bucketBuilder) add(key any, fams uint16, lv Level, id int32) {
	if fams == 0 {
		bb[key] = append(bb[key], entry{0, lv, id})
		return
	}
	for f := 1; f <= 14; f++ {
		if fams&familyBit(uint32(f)) != 0 {
			bb[key] = append(bb[key], entry{uint8(f), lv, id})
		}
	}
}

func (bb bucketBuilder) build(desc bool) map[any]*bucket {
	out := make(map[any]*bucket, len(bb))
	for k, es := range bb {
		out[k] = newBucket(es, desc)
	}
	return out
}

type deptKey string
type remoteKey struct{}
type noCoordsKey string

// queryFamilies lists the family groups a query visits: its own families
// and group 0 (no family), or every group when it has none.
func queryFamilies(fams uint16, buf []int) []int {
	buf = append(buf[:0], 0)
	for f := 1; f <= 14; f++ {
		if fams == 0 || fams&familyBit(uint32(f)) != 0 {
			buf = append(buf, f)
		}
	}
	return buf
}

// scratch is one query's working memory.
type scratch struct {
	seen []uint32
	gen  uint32
	fams []int
	top  []scored
}

type scored struct {
	id    int32
	score float64
}

func (sc *scratch) reset(n int) {
	if len(sc.seen) < n {
		sc.seen = make([]uint32, n)
		sc.gen = 0
	}
	sc.gen++
	if sc.gen == 0 {
		clear(sc.seen)
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
// (lat, lon) in degrees.
func cellsWithin(latDeg, lonDeg, km float64, fn func(cellKey)) {
	dLat := km / 111.19
	lat0, lat1 := math.Floor((latDeg-dLat)/cellDeg), math.Floor((latDeg+dLat)/cellDeg)
	maxLat := math.Min(89, math.Max(math.Abs(latDeg-dLat), math.Abs(latDeg+dLat)))
	dLon := km / (111.19 * math.Cos(maxLat*math.Pi/180))
	lon0, lon1 := math.Floor((lonDeg-dLon)/cellDeg), math.Floor((lonDeg+dLon)/cellDeg)
	r := math.Pi / 180
	for a := lat0; a <= lat1; a++ {
		for o := lon0; o <= lon1; o++ {
			// Skip cells whose nearest point is out of reach.
			nl := math.Max(a*cellDeg, math.Min(latDeg, (a+1)*cellDeg))
			no := math.Max(o*cellDeg, math.Min(lonDeg, (o+1)*cellDeg))
			if haversine(latDeg*r, lonDeg*r, nl*r, no*r) > km {
				continue
			}
			fn(cellKey(int64(a)<<32 | int64(uint32(int32(o)))))
		}
	}
}

// OpeningIndex finds the best openings for a seeker. Build it once per set
// of openings (capacities included); it is safe for concurrent queries.
type OpeningIndex struct {
	e        *Engine
	openings []Opening
	prep     []openingCtx
	buckets  map[any]*bucket
	pool     sync.Pool
	scored   atomic.Int64
}

// NewIndex indexes openings for TopOpenings. Openings without capacity left
// are left out. The index keeps the slice: do not modify it while in use.
func (e *Engine) NewIndex(openings []Opening) *OpeningIndex {
	ix := &OpeningIndex{e: e, openings: openings, prep: make([]openingCtx, len(openings))}
	bb := bucketBuilder{}
	for i := range openings {
		o := &openings[i]
		ix.prep[i] = e.prepOpening(o)
		if o.Capacity <= 0 {
			continue
		}
		oc := &ix.prep[i]
		id := int32(i)
		switch {
		case o.Remote:
			bb.add(remoteKey{}, oc.families, oc.reqMax, id)
		case oc.hasCoords:
			bb.add(cellOf(o.Place.Coords.Lat, o.Place.Coords.Lon), oc.families, oc.reqMax, id)
			bb.add(deptKey(normDept(o.Place.Department)), oc.families, oc.reqMax, id)
		default:
			bb.add(deptKey(normDept(o.Place.Department)), oc.families, oc.reqMax, id)
			bb.add(noCoordsKey(normDept(o.Place.Department)), oc.families, oc.reqMax, id)
		}
	}
	ix.buckets = bb.build(false)
	ix.pool.New = func() any { return &scratch{} }
	return ix
}

func normDept(d string) string { return strings.ToUpper(strings.TrimSpace(d)) }

// PairsScored is how many pairs the index's queries have checked and scored
// so far.
func (ix *OpeningIndex) PairsScored() int64 { return ix.scored.Load() }

// TopOpenings returns the k eligible openings with the best scores for s,
// best first (score descending, then opening ID), fully evaluated.
func (ix *OpeningIndex) TopOpenings(s *Seeker, k int, now time.Time) []Suggestion {
	sc := ix.e.prepSeeker(s)
	top := ix.top(&sc, k, now, nil)
	out := make([]Suggestion, len(top))
	for i, t := range top {
		out[i] = Suggestion{Index: int(t.id), Evaluation: ix.e.evaluate(&sc, &ix.prep[t.id], now)}
	}
	return out
}

// top runs a query and returns the k best (opening index, score); when dst
// is given it is reused.
func (ix *OpeningIndex) top(sc *seekerCtx, k int, now time.Time, dst []scored) []scored {
	if k <= 0 {
		return dst[:0]
	}
	scr := ix.pool.Get().(*scratch)
	defer ix.pool.Put(scr)
	scr.reset(len(ix.openings))
	lvl := max(sc.maxLevel, BelowA1)
	scr.fams = queryFamilies(sc.families, scr.fams)
	id := func(i int32) string { return ix.openings[i].ID }
	n := int64(0)
	visit := func(b *bucket) {
		if b == nil {
			return
		}
		for _, f := range scr.fams {
			lo, hi := b.family(f)
			for j := lo; j < hi && b.lv[j] <= lvl; j++ {
				oi := b.ids[j]
				if scr.seen[oi] == scr.gen {
					continue
				}
				scr.seen[oi] = scr.gen
				n++
				if score, ok := ix.e.quick(sc, &ix.prep[oi], now); ok {
					scr.top = offer(scr.top, k, scored{oi, score}, id)
				}
			}
		}
	}
	visit(ix.buckets[remoteKey{}])
	dept := normDept(sc.s.Place.Department)
	if sc.hasCoords && sc.s.MaxKm > 0 {
		c := sc.s.Place.Coords
		cellsWithin(c.Lat, c.Lon, sc.s.MaxKm, func(k cellKey) { visit(ix.buckets[k]) })
		visit(ix.buckets[noCoordsKey(dept)])
	} else {
		visit(ix.buckets[deptKey(dept)])
	}
	ix.scored.Add(n)
	return append(dst[:0], scr.top...)
}

// SeekerIndex finds the best seekers for an opening. Build it once per set
// of seekers; it is safe for concurrent queries.
type SeekerIndex struct {
	e       *Engine
	seekers []Seeker
	prep    []seekerCtx
	buckets map[any]*bucket
	maxKm   float64
	pool    sync.Pool
	scored  atomic.Int64
}

type allKey struct{}

// NewSeekerIndex indexes seekers for TopSeekers. The index keeps the
// slice: do not modify it while in use.
func (e *Engine) NewSeekerIndex(seekers []Seeker) *SeekerIndex {
	ix := &SeekerIndex{e: e, seekers: seekers, prep: make([]seekerCtx, len(seekers))}
	bb := bucketBuilder{}
	for i := range seekers {
		s := &seekers[i]
		ix.prep[i] = e.prepSeeker(s)
		sc := &ix.prep[i]
		id := int32(i)
		lvl := max(sc.maxLevel, BelowA1)
		bb.add(allKey{}, sc.families, lvl, id)
		dept := normDept(s.Place.Department)
		bb.add(deptKey(dept), sc.families, lvl, id)
		if sc.hasCoords && s.MaxKm > 0 {
			bb.add(cellOf(s.Place.Coords.Lat, s.Place.Coords.Lon), sc.families, lvl, id)
			ix.maxKm = max(ix.maxKm, s.MaxKm)
		} else {
			bb.add(noCoordsKey(dept), sc.families, lvl, id)
		}
	}
	ix.buckets = bb.build(true)
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
	scr := ix.pool.Get().(*scratch)
	defer ix.pool.Put(scr)
	scr.reset(len(ix.seekers))
	scr.fams = queryFamilies(oc.families, scr.fams)
	req := oc.reqMax
	id := func(i int32) string { return ix.seekers[i].ID }
	n := int64(0)
	visit := func(b *bucket) {
		if b == nil {
			return
		}
		for _, f := range scr.fams {
			lo, hi := b.family(f)
			for j := lo; j < hi && b.lv[j] >= req; j++ {
				si := b.ids[j]
				if scr.seen[si] == scr.gen {
					continue
				}
				scr.seen[si] = scr.gen
				n++
				if score, ok := ix.e.quick(&ix.prep[si], &oc, now); ok {
					scr.top = offer(scr.top, k, scored{si, score}, id)
				}
			}
		}
	}
	dept := normDept(o.Place.Department)
	switch {
	case o.Remote:
		visit(ix.buckets[allKey{}])
	case oc.hasCoords:
		c := o.Place.Coords
		cellsWithin(c.Lat, c.Lon, ix.maxKm, func(k cellKey) { visit(ix.buckets[k]) })
		visit(ix.buckets[noCoordsKey(dept)])
	default:
		visit(ix.buckets[deptKey(dept)])
	}
	ix.scored.Add(n)
	out := make([]Suggestion, len(scr.top))
	for i, t := range scr.top {
		out[i] = Suggestion{Index: int(t.id), Evaluation: ix.e.evaluate(&ix.prep[t.id], &oc, now)}
	}
	return out
}
