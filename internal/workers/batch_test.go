package workers_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/internal/workers"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/proposals"
)

// interrupting writes n proposals, then cancels the run's context: a
// worker stopped between two writes.
type interrupting struct {
	w      batches.ProposalWriter
	n      atomic.Int32
	after  int32
	cancel context.CancelFunc
}

func (x *interrupting) CreateProposal(ctx context.Context, p proposals.Proposal) error {
	err := x.w.CreateProposal(ctx, p)
	if x.n.Add(1) == x.after {
		x.cancel()
	}
	return err
}

func (x *interrupting) CreateProposalOnce(ctx context.Context, p proposals.Proposal) (proposals.Proposal, bool, error) {
	return x.w.CreateProposalOnce(ctx, p)
}

func uniquePairs(ps []pair) bool {
	for i := 1; i < len(ps); i++ {
		if ps[i] == ps[i-1] {
			return false
		}
	}
	return true
}

func TestBatchInterruptedThenRetriedWritesTheSameProposals(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const org = "org-a"
	seed(t, db, org, 60, 40, 1)

	// The reference: the same batch run without interruption.
	ref := newBatch(t, db, org)
	if err := runner(db, db).Run(ctx, ref.ID); err != nil {
		t.Fatal(err)
	}
	want := proposalsOf(t, db, org, ref.ID)
	if len(want) < 10 {
		t.Fatalf("the reference batch proposed %d pairs; the population should give more", len(want))
	}

	b := newBatch(t, db, org)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	err := runner(db, &interrupting{w: db, after: 7, cancel: cancel}).Run(runCtx, b.ID)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run returned %v, want context.Canceled", err)
	}
	mid, err := db.BatchByID(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if mid.Status != batches.Running || mid.Progress.Phase != "write" || mid.Progress.Written != 5 || mid.Attempts != 1 {
		t.Errorf("after the interruption: status %s, progress %+v, attempts %d; want running, write phase, 5 recorded, 1 attempt", mid.Status, mid.Progress, mid.Attempts)
	}
	if got := len(proposalsOf(t, db, org, b.ID)); got != 7 {
		t.Errorf("%d proposals after the interruption, want 7", got)
	}

	// The retry finishes the batch; a third delivery changes nothing.
	for i := 0; i < 2; i++ {
		if err := runner(db, db).Run(ctx, b.ID); err != nil {
			t.Fatalf("run %d: %v", i+2, err)
		}
	}
	got := proposalsOf(t, db, org, b.ID)
	if !uniquePairs(got) {
		t.Error("a pair was proposed twice")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("proposals after retry (-uninterrupted +retried):\n%s", diff)
	}
	done, err := db.BatchByID(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	refDone, _ := db.BatchByID(ctx, ref.ID)
	wantCounts := refDone.Counts
	wantCounts.Created, wantCounts.Existing = len(want)-7, 7
	if diff := cmp.Diff(wantCounts, done.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if done.Status != batches.Done || done.Attempts != 2 || done.Objective != refDone.Objective || done.Objective <= 0 ||
		done.Progress != (batches.Progress{Phase: "done", Written: len(want), Total: len(want)}) || done.WeightsVersion == "" {
		t.Errorf("final batch: %+v", done)
	}
}

// serve starts a worker server on queue with h; it is shut down at the end
// of the test unless the test does it.
func serve(t *testing.T, queue string, h *workers.Handlers, shutdown time.Duration) *workers.Server {
	t.Helper()
	srv := workers.NewServer(workers.Config{Redis: redisOpt(t), Queue: queue, Concurrency: 2, ShutdownTimeout: shutdown, Logger: quiet, DelayedCheck: 200 * time.Millisecond}, h)
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	t.Cleanup(func() { once.Do(srv.Shutdown) })
	return srv
}

// stalling writes n proposals, then blocks until the task's context ends:
// a worker busy on a long batch when its process is stopped.
type stalling struct {
	w     batches.ProposalWriter
	n     atomic.Int32
	after int32
	stuck chan struct{}
}

func (x *stalling) CreateProposal(ctx context.Context, p proposals.Proposal) error {
	if x.n.Add(1) > x.after {
		if x.n.Load() == x.after+1 {
			close(x.stuck)
		}
		<-ctx.Done()
		return ctx.Err()
	}
	return x.w.CreateProposal(ctx, p)
}

func (x *stalling) CreateProposalOnce(ctx context.Context, p proposals.Proposal) (proposals.Proposal, bool, error) {
	return x.w.CreateProposalOnce(ctx, p)
}

// A worker process stopped mid-batch hands the task back; another worker
// finishes it with exactly the proposals of an uninterrupted run.
func TestWorkerStoppedMidBatchAnotherFinishesIt(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const org = "org-a"
	seed(t, db, org, 50, 30, 2)
	ref := newBatch(t, db, org)
	if err := runner(db, db).Run(ctx, ref.ID); err != nil {
		t.Fatal(err)
	}
	want := proposalsOf(t, db, org, ref.ID)

	queue := testenv.Get(t).Prefix(t)
	client := workers.NewClient(redisOpt(t), queue, quiet)
	defer client.Close()
	b := newBatch(t, db, org)
	if err := client.EnqueueBatch(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := client.EnqueueBatch(ctx, b.ID); err != nil {
		t.Fatalf("a second enqueue of the same batch: %v, want a no-op", err)
	}

	stall := &stalling{w: db, after: 4, stuck: make(chan struct{})}
	first := serve(t, queue, &workers.Handlers{Runner: runner(db, stall), Logger: quiet}, 200*time.Millisecond)
	select {
	case <-stall.stuck:
	case <-time.After(30 * time.Second):
		t.Fatal("the first worker never started the batch")
	}
	first.Shutdown() // stops taking tasks, cancels the running one after 200 ms, hands it back

	serve(t, queue, &workers.Handlers{Runner: runner(db, db), Logger: quiet}, time.Second)
	waitFor(t, 30*time.Second, "batch done by the second worker", func() bool {
		got, err := db.BatchByID(ctx, b.ID)
		return err == nil && got.Status == batches.Done
	})
	got := proposalsOf(t, db, org, b.ID)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("proposals (-uninterrupted +handed over):\n%s", diff)
	}
	done, _ := db.BatchByID(ctx, b.ID)
	if done.Attempts != 2 || done.Counts.Existing != 4 || done.Counts.Created != len(want)-4 {
		t.Errorf("attempts %d, counts %+v; want 2 attempts, 4 existing, %d created", done.Attempts, done.Counts, len(want)-4)
	}
}

// With Redis unreachable the batch is recorded, not lost: the sweeper
// enqueues it once the queue answers, and it runs.
func TestBatchRecordedWhileRedisIsDownRunsOnceItIsBack(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const org = "org-a"
	seed(t, db, org, 20, 15, 3)
	queue := testenv.Get(t).Prefix(t)

	down := workers.NewClient(asynq.RedisClientOpt{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond}, queue, quiet)
	defer down.Close()
	var enqueueErr error
	svc := &batches.Service{Store: db, Queue: down, Now: func() time.Time { return t0 }, OnEnqueueError: func(_ string, err error) { enqueueErr = err }}
	b, err := svc.Submit(ctx, batches.Request{OrganisationID: org, UserID: "u1", Kind: "job", Scope: batches.Scope{Department: "69"}, MinScore: 0.2})
	if err != nil {
		t.Fatalf("submit with the queue down: %v, want the batch recorded", err)
	}
	if enqueueErr == nil || b.EnqueuedAt != nil || b.Status != batches.Queued {
		t.Fatalf("batch %+v, enqueue error %v; want queued, not enqueued, and the error reported", b, enqueueErr)
	}

	// Redis is back: the sweeper enqueues what was recorded, a worker runs it.
	up := workers.NewClient(redisOpt(t), queue, quiet)
	defer up.Close()
	n, err := batches.Sweep(ctx, db, up, t0.Add(time.Minute), workers.SweepAge)
	if err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v; want 1 batch enqueued", n, err)
	}
	if n, _ := batches.Sweep(ctx, db, up, t0.Add(time.Minute), workers.SweepAge); n != 0 {
		t.Errorf("a second sweep enqueued %d batches, want 0", n)
	}
	serve(t, queue, &workers.Handlers{Runner: runner(db, db), Logger: quiet}, time.Second)
	waitFor(t, 30*time.Second, "swept batch done", func() bool {
		got, err := db.BatchByID(ctx, b.ID)
		return err == nil && got.Status == batches.Done
	})
	if got := proposalsOf(t, db, org, b.ID); len(got) == 0 || !uniquePairs(got) {
		t.Errorf("proposals %v: want some, none twice", got)
	}
}

func TestMalformedPayloadsAreNotRetried(t *testing.T) {
	h := &workers.Handlers{Logger: quiet}
	tests := []struct {
		name string
		run  func(context.Context, *asynq.Task) error
		task *asynq.Task
	}{
		{"batch payload that is not JSON", h.HandleBatch, asynq.NewTask(workers.TypeBatch, []byte("{"))},
		{"batch payload without a batch id", h.HandleBatch, asynq.NewTask(workers.TypeBatch, []byte(`{}`))},
		{"measure payload with a bad date", h.HandleMeasure, asynq.NewTask(workers.TypeMeasure, []byte(`{"date":"2026-02-30"}`))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(context.Background(), tt.task); !errors.Is(err, asynq.SkipRetry) {
				t.Errorf("error %v, want it to wrap asynq.SkipRetry", err)
			}
		})
	}
}

