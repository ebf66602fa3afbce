package workers_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/matchinput"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/workers"
)

// countingMeasurements counts the measurement runs that reach the store.
type countingMeasurements struct {
	pathways.MeasurementStore
	runs atomic.Int32
}

func (c *countingMeasurements) Enrolments(ctx context.Context, f pathways.EnrolmentFilter) ([]pathways.Enrolled, string, error) {
	if f.After == "" {
		c.runs.Add(1)
	}
	return c.MeasurementStore.Enrolments(ctx, f)
}

// Two processes each running a scheduler and a worker measure every
// enrolment once per horizon, however often the schedule fires.
func TestSchedulerStartedTwiceMeasuresOnce(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	now := time.Date(2027, 2, 1, 3, 0, 0, 0, time.UTC)
	entries := map[string]civil.Date{}
	for i, entry := range []civil.Date{"2026-01-05", "2026-03-10", "2026-07-20", "2026-09-01"} {
		id := ids.New("ben")
		entries[id] = entry
		b := pathways.Beneficiary{ID: id, OrganisationID: "org-a", FirstName: "P", LastName: fmt.Sprint(i),
			Enrolment: pathways.Enrolment{Programme: "Kodiko", EntryDate: entry, Cohort: "c1"}, Department: "37",
			CreatedAt: t0, UpdatedAt: t0, Version: 1}
		if err := db.CreateBeneficiary(ctx, b); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSituation(ctx, pathways.Situation{ID: ids.New("sit"), OrganisationID: "org-a", BeneficiaryID: id,
			Kind: pathways.SituationCDI, Start: entry.AddDate(0, 4, 0), RecordedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	// T+6 passed for all but the last; T+12 for the first only.
	want := map[string][]int{}
	for id, e := range entries {
		for _, h := range pathways.Horizons {
			if e.AddDate(0, h, 0) < civil.Of(now) {
				want[id] = append(want[id], h)
			}
		}
	}

	queue := testenv.Get(t).Prefix(t)
	counted := &countingMeasurements{MeasurementStore: db}
	cfg := workers.Config{Redis: redisOpt(t), Queue: queue, Logger: quiet}
	for i := 0; i < 2; i++ {
		h := &workers.Handlers{Measurements: counted, Now: func() time.Time { return now }, Logger: quiet}
		serve(t, queue, h, time.Second)
		s, err := workers.NewScheduler(cfg, workers.Schedule{Measure: "@every 1s"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		var once sync.Once
		t.Cleanup(func() { once.Do(s.Shutdown) })
	}
	waitFor(t, 30*time.Second, "three scheduled runs", func() bool { return counted.runs.Load() >= 3 })

	got := map[string][]int{}
	for id := range entries {
		for _, h := range pathways.Horizons {
			hist, err := db.MeasurementHistory(ctx, id, h)
			if err != nil {
				t.Fatal(err)
			}
			if len(hist) > 1 {
				t.Errorf("%s at T+%d: %d versions, want 1", id, h, len(hist))
			}
			if len(hist) == 1 {
				got[id] = append(got[id], h)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("horizons measured (-want +got):\n%s", diff)
	}
}

// Store-level guarantee behind the schedulers: a measurement version is
// inserted once; a late situation adds version 2 and keeps version 1.
func TestMeasurementVersionsOnTheStore(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	b := pathways.Beneficiary{ID: ids.New("ben"), OrganisationID: "org-a", Enrolment: pathways.Enrolment{Programme: "AGIR", EntryDate: "2026-01-10", Cohort: "c"},
		Department: "69", CreatedAt: t0, UpdatedAt: t0, Version: 1}
	if err := db.CreateBeneficiary(ctx, b); err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 7, 11, 3, 0, 0, 0, time.UTC)
	if n, err := pathways.MeasureDue(ctx, db, first); err != nil || n != 1 {
		t.Fatalf("first run: %d, %v", n, err)
	}
	again, _ := db.LatestMeasurement(ctx, b.ID, 6)
	if err := db.InsertMeasurement(ctx, again); err == nil {
		t.Error("inserting version 1 twice succeeded, want a conflict")
	}
	if n, _ := pathways.MeasureDue(ctx, db, first.Add(24*time.Hour)); n != 0 {
		t.Errorf("a run with nothing new inserted %d", n)
	}
	// A CDD of 6 months from 2026-05-04, recorded late.
	if err := db.CreateSituation(ctx, pathways.Situation{ID: ids.New("sit"), OrganisationID: "org-a", BeneficiaryID: b.ID,
		Kind: pathways.SituationCDD, Start: "2026-05-04", DurationMonths: 6, RecordedAt: first}); err != nil {
		t.Fatal(err)
	}
	late := time.Date(2026, 8, 1, 3, 0, 0, 0, time.UTC)
	if n, err := pathways.MeasureDue(ctx, db, late); err != nil || n != 1 {
		t.Fatalf("run after late data: %d, %v", n, err)
	}
	hist, err := db.MeasurementHistory(ctx, b.ID, 6)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Version  int
		Category string
		Positive bool
		At       time.Time
	}
	var got []row
	for _, m := range hist {
		got = append(got, row{m.Version, m.Category, m.Positive, m.MeasuredAt})
	}
	want := []row{{1, pathways.CategoryNone, false, first}, {2, pathways.CategoryCDD6, true, late}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

// countingRefresher counts recomputations per beneficiary.
type countingRefresher struct {
	mu   sync.Mutex
	runs map[string]int
}

func (c *countingRefresher) Refresh(_ context.Context, org, id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.runs[org+"/"+id]++
	return nil
}

func (c *countingRefresher) count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs[key]
}

// Ten updates of a profile in a burst make one recomputation; an update
// after it makes another.
func TestRefreshBurstRecomputesOnce(t *testing.T) {
	ctx := context.Background()
	queue := testenv.Get(t).Prefix(t)
	client := workers.NewClient(redisOpt(t), queue, quiet)
	defer client.Close()
	client.Debounce = 500 * time.Millisecond
	ref := &countingRefresher{runs: map[string]int{}}
	serve(t, queue, &workers.Handlers{Refresher: ref, Logger: quiet}, time.Second)

	for i := 0; i < 10; i++ {
		client.BeneficiaryChanged(ctx, "org-a", "ben-1")
	}
	client.BeneficiaryChanged(ctx, "org-a", "ben-2")
	waitFor(t, 20*time.Second, "the burst's refresh", func() bool { return ref.count("org-a/ben-1") >= 1 && ref.count("org-a/ben-2") >= 1 })
	time.Sleep(2 * time.Second) // room for any duplicate to run
	if got := []int{ref.count("org-a/ben-1"), ref.count("org-a/ben-2")}; !cmp.Equal(got, []int{1, 1}) {
		t.Errorf("recomputations of ben-1, ben-2 = %v, want [1 1]", got)
	}

	client.BeneficiaryChanged(ctx, "org-a", "ben-1")
	waitFor(t, 20*time.Second, "a later change's refresh", func() bool { return ref.count("org-a/ben-1") == 2 })
}

// An opportunity's change refreshes the seekers it suits best, a bounded
// number, and only seekers it suits.
func TestOpportunityChangeRefreshesItsBestSeekers(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	seed(t, db, "org-a", 40, 1, 5)
	opps, _, err := db.Opportunities(ctx, jobs.Filter{OrganisationID: "org-a"})
	if err != nil || len(opps) != 1 {
		t.Fatalf("opportunities %v, %v", opps, err)
	}
	ref := &countingRefresher{runs: map[string]int{}}
	engine := matchinput.NewEngine(0)
	h := &workers.Handlers{Refresher: ref, Seekers: db, Opportunities: db, Engine: engine, RefreshSeekers: 3,
		Now: func() time.Time { return t0 }, Logger: quiet}
	task, _, err := workers.NewRefreshTask(workers.RefreshPayload{OrganisationID: "agency", OpportunityID: opps[0].ID}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.HandleRefresh(ctx, task); err != nil {
		t.Fatal(err)
	}
	op := matchinput.Opening(opps[0], 0)
	if len(ref.runs) == 0 || len(ref.runs) > 3 {
		t.Fatalf("%d seekers refreshed, want 1 to 3", len(ref.runs))
	}
	for key := range ref.runs {
		org, id, _ := strings.Cut(key, "/")
		b, err := db.Beneficiary(ctx, org, id)
		if err != nil {
			t.Fatal(err)
		}
		s := matchinput.Seeker(b, matchinput.SeekerExtras{})
		if ev := engine.Evaluate(&s, &op, t0); !ev.Eligible {
			t.Errorf("refreshed %s, whom the offer does not suit: %+v", id, ev.Failures)
		}
	}
	// An opportunity gone leaves nothing to refresh.
	gone, _, _ := workers.NewRefreshTask(workers.RefreshPayload{OrganisationID: "agency", OpportunityID: "opp_gone"}, 0)
	if err := h.HandleRefresh(ctx, gone); err != nil {
		t.Errorf("refresh of a gone opportunity: %v, want nil", err)
	}
}

// outcomes:measure measures for the day its payload names, at the clock's
// instant: only the horizons passed on that day.
func TestMeasureTaskForAGivenDay(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	b := pathways.Beneficiary{ID: ids.New("ben"), OrganisationID: "org-a", Enrolment: pathways.Enrolment{Programme: "Kodiko", EntryDate: "2026-01-05", Cohort: "c"},
		Department: "37", CreatedAt: t0, UpdatedAt: t0, Version: 1}
	if err := db.CreateBeneficiary(ctx, b); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2030, 1, 1, 3, 0, 0, 0, time.UTC)
	h := &workers.Handlers{Measurements: db, Now: func() time.Time { return clock }, Logger: quiet}
	if err := h.HandleMeasure(ctx, asynq.NewTask(workers.TypeMeasure, []byte(`{"date":"2026-07-06"}`))); err != nil {
		t.Fatal(err)
	}
	six, err := db.MeasurementHistory(ctx, b.ID, 6)
	if err != nil {
		t.Fatal(err)
	}
	twelve, err := db.MeasurementHistory(ctx, b.ID, 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(six) != 1 || len(twelve) != 0 || !six[0].MeasuredAt.Equal(clock) || six[0].HorizonDate != "2026-07-05" {
		t.Errorf("T+6 %+v, T+12 %+v: want one T+6 measurement for 2026-07-05 measured at the clock, none at T+12", six, twelve)
	}
}
