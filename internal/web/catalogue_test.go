package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/parcours-emploi/parcours/access"
)

// Every message the templates and the handlers name is in both catalogues,
// and the two catalogues hold the same messages: no page shows an id, and
// no English page falls back to French.
func TestCataloguesHoldEveryMessageInBothLanguages(t *testing.T) {
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	fr, en := cat.IDs(access.French), cat.IDs(access.English)
	if strings.Join(fr, "\n") != strings.Join(en, "\n") {
		missingEN, missingFR := diff(fr, en), diff(en, fr)
		t.Errorf("catalogues differ: missing in English %v, missing in French %v", missingEN, missingFR)
	}
	used := map[string]string{}
	literal := regexp.MustCompile(`(?:\.T|\bT|\bt|page\(ctx,|render\(ctx, [^,]+, "[^"]+", c\.page\(ctx,) "([a-z][a-z0-9]*(?:\.[a-zA-Z0-9-]+)+)"`)
	scan := func(path string, src []byte) {
		for _, m := range literal.FindAllSubmatch(src, -1) {
			used[string(m[1])] = path
		}
	}
	_ = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := templateFS.ReadFile(p)
			scan(p, b)
		}
		return nil
	})
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scan(f, b)
	}
	if len(used) < 100 {
		t.Fatalf("found %d messages used: the scan is broken", len(used))
	}
	for id, where := range used {
		for _, l := range []access.Lang{access.French, access.English} {
			if !cat.Has(l, id) {
				t.Errorf("%s names %q, missing from the %s catalogue", where, id, l)
			}
		}
	}
	// The vocabularies templates build keys of ("kind." + .Kind …).
	for prefix, codes := range map[string][]string{
		"kind":         {"job", "pmsmp", "training", "mentor"},
		"state":        {"proposed", "approved", "sent", "accepted", "declined", "expired", "withdrawn", "pending", "recorded", "cancelled", "ok", "alert", "ended", "active"},
		"situation":    {"cdi", "cdd", "interim", "subsidised-contract", "business-creation", "public-sector", "insertion-hire", "qualifying-training", "pre-qualifying-training", "fle-training", "internship", "alternance", "job-search", "programme-exit"},
		"exit":         {"success", "re-orientation", "drop-out", "exclusion", "moved", "end-of-programme", "other"},
		"level":        {"below-a1", "a1", "a2", "b1", "b2", "c1", "c2"},
		"french.oral":  {"below-a1", "a1", "a2", "b1", "b2", "c1", "c2"},
		"barrier":      {"mobility", "health", "childcare", "housing", "digital", "administrative", "language"},
		"contract":     {"cdi", "cdd", "interim", "alternance", "professionnalisation", "iae"},
		"opstatus":     {"draft", "open", "filled", "closed", "expired"},
		"batchstatus":  {"queued", "running", "done", "failed"},
		"batchphase":   {"queued", "load", "build", "solve", "write", "done"},
		"role":         {"adviser", "coordinator", "mentor", "agency"},
		"protection":   {"refugee", "subsidiary-protection", "bpi-family-member"},
		"objective":    {"discover", "confirm", "recruit"},
		"recognition":  {"recognised", "comparability-pending", "comparability-obtained", "not-recognised"},
		"day":          {"mon", "tue", "wed", "thu", "fri", "sat", "sun"},
		"source":       {"ofii", "delf", "tcf", "dcl", "adviser"},
		"diplomalevel": {"3", "4", "5", "6", "7", "8"},
	} {
		for _, code := range codes {
			if !cat.Has(access.French, prefix+"."+code) {
				t.Errorf("no message %s.%s", prefix, code)
			}
		}
	}
}

func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
