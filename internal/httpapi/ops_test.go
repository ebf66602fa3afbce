package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/mentoring"
)

func TestEveryRouteIsInTheOpenAPIDocument(t *testing.T) {
	w := newWorld(t)
	r := w.must(w.do(key{}, "GET", "/api/v1/openapi.json", nil), http.StatusOK)
	var doc struct {
		OpenAPI string                            `json:"openapi"`
		Paths   map[string]map[string]interface{} `json:"paths"`
	}
	r.json(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	n := 0
	for _, rt := range w.app.GetRoutes(true) {
		if rt.Method == "HEAD" || rt.Path == "/" || rt.Method == "USE" {
			continue
		}
		path := rt.Path
		var segs []string
		for _, seg := range strings.Split(path, "/") {
			if strings.HasPrefix(seg, ":") {
				seg = "{" + strings.TrimPrefix(seg, ":") + "}"
			}
			segs = append(segs, seg)
		}
		path = strings.ReplaceAll(strings.Join(segs, "/"), `\:`, ":")
		ops, ok := doc.Paths[path]
		if !ok {
			t.Errorf("route %s %s is not in the document", rt.Method, path)
			continue
		}
		if _, ok := ops[strings.ToLower(rt.Method)]; !ok {
			t.Errorf("route %s %s: the document has no %s operation", rt.Method, path, strings.ToLower(rt.Method))
		}
		n++
	}
	if n < 20 {
		t.Errorf("only %d routes checked: the route listing looks wrong", n)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	down := errors.New("connection refused")
	w := newWorld(t, func(s *worldSetup) {
		s.deps.Checks["redis"] = func(context.Context) error { return down }
	})
	w.must(w.do(key{}, "GET", "/healthz", nil), http.StatusOK)
	var h httpapi.Health
	w.must(w.do(key{}, "GET", "/readyz", nil), http.StatusServiceUnavailable).json(t, &h)
	if h.Checks["mongodb"] != "ok" || h.Checks["redis"] != "unavailable" {
		t.Errorf("checks %v", h.Checks)
	}
	if strings.Contains(string(mustJSON(t, h)), "refused") {
		t.Error("readiness leaks the error text")
	}
	r := w.doUndocumented(key{}, "GET", "/nowhere", nil)
	if r.Status != http.StatusNotFound || r.Header.Get("X-Request-Id") == "" {
		t.Errorf("unknown path: %d, request id %q", r.Status, r.Header.Get("X-Request-Id"))
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options"} {
		if r.Header.Get(h) == "" {
			t.Errorf("missing security header %s", h)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRateLimitPerKey(t *testing.T) {
	w := newWorld(t, func(s *worldSetup) { s.deps.RateLimit = 3 })
	for i := 0; i < 3; i++ {
		w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries", nil), http.StatusOK)
	}
	r := w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries", nil), http.StatusTooManyRequests)
	r.problem(t)
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s <= 0 {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// Another key is not affected.
	w.must(w.do(w.advA2, "GET", "/api/v1/beneficiaries", nil), http.StatusOK)
}

// The budget is the key's across every route: spreading requests over
// several lists does not multiply it.
func TestRateLimitIsOneBudgetAcrossRoutes(t *testing.T) {
	w := newWorld(t, func(s *worldSetup) { s.deps.RateLimit = 4 })
	for _, path := range []string{"/api/v1/beneficiaries", "/api/v1/opportunities", "/api/v1/proposals", "/api/v1/mentors"} {
		w.must(w.do(w.advA, "GET", path, nil), http.StatusOK)
	}
	for _, path := range []string{"/api/v1/beneficiaries", "/api/v1/opportunities", "/api/v1/mentors/me/proposals"} {
		w.must(w.do(w.advA, "GET", path, nil), http.StatusTooManyRequests)
	}
}

func mentorBody(userID string) map[string]any {
	return map[string]any{
		"userId": userID, "firstName": "Julien", "lastName": "Mercier", "company": "Bocuse Traiteur", "sector": "G",
		"rome": []string{"G1602"}, "interests": []string{"football"}, "languages": []string{"fr", "en"}, "capacity": 2,
		"availability": map[string]any{"hoursPerMonth": 6, "days": []string{"tue"}},
		"place":        map[string]any{"department": "69", "postcode": "69002"},
		"trainedAt":    "2026-10-01",
	}
}

func TestMentorProfiles(t *testing.T) {
	w := newWorld(t)
	var m httpapi.Mentor
	w.must(w.do(w.advA, "POST", "/api/v1/mentors", mentorBody(w.mentorA.user.ID)), http.StatusCreated).json(t, &m)
	if m.Capacity != 2 || m.TrainedAt == nil || m.Status != string(mentoring.MentorActive) {
		t.Errorf("created %+v", m)
	}
	// One profile per user; the user must be a mentor of the organisation.
	w.must(w.do(w.advA, "POST", "/api/v1/mentors", mentorBody(w.mentorA.user.ID)), http.StatusConflict)
	p := w.must(w.do(w.advA, "POST", "/api/v1/mentors", mentorBody(w.advA.user.ID)), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "/userId" {
		t.Errorf("errors %+v", p.Errors)
	}
	// The mentor reads and edits their own profile, within limits.
	var me httpapi.Mentor
	r := w.must(w.do(w.mentorA, "GET", "/api/v1/mentors/me", nil), http.StatusOK)
	r.json(t, &me)
	if me.ID != m.ID {
		t.Errorf("me %s, want %s", me.ID, m.ID)
	}
	w.must(w.do(w.mentorA, "PATCH", "/api/v1/mentors/me", `{"trainedAt":"2026-01-01"}`, hdr{"If-Match": r.Header.Get("ETag")}), http.StatusUnprocessableEntity)
	w.must(w.do(w.mentorA, "PATCH", "/api/v1/mentors/me", `{"interests":["football","cuisine"],"status":"paused"}`, hdr{"If-Match": r.Header.Get("ETag")}), http.StatusOK).json(t, &me)
	if me.Status != string(mentoring.MentorPaused) || len(me.Interests) != 2 {
		t.Errorf("after self edit %+v", me)
	}
	// Staff of another organisation cannot see it; a mentor cannot use staff routes.
	w.must(w.do(w.advB, "GET", "/api/v1/mentors/"+m.ID, nil), http.StatusNotFound)
	w.must(w.do(w.mentorA, "GET", "/api/v1/mentors/"+m.ID, nil), http.StatusForbidden)
	w.must(w.do(w.advA, "GET", "/api/v1/mentors/me", nil), http.StatusForbidden)
	var list struct{ Items []httpapi.Mentor }
	w.must(w.do(w.advA, "GET", "/api/v1/mentors?status=paused", nil), http.StatusOK).json(t, &list)
	if len(list.Items) != 1 {
		t.Errorf("%d paused mentors listed", len(list.Items))
	}
}
