package web

import (
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
)

// funcs are the few helpers templates use besides the view's methods.
func (c *Console) funcs() template.FuncMap {
	return template.FuncMap{
		"add":  func(a, b int) int { return a + b },
		"sub":  func(a, b int) int { return a - b },
		"addf": func(a, b float64) float64 { return a + b },
		// deref reads a count the API leaves nil when it is not shown.
		"deref": func(p *int) int { return *p },
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i
			}
			return out
		},
		"join": strings.Join,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"str":   func(v any) string { return fmt.Sprint(v) },
		"list":  func(v ...string) []string { return v },
		"date":  func(s string) civil.Date { return civil.Date(s) },
		"lower": strings.ToLower,
	}
}

// Date writes a calendar day as people read it: "12 mars 2027".
func (v *view) Date(d civil.Date) string { return d.In(string(v.Lang)) }

// Day writes the day of an instant, in Paris.
func (v *view) Day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return civil.Of(t.In(paris)).In(string(v.Lang))
}

// DayTime writes an instant as a day and a time, in Paris.
func (v *view) DayTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	local := t.In(paris)
	if v.Lang == access.English {
		return civil.Of(local).English() + ", " + local.Format("15:04")
	}
	return civil.Of(local).French() + " à " + local.Format("15h04")
}

var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

// Rome writes a ROME code with its label: "Personnel de cuisine (G1602)",
// or the domain's label when the code's is unknown.
func (v *view) Rome(code string) string {
	if code == "" {
		return ""
	}
	tax := v.c.svc.Engine.Taxonomy()
	if l := tax.Label(code); l != "" {
		return l + " (" + code + ")"
	}
	if len(code) >= 3 {
		if l := tax.Label(code[:3]); l != "" {
			return l + " (" + code + ")"
		}
	}
	return code
}

var (
	romeCode = regexp.MustCompile(`\b[A-N][0-9]{4}\b`)
	// romeGroup is a ROME domain or family code in parentheses: "(G)", "(G16)".
	romeGroup = regexp.MustCompile(`\(([A-N](?:[0-9]{2})?)\)`)
)

// RomeText replaces the ROME codes of a sentence with their labels, and
// the domain or family codes in parentheses with theirs.
func (v *view) RomeText(s string) string {
	s = romeCode.ReplaceAllStringFunc(s, v.Rome)
	tax := v.c.svc.Engine.Taxonomy()
	return romeGroup.ReplaceAllStringFunc(s, func(m string) string {
		if l := tax.Label(m[1 : len(m)-1]); l != "" {
			return "(" + l + ")"
		}
		return m
	})
}

// Percent writes a percentage with one decimal, the French way: "62,5 %".
// PercentOf is Percent of a rate that may be missing ("—").
func (v *view) PercentOf(p *float64) string {
	if p == nil {
		return "—"
	}
	return v.Percent(*p)
}

func (v *view) Percent(p float64) string {
	s := strconv.FormatFloat(p, 'f', 1, 64)
	if v.Lang != access.English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " %"
}

// Pct writes a score of [0, 1] as a whole percentage.
func (v *view) Pct(score float64) int { return int(math.Round(score * 100)) }

// Level writes a CEFR level in words: "à l'aise (B1)".
func (v *view) Level(level string) string {
	if level == "" {
		return v.T("level.none")
	}
	return v.T("level." + level)
}

// French writes the French of a person in words, oral then written:
// "à l'aise à l'oral (B1), écrit en progrès (A2)".
func (v *view) French(oral, written string) string {
	parts := []string{}
	if oral != "" {
		parts = append(parts, v.T("french.oral."+oral))
	}
	if written != "" {
		parts = append(parts, v.T("french.written."+written))
	}
	if len(parts) == 0 {
		return v.T("level.none")
	}
	return strings.Join(parts, ", ")
}

// Days writes days of the week in words.
func (v *view) Days(days []string) string {
	if len(days) == 0 {
		return v.T("days.any")
	}
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = v.T("day." + d)
	}
	return strings.Join(out, ", ")
}

// Languages writes language codes ("fa", "ti") in words, the code itself
// for a language the catalogue does not name.
func (v *view) Languages(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		if id := "language." + strings.ToLower(c); v.c.i18n.Has(v.Lang, id) {
			out[i] = v.T(id)
		} else {
			out[i] = c
		}
	}
	return strings.Join(out, ", ")
}

// Words writes codes of a vocabulary in words: prefix.code for each.
func (v *view) Words(prefix string, codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = v.T(prefix + "." + c)
	}
	return strings.Join(out, ", ")
}

// Text picks the French or English of a pair.
func (v *view) Text(fr, en string) string {
	if v.Lang == access.English {
		return en
	}
	return fr
}

// Options are the choices of a select: each code with its words
// (prefix.code); an empty code is "choose".
func (v *view) Options(prefix string, codes ...string) [][2]string {
	out := make([][2]string, len(codes))
	for i, c := range codes {
		if c == "" {
			out[i] = [2]string{"", v.T("form.choose")}
			continue
		}
		out[i] = [2]string{c, v.T(prefix + "." + c)}
	}
	return out
}

// Plain are choices shown as their own values (licence categories).
func (v *view) Plain(values ...string) [][2]string {
	out := make([][2]string, len(values))
	for i, x := range values {
		out[i] = [2]string{x, x}
	}
	return out
}

// UserOptions are the choices of a list of users.
// ChooseUser is UserOptions after an empty choice, for a field that may
// name nobody.
func (v *view) ChooseUser(users []access.User) [][2]string {
	return append([][2]string{{"", v.T("form.choose")}}, v.UserOptions(users)...)
}

func (v *view) UserOptions(users []access.User) [][2]string {
	out := make([][2]string, len(users))
	for i, u := range users {
		out[i] = [2]string{u.ID, u.Name}
	}
	return out
}
