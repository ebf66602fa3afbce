package matching

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Appellation is one of the job titles France Travail files under a ROME
// code ("Plongeur / Plongeuse en restauration" under G1605).
type Appellation struct {
	// OGR is France Travail's identifier of the title.
	OGR   string `json:"ogr"`
	Label string `json:"label"`
	Code  string `json:"code"`
	// Main is true for the code's principal title.
	Main bool `json:"main,omitempty"`
	norm string
}

// readAppellations adds the titles of unix_referentiel_appellation_*.csv
// (code_ogr, libelle_appellation_long, code_rome, classification) to t;
// titles of codes t does not know are skipped.
func (t *Taxonomy) readAppellations(r io.Reader) error {
	rows, err := readTable(r)
	if err != nil {
		return fmt.Errorf("read ROME appellations: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	ogr := findColumn(rows[0], "code_ogr", "ogr")
	label := findColumn(rows[0], "libelle_appellation_long", "libelle_appellation", "libelle")
	code := findColumn(rows[0], "code_rome", "rome")
	class := findColumn(rows[0], "classification")
	if label < 0 || code < 0 {
		return fmt.Errorf("read ROME appellations: no libelle_appellation_long or code_rome column")
	}
	t.appellations = map[romeID][]Appellation{}
	for _, r := range rows[1:] {
		if code >= len(r) || label >= len(r) {
			continue
		}
		id, ok := parseCode(r[code])
		if !ok || !t.Known(r[code]) {
			continue
		}
		a := Appellation{Label: strings.TrimSpace(r[label]), Code: strings.ToUpper(strings.TrimSpace(r[code]))}
		if ogr >= 0 && ogr < len(r) {
			a.OGR = strings.TrimSpace(r[ogr])
		}
		if class >= 0 && class < len(r) {
			a.Main = strings.EqualFold(strings.TrimSpace(r[class]), "PRINCIPALE")
		}
		a.norm = NormalizeLabel(a.Label)
		t.appellations[id] = append(t.appellations[id], a)
	}
	for _, list := range t.appellations {
		slices.SortFunc(list, func(a, b Appellation) int {
			if a.Main != b.Main {
				if a.Main {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.norm, b.norm)
		})
	}
	return nil
}

// Appellations lists the job titles of a code, its principal title first;
// nil for a code without any.
func (t *Taxonomy) Appellations(code string) []Appellation {
	id, ok := parseCode(code)
	if !ok {
		return nil
	}
	return slices.Clone(t.appellations[id])
}

// Trade is a code found by Search, with the title that matched.
type Trade struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	// Title is the appellation that matched, when it was not the code's
	// own label.
	Title string `json:"title,omitempty"`
}

// Search finds the codes whose label or one of whose titles holds every
// word of q as the start of a word, accents and case ignored ("plong"
// finds Plongeur / Plongeuse en restauration); a code itself ("g1605")
// finds that code. Codes come once each, those matched by their own label
// first, then by the shortest title; at most limit of them.
func (t *Taxonomy) Search(q string, limit int) []Trade {
	if ValidCode(q) {
		code := strings.ToUpper(strings.TrimSpace(q))
		if !t.Known(code) {
			return nil
		}
		return []Trade{{Code: code, Label: t.Label(code)}}
	}
	words := strings.Fields(NormalizeLabel(q))
	if len(words) == 0 || limit <= 0 {
		return nil
	}
	type hit struct {
		Trade
		rank int
	}
	best := map[string]hit{}
	consider := func(code, label, title string, rank int) {
		if old, ok := best[code]; ok && old.rank <= rank {
			return
		}
		best[code] = hit{Trade{Code: code, Label: label, Title: title}, rank}
	}
	for _, code := range t.Codes() {
		label := t.Label(code)
		if holdsWords(NormalizeLabel(label), words) {
			consider(code, label, "", len(label))
		}
		id, _ := parseCode(code)
		for _, a := range t.appellations[id] {
			if a.Label != label && holdsWords(a.norm, words) {
				consider(code, label, a.Label, 1000+len(a.Label))
			}
		}
	}
	hits := make([]hit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.Code, b.Code))
	})
	out := make([]Trade, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, h.Trade)
	}
	return out
}

// holdsWords reports whether every word starts a word of the normalised
// text.
func holdsWords(text string, words []string) bool {
	for _, w := range words {
		found := false
		for rest := text; rest != ""; {
			var word string
			word, rest, _ = strings.Cut(rest, " ")
			if strings.HasPrefix(word, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
