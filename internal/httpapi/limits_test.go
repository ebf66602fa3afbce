package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parcours-emploi/parcours/internal/httpapi"
)

// A body of 80,000 members is answered with a bounded list of errors: the
// members of an object beyond MaxMembers are not read one by one, and no
// answer names more than MaxFieldErrors (plus one saying how many more).
func TestAHugeBodyGetsABoundedAnswer(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name    string
		members int
	}{{"80,000 unknown members", 80000}, {"500 unknown members", 500}} {
		var b strings.Builder
		b.WriteString(`{"beneficiaryId":"ben_x","kind":"job","openingId":"opp_x"`)
		for i := 0; i < tc.members; i++ {
			fmt.Fprintf(&b, `,"m%d":1`, i)
		}
		b.WriteString("}")
		r := w.must(w.do(w.advA, "POST", "/api/v1/proposals", b.String()), http.StatusUnprocessableEntity)
		p := r.problem(t)
		if len(p.Errors) > httpapi.MaxFieldErrors+1 || len(r.Body) > 64*1024 {
			t.Errorf("%s: %d errors, %d bytes of answer", tc.name, len(p.Errors), len(r.Body))
		}
	}
}

// BenchmarkDecodeManyMembers decodes a body of 100,000 members.
func BenchmarkDecodeManyMembers(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"beneficiaryId":"ben_x","kind":"job","openingId":"opp_x"`)
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&sb, `,"m%d":1`, i)
	}
	sb.WriteString("}")
	body := []byte(sb.String())
	in := httpapi.NewInputs()
	b.ResetTimer()
	for range b.N {
		var dst httpapi.ProposalInput
		_ = in.Decode(body, &dst, "en")
	}
}

// A merge patch comes as JSON: another media type is a 415 and changes
// nothing.
func TestAPatchMustBeJSON(t *testing.T) {
	w := newWorld(t)
	var b httpapi.Beneficiary
	r := w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated)
	r.json(t, &b)
	etag := r.Header.Get("ETag")
	for _, ct := range []string{"text/plain", "image/png", "application/x-www-form-urlencoded"} {
		w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, `{"notes":"changed"}`, hdr{"If-Match": etag, "Content-Type": ct}), http.StatusUnsupportedMediaType)
	}
	var got httpapi.Beneficiary
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID, nil), http.StatusOK).json(t, &got)
	if got.Notes == "changed" {
		t.Errorf("a patch of another media type changed the record")
	}
	w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, `{"notes":"changed"}`, hdr{"If-Match": etag, "Content-Type": "application/merge-patch+json"}), http.StatusOK)
}

// An agency's reference names one opening whatever route sends it: the PUT
// accepts the externalRef the batch requires when it equals the path, the
// path is decoded, and a reference of other than printable characters is
// refused.
func TestAgencyReferencesNameOneOpening(t *testing.T) {
	w := newWorld(t)
	body := offer("Préparateur de commandes", "N1103", "69", "69800", 45.716, 4.95, "a1")
	body["externalRef"] = "LYO-7"
	var put httpapi.Opportunity
	w.must(w.do(w.agencyK, "PUT", "/api/v1/agency/openings/LYO-7", body), http.StatusCreated).json(t, &put)
	body["externalRef"] = "LYO-8"
	w.must(w.do(w.agencyK, "PUT", "/api/v1/agency/openings/LYO-7", body), http.StatusUnprocessableEntity)
	delete(body, "externalRef")

	var encoded httpapi.Opportunity
	// (The contract check decodes the path before matching it, and an
	// encoded slash then matches no path of the document: it is skipped.)
	w.must(w.doUndocumented(w.agencyK, "PUT", "/api/v1/agency/openings/A%20B%2FC", body), http.StatusCreated).json(t, &encoded)
	if encoded.ExternalRef != "A B/C" {
		t.Errorf("the path's reference is stored as %q", encoded.ExternalRef)
	}
	item := offer("Préparateur de commandes", "N1103", "69", "69800", 45.716, 4.95, "a1")
	item["externalRef"] = "A B/C"
	var res httpapi.AgencyBatchResult
	w.must(w.do(w.agencyK, "POST", `/api/v1/agency/openings:batch`, map[string]any{"items": []any{item}}), http.StatusOK).json(t, &res)
	if len(res.Results) != 1 || res.Results[0].ID != encoded.ID {
		t.Errorf("the batch names another opening: %+v, want %s", res.Results, encoded.ID)
	}
	w.must(w.do(w.agencyK, "PUT", "/api/v1/agency/openings/A%0AB", body), http.StatusUnprocessableEntity)
}

// A feed sent again does not reopen an opening its owner closed: it stays
// closed, and the item's result says so; sending status "open" reopens it.
func TestAFeedDoesNotReopenAClosedOpening(t *testing.T) {
	w := newWorld(t)
	body := offer("Préparateur de commandes", "N1103", "69", "69800", 45.716, 4.95, "a1")
	var o httpapi.Opportunity
	w.must(w.do(w.agencyK, "PUT", "/api/v1/agency/openings/LYO-9", body), http.StatusCreated).json(t, &o)
	w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities/"+o.ID+"/close", nil), http.StatusOK)

	item := offer("Préparateur de commandes", "N1103", "69", "69800", 45.716, 4.95, "a1")
	item["externalRef"], item["positions"] = "LYO-9", 4
	var res httpapi.AgencyBatchResult
	w.must(w.do(w.agencyK, "POST", `/api/v1/agency/openings:batch`, map[string]any{"items": []any{item}}), http.StatusOK).json(t, &res)
	var got httpapi.Opportunity
	w.must(w.do(w.agencyK, "GET", "/api/v1/opportunities/"+o.ID, nil), http.StatusOK).json(t, &got)
	if got.Status != "closed" || res.Results[0].Outcome != "stayed-closed" || got.Positions != 4 {
		t.Errorf("after the feed: status %s, outcome %s, positions %d", got.Status, res.Results[0].Outcome, got.Positions)
	}
	item["status"] = "open"
	w.must(w.do(w.agencyK, "POST", `/api/v1/agency/openings:batch`, map[string]any{"items": []any{item}}), http.StatusOK).json(t, &res)
	w.must(w.do(w.agencyK, "GET", "/api/v1/opportunities/"+o.ID, nil), http.StatusOK).json(t, &got)
	if got.Status != "open" || res.Results[0].Outcome != "updated" {
		t.Errorf("reopened: status %s, outcome %s", got.Status, res.Results[0].Outcome)
	}
}

// A bulk item's errors name JSON paths and speak the caller's language,
// with no validator jargon: a missing contract length, a zero positions,
// a bad ROME code.
func TestBulkItemErrorsNameTheirFieldsInWords(t *testing.T) {
	w := newWorld(t)
	item := offer("Préparateur de commandes", "N1103", "69", "69800", 45.716, 4.95, "a1")
	item["externalRef"], item["positions"], item["rome"] = "LYO-10", 0, "XX"
	item["contract"] = map[string]any{"type": "cdd"}
	var res httpapi.AgencyBatchResult
	w.must(w.do(w.agencyK, "POST", `/api/v1/agency/openings:batch`, map[string]any{"items": []any{item}}, hdr{"Accept-Language": "fr"}), http.StatusOK).json(t, &res)
	got := map[string]string{}
	for _, e := range res.Results[0].Errors {
		got[e.Pointer] = e.Detail
	}
	for _, p := range []string{"/contract/months", "/positions", "/rome"} {
		d, ok := got[p]
		if !ok || strings.Contains(d, "Key:") || strings.Contains(d, "Error:") || strings.Contains(d, "Input") {
			t.Errorf("%s: %q (all: %v)", p, d, got)
		}
	}
	if !strings.Contains(got["/positions"], "1") {
		t.Errorf("positions: %q, want it to say at least 1", got["/positions"])
	}
}

// Bodies at the edges of JSON get an answer that names the member, in
// words: a number no float holds, a member given twice.
func TestEdgeBodiesNameTheirMember(t *testing.T) {
	w := newWorld(t)
	body := amina(w.advA.user.ID)
	raw, _ := json.Marshal(body)
	huge := strings.Replace(string(raw), `"lat":45.745`, `"lat":1e400`, 1)
	p := w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", huge), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "/address/location/lat" || strings.Contains(p.Detail, "Go") || strings.Contains(p.Detail, "float64") {
		t.Errorf("1e400: %q %+v", p.Detail, p.Errors)
	}
	twice := `{"beneficiaryId":"ben_x","kind":{"$gt":""},"kind":"job","openingId":"opp_x"}`
	p = w.must(w.do(w.advA, "POST", "/api/v1/proposals", twice), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "/kind" || strings.Contains(p.Detail, "unmarshal") {
		t.Errorf("a member twice: %q %+v", p.Detail, p.Errors)
	}
}

// If-Match follows RFC 9110: a weak ETag never matches (strong comparison),
// and "*" matches whatever version is current.
func TestIfMatchFollowsRFC9110(t *testing.T) {
	w := newWorld(t)
	var b httpapi.Beneficiary
	r := w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated)
	r.json(t, &b)
	etag := r.Header.Get("ETag")
	w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, `{"notes":"weak"}`, hdr{"If-Match": "W/" + etag}), http.StatusPreconditionFailed)
	var got httpapi.Beneficiary
	w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, `{"notes":"any"}`, hdr{"If-Match": "*"}), http.StatusOK).json(t, &got)
	if got.Notes != "any" {
		t.Errorf("If-Match * did not apply the patch: %q", got.Notes)
	}
}
