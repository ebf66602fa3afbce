package httpapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
)

// recorder hears changes as "b:<id>" and "o:<id>".
type recorder struct {
	mu  sync.Mutex
	got []string
}

func (r *recorder) BeneficiaryChanged(_ context.Context, _, id string) { r.add("b:" + id) }
func (r *recorder) OpportunityChanged(_ context.Context, _, id string) { r.add("o:" + id) }
func (r *recorder) add(s string)                                       { r.mu.Lock(); r.got = append(r.got, s); r.mu.Unlock() }
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := r.got
	r.got = nil
	return g
}

func TestStoredChangesAreAnnounced(t *testing.T) {
	rec := &recorder{}
	w := newWorld(t, func(d *httpapi.Deps) { d.Changes = rec })

	var b pathways.Beneficiary
	r := w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated)
	r.json(t, &b)
	w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, `{"notes":"x"}`, hdr{"If-Match": r.Header.Get("ETag")}), http.StatusOK)
	// A rejected change announces nothing.
	w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, `{"notes":"y"}`, hdr{"If-Match": `"v1"`}), http.StatusPreconditionFailed)
	if diff := cmp.Diff([]string{"b:" + b.ID, "b:" + b.ID}, rec.take()); diff != "" {
		t.Errorf("beneficiary changes (-want +got):\n%s", diff)
	}

	var o jobs.Opportunity
	body := offer("Commis", "G1602", "69", "69002", 45.7, 4.8, "a2")
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", body), http.StatusCreated).json(t, &o)
	w.must(w.do(w.advA, "PATCH", "/api/v1/opportunities/"+o.ID, `{"positions":4}`, hdr{"If-Match": `"v1"`}), http.StatusOK)
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities/"+o.ID+"/close", nil), http.StatusOK)
	var a jobs.Opportunity
	w.must(w.do(w.agencyK, "PUT", "/api/v1/agency/openings/R1", body), http.StatusCreated).json(t, &a)
	w.must(w.do(w.agencyK, "PUT", "/api/v1/agency/openings/R1", body), http.StatusOK) // unchanged: nothing to announce
	want := []string{"o:" + o.ID, "o:" + o.ID, "o:" + o.ID, "o:" + a.ID}
	if diff := cmp.Diff(want, rec.take()); diff != "" {
		t.Errorf("opportunity changes (-want +got):\n%s", diff)
	}
}
