package candidates_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parcours-emploi/parcours/candidates"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
)

func beneficiary() pathways.Beneficiary {
	return pathways.Beneficiary{
		ID: "ben_1", FirstName: "Amina", LastName: "Haidari", BirthDate: "1991-04-12", Protection: pathways.ProtectionRefugee,
		Department: "69", Address: pathways.Address{Line: "12 rue Garibaldi", Postcode: "69007", Location: &geo.Point{Lat: 45.7, Lon: 4.8}},
		French:       pathways.French{OralComprehension: "b1", WrittenComprehension: "a1", OralProduction: "a2", WrittenProduction: "below-a1"},
		Diplomas:     []pathways.Diploma{{Title: "Bac", Level: 4, Field: "j15", Recognition: "comparability-obtained"}, {Title: "Licence", Level: 6, Field: "biologie"}},
		Skills:       []pathways.Skill{{ROME: "G1602", Label: "Cuisine traditionnelle"}},
		PastJobs:     []pathways.PastJob{{ROME: "G1602", Title: "Cuisinière"}, {Title: "Couturière"}},
		Project:      pathways.Project{TargetROME: []string{"G1603"}},
		Availability: pathways.Availability{From: "2026-04-01", HoursPerWeek: 24, Days: []string{"mon", "wed"}},
		Mobility:     pathways.Mobility{MaxKm: 15, DrivingLicence: pathways.DrivingLicence{Status: pathways.LicenceFrench, Categories: []string{"B", "C"}}, PublicTransport: true},
		Languages:    []string{"ps", "fr"}, Interests: []string{"football"},
		Notes: "Suivi santé en cours.",
	}
}

func TestSeekerCarriesOnlyWhatMatchingMayUse(t *testing.T) {
	b := beneficiary()
	s := candidates.Seeker(b, candidates.SeekerExtras{Declines: map[string]time.Time{"men_1": time.Unix(0, 0)}})
	want := matching.Seeker{
		ID: "ben_1", Project: []string{"G1603"}, PastJobs: []string{"G1602"},
		Skills:         []string{"Cuisine traditionnelle", "G1602"},
		French:         matching.French{matching.B1, matching.A1, matching.A2, matching.BelowA1},
		Diplomas:       []matching.Diploma{{Level: 4, Field: "J15", Recognition: "comparability-obtained"}, {Level: 6, Field: ""}},
		Licences:       []string{"B", "C"},
		DrivingLicence: matching.DrivingLicence{Status: "french", Categories: []string{"B", "C"}},
		Place:          matching.Place{Department: "69", Postcode: "69007", Coords: &matching.LatLon{Lat: 45.7, Lon: 4.8}},
		MaxKm:          15, PublicTransport: true,
		AvailableFrom: civil.Date("2026-04-01").Time(), HoursPerWeek: 24, Days: matching.Monday | matching.Wednesday,
		Languages: []string{"ps", "fr"}, Interests: []string{"football"},
		Declines: map[string]time.Time{"men_1": time.Unix(0, 0)},
		// No programme: the IAE rule set's view of each outcome.
		OutcomeValues: map[matching.Outcome]float64{
			matching.OutcomeCDI: 1, matching.OutcomeFixedLong: 1, matching.OutcomeFixedShort: 0.9, matching.OutcomeSubsidised: 0.9,
			matching.OutcomeQualifying: 0.8, matching.OutcomeAlternance: 0.3, matching.OutcomeLanguage: 0.6, matching.OutcomePlacement: 0.6,
		},
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("seeker (-want +got):\n%s", diff)
	}
	raw, _ := json.Marshal(s)
	for _, personal := range []string{"Amina", "Haidari", "1991", "refugee", "Garibaldi", "santé", "Couturière"} {
		if strings.Contains(string(raw), personal) {
			t.Errorf("the seeker carries %q: %s", personal, raw)
		}
	}
}

func TestOpeningCapacityFollowsStatusAndTakenPlaces(t *testing.T) {
	o := jobs.Opportunity{ID: "opp_1", Kind: jobs.KindPMSMP, Status: jobs.StatusOpen, ROME: "A1414", Positions: 3,
		Start: "2026-05-04", End: "2026-05-15", PMSMP: &jobs.PMSMP{HostID: "h", Objective: "discover"},
		Diplomas: []jobs.DiplomaRequirement{{Title: "CAP", MinLevel: 3}, {Title: "BTS", MinLevel: 5, Field: "A14", Recognised: true}}}
	op := candidates.Opening(o, 1)
	if op.Capacity != 2 || op.HostID != "h" || op.Objective != "discover" || op.Diploma != (matching.DiplomaRequirement{MinLevel: 5, Field: "A14", Recognised: true}) {
		t.Errorf("opening %+v", op)
	}
	if got := candidates.Opening(o, 5).Capacity; got != 0 {
		t.Errorf("over-taken capacity %d", got)
	}
	o.Status = jobs.StatusFilled
	if got := candidates.Opening(o, 0).Capacity; got != 0 {
		t.Errorf("a filled opening has capacity %d", got)
	}
	trained := civil.Date("2026-01-01")
	m := mentoring.Mentor{ID: "men_1", Capacity: 3, Active: 1, Status: mentoring.MentorActive, TrainedAt: &trained}
	if mo := candidates.MentorOpening(m); mo.Capacity != 2 || !mo.Trained || mo.Kind != matching.KindMentor {
		t.Errorf("mentor opening %+v", mo)
	}
	m.Status = mentoring.MentorPaused
	if mo := candidates.MentorOpening(m); mo.Capacity != 0 {
		t.Errorf("a paused mentor has capacity %d", mo.Capacity)
	}
}

