package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
)

// validateAgainstDoc fails t unless the response (status, headers, body) to
// method path is one the OpenAPI document doc allows.
func validateAgainstDoc(t *testing.T, doc []byte, method, path string, status int, header http.Header, body []byte) {
	t.Helper()
	if err := checkAgainstDoc(doc, method, path, status, header, body); err != nil {
		t.Errorf("%s %s answered %d, which the OpenAPI document does not allow: %v\nbody: %s",
			method, path, status, err, docTruncate(body, 2000))
	}
}

// ValidateAgainstDoc is validateAgainstDoc for the package's external tests.
var ValidateAgainstDoc = validateAgainstDoc

// checkAgainstDoc returns why the response to method path breaks the
// document, or nil. path may carry a query string. The document is loaded and
// validated once per distinct content.
func checkAgainstDoc(doc []byte, method, path string, status int, header http.Header, body []byte) error {
	spec, err := loadOpenAPIDoc(doc)
	if err != nil {
		return err
	}
	req := httptest.NewRequest(method, path, nil)
	route, params, err := findDocOperation(spec, method, req.URL.Path)
	if err != nil {
		return err
	}

	resp := route.Operation.Responses.Status(status)
	if resp == nil {
		resp = route.Operation.Responses.Default()
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	if resp != nil && resp.Value != nil {
		if len(resp.Value.Content) == 0 && len(body) > 0 {
			return fmt.Errorf("status %d is documented without a body, got %d bytes", status, len(body))
		}
		// A media type kin-openapi cannot decode (say text/x-dimacs) is
		// documented as a plain string: checking its presence is all there is.
		if ct := header.Get("Content-Type"); ct != "" && resp.Value.Content.Get(ct) != nil {
			if mt, _, err := mime.ParseMediaType(ct); err == nil && openapi3filter.RegisteredBodyDecoder(mt) == nil &&
				!strings.HasSuffix(mt, "+json") {
				opts.ExcludeResponseBody = true
			}
		}
	}

	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: opts,
	}
	return openapi3filter.ValidateResponse(context.Background(), input)
}

// checkRequestAgainstDoc returns why a request (headers and body) to method
// path breaks the document, or nil: its parameters, its body's media type and
// schema. Security is not checked.
func checkRequestAgainstDoc(doc []byte, method, path string, header http.Header, body []byte) error {
	spec, err := loadOpenAPIDoc(doc)
	if err != nil {
		return err
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	maps.Copy(req.Header, header)
	route, params, err := findDocOperation(spec, method, req.URL.Path)
	if err != nil {
		return err
	}
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	})
}

var loadedOpenAPIDocs sync.Map // [sha256.Size]byte → *loadedOpenAPIDoc

type loadedOpenAPIDoc struct {
	once sync.Once
	spec *openapi3.T
	err  error
}

// loadOpenAPIDoc parses doc and checks it is a valid OpenAPI document.
func loadOpenAPIDoc(doc []byte) (*openapi3.T, error) {
	v, _ := loadedOpenAPIDocs.LoadOrStore(sha256.Sum256(doc), &loadedOpenAPIDoc{})
	l := v.(*loadedOpenAPIDoc)
	l.once.Do(func() {
		loader := openapi3.NewLoader()
		spec, err := loader.LoadFromData(doc)
		if err != nil {
			l.err = fmt.Errorf("load OpenAPI document: %w", err)
			return
		}
		if err := spec.Validate(loader.Context); err != nil {
			l.err = fmt.Errorf("OpenAPI document is invalid: %w", err)
			return
		}
		l.spec = spec
	})
	return l.spec, l.err
}

// findDocOperation finds the operation serving method path. Paths match by
// template, a literal segment winning over a parameter ("/mentors/me" over
// "/mentors/{id}"); servers are ignored, paths being absolute.
func findDocOperation(spec *openapi3.T, method, path string) (*routers.Route, map[string]string, error) {
	type candidate struct {
		tmpl   string
		params map[string]string
	}
	var found []candidate
	for tmpl := range spec.Paths.Map() {
		re, names := docTemplateRegexp(tmpl)
		m := re.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		params := map[string]string{}
		for i, n := range names {
			params[n] = m[i+1]
		}
		found = append(found, candidate{tmpl: tmpl, params: params})
	}
	if len(found) == 0 {
		return nil, nil, fmt.Errorf("no path of the document matches %s", path)
	}
	sort.Slice(found, func(i, j int) bool {
		if len(found[i].params) != len(found[j].params) {
			return len(found[i].params) < len(found[j].params)
		}
		return found[i].tmpl < found[j].tmpl
	})
	best := found[0]
	item := spec.Paths.Value(best.tmpl)
	op := item.GetOperation(strings.ToUpper(method))
	if op == nil {
		return nil, nil, fmt.Errorf("path %s documents no %s operation", best.tmpl, method)
	}
	return &routers.Route{Spec: spec, Path: best.tmpl, PathItem: item, Method: strings.ToUpper(method), Operation: op},
		best.params, nil
}

