package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/demo"
	"github.com/parcours-emploi/parcours/internal/devstack"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/proposals"
)

// syncBuffer is a buffer safe to write from the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

var secretRE = regexp.MustCompile(`prc_[A-Za-z0-9_-]{43}`)

// startDev runs dev (API, console, workers, demo data) on dir until the
// returned stop is called.
func startDev(t *testing.T, dir string) (base string, stdout *syncBuffer, stop func() error) {
	return startServe(t, dir, serveOptions{demo: true, work: true})
}

// startServe runs the server with opts on dir until the returned stop is
// called.
func startServe(t *testing.T, dir string, opts serveOptions) (base string, stdout *syncBuffer, stop func() error) {
	t.Helper()
	cfg, err := loadConfig(envOf(map[string]string{"PARCOURS_ADDR": "127.0.0.1:0", "PARCOURS_DATA_DIR": dir, "PARCOURS_LOG_LEVEL": "warn"}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stdout = &syncBuffer{}
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	opts.ready = func(a string) { ready <- a }
	go func() {
		errc <- runServe(ctx, cfg, stdout, io.Discard, opts)
	}()
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-errc:
		cancel()
		t.Fatalf("the server stopped at start: %v", err)
	case <-time.After(90 * time.Second):
		cancel()
		t.Fatal("the server did not start in 90 s")
	}
	return base, stdout, func() error {
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("the server did not stop in 30 s after cancel")
			return nil
		}
	}
}

