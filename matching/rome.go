package matching

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// ROME codes are packed as (letter-'A'+1)*10000 + the four digits, so that
// id/100 is the domain and id/10000 the family.
type romeID uint32

func (id romeID) family() uint32 { return uint32(id) / 10000 }
func (id romeID) domain() uint32 { return uint32(id) / 100 }

// parseCode packs a five-character ROME code ("H2913"); ok is false for
// anything else. Lower-case letters and surrounding spaces are accepted.
func parseCode(s string) (romeID, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 5 {
		return 0, false
	}
	l := s[0] &^ 0x20
	if l < 'A' || l > 'N' {
		return 0, false
	}
	n := 0
	for i := 1; i < 5; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return romeID(uint32(l-'A'+1)*10000 + uint32(n)), true
}

// ValidCode reports whether s has the shape of a ROME code: a family letter
// A–N and four digits.
func ValidCode(s string) bool { _, ok := parseCode(s); return ok }

// CodeFamily is the family letter of a code ("H"), CodeDomain its domain
// ("H29"); both are "" for a malformed code.
func CodeFamily(code string) string {
	if !ValidCode(code) {
		return ""
	}
	return strings.ToUpper(strings.TrimSpace(code))[:1]
}

// CodeDomain is the domain of a code ("H29"), or "" for a malformed code.
func CodeDomain(code string) string {
	if !ValidCode(code) {
		return ""
	}
	return strings.ToUpper(strings.TrimSpace(code))[:3]
}

// Proximity is how close two ROME codes are, from far to near.
type Proximity int8

// Proximity levels (domain.md): same code > ROME mobility link > same domain
// > same family.
const (
	ProximityNone Proximity = iota
	ProximityFamily
	ProximityDomain
	ProximityMobility
	ProximitySame
)

var proximityNames = [...]string{"none", "family", "domain", "mobility", "same"}

// String is the level's wire name.
func (p Proximity) String() string { return proximityNames[p] }

// MarshalText writes the wire name.
func (p Proximity) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// value is the level's contribution to the ROME component.
func (p Proximity) value() float64 {
	return [...]float64{0, 0.25, 0.5, 0.75, 1}[p]
}

// LinkKind is the kind of a published ROME mobility.
type LinkKind string

// The two kinds of mobility France Travail publishes.
const (
	LinkClose     LinkKind = "close"     // mobilité proche
	LinkEvolution LinkKind = "evolution" // mobilité si évolution
)

// Taxonomy is a ROME referential: labels of families, domains and codes, and
// the mobility links between codes. It is read-only once built and safe for
// concurrent use.
type Taxonomy struct {
	version string
	labels  map[string]string
	links   map[uint64]LinkKind
	// appellations are the job titles of each code, principal first.
	appellations map[romeID][]Appellation
	adj          map[romeID][]romeID // targets of each code's links, sorted
	radj         map[romeID][]romeID // sources of the links to each code, sorted
	into         [15][]romeID        // codes outside family f linking into it, sorted
}

func linkKey(from, to romeID) uint64 { return uint64(from)<<32 | uint64(to) }

// Version says which referential this is (BuiltinVersion, or what LoadROME was
// given through WithVersion); explanations record it.
func (t *Taxonomy) Version() string { return t.version }

// WithVersion returns t renamed; the data is shared.
func (t *Taxonomy) WithVersion(v string) *Taxonomy {
	c := *t
	c.version = v
	return &c
}

// Label is the French label of a family ("H"), a domain ("H29") or a code
// ("H2913"), or "" when unknown.
func (t *Taxonomy) Label(code string) string {
	return t.labels[strings.ToUpper(strings.TrimSpace(code))]
}

// Known reports whether code is a code of the referential.
func (t *Taxonomy) Known(code string) bool {
	return ValidCode(code) && t.Label(code) != ""
}

