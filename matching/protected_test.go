package matching_test

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/matching"
)

// protectedWords are the words that name a protected attribute in a field
// name or JSON tag, matched word by word ("birthDate", "date_of_birth",
// "AgeYears") so that "Languages" or "Stage" do not trip it.
var protectedWords = map[string]bool{
	"nationality": true, "nationalities": true, "citizenship": true, "national": true,
	"gender": true, "sex": true, "age": true, "birth": true, "birthdate": true, "born": true, "dob": true,
	"religion": true, "religious": true, "faith": true, "ethnicity": true, "ethnic": true,
	"protection": true, "refugee": true, "asylum": true, "subsidiary": true, "bpi": true,
}

// words splits camelCase, PascalCase and snake_case names into lower-case
// words.
func words(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// protectedFields walks t and every struct type reachable from its fields
// and returns "Type.Field" for each field whose name or json tag names a
// protected attribute.
func protectedFields(t reflect.Type) []string {
	var out []string
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			if t.Kind() == reflect.Map {
				walk(t.Key())
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || t == reflect.TypeFor[time.Time]() {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			names := words(f.Name)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			names = append(names, words(tag)...)
			for _, w := range names {
				if protectedWords[w] {
					out = append(out, t.Name()+"."+f.Name)
					break
				}
			}
			walk(f.Type)
		}
	}
	walk(t)
	return out
}

func TestScoringInputsCarryNoProtectedAttribute(t *testing.T) {
	for _, v := range []any{matching.Seeker{}, matching.Opening{}, matching.Weights{}} {
		if got := protectedFields(reflect.TypeOf(v)); len(got) > 0 {
			t.Errorf("%T carries protected attributes: %v", v, got)
		}
	}
}

// The check itself must catch what it is for.
func TestProtectedFieldCheckCatchesProtectedAttributes(t *testing.T) {
	type origin struct {
		CountryOfBirth string
	}
	type bad struct {
		ID          string
		Nationality string
		Sex         string `json:"s"`
		Years       int    `json:"age"`
		BirthDate   time.Time
		Religion    string
		Status      string `json:"protection_status"`
		Languages   []string
		Stage       string
		Origin      *origin
	}
	got := protectedFields(reflect.TypeFor[bad]())
	want := []string{"bad.Nationality", "bad.Sex", "bad.Years", "bad.BirthDate", "bad.Religion", "bad.Status", "origin.CountryOfBirth"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flagged fields (-want +got):\n%s", diff)
	}
}
