package matching_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/pmsmp"
)

// poolShape describes a synthetic pool with the structure of real data:
// ROME codes clustered by family (a few families dominate refugee
// employment), a few départements around their main towns, mixed French
// levels, requirements and availabilities.
type poolShape struct {
	seekers, openings int
	kind              matching.Kind
	// odd adds the rarer cases: remote openings, places without coordinates,
	// seekers without a project, mentors with several trades, declines,
	// people and openings without skills, openings asking for many.
	odd bool
}

type dept struct {
	code     string
	lat, lon float64
}

var poolDepts = []dept{
	{"69", 45.76, 4.84}, {"38", 45.19, 5.72}, {"42", 45.44, 4.39}, {"01", 46.20, 5.22}, {"63", 45.78, 3.08}, {"26", 44.93, 4.89},
}

// family weights: hospitality, building, logistics, cleaning and care,
// industry, agriculture, retail first.
var poolFamilies = []struct {
	letter string
	weight int
}{
	{"G", 18}, {"F", 15}, {"N", 15}, {"K", 14}, {"H", 12}, {"A", 8}, {"D", 8}, {"I", 4}, {"J", 3}, {"M", 2}, {"E", 1},
}

func poolCodes() map[string][]string {
	out := map[string][]string{}
	for _, c := range matching.DefaultTaxonomy().Codes() {
		out[c[:1]] = append(out[c[:1]], c)
	}
	return out
}

type poolGen struct {
	r     *rand.Rand
	codes map[string][]string
	now   time.Time
}

func (g *poolGen) family() string {
	total := 0
	for _, f := range poolFamilies {
		total += f.weight
	}
	n := g.r.IntN(total)
	for _, f := range poolFamilies {
		if n < f.weight {
			return f.letter
		}
		n -= f.weight
	}
	return "G"
}

func (g *poolGen) code(fam string) string {
	cs := g.codes[fam]
	return cs[g.r.IntN(len(cs))]
}

func (g *poolGen) skills(fam string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s skill %d", strings.ToLower(fam), g.r.IntN(8))
	}
	return out
}

func (g *poolGen) place(noCoords bool) matching.Place {
	d := poolDepts[g.r.IntN(len(poolDepts))]
	p := matching.Place{Department: d.code}
	if !noCoords {
		p.Coords = &matching.LatLon{Lat: d.lat + g.r.NormFloat64()*0.12, Lon: d.lon + g.r.NormFloat64()*0.16}
	}
	return p
}

func (g *poolGen) level(lo, hi matching.Level) matching.Level {
	return lo + matching.Level(g.r.IntN(int(hi-lo)+1))
}

var poolLanguages = []string{"ar", "ps", "fa", "ti", "so", "uk", "ru", "en", "fr"}
var poolInterests = []string{"football", "cuisine", "musique", "randonnée", "lecture", "jardinage", "informatique", "dessin"}

func (g *poolGen) pick(from []string, n int) []string {
	out := make([]string, 0, n)
	for range n {
		out = append(out, from[g.r.IntN(len(from))])
	}
	return out
}

func (g *poolGen) seeker(i int, odd bool) matching.Seeker {
	fam := g.family()
	s := matching.Seeker{
		ID:              fmt.Sprintf("s%06d", i),
		Project:         []string{g.code(fam)},
		Skills:          g.skills(fam, 2+g.r.IntN(3)),
		Place:           g.place(odd && g.r.IntN(10) == 0),
		MaxKm:           float64(5 + g.r.IntN(26)),
		Vehicle:         g.r.IntN(4) == 0,
		PublicTransport: g.r.IntN(5) != 0,
		Days:            matching.WorkingWeek,
		Languages:       g.pick(poolLanguages, 1+g.r.IntN(2)),
		Interests:       g.pick(poolInterests, g.r.IntN(3)),
	}
	for k := range s.French {
		s.French[k] = g.level(matching.BelowA1, matching.B2)
	}
	if g.r.IntN(2) == 0 {
		f := fam
		if g.r.IntN(3) == 0 {
			f = g.family()
		}
		s.PastJobs = []string{g.code(f)}
	}
	if g.r.IntN(3) == 0 {
		s.AvailableFrom = g.now.AddDate(0, 0, g.r.IntN(60))
	}
	switch g.r.IntN(4) {
	case 0:
		s.HoursPerWeek = 24
	case 1:
		s.HoursPerWeek = 35
	}
	if g.r.IntN(5) == 0 {
		s.Days |= matching.Saturday
	}
	if g.r.IntN(6) == 0 {
		s.Licences = []string{"B"}
	}
	if g.r.IntN(8) == 0 {
		s.Diplomas = []matching.Diploma{{Level: 3 + g.r.IntN(4), Field: fam, Recognition: []matching.Recognition{matching.RecognitionRecognised, matching.RecognitionPending, matching.RecognitionNone}[g.r.IntN(3)]}}
	}
	if odd {
		if g.r.IntN(15) == 0 {
			s.Project, s.PastJobs = nil, nil
		}
		if g.r.IntN(10) == 0 {
			s.Skills = nil
		}
		if g.r.IntN(10) == 0 {
			s.MaxKm = 0
		}
		if g.r.IntN(10) == 0 {
			s.Declines = map[string]time.Time{fmt.Sprintf("o%06d", g.r.IntN(50)): g.now.AddDate(0, 0, 90-g.r.IntN(120))}
		}
		if g.r.IntN(8) == 0 {
			s.PMSMPHistory = []pmsmp.Convention{{ID: "c" + s.ID, BeneficiaryID: s.ID, HostID: fmt.Sprintf("h%d", g.r.IntN(5)),
				Objective: pmsmp.Discover, Start: g.now.AddDate(0, -3, 0), End: g.now.AddDate(0, -3, 20)}}
		}
	}
	return s
}

