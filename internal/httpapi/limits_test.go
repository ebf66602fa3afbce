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
