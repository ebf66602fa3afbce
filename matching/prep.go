package matching

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/pmsmp"
)

// Origins of a seeker's ROME code.
const (
	basisProject = "project"
	basisPastJob = "pastJob"
	// basisDiscover: no code close to a PMSMP to discover a trade, which
	// needs none.
	basisDiscover = "discover"
	// basisAnyTrade: an opening for any trade (a general language course):
	// nothing to compare.
	basisAnyTrade = "anyTrade"
	// basisNoCode: the seeker has no ROME code in their project or past
	// jobs, so the trade is not compared.
	basisNoCode = "noCode"
	// basisReach: no code of the seeker is close to the opening's, but its
	// ROME family is reached from them (through a mobility, or a mentor's
	// sector): what made the pair eligible.
	basisReach = "familyReach"
)

type seekerCode struct {
	id     romeID
	code   string
	origin string
	links  []romeID // the codes id links to, sorted (Taxonomy.linkedFrom)
}

// proximity is the taxonomy's proximity of opening code g to c, read from
// the links prepared with c rather than the taxonomy's map.
func (c *seekerCode) proximity(g romeID) Proximity {
	linked := false
	if c.id != g {
		_, linked = slices.BinarySearch(c.links, g)
	}
	return codeProximity(c.id, g, linked)
}

// seekerCtx is a seeker prepared once for many pairs: codes packed, labels
// normalised and sorted, coordinates in radians.
type seekerCtx struct {
	s        *Seeker
	codes    []seekerCode
	families uint16 // families of the codes and of the codes they link to
	skills   []string
	skillIDs []uint32   // skills in dict's numbering, sorted
	dict     *labelDict // set when skillIDs is valid
	licences []string
	// exchanging are the categories of an exchange in progress, expected
	// on exchangeDay (noDay when unknown).
	exchanging  []string
	exchangeDay int32
	languages   []string
	interests   []string
	maxLevel    Level
	hasCoords   bool
	centre      bool    // the coordinates are the commune's centre
	lat, lon    float64 // radians
	cosLat      float64
	dept        string
	availDay    int32 // day number of AvailableFrom, or noDay
	// outcomes are the seeker's OutcomeValues by outcome number
	// (outcomeNumber), read once rather than per pair.
	outcomes [numOutcomes + 1]float64
}

// openingCtx is an opening prepared once for many pairs, laid out for an
// index's queries: the first cache line holds what quickCheck reads to
// reject most pairs, the second what score reads of an eligible one (its
// skills), the rest what fewer pairs need. Its size, 320 bytes, keeps each
// part of an array's elements in one line.
type openingCtx struct {
	lat, lon float64 // radians
	cosLat   float64
	startDay int32 // day numbers of Start and End, or noDay
	endDay   int32
	capacity int32
	hours    int32
	// anyTrade: a PMSMP to discover a trade, open to people of every
	// trade (its codes still count for the ROME component).
	anyTrade  bool
	families  uint16 // families of the codes (and a mentor's sector)
	french    French
	reqMax    Level
	days      Weekdays
	hasCoords bool
	centre    bool // the coordinates are the commune's centre
	remote    bool
	kindOK    bool
	trained   bool
	fixedDate bool // training or PMSMP: must start after the seeker is available
	mentor    bool
	pmsmp     bool
	job       bool
	diploma   bool
	licensed  bool  // licences are required
	noHint    bool  // indexed under a mentor's sector: its group's class is no ROME proximity
	outcome   uint8 // outcomeNumber of the opening's Outcome
	uncoded   bool  // no ROME code: len(codes) == 0

	o        *Opening
	dict     *labelDict // set when skillIDs is valid
	skillIDs []uint32   // skills in dict's numbering, sorted
	// skillsIn holds skillIDs when they are at most four, so that the
	// score of most pairs reads no other memory for skills.
	skillsIn [4]uint32
	asked    int32 // how many skills the opening asks for: len(skills)

	skills    []string
	dept      string
	licences  []string
	codes     []romeID
	sector    string
	languages []string
	interests []string
	_         [40]byte // to 320 bytes (TestOpeningCtxLayout)
}

// labelDict numbers the skill labels of one index, so that its queries
// compare skills as integers. It is read-only once the index is built;
// a label it does not know gets no number (it matches nothing there).
type labelDict struct {
	ids map[string]uint32
}

