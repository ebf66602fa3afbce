package matching_test

import (
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/matching"
)

// testNow is the instant every engine test evaluates at.
var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var lyon = &matching.LatLon{Lat: 45.75, Lon: 4.85}

// baseSeeker is a welder in Lyon who passes every constraint of baseOpening.
func baseSeeker() matching.Seeker {
	return matching.Seeker{
		ID:              "s1",
		Project:         []string{"H2913"},
		PastJobs:        []string{"H2909"},
		Skills:          []string{"Soudure TIG", "lecture de plans"},
		French:          matching.Uniform(matching.A2),
		Place:           matching.Place{Department: "69", Postcode: "69003", Coords: lyon},
		MaxKm:           20,
		PublicTransport: true,
		HoursPerWeek:    35,
		Days:            matching.WorkingWeek,
		Languages:       []string{"ar", "fr"},
		Interests:       []string{"football", "cuisine"},
	}
}

// baseOpening is a welding job at the seeker's address.
func baseOpening() matching.Opening {
	return matching.Opening{
		ID:           "o1",
		Kind:         matching.KindJob,
		ROME:         []string{"H2913"},
		Skills:       []string{"soudure tig", "Lecture de plans", "soudure MIG"},
		French:       matching.French{matching.OralComprehension: matching.A2, matching.OralProduction: matching.A2},
		Place:        matching.Place{Department: "69", Coords: &matching.LatLon{Lat: 45.75, Lon: 4.85}},
		Start:        date(2026, 12, 1),
		HoursPerWeek: 35,
		Days:         matching.WorkingWeek,
		Capacity:     2,
	}
}

func newEngine(t testing.TB) *matching.Engine {
	t.Helper()
	e, err := matching.NewEngine(matching.DefaultTaxonomy(), matching.DefaultWeights())
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	return e
}
