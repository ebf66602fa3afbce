package pathways_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

func sit(id string, kind pathways.SituationKind, start, end civil.Date, months int) pathways.Situation {
	return pathways.Situation{ID: id, BeneficiaryID: "ben", Kind: kind, Start: start, End: end, DurationMonths: months}
}

func TestSituationValidate(t *testing.T) {
	tests := []struct {
		name string
		s    pathways.Situation
		want []string // pointers of the field errors
	}{
		{"CDI with an open end is valid", sit("a", pathways.SituationCDI, "2026-01-05", "", 0), nil},
		{"CDD without a duration names the duration", sit("a", pathways.SituationCDD, "2026-01-05", "", 0), []string{"/durationMonths"}},
		{"intérim without a duration names the duration", sit("a", pathways.SituationInterim, "2026-01-05", "2026-02-05", 0), []string{"/durationMonths"}},
		{"end before start names the end", sit("a", pathways.SituationQualifyingTraining, "2026-03-01", "2026-02-28", 0), []string{"/endDate"}},
		{"end on the start day is valid", sit("a", pathways.SituationInternship, "2026-03-01", "2026-03-01", 0), nil},
		{"unknown kind and bad start", sit("a", "astronaut", "2026-13-01", "", 0), []string{"/kind", "/startDate"}},
		{"exit without a reason", sit("a", pathways.SituationProgrammeExit, "2026-03-01", "", 0), []string{"/exitReason"}},
		{"exit with a reason", func() pathways.Situation {
			s := sit("a", pathways.SituationProgrammeExit, "2026-03-01", "", 0)
			s.ExitReason = "re-orientation"
			return s
		}(), nil},
		{"a reason on a contract", func() pathways.Situation {
			s := sit("a", pathways.SituationCDI, "2026-03-01", "", 0)
			s.ExitReason = "success"
			return s
		}(), []string{"/exitReason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			var got []string
			if err != nil {
				e, ok := apperr.As(err)
				if !ok || e.Code != apperr.Invalid {
					t.Fatalf("error %v, want an apperr.Invalid", err)
				}
				for _, f := range e.Fields {
					got = append(got, f.Pointer)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("field errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	const day = civil.Date("2026-09-01")
	tests := []struct {
		name     string
		rs       pathways.RuleSet
		sits     []pathways.Situation
		wantID   string
		wantCat  string
		positive bool
	}{
		{"agir: CDD of 6 months is positive", pathways.RuleSetAGIR,
			[]pathways.Situation{sit("a", pathways.SituationCDD, "2026-08-01", "", 6)}, "a", pathways.CategoryCDD6, true},
		{"agir: CDD of 5 months is not", pathways.RuleSetAGIR,
			[]pathways.Situation{sit("a", pathways.SituationCDD, "2026-08-01", "", 5)}, "a", pathways.CategoryNone, false},
		{"agir: an alternance is positive", pathways.RuleSetAGIR,
			[]pathways.Situation{sit("a", pathways.SituationAlternance, "2026-08-01", "", 0)}, "a", pathways.CategoryAlternance, true},
		{"kodiko: CDD of 5 months counts", pathways.RuleSetKodiko,
			[]pathways.Situation{sit("a", pathways.SituationCDD, "2026-08-01", "", 5)}, "a", pathways.CategoryEmployment, true},
		{"iae: CDD of 5 months is transitional", pathways.RuleSetIAE,
			[]pathways.Situation{sit("a", pathways.SituationCDD, "2026-08-01", "", 5)}, "a", pathways.CategoryTransitional, true},
		{"iae: intérim of 6 months is durable", pathways.RuleSetIAE,
			[]pathways.Situation{sit("a", pathways.SituationInterim, "2026-08-01", "", 6)}, "a", pathways.CategoryDurable, true},
		{"starting exactly on the horizon date counts", pathways.RuleSetKodiko,
			[]pathways.Situation{sit("a", pathways.SituationCDI, day, "", 0)}, "a", pathways.CategoryEmployment, true},
		{"starting the day after does not", pathways.RuleSetKodiko,
			[]pathways.Situation{sit("a", pathways.SituationCDI, day.AddDate(0, 0, 1), "", 0)}, "", pathways.CategoryNone, false},
		{"ending exactly on the horizon date counts", pathways.RuleSetKodiko,
			[]pathways.Situation{sit("a", pathways.SituationInternship, "2026-06-01", day, 0)}, "a", pathways.CategoryWorkLearning, true},
		{"ended the day before does not", pathways.RuleSetKodiko,
			[]pathways.Situation{sit("a", pathways.SituationInternship, "2026-06-01", day.AddDate(0, 0, -1), 0)}, "", pathways.CategoryNone, false},
		{"a CDD of 3 months without end has ended 3 months on", pathways.RuleSetKodiko,
			[]pathways.Situation{sit("a", pathways.SituationCDD, "2026-06-01", "", 3)}, "", pathways.CategoryNone, false},
		{"a CDD's last day is the day before start + duration", pathways.RuleSetKodiko,
			[]pathways.Situation{sit("a", pathways.SituationCDD, "2026-06-02", "", 3)}, "a", pathways.CategoryEmployment, true},
		{"several under way: the most favourable decides, whatever the order", pathways.RuleSetAGIR,
			[]pathways.Situation{
				sit("a", pathways.SituationQualifyingTraining, "2026-01-01", "", 0),
				sit("b", pathways.SituationCDI, "2026-08-01", "", 0),
				sit("c", pathways.SituationJobSearch, "2026-08-15", "", 0),
			}, "b", pathways.CategoryCDI, true},
		{"several equally favourable: the latest start decides", pathways.RuleSetIAE,
			[]pathways.Situation{
				sit("z", pathways.SituationJobSearch, "2026-02-01", "", 0),
				sit("y", pathways.SituationFLE, "2026-05-01", "", 0),
			}, "y", pathways.CategoryNone, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, order := range [][]pathways.Situation{tt.sits, reversed(tt.sits)} {
				got, c, _ := tt.rs.Classify(order, day)
				if got.ID != tt.wantID || c.Category != tt.wantCat || c.Positive != tt.positive {
					t.Errorf("chose %q %s positive=%v, want %q %s positive=%v", got.ID, c.Category, c.Positive, tt.wantID, tt.wantCat, tt.positive)
				}
			}
		})
	}
}

func reversed(s []pathways.Situation) []pathways.Situation {
	out := make([]pathways.Situation, len(s))
	for i := range s {
		out[len(s)-1-i] = s[i]
	}
	return out
}

func TestRuleSetFor(t *testing.T) {
	for programme, want := range map[string]string{"AGIR": "agir", "Kodiko": "kodiko", "BOOSTER": "iae", "": "iae"} {
		if got := pathways.RuleSetFor(programme).Name; got != want {
			t.Errorf("RuleSetFor(%q) = %q, want %q", programme, got, want)
		}
	}
}

// memStore is a MeasurementStore in memory, with the same unique key as the
// real one, for the domain's rules; internal/mongodb is tested on its own.
type memStore struct {
	mu        sync.Mutex
	enrolled  []pathways.Enrolled
	sits      map[string][]pathways.Situation
	measures  map[string]pathways.Measurement
	insertHit func() // runs before each insert, to interleave racers
}

func (m *memStore) LatestMeasurement(_ context.Context, ben string, h int) (pathways.Measurement, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var best pathways.Measurement
	for _, x := range m.measures {
		if x.BeneficiaryID == ben && x.Horizon == h && x.Version > best.Version {
			best = x
		}
	}
	if best.Version == 0 {
		return best, apperr.NotFoundf("no measurement")
	}
	return best, nil
}

func (m *memStore) InsertMeasurement(_ context.Context, x pathways.Measurement) error {
	if m.insertHit != nil {
		m.insertHit()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.measures[x.ID]; ok {
		return apperr.Conflictf("exists")
	}
	m.measures[x.ID] = x
	return nil
}

func (m *memStore) Measurements(_ context.Context, f pathways.MeasurementFilter) ([]pathways.Measurement, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	latest := map[string]pathways.Measurement{}
	for _, x := range m.measures {
		if x.Horizon == f.Horizon && x.Programme == f.Programme && (f.Cohort == "" || x.Cohort == f.Cohort) && x.Version > latest[x.BeneficiaryID].Version {
			latest[x.BeneficiaryID] = x
		}
	}
	var out []pathways.Measurement
	for _, x := range latest {
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BeneficiaryID < out[j].BeneficiaryID })
	return out, nil
}

func (m *memStore) MeasurementHistory(_ context.Context, ben string, h int) ([]pathways.Measurement, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []pathways.Measurement
	for _, x := range m.measures {
		if x.BeneficiaryID == ben && x.Horizon == h {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

func (m *memStore) Enrolments(_ context.Context, f pathways.EnrolmentFilter) ([]pathways.Enrolled, string, error) {
	var out []pathways.Enrolled
	for _, e := range m.enrolled {
		if f.EnteredBefore == "" || e.EntryDate < f.EnteredBefore {
			out = append(out, e)
		}
	}
	return out, "", nil
}

func (m *memStore) SituationsOf(ctx context.Context, _ string, ids []string) (map[string][]pathways.Situation, error) {
	out := map[string][]pathways.Situation{}
	for _, id := range ids {
		s, _ := m.AllSituations(ctx, id)
		out[id] = s
	}
	return out, nil
}

func (m *memStore) LatestMeasurementsOf(ctx context.Context, ids []string) (map[string]map[int]pathways.Measurement, error) {
	out := map[string]map[int]pathways.Measurement{}
	for _, id := range ids {
		for _, h := range pathways.Horizons {
			if x, err := m.LatestMeasurement(ctx, id, h); err == nil {
				if out[id] == nil {
					out[id] = map[int]pathways.Measurement{}
				}
				out[id][h] = x
			}
		}
	}
	return out, nil
}

func (m *memStore) AllSituations(_ context.Context, ben string) ([]pathways.Situation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]pathways.Situation(nil), m.sits[ben]...), nil
}

// kodikoCohort is 25 enrolments entered on 2026-01-05: 9 have a positive
// situation at T+6 (2026-07-05), 21 at T+12 (2027-01-05).
func kodikoCohort() *memStore {
	st := &memStore{sits: map[string][]pathways.Situation{}, measures: map[string]pathways.Measurement{}}
	for i := 0; i < 25; i++ {
		id := fmt.Sprintf("ben%02d", i)
		st.enrolled = append(st.enrolled, pathways.Enrolled{BeneficiaryID: id, OrganisationID: "org", Programme: "Kodiko", Cohort: "tours-1", EntryDate: "2026-01-05"})
		var s []pathways.Situation
		switch {
		case i < 9: // CDI from month 5: positive at both horizons
			s = append(s, sit(id+"-cdi", pathways.SituationCDI, "2026-06-01", "", 0))
		case i < 15: // qualifying training starting exactly at T+12
			s = append(s, sit(id+"-job-search", pathways.SituationJobSearch, "2026-01-05", "2027-01-04", 0),
				sit(id+"-training", pathways.SituationQualifyingTraining, "2027-01-05", "2027-07-01", 0))
		case i < 21: // alternance from month 9
			s = append(s, sit(id+"-fle", pathways.SituationFLE, "2026-01-05", "2026-09-30", 0),
				sit(id+"-alternance", pathways.SituationAlternance, "2026-10-01", "2028-09-30", 0))
		default: // still looking
			s = append(s, sit(id+"-job-search", pathways.SituationJobSearch, "2026-01-05", "", 0))
		}
		for j := range s {
			s[j].BeneficiaryID, s[j].OrganisationID = id, "org"
		}
		st.sits[id] = s
	}
	return st
}

func TestKodikoCohortAtT6AndT12(t *testing.T) {
	ctx := context.Background()
	st := kodikoCohort()
	clock := []time.Time{
		time.Date(2026, 7, 5, 3, 0, 0, 0, time.UTC),  // on T+6: not yet due
		time.Date(2026, 7, 6, 3, 0, 0, 0, time.UTC),  // the day after T+6
		time.Date(2027, 1, 6, 3, 0, 0, 0, time.UTC),  // the day after T+12
		time.Date(2027, 1, 7, 3, 0, 0, 0, time.UTC),  // a day later: nothing new
		time.Date(2027, 2, 10, 3, 0, 0, 0, time.UTC), // nothing new either
	}
	var inserted []int
	for _, now := range clock {
		n, err := pathways.MeasureDue(ctx, st, now)
		if err != nil {
			t.Fatal(err)
		}
		inserted = append(inserted, n)
	}
	if diff := cmp.Diff([]int{0, 25, 25, 0, 0}, inserted); diff != "" {
		t.Errorf("measurements inserted per run (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		horizon int
		want    pathways.CohortOutcome
	}{
		{6, pathways.CohortOutcome{Cohort: "tours-1", Enrolled: 25, Measured: 25, Positive: 9, Rate: 0.36, RatePercent: 36,
			Breakdown: map[string]int{pathways.CategoryEmployment: 9, pathways.CategoryWorkLearning: 0, pathways.CategoryQualifying: 0, pathways.CategoryNone: 16}, ExcludedByReason: map[string]int{}}},
		{12, pathways.CohortOutcome{Cohort: "tours-1", Enrolled: 25, Measured: 25, Positive: 21, Rate: 0.84, RatePercent: 84,
			Breakdown: map[string]int{pathways.CategoryEmployment: 9, pathways.CategoryWorkLearning: 6, pathways.CategoryQualifying: 6, pathways.CategoryNone: 4}, ExcludedByReason: map[string]int{}}},
	} {
		ms, err := st.Measurements(ctx, pathways.MeasurementFilter{Programme: "Kodiko", Horizon: tc.horizon})
		if err != nil {
			t.Fatal(err)
		}
		r := pathways.BuildReport("Kodiko", tc.horizon, pathways.RuleSetKodiko, st.enrolled, ms, clock[2])
		if r.RuleSet != "kodiko" || r.RuleSetVersion != pathways.RuleSetKodiko.Version {
			t.Errorf("T+%d report says rule set %s %s", tc.horizon, r.RuleSet, r.RuleSetVersion)
		}
		if diff := cmp.Diff([]pathways.CohortOutcome{tc.want}, r.Cohorts); diff != "" {
			t.Errorf("T+%d (-want +got):\n%s", tc.horizon, diff)
		}
	}
}

func TestLateSituationMakesANewVersion(t *testing.T) {
	ctx := context.Background()
	st := &memStore{sits: map[string][]pathways.Situation{}, measures: map[string]pathways.Measurement{}}
	st.enrolled = []pathways.Enrolled{{BeneficiaryID: "ben", OrganisationID: "org", Programme: "AGIR", Cohort: "c", EntryDate: "2026-01-10"}}
	st.sits["ben"] = []pathways.Situation{sit("s1", pathways.SituationJobSearch, "2026-01-10", "", 0)}

	first := time.Date(2026, 7, 11, 3, 0, 0, 0, time.UTC)
	if n, err := pathways.MeasureDue(ctx, st, first); err != nil || n != 1 {
		t.Fatalf("first run: %d, %v; want 1 measurement", n, err)
	}
	// The CDI signed on 2026-06-15 is recorded in August.
	st.sits["ben"] = append(st.sits["ben"], sit("s2", pathways.SituationCDI, "2026-06-15", "", 0))
	late := time.Date(2026, 8, 20, 3, 0, 0, 0, time.UTC)
	if n, err := pathways.MeasureDue(ctx, st, late); err != nil || n != 1 {
		t.Fatalf("run after late data: %d, %v; want 1 new version", n, err)
	}
	hist, err := st.MeasurementHistory(ctx, "ben", 6)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		ID       string
		Version  int
		Decisive string
		Category string
		Positive bool
		At       time.Time
	}
	var got []row
	for _, m := range hist {
		got = append(got, row{m.ID, m.Version, m.Decisive, m.Category, m.Positive, m.MeasuredAt})
	}
	want := []row{
		{"ben:t6:v1", 1, "s1", pathways.CategoryNone, false, first},
		{"ben:t6:v2", 2, "s2", pathways.CategoryCDI, true, late},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

// Two measuring runs racing on the same enrolment record one version.
func TestRecordRacersInsertOneVersion(t *testing.T) {
	ctx := context.Background()
	st := &memStore{sits: map[string][]pathways.Situation{}, measures: map[string]pathways.Measurement{}}
	e := pathways.Enrolled{BeneficiaryID: "ben", OrganisationID: "org", Programme: "AGIR", Cohort: "c", EntryDate: "2026-01-10"}
	m := pathways.Measure(e, nil, 6, pathways.RuleSetAGIR, time.Date(2026, 7, 11, 0, 0, 0, 0, time.UTC))
	var ready sync.WaitGroup
	ready.Add(2)
	st.insertHit = func() { ready.Done(); ready.Wait() } // both have read "none" before either inserts
	var wg sync.WaitGroup
	results := make([]bool, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := pathways.Record(ctx, st, m)
			if err != nil {
				t.Error(err)
			}
			results[i] = ok
		}()
	}
	wg.Wait()
	if results[0] == results[1] {
		t.Errorf("inserted = %v, want exactly one true", results)
	}
	if len(st.measures) != 1 {
		t.Errorf("%d measurements stored, want 1", len(st.measures))
	}
}

// TestHorizonsClampAtMonthEnds: an entry on 31 August 2018 has its T+6 on
// 28 February 2019, not on 3 March.
func TestHorizonsClampAtMonthEnds(t *testing.T) {
	e := pathways.Enrolled{EntryDate: "2018-08-31"}
	if got := e.HorizonDate(6); got != "2019-02-28" {
		t.Errorf("T+6 = %s, want 2019-02-28", got)
	}
	if got := e.HorizonDate(12); got != "2019-08-31" {
		t.Errorf("T+12 = %s, want 2019-08-31", got)
	}
	if got := (pathways.Enrolled{EntryDate: "2019-08-31"}).HorizonDate(6); got != "2020-02-29" {
		t.Errorf("T+6 in a leap year = %s, want 2020-02-29", got)
	}
}

func TestHousingGroups(t *testing.T) {
	for tenure, want := range map[string]string{
		"social-landlord": "autonomous", "private-landlord": "autonomous",
		"intermediation": "supported", "cph": "supported", "chrs": "supported",
		"emergency": "other", "hosted": "other", "other": "other",
	} {
		if got := pathways.HousingGroup(tenure); got != want {
			t.Errorf("HousingGroup(%s) = %s, want %s", tenure, got, want)
		}
	}
	if len(pathways.Tenures) != 8 {
		t.Errorf("%d tenures", len(pathways.Tenures))
	}
}

// Programmes: the store has no programme record; each enrolment gets the
// defaults its programme's name picks.
func (m *memStore) Programmes(context.Context, string) ([]pathways.Programme, error) { return nil, nil }
