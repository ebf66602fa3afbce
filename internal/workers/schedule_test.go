package workers_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/internal/workers"
	"github.com/parcours-emploi/parcours/pathways"
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
