package pathways

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold writes a name as it is searched: lower case, without accents, with
// single spaces ("Éléonore  N'Diaye" → "eleonore n'diaye").
func Fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r) || r == '-':
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SearchKeys are the folded forms a beneficiary is found by, from the
// start of any of them: each name, and the whole name in both orders.
func SearchKeys(first, last string) []string {
	f, l := Fold(first), Fold(last)
	keys := []string{}
	seen := map[string]bool{}
	add := func(k string) {
		if k = strings.TrimSpace(k); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, w := range strings.Fields(f + " " + l) {
		add(w)
	}
	add(f + " " + l)
	add(l + " " + f)
	return keys
}

// AtLeast lists the CEFR levels at least as high as level (all of them for
// an unknown level).
func AtLeast(level string) []string {
	for i, l := range Levels {
		if l == level {
			return Levels[i:]
		}
	}
	return Levels
}
