package httpapi_test

import (
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