func (g *poolGen) opening(i int, kind matching.Kind, odd bool) matching.Opening {
	fam := g.family()
	o := matching.Opening{
		ID:       fmt.Sprintf("o%06d", i),
		Kind:     kind,
		ROME:     []string{g.code(fam)},
		Skills:   g.skills(fam, 1+g.r.IntN(3)),
		Place:    g.place(odd && g.r.IntN(10) == 0),
		Start:    g.now.AddDate(0, 0, 1+g.r.IntN(60)),
		Days:     matching.WorkingWeek,
		Capacity: 1 + g.r.IntN(5),
	}
	if g.r.IntN(10) < 6 {
		req := g.level(matching.A1, matching.B1)
		o.French[matching.OralComprehension], o.French[matching.OralProduction] = req, req
		if g.r.IntN(3) == 0 {
			o.French[matching.WrittenComprehension] = req - 1
		}
	}
	switch g.r.IntN(3) {
	case 0:
		o.HoursPerWeek = 35
	case 1:
		o.HoursPerWeek = 24
	}
	if g.r.IntN(10) == 0 {
		o.Days |= matching.Saturday
	}
	if g.r.IntN(10) == 0 {
		o.Licences = []string{"B"}
	}
	if g.r.IntN(20) == 0 {
		o.Diploma = matching.DiplomaRequirement{MinLevel: 3, Field: fam, Recognised: g.r.IntN(2) == 0}
	}
	switch kind {
	case matching.KindPMSMP:
		o.HostID = fmt.Sprintf("h%d", g.r.IntN(5))
		o.Objective = []pmsmp.Objective{pmsmp.Discover, pmsmp.Confirm, pmsmp.Recruit}[g.r.IntN(3)]
		o.End = pmsmp.MaxEnd(o.Start).AddDate(0, 0, -g.r.IntN(20))
	case matching.KindTraining:
		o.End = o.Start.AddDate(0, 2, 0)
	case matching.KindMentor:
		o.Trained = g.r.IntN(10) != 0
		o.Sector = o.ROME[0][:3]
		o.Capacity = 1 + g.r.IntN(2)
		o.Interests = g.pick(poolInterests, 1+g.r.IntN(3))
		o.Languages = g.pick(poolLanguages, 1+g.r.IntN(2))
		o.Start, o.HoursPerWeek, o.Days = time.Time{}, 0, 0
	}
	if odd {
		if g.r.IntN(12) == 0 {
			o.Remote = true
		}
		switch g.r.IntN(12) {
		case 0, 1:
			o.Skills = nil
		case 2:
			o.Skills = g.skills(fam, 12) // more than an index keeps inline
		case 3:
			if g.r.IntN(4) == 0 {
				// More than a bucket counts (255): no skills bound.
				for n := range 300 {
					o.Skills = append(o.Skills, fmt.Sprintf("%s rare %d", strings.ToLower(fam), n))
				}
			}
		}
		if g.r.IntN(15) == 0 {
			o.ROME = nil // a general course for any trade
		}
		if kind == matching.KindMentor && g.r.IntN(3) == 0 {
			o.ROME = append(o.ROME, g.code(g.family()))
		}
		if g.r.IntN(20) == 0 {
			o.Capacity = 0
		}
		if g.r.IntN(20) == 0 {
			o.End = g.now.AddDate(0, 0, -1)
		}
	}
	return o
}

// makePool builds a deterministic pool.
func makePool(seed uint64, shape poolShape, now time.Time) ([]matching.Seeker, []matching.Opening) {
	g := &poolGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), codes: poolCodes(), now: now}
	kind := shape.kind
	if kind == "" {
		kind = matching.KindJob
	}
	seekers := make([]matching.Seeker, shape.seekers)
	for i := range seekers {
		seekers[i] = g.seeker(i, shape.odd)
	}
	openings := make([]matching.Opening, shape.openings)
	for i := range openings {
		openings[i] = g.opening(i, kind, shape.odd)
	}
	return seekers, openings
}
