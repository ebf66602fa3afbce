package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// Two API instances on one store and one Redis hold one rate limit per
// key: a key's requests spread over both are counted together.
func TestTwoInstancesHoldOneRateLimit(t *testing.T) {
	env := testenv.Get(t)
	db := env.Database(t).Name()
	start := func() (string, func() error) {
		cfg, err := loadConfig(envOf(map[string]string{"PARCOURS_ADDR": "127.0.0.1:0", "PARCOURS_DATA_DIR": t.TempDir(), "PARCOURS_LOG_LEVEL": "warn",
			"MONGODB_URI": env.MongoURI(), "MONGODB_DATABASE": db, "REDIS_URL": env.RedisURL(), "PARCOURS_RATE_LIMIT": "5",
			"PARCOURS_PUBLIC_URL": "http://127.0.0.1"}))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		ready, errc := make(chan string, 1), make(chan error, 1)
		go func() {
			errc <- runServe(ctx, cfg, io.Discard, io.Discard, serveOptions{ready: func(a string) { ready <- a }})
		}()
		select {
		case a := <-ready:
			return "http://" + a, func() error { cancel(); return <-errc }
		case err := <-errc:
			cancel()
			t.Fatalf("serve stopped: %v", err)
		case <-time.After(60 * time.Second):
			cancel()
			t.Fatal("serve did not start")
		}
		return "", nil
	}
	a, stopA := start()
	defer stopA()
	b, stopB := start()
	defer stopB()

	ctx := context.Background()
	store, err := mongodb.Open(ctx, env.MongoURI(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(ctx)
	now := time.Now().UTC()
	org := access.Organisation{ID: ids.New("org"), Name: "Programme limite", Kind: "programme", CreatedAt: now}
	if err := store.CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	secret, _, _, err := access.IssueKey(ctx, store, org, access.Adviser, "Conseillère", "test", now, ids.New)
	if err != nil {
		t.Fatal(err)
	}
	statuses := []int{}
	for i := 0; i < 8; i++ {
		base := a
		if i%2 == 1 {
			base = b
		}
		code, _ := get(t, base+"/api/v1/beneficiaries", secret)
		statuses = append(statuses, code)
	}
	ok, limited := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			limited++
		}
	}
	if ok != 5 || limited != 3 {
		t.Errorf("8 requests over two instances with a limit of 5: %v", statuses)
	}
}

// REDIS_URL reaches one server or, through Sentinels, a master that can
// fail over; a URL of another scheme is refused at start.
func TestRedisURLNamesAServerOrSentinels(t *testing.T) {
	for url, want := range map[string]string{
		"redis://:secret@10.0.0.5:6379/2":                                        "10.0.0.5:6379",
		"redis-sentinel://:secret@10.0.0.1:26379,10.0.0.2:26379?master=parcours": "FailoverClient",
	} {
		c, err := redisClient(url)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		if got := c.String(); !strings.Contains(got, want) {
			t.Errorf("%s gives %s, want %s", url, got, want)
		}
		c.Close()
	}
	if _, err := redisClient("memcached://10.0.0.5"); err == nil {
		t.Error("a memcached URL is accepted")
	}
}