var docTemplateParam = regexp.MustCompile(`\{([^}]+)\}`)

func docTemplateRegexp(tmpl string) (*regexp.Regexp, []string) {
	var names []string
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range docTemplateParam.FindAllStringSubmatchIndex(tmpl, -1) {
		b.WriteString(regexp.QuoteMeta(tmpl[last:loc[0]]))
		b.WriteString(`([^/]+)`)
		names = append(names, tmpl[loc[2]:loc[3]])
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(tmpl[last:]))
	b.WriteString("$")
	return regexp.MustCompile(b.String()), names
}

func docTruncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}

// Sample types and routes: a small surface shaped like the real one.

type oasSkill struct {
	Rome  string `json:"rome" validate:"required,rome"`
	Level string `json:"level,omitempty" validate:"omitempty,cefr"`
}

type oasCreateBeneficiary struct {
	FirstName   string          `json:"firstName" validate:"required,min=1,max=100"`
	Departement string          `json:"departement" validate:"required,departement"`
	Postcode    string          `json:"postcode,omitempty" validate:"omitempty,postcode"`
	BirthDate   civil.Date      `json:"birthDate" validate:"required,date"`
	Project     []string        `json:"project" validate:"max=3,dive,rome"`
	Skills      []oasSkill      `json:"skills,omitempty" validate:"omitempty,max=20,dive"`
	MobilityKm  *int            `json:"mobilityKm,omitempty" validate:"omitempty,min=0,max=200"`
	Notes       json.RawMessage `json:"notes,omitempty"`
}

type oasPatchBeneficiary struct {
	FirstName *string `json:"firstName,omitempty" validate:"omitempty,min=1,max=100"`
	Postcode  *string `json:"postcode,omitempty" validate:"omitempty,postcode"`
}

type oasAudit struct {
	UpdatedBy string `json:"updatedBy"`
}

type oasBeneficiary struct {
	ID          string            `json:"id"`
	FirstName   string            `json:"firstName"`
	Status      string            `json:"status" validate:"required,oneof=active exited"`
	Departement string            `json:"departement" validate:"omitempty,departement"`
	BirthDate   civil.Date        `json:"birthDate"`
	ExitDate    *civil.Date       `json:"exitDate"`
	Mentor      *access.User      `json:"mentor,omitempty"`
	Skills      []oasSkill        `json:"skills"`
	CreatedAt   time.Time         `json:"createdAt"`
	Labels      map[string]string `json:"labels,omitempty"`
	oasAudit
	//lint:ignore U1000 an unexported field, which the schema must leave out
	internal string
}

type oasListQuery struct {
	Kind   string     `query:"kind" validate:"omitempty,oneof=job pmsmp training"`
	Rome   []string   `query:"rome" validate:"omitempty,max=5,dive,rome"`
	Limit  int        `query:"limit" validate:"omitempty,min=1,max=100"`
	From   civil.Date `query:"from" validate:"required"`
	Cursor string     `query:"cursor"`
}

type oasPage[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}

type oasBatchResult struct {
	ExternalRef string  `json:"externalRef"`
	Status      int     `json:"status"`
	Owner       Cookie  `json:"owner"`
	Note        *string `json:"note"`
}

type oasReport struct {
	Cohort string  `json:"cohort"`
	Rate   float64 `json:"rate" validate:"min=0,max=1"`
}

