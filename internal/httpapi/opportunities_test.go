package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/jobs"
)

func TestOpportunityRulesPerKind(t *testing.T) {
	w := newWorld(t)
	pmsmp := offer("Découverte maraîchage", "A1414", "69", "69440", 45.62, 4.67, "a1")
	pmsmp["kind"] = "pmsmp"
	delete(pmsmp, "contract")
	start := pmsmp["startDate"].(interface{ String() string }).String()
	for _, tc := range []struct {
		name    string
		edit    func(m map[string]any)
		status  int
		pointer string
	}{
		{"job without contract", func(m map[string]any) { m["kind"] = "job" }, 422, "/contract"},
		{"pmsmp without host", func(m map[string]any) { m["endDate"] = start }, 422, "/pmsmp"},
		{"pmsmp over a month", func(m map[string]any) {
			m["pmsmp"] = map[string]any{"siret": "73282932000074", "objective": "discover"}
			m["endDate"] = "2099-12-31"
		}, 422, "/endDate"},
		{"end before start", func(m map[string]any) {
			m["pmsmp"] = map[string]any{"siret": "73282932000074", "objective": "discover"}
			m["endDate"] = "2000-01-01"
		}, 422, "/endDate"},
		{"CDD without duration", func(m map[string]any) {
			m["kind"], m["contract"] = "job", map[string]any{"type": "cdd"}
		}, 422, "/contract/months"},
		{"pmsmp with a SIRET whose checksum fails", func(m map[string]any) {
			m["pmsmp"] = map[string]any{"siret": "73282932000075", "objective": "discover"}
			m["endDate"] = start
		}, 422, "/pmsmp/siret"},
		{"valid pmsmp", func(m map[string]any) {
			m["pmsmp"] = map[string]any{"siret": "73282932000074", "objective": "discover"}
			m["endDate"] = start
		}, 201, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{}
			for k, v := range pmsmp {
				body[k] = v
			}
			tc.edit(body)
			r := w.do(w.advA, "POST", "/api/v1/opportunities", body)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if tc.pointer != "" {
				p := r.problem(t)
				var ptrs []string
				for _, e := range p.Errors {
					ptrs = append(ptrs, e.Pointer)
				}
				if !contains(ptrs, tc.pointer) {
					t.Errorf("errors %v, want one at %s", ptrs, tc.pointer)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestOpportunityVisibilityAndEdits(t *testing.T) {
	w := newWorld(t)
	var pub, draft, agencyOwn httpapi.Opportunity
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", offer("Commis", "G1602", "69", "69002", 45.7, 4.8, "a2")), http.StatusCreated).json(t, &pub)
	d := offer("Brouillon", "G1602", "69", "69002", 45.7, 4.8, "a2")
	d["status"] = "draft"
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", d), http.StatusCreated).json(t, &draft)
	w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities", offer("Cariste", "N1101", "69", "69800", 45.7, 4.9, "a1")), http.StatusCreated).json(t, &agencyOwn)

	// Published offers are readable by other programmes, drafts are not; agencies see only their own.
	w.must(w.do(w.advB, "GET", "/api/v1/opportunities/"+pub.ID, nil), http.StatusOK)
	w.must(w.do(w.advB, "GET", "/api/v1/opportunities/"+draft.ID, nil), http.StatusNotFound)
	w.must(w.do(w.agencyK, "GET", "/api/v1/opportunities/"+pub.ID, nil), http.StatusNotFound)
	w.must(w.do(w.mentorA, "GET", "/api/v1/opportunities/"+pub.ID, nil), http.StatusForbidden)
	list := func(k key, q string) []string {
		var p struct{ Items []httpapi.Opportunity }
		w.must(w.do(k, "GET", "/api/v1/opportunities"+q, nil), http.StatusOK).json(t, &p)
		var ids []string
		for _, o := range p.Items {
			ids = append(ids, o.ID)
		}
		return ids
	}
	if diff := cmp.Diff([]string{pub.ID, draft.ID, agencyOwn.ID}, list(w.advA, "")); diff != "" {
		t.Errorf("adviser A's list (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{pub.ID, agencyOwn.ID}, list(w.advB, "")); diff != "" {
		t.Errorf("adviser B's list (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{agencyOwn.ID}, list(w.agencyK, "")); diff != "" {
		t.Errorf("agency's list (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{agencyOwn.ID}, list(w.advA, "?rome=N1101&department=69&status=open&kind=job")); diff != "" {
		t.Errorf("filtered list (-want +got):\n%s", diff)
	}
	p := w.must(w.do(w.advA, "GET", "/api/v1/opportunities?rome=X&department=20&status=nope", nil), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 3 {
		t.Errorf("want 3 bad query parameters named, got %+v", p.Errors)
	}

	// Only the publisher edits and closes; kind is fixed.
	w.must(w.do(w.advB, "PATCH", "/api/v1/opportunities/"+pub.ID, `{"positions":3}`, hdr{"If-Match": `"v1"`}), http.StatusNotFound)
	w.must(w.do(w.advB, "POST", "/api/v1/opportunities/"+pub.ID+"/close", nil), http.StatusNotFound)
	w.must(w.do(w.advA, "PATCH", "/api/v1/opportunities/"+pub.ID, `{"kind":"training"}`, hdr{"If-Match": `"v1"`}), http.StatusUnprocessableEntity)
	var patched httpapi.Opportunity
	w.must(w.do(w.advA2, "PATCH", "/api/v1/opportunities/"+pub.ID, `{"positions":3}`, hdr{"If-Match": `"v1"`}), http.StatusOK).json(t, &patched)
	if patched.Positions != 3 || patched.Version != 2 {
		t.Errorf("patched %+v", patched)
	}
	var closed httpapi.Opportunity
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities/"+pub.ID+"/close", nil), http.StatusOK).json(t, &closed)
	if closed.Status != string(jobs.StatusClosed) {
		t.Errorf("status %s after close", closed.Status)
	}
}

func TestAgencyOpeningsAreIdempotent(t *testing.T) {
	w := newWorld(t)
	body := offer("Préparateur de commandes", "N1103", "69", "69800", 45.716, 4.95, "a1")
	var first, again, changed httpapi.Opportunity
	r := w.must(w.do(w.agencyK, "PUT", "/api/v1/agency/openings/LYO-1", body), http.StatusCreated)
	r.json(t, &first)
	w.must(w.do(w.agencyK, "PUT", "/api/v1/agency/openings/LYO-1", body), http.StatusOK).json(t, &again)
	if again.ID != first.ID || again.Version != first.Version || first.ExternalRef != "LYO-1" {
		t.Errorf("a repeated PUT changed the opening: %+v then %+v", first, again)
	}
	body["positions"] = 7
	w.must(w.do(w.agencyK, "PUT", "/api/v1/agency/openings/LYO-1", body), http.StatusOK).json(t, &changed)
	if changed.ID != first.ID || changed.Version != first.Version+1 || changed.Positions != 7 {
		t.Errorf("update: %+v", changed)
	}
	// Another agency's reference space is its own; an adviser cannot use agency routes.
	w.must(w.do(w.advA, "PUT", "/api/v1/agency/openings/LYO-1", body), http.StatusForbidden)

	// Concurrent first PUTs of one reference make one opening.
	done := make(chan int, 8)
	for i := 0; i < 8; i++ {
		go func() {
			done <- w.do(w.agencyK, "PUT", "/api/v1/agency/openings/LYO-RACE", body).Status
		}()
	}
	created := 0
	for i := 0; i < 8; i++ {
		switch <-done {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Error("a concurrent PUT failed")
		}
	}
	var p struct{ Items []httpapi.Opportunity }
	w.must(w.do(w.agencyK, "GET", "/api/v1/opportunities?limit=200", nil), http.StatusOK).json(t, &p)
	n := 0
	for _, o := range p.Items {
		if o.ExternalRef == "LYO-RACE" {
			n++
		}
	}
	if n != 1 || created != 1 {
		t.Errorf("%d openings and %d creations for one reference, want 1 and 1", n, created)
	}
}

func TestAgencyBatchAnswersPerItem(t *testing.T) {
	w := newWorld(t)
	item := func(ref string) map[string]any {
		m := offer("Manutentionnaire", "N1105", "69", "69800", 45.7, 4.9, "a1")
		m["externalRef"] = ref
		return m
	}
	bad := item("B-2")
	bad["rome"] = "N11"
	bad["colour"] = "blue"
	items := []any{item("B-1"), bad, item("B-1"), item("B-3")}
	var res httpapi.AgencyBatchResult
	w.must(w.do(w.agencyK, "POST", "/api/v1/agency/openings:batch", map[string]any{"items": items}), http.StatusOK).json(t, &res)
	var outcomes []string
	for _, r := range res.Results {
		outcomes = append(outcomes, fmt.Sprintf("%d:%s:%s", r.Index, r.ExternalRef, r.Outcome))
	}
	want := []string{"0:B-1:created", "1:B-2:invalid", "2:B-1:invalid", "3:B-3:created"}
	if diff := cmp.Diff(want, outcomes); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if len(res.Results[1].Errors) == 0 || res.Results[1].Errors[0].Pointer != "/colour" {
		t.Errorf("item 1 errors %+v", res.Results[1].Errors)
	}
	// The same batch again: nothing changes.
	items[2] = item("B-4")
	w.must(w.do(w.agencyK, "POST", "/api/v1/agency/openings:batch", map[string]any{"items": items}), http.StatusOK).json(t, &res)
	if res.Counts["unchanged"] != 2 || res.Counts["created"] != 1 || res.Counts["invalid"] != 1 {
		t.Errorf("counts on replay %v", res.Counts)
	}
	// Over 500 items: refused whole.
	many := make([]any, 501)
	for i := range many {
		many[i] = item(fmt.Sprintf("M-%d", i))
	}
	p := w.must(w.do(w.agencyK, "POST", "/api/v1/agency/openings:batch", map[string]any{"items": many}), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 1 || !strings.HasPrefix(p.Errors[0].Pointer, "/items") {
		t.Errorf("errors %+v", p.Errors)
	}
}