// Codes lists the five-character codes of the referential, sorted.
func (t *Taxonomy) Codes() []string {
	var out []string
	for k := range t.labels {
		if len(k) == 5 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Link reports the published mobility from code from to code to, if any.
// Links are directed, as France Travail publishes them.
func (t *Taxonomy) Link(from, to string) (LinkKind, bool) {
	f, ok1 := parseCode(from)
	g, ok2 := parseCode(to)
	if !ok1 || !ok2 {
		return "", false
	}
	k, ok := t.links[linkKey(f, g)]
	return k, ok
}

// Proximity is how close code to (an opening's) is to code from (a
// seeker's project or past job).
func (t *Taxonomy) Proximity(from, to string) Proximity {
	f, ok1 := parseCode(from)
	g, ok2 := parseCode(to)
	if !ok1 || !ok2 {
		return ProximityNone
	}
	return t.proximity(f, g)
}

func (t *Taxonomy) proximity(f, g romeID) Proximity {
	return codeProximity(f, g, f != g && t.links[linkKey(f, g)] != "")
}

// codeProximity is the class of code g for code f, given whether f links
// to g.
func codeProximity(f, g romeID, linked bool) Proximity {
	switch {
	case f == g:
		return ProximitySame
	case linked:
		return ProximityMobility
	case f.domain() == g.domain():
		return ProximityDomain
	case f.family() == g.family():
		return ProximityFamily
	}
	return ProximityNone
}

// linkedFrom lists the codes f links to.
func (t *Taxonomy) linkedFrom(f romeID) []romeID { return t.adj[f] }

// linkedTo lists the codes that link to g.
func (t *Taxonomy) linkedTo(g romeID) []romeID { return t.radj[g] }

// intoFamily lists the codes outside family f that link to a code of f.
func (t *Taxonomy) intoFamily(f uint32) []romeID { return t.into[f] }

func (t *Taxonomy) buildAdjacency() {
	t.adj = make(map[romeID][]romeID)
	t.radj = make(map[romeID][]romeID)
	t.into = [15][]romeID{}
	for k := range t.links {
		f, g := romeID(k>>32), romeID(uint32(k))
		t.adj[f] = append(t.adj[f], g)
		t.radj[g] = append(t.radj[g], f)
		if f.family() != g.family() {
			t.into[g.family()] = append(t.into[g.family()], f)
		}
	}
	for _, v := range t.adj {
		slices.Sort(v)
	}
	for _, v := range t.radj {
		slices.Sort(v)
	}
	for i := range t.into {
		slices.Sort(t.into[i])
		t.into[i] = slices.Compact(t.into[i])
	}
}

// The built-in referential is France Travail's ROME 4.0, version 60, as
// published in its open-data archive (RefRomeCsv): the files are kept
// unchanged, gzipped, under rome/v460, with the labels of the 14 families
// and 110 domains in rome/v460/domaines.csv. rome/SOURCE.md says where each
// file comes from and under which licence.

//go:embed rome/v460/domaines.csv
var builtinGroups []byte

//go:embed rome/v460/unix_referentiel_code_rome_v460_utf8.csv.gz
var builtinCodes []byte

//go:embed rome/v460/unix_rubrique_mobilite_v460_utf8.csv.gz
var builtinMobility []byte

//go:embed rome/v460/unix_referentiel_appellation_v460_utf8.csv.gz
var builtinAppellations []byte

// BuiltinVersion names the built-in referential in explanations and batches.
const BuiltinVersion = "rome-4.0-v460"

var builtin = sync.OnceValue(func() *Taxonomy {
	t, err := LoadROME(gunzip(builtinCodes), gunzip(builtinMobility))
	if err == nil {
		err = t.readAppellations(gunzip(builtinAppellations))
	}
	if err != nil {
		panic("matching: built-in ROME data: " + err.Error())
	}
	t.version = BuiltinVersion
	return t
})

func gunzip(b []byte) io.Reader {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		panic("matching: built-in ROME data: " + err.Error())
	}
	return zr
}

// DefaultTaxonomy is the built-in referential: the whole ROME 4.0 (version
// 60) with its 14 families, 110 domains, 1,584 codes, their appellations
// and the mobility links between codes. Deployments may load a newer ROME
// with LoadROME.
func DefaultTaxonomy() *Taxonomy { return builtin() }

// LoadROME reads France Travail's open-data ROME files: codes is the code
// referential (e.g. unix_referentiel_code_rome_*.csv, or an XLSX sheet saved
// as CSV) and mobility the mobility links (unix_rubrique_mobilite_*.csv); a
// nil mobility reader means no links. The reader is tolerant: separator ";",
// "," or tab, optional UTF-8 BOM, quoted fields, header names matched loosely
// (code_rome/rome/code, libelle_rome/libelle/intitule/label,
// code_rome_cible/rome_cible/cible/target, libelle_type_mobilite/type), rows
// without a valid code skipped. Family (one letter) and domain (letter and two
// digits) rows are taken as labels; families and domains the file does not
// label keep their built-in labels. An input with no valid code at all is an
// error.
func LoadROME(codes io.Reader, mobility io.Reader) (*Taxonomy, error) {
	t := &Taxonomy{version: "loaded", labels: map[string]string{}, links: map[uint64]LinkKind{}}
	rows, err := readTable(codes)
	if err != nil {
		return nil, fmt.Errorf("read ROME codes: %w", err)
	}
	codeCol, labelCol := -1, -1
	if len(rows) > 0 {
		codeCol = findColumn(rows[0], "code_rome", "code rome", "rome", "code", "code_metier")
		labelCol = findColumn(rows[0], "libelle_rome", "libelle rome", "libelle", "intitule", "label", "libelle_metier")
		if codeCol >= 0 {
			rows = rows[1:]
		}
	}
	n := 0
	for _, r := range rows {
		c, l := codeCol, labelCol
		if c < 0 {
			c = guessCodeColumn(r)
		}
		if c < 0 || c >= len(r) {
			continue
		}
		if l < 0 || l >= len(r) {
			l = c + 1
		}
		code := strings.ToUpper(strings.TrimSpace(r[c]))
		label := ""
		if l < len(r) {
			label = strings.TrimSpace(r[l])
		}
		switch {
		case ValidCode(code):
			n++
			if label == "" {
				label = code
			}
			t.labels[code] = label
		case isFamily(code) || isDomain(code):
			if label != "" {
				t.labels[code] = label
			}
		}
	}
	if n == 0 {
		return nil, errors.New("read ROME codes: no valid ROME code (a letter A-N and four digits) found")
	}
	// Families and domains keep built-in labels when the file has none.
	{
		base, err := readTable(bytes.NewReader(builtinGroups))
		if err == nil {
			for _, r := range base[1:] {
				if len(r) >= 2 && (isFamily(r[0]) || isDomain(r[0])) {
					if _, ok := t.labels[r[0]]; !ok {
						t.labels[r[0]] = r[1]
					}
				}
			}
		}
	}
	if mobility == nil {
		t.buildAdjacency()
		return t, nil
	}
	rows, err = readTable(mobility)
	if err != nil {
		return nil, fmt.Errorf("read ROME mobility: %w", err)
	}
	if len(rows) == 0 {
		t.buildAdjacency()
		return t, nil
	}
	fromCol := findColumn(rows[0], "code_rome", "code_rome_source", "rome_source", "source", "code rome", "rome", "from")
	toCol := findColumn(rows[0], "code_rome_cible", "rome_cible", "code rome cible", "cible", "target", "to")
	typeCol := findColumn(rows[0], "libelle_type_mobilite", "type_mobilite", "type", "kind")
	if fromCol >= 0 && toCol >= 0 {
		rows = rows[1:]
	} else {
		fromCol, toCol = -1, -1
	}
	for _, r := range rows {
		f, g := fromCol, toCol
		if f < 0 {
			// No header: the first two fields that look like codes.
			f, g = -1, -1
			for i, v := range r {
				if ValidCode(v) {
					if f < 0 {
						f = i
					} else if g < 0 {
						g = i
					}
				}
			}
		}
		if f < 0 || g < 0 || f >= len(r) || g >= len(r) {
			continue
		}
		a, ok1 := parseCode(r[f])
		b, ok2 := parseCode(r[g])
		if !ok1 || !ok2 || a == b {
			continue
		}
		kind := LinkClose
		if typeCol >= 0 && typeCol < len(r) {
			if k := NormalizeLabel(r[typeCol]); strings.Contains(k, "evol") {
				kind = LinkEvolution
			}
		}
		// A close link wins over an evolution for the same pair.
		if old := t.links[linkKey(a, b)]; old != LinkClose {
			t.links[linkKey(a, b)] = kind
		}
	}
	t.buildAdjacency()
	return t, nil
}

func isFamily(s string) bool { return len(s) == 1 && s[0] >= 'A' && s[0] <= 'N' }

func isDomain(s string) bool {
	return len(s) == 3 && isFamily(s[:1]) && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'
}

// readTable reads a CSV with a sniffed separator; ragged rows are kept.
func readTable(r io.Reader) ([][]string, error) {
	br := bufio.NewReader(r)
	data, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	sep := ';'
	best := bytes.Count(first, []byte(";"))
	for _, c := range []rune{',', '\t'} {
		if n := bytes.Count(first, []byte(string(c))); n > best {
			sep, best = c, n
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = sep != '\t'
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// findColumn returns the index of the first header cell equal to one of
// names once normalised (case, accents, "_" and spaces ignored), or -1.
func findColumn(header []string, names ...string) int {
	norm := func(s string) string { return strings.ReplaceAll(NormalizeLabel(s), " ", "") }
	for _, n := range names {
		want := norm(n)
		for i, h := range header {
			if norm(h) == want {
				return i
			}
		}
	}
	return -1
}

func guessCodeColumn(r []string) int {
	for i, v := range r {
		if ValidCode(v) {
			return i
		}
	}
	return -1
}