// TestPostcodesAloneGiveAMeasuredDistance: a beneficiary and an opening
// known by their postcodes only are placed at their communes' centres, and
// the explanation says the distance was measured from there.
func TestPostcodesAloneGiveAMeasuredDistance(t *testing.T) {
	b := beneficiary()
	b.Department, b.Address = "", pathways.Address{Postcode: "26000", City: "Valence"}
	b.Mobility.MaxKm = 40
	s := candidates.Seeker(b, candidates.SeekerExtras{})
	if s.Place.Coords == nil || !s.Place.Centre || s.Place.Department != "26" {
		t.Fatalf("seeker place = %+v, want Valence's centre in the Drôme", s.Place)
	}
	o := jobs.Opportunity{ID: "opp_9", Kind: jobs.KindJob, Status: jobs.StatusOpen, ROME: "G1603", Positions: 1,
		Place: geo.Place{Department: "26", Postcode: "26500"}}
	op := candidates.Opening(o, 0)
	if op.Place.Coords == nil || !op.Place.Centre {
		t.Fatalf("opening place = %+v, want the centre of Bourg-lès-Valence", op.Place)
	}
	ev := candidates.NewEngine().Evaluate(&s, &op, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	var dist *matching.Component
	for i := range ev.Components {
		if ev.Components[i].Name == matching.ComponentDistance {
			dist = &ev.Components[i]
		}
	}
	if dist == nil {
		t.Fatalf("no distance component: %+v", ev)
	}
	// Valence and Bourg-lès-Valence: their centres are about 3 km apart.
	if dist.Basis != "communeCentre" || dist.Measure < 1 || dist.Measure > 6 {
		t.Errorf("distance = %+v, want a few km measured between commune centres", *dist)
	}
	if got := dist.Text().FR; !strings.Contains(got, "mesurés depuis le centre de la commune") || strings.Contains(got, "non mesurée") {
		t.Errorf("the explanation reads %q", got)
	}
	// An address's own point stays what it is.
	b.Address.Location = &geo.Point{Lat: 44.93, Lon: 4.89}
	if s := candidates.Seeker(b, candidates.SeekerExtras{}); s.Place.Centre || s.Place.Coords.Lat != 44.93 {
		t.Errorf("a located address became %+v", s.Place)
	}
}

// TestOnlyAFrenchLicenceIsValid: a foreign licence or one being exchanged
// is not a licence held in France; the engine gets the situation to word
// the gap, and the day an exchange is expected.
func TestOnlyAFrenchLicenceIsValid(t *testing.T) {
	b := beneficiary()
	b.Mobility.DrivingLicence = pathways.DrivingLicence{Status: pathways.LicenceExchangeInProgress, Categories: []string{"B"}, ExchangeExpected: "2027-01-15"}
	s := candidates.Seeker(b, candidates.SeekerExtras{})
	if len(s.Licences) != 0 {
		t.Errorf("Licences = %v, want none valid in France", s.Licences)
	}
	want := matching.DrivingLicence{Status: "exchange-in-progress", Categories: []string{"B"}, Expected: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)}
	if diff := cmp.Diff(want, s.DrivingLicence); diff != "" {
		t.Errorf("DrivingLicence (-want +got):\n%s", diff)
	}
}

// TestOutcomesFollowTheProgrammesRuleSet: under AGIR, a CDI, a CDD of 6
// months, an alternance and a qualifying training are positive exits, in
// that order; a short contract is not; a placement or a language course
// are steps. Each opportunity says what it leads to.
func TestOutcomesFollowTheProgrammesRuleSet(t *testing.T) {
	want := map[matching.Outcome]float64{
		matching.OutcomeCDI: 1, matching.OutcomeFixedLong: 0.9, matching.OutcomeAlternance: 0.8, matching.OutcomeQualifying: 0.7,
		matching.OutcomeFixedShort: 0.3, matching.OutcomeSubsidised: 0.3, matching.OutcomeLanguage: 0.6, matching.OutcomePlacement: 0.6,
	}
	if diff := cmp.Diff(want, candidates.OutcomeValues(pathways.RuleSetAGIR), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("AGIR (-want +got):\n%s", diff)
	}
	job := func(contract string, months int, start, end civil.Date) jobs.Opportunity {
		return jobs.Opportunity{Kind: jobs.KindJob, Start: start, End: end, Contract: &jobs.Contract{Type: contract, Months: months}}
	}
	for _, c := range []struct {
		o    jobs.Opportunity
		want matching.Outcome
	}{
		{job("cdi", 0, "", ""), matching.OutcomeCDI},
		{job("cdd", 6, "", ""), matching.OutcomeFixedLong},
		{job("interim", 3, "", ""), matching.OutcomeFixedShort},
		{job("cdd", 0, "2027-01-04", "2027-07-03"), matching.OutcomeFixedLong},
		{job("cdd", 0, "2027-01-04", "2027-07-02"), matching.OutcomeFixedShort},
		{job("professionnalisation", 0, "", ""), matching.OutcomeAlternance},
		{job("iae", 0, "", ""), matching.OutcomeSubsidised},
		{jobs.Opportunity{Kind: jobs.KindJob}, ""},
		{jobs.Opportunity{Kind: jobs.KindPMSMP}, matching.OutcomePlacement},
		{jobs.Opportunity{Kind: jobs.KindTraining, ROME: "H2913"}, matching.OutcomeQualifying},
		{jobs.Opportunity{Kind: jobs.KindTraining}, matching.OutcomeLanguage},
	} {
		if got := candidates.OutcomeOf(c.o); got != c.want {
			t.Errorf("%+v leads to %q, want %q", c.o.Contract, got, c.want)
		}
	}
}