func oasSampleRoutes() []route {
	adviser := []access.Role{access.Adviser, access.Coordinator}
	return []route{
		{Method: "POST", Path: "/api/v1/beneficiaries", Summary: "Create a beneficiary", Tag: "beneficiaries",
			Roles: adviser, Request: oasCreateBeneficiary{},
			Responses: map[int]any{201: oasBeneficiary{}}},
		{Method: "GET", Path: "/api/v1/beneficiaries", Summary: "List beneficiaries", Tag: "beneficiaries",
			Roles: adviser, Query: oasListQuery{},
			Responses: map[int]any{200: oasPage[oasBeneficiary]{}}},
		{Method: "GET", Path: "/api/v1/beneficiaries/:id", Summary: "Read a beneficiary", Tag: "beneficiaries",
			Roles: adviser, Responses: map[int]any{200: oasBeneficiary{}, 304: nil}},
		{Method: "PATCH", Path: "/api/v1/beneficiaries/:id", Summary: "Change a beneficiary", Tag: "beneficiaries",
			Roles: adviser, Request: oasPatchBeneficiary{}, Responses: map[int]any{200: &oasBeneficiary{}}},
		{Method: "DELETE", Path: "/api/v1/beneficiaries/:id", Summary: "Erase a beneficiary", Tag: "beneficiaries",
			Roles: adviser, Responses: map[int]any{204: nil}},
		{Method: "GET", Path: "/api/v1/mentors/me/proposals", Summary: "My proposals", Tag: "mentoring",
			Roles: []access.Role{access.Mentor}, Responses: map[int]any{200: []oasReport{}}},
		{Method: "GET", Path: "/api/v1/mentors/:id", Summary: "Read a mentor", Tag: "mentoring",
			Roles: []access.Role{}, Responses: map[int]any{200: http.Cookie{}}},
		{Method: "POST", Path: `/api/v1/agency/openings\:batch`, Summary: "Upsert openings in bulk", Tag: "agency",
			Roles: []access.Role{access.Agency}, Request: []oasSkill{},
			Responses: map[int]any{200: []oasBatchResult{}}},
		{Method: "GET", Path: "/api/v1/reports/positive-exits", Summary: "Positive exits", Tag: "reports",
			Roles: []access.Role{access.Coordinator}, Responses: map[int]any{200: oasReport{}},
			ContentTypes: []string{"text/csv"}},
		{Method: "GET", Path: "/healthz", Summary: "Liveness", Responses: map[int]any{200: map[string]string{}}},
	}
}

var oasSampleInfo = openAPIInfo{Title: "Parcours", Version: "1.0.0", Description: "Test document."}

// oasSampleDoc builds the document of the sample routes, failing t on error.
func oasSampleDoc(t testing.TB) []byte {
	t.Helper()
	doc, err := buildOpenAPI(oasSampleRoutes(), oasSampleInfo)
	if err != nil {
		t.Fatalf("buildOpenAPI: %v", err)
	}
	return doc
}

func TestOpenAPIDocumentLoadsAndValidates(t *testing.T) {
	doc := oasSampleDoc(t)
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData(doc)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := spec.Validate(loader.Context); err != nil {
		t.Fatalf("validate: %v\n%s", err, doc)
	}
	if !spec.IsOpenAPI31OrLater() || spec.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", spec.OpenAPI)
	}
}

