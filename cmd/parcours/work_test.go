package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// dev runs the workers beside the API: a batch posted over HTTP is done a
// moment later, with the demo data's proposals. The demo's own batch holds
// the job offers' places already, so this one assigns training seats.
func TestDevRunsBatchesInProcess(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startDev(t, dir)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("dev stopped with %v", err)
		}
	}()
	coordinator := readKeys(t, dir).Keys["coordinator"]

	req, _ := http.NewRequest("POST", base+"/api/v1/matching/batches", strings.NewReader(`{"kind":"training","scope":{"department":"69"},"minScore":0.1}`))
	req.Header.Set("Authorization", "Bearer "+coordinator)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Counts struct {
			Seekers, Assigned int
			Created           int `json:"proposalsCreated"`
		} `json:"counts"`
	}
	err = json.NewDecoder(res.Body).Decode(&b)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("POST batch: %d, %v", res.StatusCode, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for b.Status != "done" {
		if time.Now().After(deadline) {
			t.Fatalf("batch still %s after 30 s", b.Status)
		}
		time.Sleep(100 * time.Millisecond)
		status, body := get(t, base+"/api/v1/matching/batches/"+b.ID, coordinator)
		if status != http.StatusOK {
			t.Fatalf("GET batch: %d %s", status, body)
		}
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			t.Fatal(err)
		}
	}
	if b.Counts.Seekers == 0 || b.Counts.Assigned == 0 || b.Counts.Created != b.Counts.Assigned {
		t.Errorf("demo batch counts %+v: want seekers, and one proposal per assignment", b.Counts)
	}
}

func TestWorkNeedsSharedStores(t *testing.T) {
	err := run(context.Background(), []string{"work"}, envOf(map[string]string{"REDIS_URL": "redis://127.0.0.1:6379"}), nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "MONGODB_URI") {
		t.Errorf("work without MONGODB_URI: %v, want an error naming it", err)
	}
}