// add numbers labels, adding the new ones.
func (d *labelDict) add(labels []string) []uint32 {
	out := make([]uint32, 0, len(labels))
	for _, l := range labels {
		id, ok := d.ids[l]
		if !ok {
			id = uint32(len(d.ids))
			d.ids[l] = id
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// lookup numbers the labels it knows; unknown ones match nothing and are
// left out (so only intersections with indexed labels may use the result).
func (d *labelDict) lookup(labels []string, dst []uint32) []uint32 {
	dst = dst[:0]
	for _, l := range labels {
		if id, ok := d.ids[l]; ok {
			dst = append(dst, id)
		}
	}
	slices.Sort(dst)
	return dst
}

// setSkillIDs records the opening's skills in d's numbering.
func (oc *openingCtx) setSkillIDs(ids []uint32, d *labelDict) {
	oc.skillIDs, oc.dict = ids, d
	copy(oc.skillsIn[:], ids)
}

// heldIDs counts the opening's skills among a seeker's, both numbered by
// the opening's dict.
func (oc *openingCtx) heldIDs(seeker []uint32) int {
	if n := len(oc.skillIDs); n <= len(oc.skillsIn) {
		return intersectIDs(oc.skillsIn[:n], seeker)
	}
	return intersectIDs(oc.skillIDs, seeker)
}

// intersectIDs counts the common elements of two sorted sets.
func intersectIDs(a, b []uint32) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// noDay stands for a zero date in day numbers.
const noDay = math.MinInt32

// holdsLicence reports whether the seeker holds licence l by the day the
// opening needs it (its start, or the first day the seeker can come): a
// licence valid in France, or a category of an exchange in progress
// expected by then. pending is true in the second case.
func holdsLicence(sc *seekerCtx, oc *openingCtx, today int32, l string) (held, pending bool) {
	if contains(sc.licences, l) {
		return true, false
	}
	if sc.exchangeDay == noDay || !contains(sc.exchanging, l) {
		return false, false
	}
	by := max(today, sc.availDay)
	if oc.startDay != noDay {
		by = max(by, oc.startDay)
	}
	return sc.exchangeDay <= by, sc.exchangeDay <= by
}

// dayNum is the number of t's calendar day since 1 January 1970, or noDay
// for the zero time.
func dayNum(t time.Time) int32 {
	if t.IsZero() {
		return noDay
	}
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// distance is the great-circle distance between two prepared places with
// coordinates, by the haversine formula. An index measures it for most of
// the pairs it reads, nearly all a few tens of km apart: there sin and asin
// are their Taylor series (halfAngleSeries), several times faster than the
// library's and within an ulp or two of them.
func distance(sc *seekerCtx, oc *openingCtx) float64 {
	return distanceRad(sc.lat, sc.lon, sc.cosLat, oc.lat, oc.lon, oc.cosLat)
}

// distanceRad is distance on two points in radians, with the cosines of
// their latitudes.
func distanceRad(lat1, lon1, cos1, lat2, lon2, cos2 float64) float64 {
	hl, ho := (lat2-lat1)/2, (lon2-lon1)/2
	if math.Abs(hl) > halfAngleSeries || math.Abs(ho) > halfAngleSeries {
		sl, so := math.Sin(hl), math.Sin(ho)
		a := sl*sl + cos1*cos2*so*so
		return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(a)))
	}
	sl, so := sinSeries(hl), sinSeries(ho)
	y := math.Sqrt(sl*sl + cos1*cos2*so*so)
	if y > halfAngleSeries {
		return 2 * earthKm * math.Asin(y)
	}
	return 2 * earthKm * asinSeries(y)
}

// halfAngleSeries bounds the arguments (in radians; 0.05 is half the angle
// of about 640 km) for which sinSeries and asinSeries are exact to double
// precision: the first term they leave out is below 1e-17 of the result.
const halfAngleSeries = 0.05

// sinSeries is sin x for |x| ≤ halfAngleSeries: x − x³/3! + … + x⁹/9!.
func sinSeries(x float64) float64 {
	x2 := x * x
	return x * (1 - x2/6*(1-x2/20*(1-x2/42*(1-x2/72))))
}

// asinSeries is asin y for 0 ≤ y ≤ halfAngleSeries: y + y³/6 + 3y⁵/40 +
// 5y⁷/112 + 35y⁹/1152 + 63y¹¹/2816 + 231y¹³/13312.
func asinSeries(y float64) float64 {
	y2 := y * y
	return y * (1 + y2*(1.0/6+y2*(3.0/40+y2*(5.0/112+y2*(35.0/1152+y2*(63.0/2816+y2*(231.0/13312)))))))
}

func familyBit(f uint32) uint16 { return 1 << (f - 1) }

func (e *Engine) prepSeeker(s *Seeker) seekerCtx {
	sc := seekerCtx{s: s}
	add := func(codes []string, origin string) {
		for _, c := range codes {
			if id, ok := parseCode(c); ok {
				sc.codes = append(sc.codes, seekerCode{id: id, code: strings.ToUpper(strings.TrimSpace(c)), origin: origin,
					links: e.tax.linkedFrom(id)})
				sc.families |= familyBit(id.family())
				for _, l := range e.tax.linkedFrom(id) {
					sc.families |= familyBit(l.family())
				}
			}
		}
	}
	add(s.Project, basisProject)
	add(s.PastJobs, basisPastJob)
	sc.skills = normSet(s.Skills, NormalizeLabel)
	sc.licences = normSet(s.Licences, normLicence)
	sc.exchangeDay = noDay
	if d := s.DrivingLicence; d.Status == LicenceExchangeInProgress && !d.Expected.IsZero() {
		sc.exchanging, sc.exchangeDay = normSet(d.Categories, normLicence), dayNum(d.Expected)
	}
	sc.languages = normSet(s.Languages, NormalizeLabel)
	sc.interests = normSet(s.Interests, NormalizeLabel)
	sc.maxLevel = s.French.Max()
	if c := s.Place.Coords; c != nil {
		sc.hasCoords, sc.lat, sc.lon = true, c.Lat*math.Pi/180, c.Lon*math.Pi/180
		sc.cosLat, sc.centre = math.Cos(sc.lat), s.Place.Centre
	}
	sc.dept = normDept(s.Place.Department)
	sc.availDay = dayNum(s.AvailableFrom)
	sc.outcomes[0] = 1
	for i, o := range Outcomes {
		sc.outcomes[i+1] = s.OutcomeValue(o)
	}
	return sc
}

func (e *Engine) prepOpening(o *Opening) openingCtx {
	oc := openingCtx{o: o, outcome: outcomeNumber(o.Outcome)}
	for _, c := range o.ROME {
		if id, ok := parseCode(c); ok {
			oc.codes = append(oc.codes, id)
			oc.families |= familyBit(id.family())
		}
	}
	if o.Kind == KindMentor {
		oc.sector = strings.ToUpper(strings.TrimSpace(o.Sector))
		if oc.sector != "" && oc.sector[0] >= 'A' && oc.sector[0] <= 'N' {
			oc.families |= familyBit(uint32(oc.sector[0]-'A') + 1)
		}
	}
	oc.uncoded = len(oc.codes) == 0
	oc.skills = normSet(o.Skills, NormalizeLabel)
	oc.asked = int32(len(oc.skills))
	oc.licences = normSet(o.Licences, normLicence)
	oc.licensed = len(oc.licences) > 0
	oc.languages = normSet(o.Languages, NormalizeLabel)
	oc.interests = normSet(o.Interests, NormalizeLabel)
	oc.reqMax = o.French.Max()
	if c := o.Place.Coords; c != nil {
		oc.hasCoords, oc.lat, oc.lon = true, c.Lat*math.Pi/180, c.Lon*math.Pi/180
		oc.cosLat, oc.centre = math.Cos(oc.lat), o.Place.Centre
	}
	oc.dept = normDept(o.Place.Department)
	oc.kindOK = o.Kind.Valid()
	oc.anyTrade = o.Kind == KindPMSMP && o.Objective == pmsmp.Discover
	oc.capacity = int32(max(min(o.Capacity, math.MaxInt32), math.MinInt32))
	oc.hours = int32(max(min(o.HoursPerWeek, math.MaxInt32), math.MinInt32))
	oc.french, oc.days, oc.remote, oc.trained = o.French, o.Days, o.Remote, o.Trained
	oc.fixedDate = o.Kind == KindTraining || o.Kind == KindPMSMP
	oc.mentor, oc.pmsmp, oc.job = o.Kind == KindMentor, o.Kind == KindPMSMP, o.Kind == KindJob
	oc.diploma = o.Diploma.MinLevel > 0
	oc.startDay, oc.endDay = dayNum(o.Start), dayNum(o.End)
	return oc
}

func normLicence(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }

// normSet normalises, drops empties, sorts and removes duplicates.
func normSet(in []string, norm func(string) string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, 0, len(in))
	for _, v := range in {
		if n := norm(v); n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// intersect counts the common elements of two sorted sets; when into is not
// nil, it also collects the elements of a missing from b.
func intersect(a, b []string, missing *[]string) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			if missing != nil {
				*missing = append(*missing, a[i])
			}
			i++
		default:
			j++
		}
	}
	if missing != nil {
		*missing = append(*missing, a[i:]...)
	}
	return n
}

// earthKm is the mean Earth radius.
const earthKm = 6371.0088

// haversine is the great-circle distance in km between two points given in
// radians.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	dlat := lat2 - lat1
	dlon := lon2 - lon1
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1)*math.Cos(lat2)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// DistanceKm is the great-circle distance between two points.
func DistanceKm(a, b LatLon) float64 {
	r := math.Pi / 180
	return haversine(a.Lat*r, a.Lon*r, b.Lat*r, b.Lon*r)
}
