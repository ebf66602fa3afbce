package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/pathways"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// world is an API on real stores with two programmes, an agency and keys
// for every role.
type world struct {
	t   *testing.T
	app *fiber.App
	db  *mongodb.DB
	svc *app.Services
	doc []byte

	orgA, orgB, agency                          access.Organisation
	coordA, advA, advA2, mentorA, advB, agencyK key
	coordB                                      key
}

type key struct {
	secret string
	user   access.User
}

// worldSetup is what a world is built from: the services' settings and
// queue, and the API's own dependencies.
type worldSetup struct {
	db       *mongodb.DB
	settings app.Settings
	queue    app.Queue
	deps     httpapi.Deps
}

type worldOption func(*worldSetup)

func newWorld(t *testing.T, opts ...worldOption) *world {
	t.Helper()
	env := testenv.Get(t)
	name := env.Database(t).Name() // dropped when the test ends
	ctx := context.Background()
	db, err := mongodb.Open(ctx, env.MongoURI(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	if err := db.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	setup := worldSetup{db: db, deps: httpapi.Deps{
		Checks: map[string]func(context.Context) error{"mongodb": db.Ping},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}}
	for _, o := range opts {
		o(&setup)
	}
	deps := setup.deps
	deps.Services = app.New(db, setup.queue, setup.settings)
	deps.Now = setup.settings.Now
	w := &world{t: t, app: httpapi.New(deps), db: db, svc: deps.Services}
	w.doc, err = httpapi.BuildOpenAPIForApp(deps)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	org := func(name, kind string) access.Organisation {
		o := access.Organisation{ID: ids.New("org"), Name: name, Kind: kind, CreatedAt: now}
		if err := db.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	issue := func(o access.Organisation, r access.Role, name string) key {
		secret, _, u, err := access.IssueKey(ctx, db, o, r, name, "test", now, ids.New)
		if err != nil {
			t.Fatal(err)
		}
		return key{secret, u}
	}
	w.orgA, w.orgB, w.agency = org("Programme A", "programme"), org("Programme B", "programme"), org("Agence", "agency")
	// Each programme organisation runs AGIR and Kodiko, as its coordinator would have set them up.
	for _, o := range []access.Organisation{w.orgA, w.orgB} {
		for _, name := range []string{"AGIR", "Kodiko"} {
			p := pathways.ProgrammeDefaults(pathways.Programme{ID: ids.New("prg"), OrganisationID: o.ID, Name: name, CreatedAt: now})
			if err := db.CreateProgramme(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.coordA = issue(w.orgA, access.Coordinator, "Coord A")
	w.advA = issue(w.orgA, access.Adviser, "Adviser A")
	w.advA2 = issue(w.orgA, access.Adviser, "Adviser A2")
	w.mentorA = issue(w.orgA, access.Mentor, "Mentor A")
	w.advB = issue(w.orgB, access.Adviser, "Adviser B")
	w.coordB = issue(w.orgB, access.Coordinator, "Coord B")
	w.agencyK = issue(w.agency, access.Agency, "Agency")
	return w
}

// resp is a response read whole.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// problem decodes a problem+json answer and checks its media type.
func (r resp) problem(t *testing.T) httpapi.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q, want application/problem+json (body %s)", ct, r.Body)
	}
	var p httpapi.Problem
	r.json(t, &p)
	if p.Status != r.Status {
		t.Fatalf("problem status %d, response status %d", p.Status, r.Status)
	}
	return p
}

type hdr map[string]string

// do sends a request through the app. body may be nil, a string or a value
// to encode as JSON. Every answer is checked against the OpenAPI document.
func (w *world) do(k key, method, path string, body any, headers ...hdr) resp {
	w.t.Helper()
	return w.send(true, k, method, path, body, headers...)
}

// doUndocumented sends a request to a path the document does not have.
func (w *world) doUndocumented(k key, method, path string, body any, headers ...hdr) resp {
	w.t.Helper()
	return w.send(false, k, method, path, body, headers...)
}

func (w *world) send(contract bool, k key, method, path string, body any, headers ...hdr) resp {
	w.t.Helper()
	var rdr io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rdr = strings.NewReader(b)
	case []byte:
		rdr = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			w.t.Fatal(err)
		}
		rdr = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rdr)
	if rdr != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if k.secret != "" {
		req.Header.Set("Authorization", "Bearer "+k.secret)
	}
	for _, h := range headers {
		for n, v := range h {
			req.Header.Set(n, v)
		}
	}
	res, err := w.app.Test(req, -1)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	r := resp{Status: res.StatusCode, Header: res.Header, Body: raw}
	if contract && res.StatusCode != http.StatusNotModified {
		contractMu.Lock()
		httpapi.ValidateAgainstDoc(w.t, w.doc, method, strings.SplitN(path, "?", 2)[0], res.StatusCode, res.Header, raw)
		contractMu.Unlock()
	}
	return r
}

var contractMu sync.Mutex

func (w *world) must(r resp, status int) resp {
	w.t.Helper()
	if r.Status != status {
		w.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

// explainedSuggestions reads the API's suggestions with each explanation
// decoded as the engine's evaluation.
type explainedSuggestions struct {
	httpapi.Suggestions
	Items []struct {
		Rank        int                    `json:"rank"`
		Score       float64                `json:"score"`
		Opening     httpapi.OpeningSummary `json:"opening"`
		Explanation matching.Evaluation    `json:"explanation"`
	} `json:"items"`
}