func get(t *testing.T, url, secret string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// readKeys reads dev's demo-keys.json.
func readKeys(t *testing.T, dir string) demoKeys {
	t.Helper()
	path := filepath.Join(dir, "demo-keys.json")
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("demo keys file: %v %v", info, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var k demoKeys
	if err := json.Unmarshal(b, &k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestDevServesDemoDataAndKeepsItAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	base, out, stop := startDev(t, dir)
	keys := readKeys(t, dir)
	for _, name := range []string{"coordinator", "adviser", "mentor", "agency", "other_adviser", "other_agency"} {
		if !secretRE.MatchString(keys.Keys[name]) {
			t.Errorf("demo-keys.json has no API key %q: %v", name, keys.Keys)
		}
	}
	for _, name := range []string{"coordinator", "adviser", "mentor", "other_adviser"} {
		if !strings.HasPrefix(keys.Logins[name], base[:strings.LastIndex(base, ":")+1]) && !strings.Contains(keys.Logins[name], "/dev/persona/"+name+"?secret=") {
			t.Errorf("demo-keys.json has no login %q: %v", name, keys.Logins)
		}
		if !strings.Contains(out.String(), keys.Logins[name]) {
			t.Errorf("dev did not print the login of %s", name)
		}
	}
	adviser := keys.Keys["adviser"]
	if code, body := get(t, base+"/readyz", ""); code != 200 {
		t.Fatalf("readyz %d %s", code, body)
	}
	code, body := get(t, base+"/api/v1/beneficiaries?limit=200", adviser)
	if code != 200 || strings.Count(body, `"id":"ben_`) != 36 {
		t.Fatalf("beneficiaries: %d %s", code, body)
	}
	// The other programme sees its own people only.
	if code, body := get(t, base+"/api/v1/beneficiaries?limit=200", keys.Keys["other_adviser"]); code != 200 || strings.Count(body, `"id":"ben_`) != 6 {
		t.Fatalf("other programme's beneficiaries: %d %s", code, body)
	}
	if err := stop(); err != nil {
		t.Fatalf("dev returned %v on shutdown", err)
	}

	// A batch that a crash left running: dev's queue lived in its memory,
	// so the restart must enqueue it again.
	crashed := crashedBatch(t, dir)

	// Restart on the same data: same records, not seeded twice, the same keys work.
	base, out, stop = startDev(t, dir)
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body := get(t, base+"/api/v1/matching/batches/"+crashed, keys.Keys["coordinator"])
		if code == 200 && strings.Contains(body, `"status":"done"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the crashed batch did not resume: %d %s", code, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	code, body = get(t, base+"/api/v1/beneficiaries?limit=200", adviser)
	if code != 200 || strings.Count(body, `"id":"ben_`) != 36 {
		t.Fatalf("after restart: %d %s", code, body)
	}
	again := readKeys(t, dir)
	if !strings.Contains(out.String(), again.Logins["adviser"]) || again.Secrets["adviser"] != keys.Secrets["adviser"] {
		t.Errorf("the restart does not keep and remind the persona logins")
	}
	// A persona login works in dev.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(again.Logins["adviser"])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/accueil" || !strings.Contains(res.Header.Get("Set-Cookie"), "parcours_session=") {
		t.Errorf("dev persona login: %d %v", res.StatusCode, res.Header)
	}
	if err := stop(); err != nil {
		t.Error(err)
	}

	// serve on the same data refuses the persona logins: they exist in dev only.
	base, _, stop = startServe(t, dir, serveOptions{})
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	login := base + again.Logins["adviser"][strings.Index(again.Logins["adviser"], "/dev/"):]
	res, err = client.Get(login)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || strings.Contains(res.Header.Get("Set-Cookie"), "parcours_session=") {
		t.Errorf("serve answered a persona login with %d %v, want 404 and no session", res.StatusCode, res.Header)
	}
	if code, _ := get(t, base+"/dev/courriels", ""); code != http.StatusNotFound {
		t.Errorf("serve shows the dev mail page: %d", code)
	}
}

func TestKeysCreateListRevoke(t *testing.T) {
	env := envOf(map[string]string{"PARCOURS_DATA_DIR": t.TempDir(), "PARCOURS_LOG_LEVEL": "warn"})
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"keys", "create", "-org", "Agence Test", "-org-kind", "agency", "-role", "agency", "-name", "Intégration"}, env, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	secret := secretRE.FindString(out.String())
	keyID := regexp.MustCompile(`key (key_[0-9a-z]+)`).FindStringSubmatch(out.String())
	if secret == "" || keyID == nil {
		t.Fatalf("create printed no secret or key id:\n%s", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"keys", "list", "-org", "Agence Test"}, env, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), keyID[1]) || strings.Contains(out.String(), secret) {
		t.Fatalf("list must show the key and never the secret:\n%s", out.String())
	}
	if err := run(ctx, []string{"keys", "revoke", keyID[1]}, env, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	_ = run(ctx, []string{"keys", "list"}, env, nil, &out, io.Discard)
	if !regexp.MustCompile(keyID[1] + `.*\d{4}-\d\d-\d\dT`).MatchString(strings.ReplaceAll(out.String(), "\n", " ")) {
		t.Errorf("revoked key not shown revoked:\n%s", out.String())
	}
	if err := run(ctx, []string{"keys", "create", "-org", "X", "-role", "boss", "-name", "Y"}, env, nil, io.Discard, io.Discard); err == nil {
		t.Error("an unknown role was accepted")
	}
	if err := run(ctx, []string{"frobnicate"}, env, nil, io.Discard, io.Discard); err == nil {
		t.Error("an unknown command was accepted")
	}
}

func TestConfigMasksSecrets(t *testing.T) {
	cfg, err := loadConfig(envOf(map[string]string{"MONGODB_URI": "mongodb://app:s3cret@db:27017/", "REDIS_URL": "redis://:hunter2@cache:6379/0"}))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	newLogger(&b, cfg.LogLevel).Info("start", cfg.logAttrs()...)
	if strings.Contains(b.String(), "s3cret") || strings.Contains(b.String(), "hunter2") || !strings.Contains(b.String(), "db:27017") {
		t.Errorf("config log %s", b.String())
	}
	if _, err := loadConfig(envOf(map[string]string{"PARCOURS_LOG_LEVEL": "loud"})); err == nil {
		t.Error("a bad log level was accepted")
	}
}

// crashedBatch records, in dev's stopped store, a batch left running by a
// crash (its task gone with dev's in-memory queue), and returns its id.
func crashedBatch(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	m, err := devstack.StartMongo(ctx, filepath.Join(dir, "mongo"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	db, err := mongodb.Open(ctx, m.URI(), "parcours")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	org, err := db.OrganisationByName(ctx, demo.Programme)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	b := batches.Batch{ID: "bat_crashed", OrganisationID: org.ID, Kind: proposals.KindTraining, MinScore: 0.1,
		Status: batches.Running, CreatedAt: now, EnqueuedAt: &now, StartedAt: &now, Attempts: 1, Progress: batches.Progress{Phase: "solve"}}
	if err := db.CreateBatch(ctx, b); err != nil {
		t.Fatal(err)
	}
	return b.ID
}