func TestContractHelper(t *testing.T) {
	doc := oasSampleDoc(t)
	const beneficiary = `{"id":"b1","firstName":"Amal","status":"active","departement":"2A",
		"birthDate":"1990-04-01","exitDate":null,"skills":[{"rome":"H2913","level":"a2"}],
		"createdAt":"2026-01-02T10:00:00Z","updatedBy":"u1"}`
	// with returns the beneficiary with field set to value (JSON), or
	// removed when value is "".
	with := func(field, value string) string {
		t.Helper()
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(beneficiary), &m); err != nil {
			t.Fatal(err)
		}
		if value == "" {
			delete(m, field)
		} else {
			m[field] = json.RawMessage(value)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Etag": {`"v1"`}}
	problemHeader := http.Header{"Content-Type": {"application/problem+json"}}
	csvHeader := http.Header{"Content-Type": {"text/csv; charset=utf-8"}}
	tests := []struct {
		name   string
		method string
		path   string
		status int
		header http.Header
		body   string
		// wantErr is a fragment of the error, "" when the response conforms.
		wantErr string
	}{
		{name: "conforming resource passes", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: beneficiary},
		{name: "zero values a response always writes pass", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("birthDate", `""`)},
		{name: "empty optional-by-validation field passes", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("departement", `""`)},
		{name: "nullable pointer given a date passes", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("exitDate", `"2026-06-30"`)},
		{name: "missing required field is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("status", ""), wantErr: "status"},
		{name: "field promoted from an embedded struct is required", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("updatedBy", ""), wantErr: "updatedBy"},
		{name: "wrong type is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("firstName", `42`), wantErr: "firstName"},
		{name: "unknown enum value is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("status", `"archived"`), wantErr: "status"},
		{name: "bad departement is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("departement", `"20"`), wantErr: "departement"},
		{name: "bad ROME code in a nested object is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("skills", `[{"rome":"h2913"}]`), wantErr: "rome"},
		{name: "unknown CEFR level is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("skills", `[{"rome":"H2913","level":"b3"}]`), wantErr: "level"},
		{name: "impossible date is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("exitDate", `"2026-13-01"`), wantErr: "exitDate"},
		{name: "bad date-time is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("createdAt", `"yesterday"`), wantErr: "createdAt"},
		{name: "null array is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("skills", `null`), wantErr: "skills"},
		{name: "null for a non-pointer field is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: with("id", `null`), wantErr: "id"},
		{name: "missing ETag on a resource is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: beneficiary,
			wantErr: "ETag"},
		{name: "malformed ETag is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: http.Header{"Content-Type": {"application/json"}, "Etag": {"v1"}}, body: beneficiary,
			wantErr: "ETag"},
		{name: "undocumented content type is rejected", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 200, header: http.Header{"Content-Type": {"text/plain"}, "Etag": {`"v1"`}}, body: beneficiary,
			wantErr: "Content-Type"},
		{name: "undocumented success status falls to the problem default and is rejected", method: "GET",
			path: "/api/v1/beneficiaries/b1", status: 201, header: jsonHeader, body: beneficiary,
			wantErr: "Content-Type"},
		{name: "PATCH answers with an ETag", method: "PATCH", path: "/api/v1/beneficiaries/b1",
			status: 200, header: jsonHeader, body: beneficiary},
		{name: "list with a query string passes without an ETag", method: "GET", path: "/api/v1/beneficiaries?kind=job",
			status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: `{"items":[]}`},
		{name: "list items are checked", method: "GET", path: "/api/v1/beneficiaries",
			status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: `{"items":[{}]}`,
			wantErr: "items"},
		{name: "conforming problem passes", method: "GET", path: "/api/v1/beneficiaries/b1", status: 404,
			header: problemHeader, body: `{"type":"about:blank","title":"Not Found","status":404,"requestId":"r1"}`},
		{name: "problem for an unlisted status passes through default", method: "GET", path: "/api/v1/beneficiaries/b1",
			status: 503, header: problemHeader, body: `{"type":"about:blank","title":"Unavailable","status":503}`},
		{name: "problem without status is rejected", method: "GET", path: "/api/v1/beneficiaries/b1", status: 404,
			header: problemHeader, body: `{"type":"about:blank","title":"Not Found"}`, wantErr: "status"},
		{name: "problem field error without pointer is rejected", method: "POST", path: "/api/v1/beneficiaries",
			status: 422, header: problemHeader,
			body:    `{"type":"about:blank","title":"Invalid","status":422,"errors":[{"detail":"Required."}]}`,
			wantErr: "pointer"},
		{name: "problem as plain JSON is rejected", method: "GET", path: "/api/v1/beneficiaries/b1", status: 404,
			header: http.Header{"Content-Type": {"application/json"}},
			body:   `{"type":"about:blank","title":"Not Found","status":404}`, wantErr: "Content-Type"},
		{name: "empty 204 passes", method: "DELETE", path: "/api/v1/beneficiaries/b1", status: 204},
		{name: "204 with a body is rejected", method: "DELETE", path: "/api/v1/beneficiaries/b1", status: 204,
			header: jsonHeader, body: `{}`, wantErr: "without a body"},
		{name: "escaped colon route passes", method: "POST", path: "/api/v1/agency/openings:batch", status: 200,
			header: http.Header{"Content-Type": {"application/json"}},
			body:   `[{"externalRef":"x1","status":201,"owner":{"login":"a"},"note":null}]`},
		{name: "nullable field given a string passes", method: "POST", path: "/api/v1/agency/openings:batch",
			status: 200, header: http.Header{"Content-Type": {"application/json"}},
			body: `[{"externalRef":"x1","status":201,"owner":{"login":"a"},"note":"updated"}]`},
		{name: "nullable field given a number is rejected", method: "POST", path: "/api/v1/agency/openings:batch",
			status: 200, header: http.Header{"Content-Type": {"application/json"}},
			body: `[{"externalRef":"x1","status":201,"owner":{"login":"a"},"note":7}]`, wantErr: "note"},
		{name: "nullable field left out is rejected", method: "POST", path: "/api/v1/agency/openings:batch",
			status: 200, header: http.Header{"Content-Type": {"application/json"}},
			body: `[{"externalRef":"x1","status":201,"owner":{"login":"a"}}]`, wantErr: "note"},
		{name: "escaped colon route checks its items", method: "POST", path: "/api/v1/agency/openings:batch",
			status: 200, header: http.Header{"Content-Type": {"application/json"}},
			body: `[{"externalRef":"x1","status":"created","owner":{"login":"a"},"note":null}]`, wantErr: "status"},
		{name: "literal segment wins over a parameter", method: "GET", path: "/api/v1/mentors/me/proposals",
			status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: `[{"cohort":"c1","rate":0.5}]`},
		{name: "extra media type passes", method: "GET", path: "/api/v1/reports/positive-exits", status: 200,
			header: csvHeader, body: "cohort,rate\nc1,0.5\n"},
		{name: "report rate beyond its maximum is rejected", method: "GET", path: "/api/v1/reports/positive-exits",
			status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: `{"cohort":"c1","rate":1.5}`,
			wantErr: "rate"},
		{name: "map values are checked", method: "GET", path: "/healthz", status: 200,
			header: http.Header{"Content-Type": {"application/json"}}, body: `{"mongo":1}`, wantErr: "mongo"},
		{name: "unknown path is rejected", method: "GET", path: "/api/v1/nowhere", status: 200,
			header: jsonHeader, body: `{}`, wantErr: "no path"},
		{name: "undocumented method is rejected", method: "PUT", path: "/healthz", status: 200,
			header: jsonHeader, body: `{}`, wantErr: "no PUT operation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			header := tc.header
			if header == nil {
				header = http.Header{}
			}
			err := checkAgainstDoc(doc, tc.method, tc.path, tc.status, header, []byte(tc.body))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("conforming response rejected: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Errorf("response breaking the document accepted; want an error about %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("error = %v\nwant it to mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestRequestsAgainstDoc(t *testing.T) {
	doc := oasSampleDoc(t)
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	patchCT := http.Header{"Content-Type": {"application/merge-patch+json"}, "If-Match": {`"v1"`}}
	const create = `{"firstName":"Amal","departement":"69","birthDate":"1990-04-01","project":["H2913"],
		"skills":[{"rome":"G1602","level":"a2"}],"mobilityKm":null}`
	tests := []struct {
		name    string
		method  string
		path    string
		header  http.Header
		body    string
		wantErr string
	}{
		{name: "conforming body passes", method: "POST", path: "/api/v1/beneficiaries", header: jsonCT, body: create},
		{name: "unknown member is rejected", method: "POST", path: "/api/v1/beneficiaries", header: jsonCT,
			body:    `{"firstName":"Amal","departement":"69","birthDate":"1990-04-01","nationality":"x"}`,
			wantErr: "nationality"},
		{name: "unknown member of a nested object is rejected", method: "POST", path: "/api/v1/beneficiaries",
			header:  jsonCT,
			body:    `{"firstName":"Amal","departement":"69","birthDate":"1990-04-01","skills":[{"rome":"G1602","x":1}]}`,
			wantErr: `property "x"`},
		{name: "missing required member is rejected", method: "POST", path: "/api/v1/beneficiaries", header: jsonCT,
			body: `{"firstName":"Amal","birthDate":"1990-04-01"}`, wantErr: "departement"},
		{name: "too many project codes are rejected", method: "POST", path: "/api/v1/beneficiaries", header: jsonCT,
			body:    `{"firstName":"Amal","departement":"69","birthDate":"1990-04-01","project":["H2913","H2913","H2913","H2913"]}`,
			wantErr: "project"},
		{name: "merge patch of one member passes", method: "PATCH", path: "/api/v1/beneficiaries/b1", header: patchCT,
			body: `{"postcode":"69003"}`},
		{name: "merge patch removing a member passes", method: "PATCH", path: "/api/v1/beneficiaries/b1",
			header: patchCT, body: `{"firstName":null}`},
		{name: "merge patch as application/json passes", method: "PATCH", path: "/api/v1/beneficiaries/b1",
			header: http.Header{"Content-Type": {"application/json"}, "If-Match": {`"v1"`}}, body: `{}`},
		{name: "merge patch without If-Match is rejected", method: "PATCH", path: "/api/v1/beneficiaries/b1",
			header: http.Header{"Content-Type": {"application/merge-patch+json"}}, body: `{}`, wantErr: "If-Match"},
		{name: "merge patch with a bad value is rejected", method: "PATCH", path: "/api/v1/beneficiaries/b1",
			header: patchCT, body: `{"postcode":"6900"}`, wantErr: "postcode"},
		{name: "conforming query passes", method: "GET", path: "/api/v1/beneficiaries?from=2026-01-01&kind=job&rome=H2913&limit=10"},
		{name: "missing required query parameter is rejected", method: "GET", path: "/api/v1/beneficiaries?kind=job",
			wantErr: "from"},
		{name: "query parameter outside its enum is rejected", method: "GET",
			path: "/api/v1/beneficiaries?from=2026-01-01&kind=mentor", wantErr: "kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkRequestAgainstDoc(doc, tc.method, tc.path, tc.header, []byte(tc.body))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("conforming request rejected: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Errorf("request breaking the document accepted; want an error about %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("error = %v\nwant it to mention %q", err, tc.wantErr)
			}
		})
	}
}

// docAt returns the value at the keys' path in a decoded document, failing t
// when a key is missing.
func docAt(t *testing.T, doc any, keys ...string) any {
	t.Helper()
	v := doc
	for i, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%v is not an object", keys[:i])
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("document has no %q", keys[:i+1])
		}
	}
	return v
}

func TestOpenAPIDocumentShape(t *testing.T) {
	doc := parseJSON(t, string(oasSampleDoc(t)))
	tests := []struct {
		name string
		keys []string
		want string
	}{
		{name: "info from the caller",
			keys: []string{"info"},
			want: `{"title":"Parcours","version":"1.0.0","description":"Test document."}`},
		{name: "tags listed once, sorted",
			keys: []string{"tags"},
			want: `[{"name":"agency"},{"name":"beneficiaries"},{"name":"mentoring"},{"name":"reports"}]`},
		{name: "path parameter is required text",
			keys: []string{"paths", "/api/v1/beneficiaries/{id}", "get", "parameters"},
			want: `[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}]`},
		{name: "roles need the bearer key and are named",
			keys: []string{"paths", "/api/v1/beneficiaries/{id}", "get", "security"},
			want: `[{"bearerAuth":[]}]`},
		{name: "roles are described",
			keys: []string{"paths", "/api/v1/beneficiaries/{id}", "get", "description"},
			want: `"Roles: adviser, coordinator."`},
		{name: "bearer scheme",
			keys: []string{"components", "securitySchemes", "bearerAuth", "scheme"},
			want: `"bearer"`},
		{name: "conditional GET requires its ETag",
			keys: []string{"paths", "/api/v1/beneficiaries/{id}", "get", "responses", "200", "headers", "ETag", "required"},
			want: `true`},
		{name: "list GET documents an optional ETag",
			keys: []string{"paths", "/api/v1/beneficiaries", "get", "responses", "200", "headers", "ETag", "required"},
			want: `false`},
		{name: "GET problems: auth, not found, internal, default",
			keys: []string{"paths", "/api/v1/beneficiaries/{id}", "get", "responses"},
			want: `{
				"200":{"description":"OK.","content":{"application/json":{"schema":{"$ref":"#/components/schemas/oasBeneficiary"}}},
					"headers":{"ETag":{"description":"Entity tag of the representation, for If-Match and If-None-Match.",
						"required":true,"schema":{"type":"string","pattern":"^(W/)?\"[\\x21\\x23-\\x7e]*\"$"}}}},
				"304":{"description":"Not Modified."},
				"401":{"$ref":"#/components/responses/Unauthorized"},
				"403":{"$ref":"#/components/responses/Forbidden"},
				"404":{"$ref":"#/components/responses/NotFound"},
				"429":{"$ref":"#/components/responses/TooManyRequests"},
				"500":{"$ref":"#/components/responses/InternalServerError"},
				"default":{"$ref":"#/components/responses/Problem"}}`},
		{name: "PATCH takes a merge patch as either media type, with If-Match",
			keys: []string{"paths", "/api/v1/beneficiaries/{id}", "patch", "requestBody"},
			want: `{"required":true,"content":{
				"application/json":{"schema":{"$ref":"#/components/schemas/oasPatchBeneficiaryPatch"}},
				"application/merge-patch+json":{"schema":{"$ref":"#/components/schemas/oasPatchBeneficiaryPatch"}}}}`},
		{name: "PATCH problems include stale and missing preconditions",
			keys: []string{"paths", "/api/v1/beneficiaries/{id}", "patch", "responses", "412", "$ref"},
			want: `"#/components/responses/PreconditionFailed"`},
		{name: "PATCH without If-Match answers 428",
			keys: []string{"paths", "/api/v1/beneficiaries/{id}", "patch", "responses", "428", "$ref"},
			want: `"#/components/responses/PreconditionRequired"`},
		{name: "body routes answer 413 and 415",
			keys: []string{"paths", "/api/v1/beneficiaries", "post", "responses", "415", "$ref"},
			want: `"#/components/responses/UnsupportedMediaType"`},
		{name: "204 has no content",
			keys: []string{"paths", "/api/v1/beneficiaries/{id}", "delete", "responses", "204"},
			want: `{"description":"No Content."}`},
		{name: "extra media types sit beside JSON",
			keys: []string{"paths", "/api/v1/reports/positive-exits", "get", "responses", "200", "content"},
			want: `{"application/json":{"schema":{"$ref":"#/components/schemas/oasReport"}},
				"text/csv":{"schema":{"type":"string"}}}`},
		{name: "unauthenticated route has no security",
			keys: []string{"paths", "/healthz", "get"},
			want: `{"operationId":"getHealthz","summary":"Liveness",
				"responses":{"200":{"description":"OK.","content":{"application/json":{"schema":{"type":"object",
					"additionalProperties":{"type":"string"}}}},
					"headers":{"ETag":{"description":"Entity tag of the representation, for If-Match and If-None-Match.",
						"required":false,"schema":{"type":"string","pattern":"^(W/)?\"[\\x21\\x23-\\x7e]*\"$"}}}},
				"500":{"$ref":"#/components/responses/InternalServerError"},
				"default":{"$ref":"#/components/responses/Problem"}}}`},
		{name: "problems are problem+json of the Problem type",
			keys: []string{"components", "responses", "NotFound"},
			want: `{"description":"Not Found.","content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}`},
		{name: "Problem is the error handler's type",
			keys: []string{"components", "schemas", "Problem", "required"},
			want: `["type","title","status"]`},
		{name: "too many requests says when to retry",
			keys: []string{"components", "responses", "TooManyRequests", "headers", "Retry-After", "required"},
			want: `true`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(parseJSON(t, tc.want), docAt(t, doc, tc.keys...)); diff != "" {
				t.Errorf("%v (-want +got):\n%s", tc.keys, diff)
			}
		})
	}
}

func TestOpenAPIDocumentIsDeterministic(t *testing.T) {
	first := oasSampleDoc(t)
	for range 5 {
		// The route table's maps iterate in a new order each time.
		if diff := cmp.Diff(string(first), string(oasSampleDoc(t))); diff != "" {
			t.Fatalf("second build differs (-first +again):\n%s", diff)
		}
	}
	var generic any
	if err := json.Unmarshal(first, &generic); err != nil {
		t.Fatal(err)
	}
	sorted, err := json.MarshalIndent(generic, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(sorted)+"\n", string(first)); diff != "" {
		t.Errorf("keys are not sorted (-sorted +document):\n%s", diff)
	}
}

func TestOASPath(t *testing.T) {
	tests := []struct {
		name       string
		fiber      string
		want       string
		wantParams []string
		wantErr    string
	}{
		{name: "parameter", fiber: "/api/v1/beneficiaries/:id", want: "/api/v1/beneficiaries/{id}",
			wantParams: []string{"id"}},
		{name: "two parameters", fiber: "/api/v1/batches/:batchId/items/:itemId",
			want: "/api/v1/batches/{batchId}/items/{itemId}", wantParams: []string{"batchId", "itemId"}},
		{name: "escaped colon is literal", fiber: `/api/v1/agency/openings\:batch`,
			want: "/api/v1/agency/openings:batch"},
		{name: "parameter then escaped colon", fiber: `/api/v1/proposals/:id\:accept`,
			want: "/api/v1/proposals/{id}:accept", wantParams: []string{"id"}},
		{name: "parameter ends at a dash or dot", fiber: "/files/:name.:ext",
			want: "/files/{name}.{ext}", wantParams: []string{"name", "ext"}},
		{name: "no parameter", fiber: "/healthz", want: "/healthz"},
		{name: "optional parameter has no OpenAPI form", fiber: "/api/v1/x/:id?", wantErr: "optional"},
		{name: "wildcard has no OpenAPI form", fiber: "/static/*", wantErr: "wildcard"},
		{name: "greedy parameter has no OpenAPI form", fiber: "/static/:path+", wantErr: "wildcard"},
		{name: "repeated parameter", fiber: "/a/:id/b/:id", wantErr: "twice"},
		{name: "relative path", fiber: "api/v1", wantErr: "start with /"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, params, err := oasPath(tc.fiber)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("oasPath(%q) error = %v, want one about %q", tc.fiber, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("oasPath(%q): %v", tc.fiber, err)
			}
			if got != tc.want {
				t.Errorf("oasPath(%q) = %q, want %q", tc.fiber, got, tc.want)
			}
			if diff := cmp.Diff(tc.wantParams, params); diff != "" {
				t.Errorf("parameters (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOASOperationID(t *testing.T) {
	tests := []struct {
		method, tmpl, want string
	}{
		{"get", "/api/v1/beneficiaries/{id}", "getBeneficiariesById"},
		{"post", "/api/v1/agency/openings:batch", "postAgencyOpeningsBatch"},
		{"get", "/api/v1/reports/positive-exits", "getReportsPositiveExits"},
		{"get", "/api/v1/mentors/me/proposals", "getMentorsMeProposals"},
		{"get", "/healthz", "getHealthz"},
		{"put", "/api/v1/agency/openings/{externalRef}", "putAgencyOpeningsByExternalRef"},
	}
	for _, tc := range tests {
		if got := oasOperationID(tc.method, tc.tmpl); got != tc.want {
			t.Errorf("oasOperationID(%q, %q) = %q, want %q", tc.method, tc.tmpl, got, tc.want)
		}
	}
}

func TestBuildOpenAPIRefusesWhatItCannotDescribe(t *testing.T) {
	ok := route{Method: "GET", Path: "/a", Responses: map[int]any{200: oasReport{}}}
	tests := []struct {
		name    string
		routes  []route
		wantErr string
	}{
		{name: "optional parameter", routes: []route{{Method: "GET", Path: "/a/:id?"}}, wantErr: "GET /a/:id?"},
		{name: "same route twice", routes: []route{ok, ok}, wantErr: "listed twice"},
		{name: "unknown method", routes: []route{{Method: "BREW", Path: "/coffee"}}, wantErr: "BREW"},
		{name: "not a status", routes: []route{{Method: "GET", Path: "/a", Responses: map[int]any{42: nil}}},
			wantErr: "42"},
		{name: "body JSON cannot write", routes: []route{{Method: "GET", Path: "/a",
			Responses: map[int]any{200: struct{ C chan int }{}}}}, wantErr: "chan"},
		{name: "query that is not a struct", routes: []route{{Method: "GET", Path: "/a", Query: "x"}},
			wantErr: "not a struct"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := buildOpenAPI(tc.routes, oasSampleInfo)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("buildOpenAPI error = %v, want one about %q", err, tc.wantErr)
			}
		})
	}
}

// TestServedDocumentIsValid builds the document of the real route table.
func TestServedDocumentIsValid(t *testing.T) {
	doc, err := buildOpenAPI((&Server{}).routes(), openAPIInfo{Title: "Parcours API", Version: APIVersion})
	if err != nil {
		t.Fatalf("buildOpenAPI: %v", err)
	}
	if _, err := loadOpenAPIDoc(doc); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkBuildOpenAPI(b *testing.B) {
	routes := (&Server{}).routes()
	info := openAPIInfo{Title: "Parcours API", Version: APIVersion}
	b.ReportAllocs()
	for b.Loop() {
		doc, err := buildOpenAPI(routes, info)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(doc)))
	}
}

func BenchmarkValidateAgainstDoc(b *testing.B) {
	doc := oasSampleDoc(b)
	header := http.Header{"Content-Type": {"application/json"}, "Etag": {`"v1"`}}
	body := []byte(`{"id":"b1","firstName":"Amal","status":"active","departement":"2A",
		"birthDate":"1990-04-01","exitDate":null,"skills":[{"rome":"H2913","level":"a2"}],
		"createdAt":"2026-01-02T10:00:00Z","updatedBy":"u1"}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := checkAgainstDoc(doc, "GET", "/api/v1/beneficiaries/b1", 200, header, body); err != nil {
			b.Fatal(err)
		}
	}
}
