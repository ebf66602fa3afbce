package geo

import (
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Commune is a French commune, or a municipal arrondissement of Paris, Lyon
// or Marseille, as the built-in list knows it.
type Commune struct {
	// Code is the INSEE code ("26362").
	Code       string
	Name       string
	Department string
	Postcodes  []string
	Population int
	// Centre is the commune's centre, nil for the few without one.
	Centre *Point
	// Of is, for an arrondissement, the code of its commune ("75056").
	Of string
}

// Communes is a list of communes searchable by code and postcode.
type Communes struct {
	list       []Commune
	byCode     map[string]int
	byPostcode map[string][]int
}

// The built-in list: the communes of the Code officiel géographique 2026
// with their postcodes, and the coordinates of their centre from La Poste's
// base of postcodes (SOURCE.md).
//
//go:embed communes.csv.gz
var builtinCommunes []byte

var builtin = sync.OnceValue(func() *Communes {
	c, err := ReadCommunes(bytes.NewReader(builtinCommunes))
	if err != nil {
		panic("geo: built-in communes: " + err.Error())
	}
	return c
})

// BuiltinCommunes is the built-in list of communes; it is read on first use.
func BuiltinCommunes() *Communes { return builtin() }

// ReadCommunes reads a gzipped list written by cmd/geodata.
func ReadCommunes(r io.Reader) (*Communes, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(zr)
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		return nil, err
	}
	c := &Communes{byCode: map[string]int{}, byPostcode: map[string][]int{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		m := Commune{Code: rec[0], Name: rec[1], Department: rec[2], Postcodes: strings.Fields(rec[3]), Of: rec[7]}
		m.Population, _ = strconv.Atoi(rec[4])
		lat, err1 := strconv.ParseFloat(rec[5], 64)
		lon, err2 := strconv.ParseFloat(rec[6], 64)
		if err1 == nil && err2 == nil {
			m.Centre = &Point{Lat: lat, Lon: lon}
		}
		i := len(c.list)
		c.list = append(c.list, m)
		c.byCode[m.Code] = i
		for _, p := range m.Postcodes {
			c.byPostcode[p] = append(c.byPostcode[p], i)
		}
	}
	return c, nil
}

// Len is how many communes and arrondissements the list holds.
func (c *Communes) Len() int { return len(c.list) }

// ByCode finds a commune by its INSEE code.
func (c *Communes) ByCode(code string) (Commune, bool) {
	i, ok := c.byCode[strings.TrimSpace(code)]
	if !ok {
		return Commune{}, false
	}
	return c.list[i], true
}

// ByPostcode lists the communes a postcode serves, arrondissements first,
// then the most populous.
func (c *Communes) ByPostcode(postcode string) []Commune {
	idx := c.byPostcode[strings.TrimSpace(postcode)]
	out := make([]Commune, 0, len(idx))
	for _, i := range idx {
		out = append(out, c.list[i])
	}
	slices.SortStableFunc(out, func(a, b Commune) int {
		if (a.Of != "") != (b.Of != "") {
			if a.Of != "" {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Population, a.Population)
	})
	return out
}

// Locate finds the commune of a postcode and, when given, a town name: the
// commune of that name among those the postcode serves (an arrondissement
// also answers to its city's name, and is preferred to it), or else the
// first of ByPostcode. ok is
// false for a postcode no commune has.
func (c *Communes) Locate(postcode, town string) (Commune, bool) {
	list := c.ByPostcode(postcode)
	if len(list) == 0 {
		return Commune{}, false
	}
	if t := Fold(town); t != "" {
		for _, m := range list {
			if Fold(m.Name) == t {
				return m, true
			}
			if of, ok := c.ByCode(m.Of); ok && Fold(of.Name) == t {
				return m, true
			}
		}
	}
	return list[0], true
}

// Fold writes a place name the way names are compared: lower case, without
// accents, hyphens and apostrophes as spaces, "st"/"ste" as "saint"/"sainte"
// ("Saint-Étienne", "ST ETIENNE" and "saint etienne" fold alike).
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		switch w {
		case "st":
			words[i] = "saint"
		case "ste":
			words[i] = "sainte"
		}
	}
	return strings.Join(words, " ")
}
