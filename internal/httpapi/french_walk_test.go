package httpapi_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parcours-emploi/parcours/internal/httpapi"
)

// englishWords are words no French sentence holds.
var englishWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and with your you this that from for are is was were not have has will please which
		there their they our of to by at into when what who how must be can cannot only needs does should would been than
		then field fields record records required missing invalid unknown already found allowed expected number value
		state proposal request body key keys given name named`) {
		englishWords[w] = true
	}
}

var wordsRE = regexp.MustCompile(`[\p{L}']+`)

// englishIn lists the English words of texts; words in capitals (codes,
// acronyms) are left out.
func englishIn(texts ...string) []string {
	var out []string
	for _, text := range texts {
		for _, w := range wordsRE.FindAllString(text, -1) {
			if len(w) > 1 && w == strings.ToUpper(w) {
				continue
			}
			if w = strings.ToLower(w); englishWords[w] && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// TestEveryErrorSpeaksFrench walks every operation of the API document as
// a French caller, with each key and without one, through the ways a
// request goes wrong (an unknown record, no body, a malformed body, an
// unknown member, an empty object, a body that is not JSON), then through
// the rules that need real records (a situation without its duration, a
// transition the lifecycle forbids, a pair declined within its cooldown, a
// stale version). Every problem it gets must be worded in French: title,
// detail and each field's sentence.
func TestEveryErrorSpeaksFrench(t *testing.T) {
	w := newMWorld(t, func(s *worldSetup) { s.deps.RateLimit = 1_000_000 })
	fr := hdr{"Accept-Language": "fr"}
	problems := 0
	check := func(what string, r resp) {
		t.Helper()
		if r.Status < 400 {
			return
		}
		if r.Status >= 500 {
			t.Errorf("%s: %d %s", what, r.Status, r.Body)
			return
		}
		var p httpapi.Problem
		if err := json.Unmarshal(r.Body, &p); err != nil {
			t.Errorf("%s: %d without a problem: %s", what, r.Status, r.Body)
			return
		}
		problems++
		texts := []string{p.Title, p.Detail}
		for _, e := range p.Errors {
			// The member a sentence names ("name est un champ
			// obligatoire") is the API's word, not English.
			member := e.Pointer[strings.LastIndex(e.Pointer, "/")+1:]
			texts = append(texts, strings.ReplaceAll(e.Detail, member, ""))
		}
		if words := englishIn(texts...); len(words) > 0 {
			t.Errorf("%s: %d speaks English %v: %s", what, r.Status, words, r.Body)
		}
	}

	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody any `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(w.doc, &doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	keys := map[string]key{"adviser": w.advA, "coordinator": w.coordA, "mentor": w.mentorA, "agency": w.agencyK, "no key": {}}
	operations := 0
	for path, ops := range doc.Paths {
		url := param.ReplaceAllString(path, "inconnu_0")
		for method, op := range ops {
			method = strings.ToUpper(method)
			if !slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE"}, method) {
				continue
			}
			operations++
			for who, k := range keys {
				what := who + " " + method + " " + path
				check(what, w.doUndocumented(k, method, url, nil, fr))
				if op.RequestBody == nil {
					continue
				}
				for _, body := range []string{"{", `{"inconnu": 1}`, "{}", "[]", `{"a":1e400}`} {
					check(what+" "+body, w.doUndocumented(k, method, url, body, fr, hdr{"If-Match": `"1"`}))
				}
				check(what+" as text", w.doUndocumented(k, method, url, "texte", fr, hdr{"Content-Type": "text/plain"}))
			}
		}
	}
	if operations < 40 {
		t.Fatalf("the document lists %d operations; the walk expects the whole API", operations)
	}

	// Rules that need records.
	ben := w.beneficiary(w.advA)
	check("a CDD without its duration", w.doUndocumented(w.advA, "POST", "/api/v1/beneficiaries/"+ben+"/situations",
		map[string]any{"kind": "job", "contract": "cdd", "start": "2026-10-01"}, fr))
	men := w.mentor(w.advA, w.mentorA, 1)
	proposed := w.propose(w.advA, ben, "mentor", men)
	check("accepting a proposal still proposed", w.act(w.mentorA, proposed.ID, "accept", nil, fr))
	check("sending it before approval", w.act(w.advA, proposed.ID, "send", nil, fr))
	w.must(w.act(w.advA, proposed.ID, "withdraw", map[string]any{"reason": "erreur"}), http.StatusOK)
	other := w.beneficiary(w.advA)
	declined := w.sent(other, men)
	w.must(w.act(w.mentorA, declined.ID, "decline", map[string]any{"reason": "Pas disponible"}), http.StatusOK)
	check("proposing a pair declined within its cooldown", w.doUndocumented(w.advA, "POST", "/api/v1/proposals",
		map[string]any{"beneficiaryId": other, "kind": "mentor", "openingId": men}, fr))
	check("a stale version", w.doUndocumented(w.advA, "PATCH", "/api/v1/beneficiaries/"+ben, `{"notes":"x"}`, fr,
		hdr{"If-Match": `"99"`, "Content-Type": "application/merge-patch+json"}))
	check("a change without its version", w.doUndocumented(w.advA, "PATCH", "/api/v1/beneficiaries/"+ben, `{"notes":"x"}`, fr,
		hdr{"Content-Type": "application/merge-patch+json"}))
	check("another organisation's file", w.doUndocumented(w.advB, "GET", "/api/v1/beneficiaries/"+ben, nil, fr))
	if problems < 500 {
		t.Errorf("the walk met %d problems; it should meet hundreds", problems)
	}
	t.Logf("%d operations, %d problems read in French", operations, problems)
}