// A batch whose scope names no record fails for good, without retries, and
// says so.
func TestBatchOfAGoneBatchIsNotRetried(t *testing.T) {
	db := openDB(t)
	h := &workers.Handlers{Runner: runner(db, db), Logger: quiet}
	task, _, err := workers.NewBatchTask("bat_missing")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.HandleBatch(context.Background(), task); !errors.Is(err, asynq.SkipRetry) {
		t.Errorf("error %v, want it to wrap asynq.SkipRetry", err)
	}
}

// A pair declined within the cooldown is not proposed again by a batch.
func TestBatchLeavesOutDeclinedPairs(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const org = "org-a"
	seed(t, db, org, 30, 20, 4)
	first := newBatch(t, db, org)
	if err := runner(db, db).Run(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	before := proposalsOf(t, db, org, first.ID)
	declined := before[0]
	if err := db.CreateProposal(ctx, proposals.Proposal{
		ID: "prp_declined", OrganisationID: org, BeneficiaryID: declined.Seeker, Kind: proposals.KindJob, OpeningID: declined.Opening,
		Source: proposals.SourceAdviser, State: proposals.Declined, History: []proposals.Transition{},
		CreatedAt: t0.Add(-time.Hour), UpdatedAt: t0.Add(-time.Hour), Version: 4,
	}); err != nil {
		t.Fatal(err)
	}
	second := newBatch(t, db, org)
	if err := runner(db, db).Run(ctx, second.ID); err != nil {
		t.Fatal(err)
	}
	for _, p := range proposalsOf(t, db, org, second.ID) {
		if p == declined {
			t.Fatalf("the declined pair %v was proposed again", declined)
		}
	}
}

// A batch whose task the queue lost (Redis restarted without its data) is
// enqueued again by the sweeper once it has waited StaleAfter.
func TestSweepRecoversABatchWhoseTaskWasLost(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const org = "org-a"
	seed(t, db, org, 10, 10, 6)
	b := newBatch(t, db, org)
	if err := db.MarkEnqueued(ctx, b.ID, t0); err != nil { // enqueued, then lost
		t.Fatal(err)
	}
	queue := testenv.Get(t).Prefix(t)
	client := workers.NewClient(redisOpt(t), queue, quiet)
	defer client.Close()
	inspector := asynq.NewInspector(redisOpt(t))
	defer inspector.Close()

	if _, err := batches.Sweep(ctx, db, client, t0.Add(batches.StaleAfter-time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := inspector.GetTaskInfo(queue, b.ID); err == nil {
		t.Fatal("a batch queued for less than StaleAfter was enqueued again")
	}
	if _, err := batches.Sweep(ctx, db, client, t0.Add(batches.StaleAfter+time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := inspector.GetTaskInfo(queue, b.ID); err != nil {
		t.Fatalf("the stale batch's task: %v", err)
	}
	serve(t, queue, &workers.Handlers{Runner: runner(db, db), Logger: quiet}, time.Second)
	waitFor(t, 30*time.Second, "recovered batch done", func() bool {
		got, err := db.BatchByID(ctx, b.ID)
		return err == nil && got.Status == batches.Done
	})
}

// failingWriter fails every write, as a store that stays unreachable.
type failingWriter struct{}

func (failingWriter) CreateProposal(context.Context, proposals.Proposal) error {
	return errors.New("store unreachable")
}

func (failingWriter) CreateProposalOnce(context.Context, proposals.Proposal) (proposals.Proposal, bool, error) {
	return proposals.Proposal{}, false, errors.New("store unreachable")
}

// When the queue gives up on a batch (its last retry failed), the batch
// says failed, not running.
func TestBatchGivenUpIsRecordedFailed(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	seed(t, db, "org-a", 10, 10, 7)
	b := newBatch(t, db, "org-a")
	queue := testenv.Get(t).Prefix(t)
	client := asynq.NewClient(redisOpt(t))
	defer client.Close()
	task, opts, err := workers.NewBatchTask(b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enqueue(task, append(opts, asynq.Queue(queue), asynq.MaxRetry(0))...); err != nil {
		t.Fatal(err)
	}
	serve(t, queue, &workers.Handlers{Runner: runner(db, failingWriter{}), Logger: quiet}, time.Second)
	waitFor(t, 30*time.Second, "batch recorded failed", func() bool {
		got, err := db.BatchByID(ctx, b.ID)
		return err == nil && got.Status == batches.Failed && got.Error != ""
	})
}

// A later batch leaves out the seekers an earlier batch already proposed
// (each seeker gets at most one opening of a kind) and the places those
// proposals hold; the earlier batch's proposals still count once accepted.
func TestSecondBatchRespectsPendingProposals(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const org = "org-a"
	seed(t, db, org, 40, 25, 7)
	first := newBatch(t, db, org)
	if err := runner(db, db).Run(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	firstPairs := proposalsOf(t, db, org, first.ID)
	if len(firstPairs) == 0 {
		t.Fatal("the first batch proposed nothing")
	}
	proposed := map[string]bool{}
	held := map[string]int{}
	for _, p := range firstPairs {
		proposed[p.Seeker] = true
		held[p.Opening]++
	}

	second := batches.Batch{ID: ids.New("bat"), OrganisationID: org, Kind: "job", Scope: batches.Scope{Department: "69"},
		MinScore: 0.2, Status: batches.Queued, CreatedAt: t0.Add(time.Hour), Progress: batches.Progress{Phase: "queued"}}
	if err := db.CreateBatch(ctx, second); err != nil {
		t.Fatal(err)
	}
	if err := runner(db, db).Run(ctx, second.ID); err != nil {
		t.Fatal(err)
	}
	positions := map[string]int{}
	list, _, err := db.Opportunities(ctx, jobs.Filter{OrganisationID: org, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range list {
		positions[o.ID] = o.Positions
	}
	secondPairs := proposalsOf(t, db, org, second.ID)
	for _, p := range secondPairs {
		if proposed[p.Seeker] {
			t.Errorf("seeker %s proposed again by the second batch", p.Seeker)
		}
		held[p.Opening]++
	}
	for o, n := range held {
		if n > positions[o] {
			t.Errorf("opening %s: %d proposals for %d positions across the two batches", o, n, positions[o])
		}
	}
	got, err := db.Batch(ctx, org, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := 40 - len(proposed); got.Counts.Seekers != want {
		t.Errorf("second batch considered %d seekers, want %d", got.Counts.Seekers, want)
	}
}
