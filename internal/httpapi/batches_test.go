package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/internal/workers"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/proposals"
)

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func testRedis(t *testing.T) asynq.RedisClientOpt {
	t.Helper()
	o := testenv.Get(t).RedisOpt(t)
	return asynq.RedisClientOpt{Addr: o.Addr, Username: o.Username, Password: o.Password, DB: o.DB}
}

// withBatches wires batches (enqueued on queue through redis), situations
// and measurements on the world's store.
func withBatches(t *testing.T, redis asynq.RedisClientOpt, queue string) worldOption {
	return func(s *worldSetup) {
		client := workers.NewClient(redis, queue, quietLog)
		t.Cleanup(func() { client.Close() })
		s.queue = client
	}
}

// startWorker runs a worker for queue on the world's store until the test ends.
func startWorker(t *testing.T, db *mongodb.DB, queue string) {
	t.Helper()
	h := &workers.Handlers{
		Runner: app.New(db, nil, app.Settings{}).Runner,
		Logger: quietLog,
	}
	srv := workers.NewServer(workers.Config{Redis: testRedis(t), Queue: queue, Logger: quietLog, ShutdownTimeout: time.Second}, h)
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
}

func (w *world) waitBatch(k key, id string, status batches.Status) httpapi.Batch {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var b httpapi.Batch
		w.must(w.do(k, "GET", "/api/v1/matching/batches/"+id, nil), http.StatusOK).json(w.t, &b)
		if b.Status == string(status) {
			return b
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("batch %s is %s, want %s", id, b.Status, status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// seedKitchen makes three beneficiaries who want kitchen work in Lyon and
// offers: two places in a Lyon kitchen, a nurse's post they cannot take, and
// a kitchen in Marseille out of scope.
func (w *world) seedKitchen() {
	w.t.Helper()
	for _, name := range []string{"Amina", "Leila", "Nour"} {
		b := amina(w.advA.user.ID)
		b["firstName"] = name
		w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", b), http.StatusCreated)
	}
	w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities", offer("Commis de cuisine", "G1602", "69", "69002", 45.757, 4.832, "a2")), http.StatusCreated)
	w.must(w.do(w.advB, "POST", "/api/v1/opportunities", offer("Aide-soignant(e)", "J1501", "69", "69004", 45.778, 4.828, "b1")), http.StatusCreated)
	w.must(w.do(w.advB, "POST", "/api/v1/opportunities", offer("Commis de cuisine", "G1602", "13", "13001", 43.297, 5.381, "a2")), http.StatusCreated)
}

func TestBatchEndToEnd(t *testing.T) {
	queue := testenv.Get(t).Prefix(t)
	w := newWorld(t, withBatches(t, testRedis(t), queue))
	startWorker(t, w.db, queue)
	w.seedKitchen()

	// The programme is named as people type it: its record's name decides.
	body := map[string]any{"kind": "job", "scope": map[string]any{"department": "69", "programme": "agir"}, "minScore": 0.1}
	r := w.must(w.do(w.advA, "POST", "/api/v1/matching/batches", body), http.StatusAccepted)
	var queued httpapi.Batch
	r.json(t, &queued)
	if queued.Status != string(batches.Queued) || queued.EnqueuedAt == nil || r.Header.Get("Location") != "/api/v1/matching/batches/"+queued.ID {
		t.Fatalf("202 answer %+v, Location %q", queued, r.Header.Get("Location"))
	}

	b := w.waitBatch(w.advA, queued.ID, batches.Done)
	wantCounts := httpapi.BatchCounts{Seekers: 3, Openings: 2, Candidates: 3, Assigned: 2, Created: 2}
	if b.Counts != wantCounts {
		t.Errorf("counts %+v, want %+v (two places for three cooks; the nurse's post fits none)", b.Counts, wantCounts)
	}
	if b.Objective <= 0 || b.WeightsVersion == "" || b.TaxonomyVersion == "" || b.Progress.Phase != "done" || b.Progress.Written != 2 || b.FinishedAt == nil {
		t.Errorf("done batch %+v", b)
	}

	// The proposals wait for an adviser, with their explanation.
	list, _, err := w.db.Proposals(context.Background(), proposals.Filter{OrganisationID: w.orgA.ID, BatchID: b.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("%d proposals, want 2", len(list))
	}
	var total int64
	for _, p := range list {
		var ev matching.Evaluation
		if err := json.Unmarshal(p.Explanation, &ev); err != nil || !ev.Eligible || ev.WeightsVersion != b.WeightsVersion {
			t.Errorf("proposal %s explanation %s (%v)", p.ID, p.Explanation, err)
		}
		if p.State != proposals.Proposed || p.Source != proposals.SourceEngine || p.Kind != proposals.KindJob {
			t.Errorf("proposal %+v", p)
		}
		total += int64(ev.Score*1000 + 0.5)
	}
	if total != b.Objective {
		t.Errorf("proposals' scores add up to %d, objective %d", total, b.Objective)
	}

	// The exact instance solved, solved again independently, gives the objective.
	r = w.must(w.do(w.coordA, "GET", "/api/v1/matching/batches/"+b.ID+"/dimacs", nil), http.StatusOK)
	f, err := matching.ParseDIMACS(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("parse the instance: %v\n%s", err, r.Body)
	}
	sol, err := matching.Solve(f.Problem)
	if err != nil || sol.Objective != b.Objective || f.Problem.Seekers != 3 || len(f.Problem.Capacities) != 2 {
		t.Errorf("instance: %d seekers, %d openings, objective %d (%v); batch objective %d", f.Problem.Seekers, len(f.Problem.Capacities), sol.Objective, err, b.Objective)
	}

	// The mapping ties each flow of the solution to its proposal: the
	// seeker's node to a pseudonym (the person for a coordinator who asks),
	// the opening's node to its id.
	var solved bytes.Buffer
	if err := f.WriteSolution(&solved, sol); err != nil {
		t.Fatal(err)
	}
	mapping := func(k key, query string) map[string][]string {
		rows, err := csv.NewReader(bytes.NewReader(w.must(w.do(k, "GET", "/api/v1/matching/batches/"+b.ID+"/dimacs/mapping"+query, nil), http.StatusOK).Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, r := range rows[1:] {
			out[r[0]] = r
		}
		return out
	}
	plain, resolved := mapping(w.advA, ""), mapping(w.coordA, "?resolve=true")
	byID := map[string]proposals.Proposal{}
	for _, p := range list {
		byID[p.ID] = p
	}
	flows := 0
	for _, line := range strings.Split(solved.String(), "\n") {
		var u, v, x int
		if n, _ := fmt.Sscanf(line, "f %d %d %d", &u, &v, &x); n != 3 || x != 1 || u < 3 || v < 3 {
			continue
		}
		seeker, opening := resolved[strconv.Itoa(u)], resolved[strconv.Itoa(v)]
		p, ok := byID[seeker[4]]
		if !ok || p.BeneficiaryID != seeker[5] || p.OpeningID != opening[3] || plain[strconv.Itoa(u)][2] != batches.Pseudonym(b.ID, p.BeneficiaryID) || len(plain[strconv.Itoa(u)]) != 5 {
			t.Errorf("flow %s: seeker %v, opening %v, proposal %+v", line, seeker, opening, p)
		}
		flows++
	}
	if flows != 2 {
		t.Errorf("%d flows tied to proposals, want 2", flows)
	}
	w.must(w.do(w.advA, "GET", "/api/v1/matching/batches/"+b.ID+"/dimacs/mapping?resolve=true", nil), http.StatusForbidden)
	w.must(w.do(w.advB, "GET", "/api/v1/matching/batches/"+b.ID+"/dimacs/mapping", nil), http.StatusNotFound)

	// Another organisation sees nothing; roles without the right are refused.
	w.must(w.do(w.advB, "GET", "/api/v1/matching/batches/"+b.ID, nil), http.StatusNotFound)
	w.must(w.do(w.advB, "GET", "/api/v1/matching/batches/"+b.ID+"/dimacs", nil), http.StatusNotFound)
	w.must(w.do(w.mentorA, "POST", "/api/v1/matching/batches", body), http.StatusForbidden)
	w.must(w.do(w.agencyK, "GET", "/api/v1/matching/batches/"+b.ID, nil), http.StatusForbidden)
}

func TestBatchInputIsValidated(t *testing.T) {
	w := newWorld(t, withBatches(t, testRedis(t), testenv.Get(t).Prefix(t)))
	tests := []struct {
		name string
		body any
		ptrs []string
	}{
		{"unknown kind", map[string]any{"kind": "house"}, []string{"/kind"}},
		{"score above 1", map[string]any{"kind": "job", "minScore": 1.5}, []string{"/minScore"}},
		{"bad département", map[string]any{"kind": "job", "scope": map[string]any{"department": "999"}}, []string{"/scope/department"}},
		{"unknown member", map[string]any{"kind": "job", "extra": 1}, []string{"/extra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := w.must(w.do(w.advA, "POST", "/api/v1/matching/batches", tt.body), http.StatusUnprocessableEntity).problem(t)
			var got []string
			for _, e := range p.Errors {
				got = append(got, e.Pointer)
			}
			if len(got) != len(tt.ptrs) || got[0] != tt.ptrs[0] {
				t.Errorf("errors at %v, want %v", got, tt.ptrs)
			}
		})
	}
}

// Redis unreachable during the POST: 202 all the same; the batch runs once
// the queue is back and the sweeper has enqueued it.
func TestBatchPostedWhileRedisIsDown(t *testing.T) {
	queue := testenv.Get(t).Prefix(t)
	dead := asynq.RedisClientOpt{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond}
	w := newWorld(t, withBatches(t, dead, queue))
	w.seedKitchen()

	r := w.must(w.do(w.advA, "POST", "/api/v1/matching/batches", map[string]any{"kind": "job", "scope": map[string]any{"department": "69"}}), http.StatusAccepted)
	var b httpapi.Batch
	r.json(t, &b)
	if b.Status != string(batches.Queued) || b.EnqueuedAt != nil {
		t.Fatalf("batch %+v: want queued and not enqueued", b)
	}
	if got := w.waitBatch(w.advA, b.ID, batches.Queued); got.EnqueuedAt != nil {
		t.Fatalf("stored batch %+v", got)
	}

	live := workers.NewClient(testRedis(t), queue, quietLog)
	defer live.Close()
	if n, err := batches.Sweep(context.Background(), w.db, live, time.Now(), 0); err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
	startWorker(t, w.db, queue)
	done := w.waitBatch(w.advA, b.ID, batches.Done)
	if done.EnqueuedAt == nil || done.Counts.Created != 2 {
		t.Errorf("swept batch %+v", done)
	}
}

// Two batches of one organisation and kind never run side by side, so a
// second never proposes the places the first is proposing: while one is
// under way, another of the same kind is a 409 that names it; another
// kind may run; once the first is done, a new one runs and sees its
// proposals.
func TestOneBatchOfAKindAtATime(t *testing.T) {
	queue := testenv.Get(t).Prefix(t)
	w := newWorld(t, withBatches(t, testRedis(t), queue))
	w.seedKitchen()
	body := map[string]any{"kind": "job", "scope": map[string]any{"department": "69"}, "minScore": 0.1}
	var first httpapi.Batch
	w.must(w.do(w.advA, "POST", "/api/v1/matching/batches", body), http.StatusAccepted).json(t, &first)
	p := w.must(w.do(w.advA, "POST", "/api/v1/matching/batches", body, hdr{"Accept-Language": "fr"}), http.StatusConflict).problem(t)
	if !strings.Contains(p.Detail, "déjà en cours") {
		t.Errorf("the second batch's answer: %q", p.Detail)
	}
	w.must(w.do(w.advA, "POST", "/api/v1/matching/batches", map[string]any{"kind": "training", "minScore": 0.1}), http.StatusAccepted)
	w.must(w.do(w.advB, "POST", "/api/v1/matching/batches", body), http.StatusAccepted) // another organisation

	startWorker(t, w.db, queue)
	w.waitBatch(w.advA, first.ID, batches.Done)
	var second httpapi.Batch
	w.must(w.do(w.advA, "POST", "/api/v1/matching/batches", body), http.StatusAccepted).json(t, &second)
	done := w.waitBatch(w.advA, second.ID, batches.Done)
	if done.Counts.Created != 0 {
		t.Errorf("the second batch proposed %d places the first had proposed", done.Counts.Created)
	}
}
