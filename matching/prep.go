package matching

import (
	"math"
	"slices"
	"strings"
)

// Origins of a seeker's ROME code.
const (
	basisProject = "project"
	basisPastJob = "pastJob"
)

type seekerCode struct {
	id     romeID
	code   string
	origin string
}

// seekerCtx is a seeker prepared once for many pairs: codes packed, labels
// normalised and sorted, coordinates in radians.
type seekerCtx struct {
	s         *Seeker
	codes     []seekerCode
	families  uint16 // families of the codes and of the codes they link to
	skills    []string
	licences  []string
	languages []string
	interests []string
	maxLevel  Level
	hasCoords bool
	lat, lon  float64
}

// openingCtx is an opening prepared once for many pairs.
type openingCtx struct {
	o         *Opening
	codes     []romeID
	families  uint16 // families of the codes (and a mentor's sector)
	sector    string
	skills    []string
	licences  []string
	languages []string
	interests []string
	reqMax    Level
	hasCoords bool
	lat, lon  float64
}

func familyBit(f uint32) uint16 { return 1 << (f - 1) }

func (e *Engine) prepSeeker(s *Seeker) seekerCtx {
	sc := seekerCtx{s: s}
	add := func(codes []string, origin string) {
		for _, c := range codes {
			if id, ok := parseCode(c); ok {
				sc.codes = append(sc.codes, seekerCode{id: id, code: strings.ToUpper(strings.TrimSpace(c)), origin: origin})
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
	sc.languages = normSet(s.Languages, NormalizeLabel)
	sc.interests = normSet(s.Interests, NormalizeLabel)
	sc.maxLevel = s.French.Max()
	if c := s.Place.Coords; c != nil {
		sc.hasCoords, sc.lat, sc.lon = true, c.Lat*math.Pi/180, c.Lon*math.Pi/180
	}
	return sc
}

func (e *Engine) prepOpening(o *Opening) openingCtx {
	oc := openingCtx{o: o}
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
	oc.skills = normSet(o.Skills, NormalizeLabel)
	oc.licences = normSet(o.Licences, normLicence)
	oc.languages = normSet(o.Languages, NormalizeLabel)
	oc.interests = normSet(o.Interests, NormalizeLabel)
	oc.reqMax = o.French.Max()
	if c := o.Place.Coords; c != nil {
		oc.hasCoords, oc.lat, oc.lon = true, c.Lat*math.Pi/180, c.Lon*math.Pi/180
	}
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
