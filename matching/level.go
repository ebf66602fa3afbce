package matching

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Level is a CEFR level of French. The zero value, LevelNone, means "not
// assessed" on a seeker (treated as below A1 by the constraints) and "no
// requirement" on an opening.
type Level int8

// The CEFR levels in increasing order.
const (
	LevelNone Level = iota
	BelowA1
	A1
	A2
	B1
	B2
	C1
	C2
)

var levelNames = [...]string{"", "below-a1", "a1", "a2", "b1", "b2", "c1", "c2"}
var levelLabels = [...]string{"none", "below A1", "A1", "A2", "B1", "B2", "C1", "C2"}

// ParseLevel reads "below-a1", "a1", "a2", "b1", "b2", "c1" or "c2", in any
// case ("below a1" and "below_a1" are accepted too). The empty string and
// "none" give LevelNone.
func ParseLevel(s string) (Level, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer(" ", "-", "_", "-").Replace(k)
	switch k {
	case "", "none":
		return LevelNone, nil
	case "pre-a1", "belowa1":
		return BelowA1, nil
	}
	for i, n := range levelNames {
		if i > 0 && k == n {
			return Level(i), nil
		}
	}
	return LevelNone, fmt.Errorf("unknown CEFR level %q (want below-a1, a1, a2, b1, b2, c1 or c2)", s)
}

// String is the level's wire name ("b1"); LevelNone is "".
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("level(%d)", int8(l))
	}
	return levelNames[l]
}

// Label is the level as people write it ("B1", "below A1").
func (l Level) Label() string {
	if l < 0 || int(l) >= len(levelLabels) {
		return l.String()
	}
	return levelLabels[l]
}

func (l Level) labelFR() string {
	if l == BelowA1 {
		return "inférieur à A1"
	}
	if l == LevelNone {
		return "non évalué"
	}
	return l.Label()
}

// MarshalText writes the wire name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a wire name through ParseLevel.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// LanguageSkill is one of the four CEFR skills recorded per seeker.
type LanguageSkill uint8

// The four skills, in the order of French's entries.
const (
	OralComprehension LanguageSkill = iota
	WrittenComprehension
	OralProduction
	WrittenProduction
	numSkills
)

// LanguageSkills lists the four skills in order.
var LanguageSkills = [numSkills]LanguageSkill{OralComprehension, WrittenComprehension, OralProduction, WrittenProduction}

var skillNames = [numSkills]string{"oralComprehension", "writtenComprehension", "oralProduction", "writtenProduction"}
var skillEN = [numSkills]string{"oral comprehension", "written comprehension", "oral production", "written production"}
var skillFR = [numSkills]string{"compréhension orale", "compréhension écrite", "production orale", "production écrite"}

// String is the skill's wire name ("oralProduction").
func (k LanguageSkill) String() string {
	if k < numSkills {
		return skillNames[k]
	}
	return fmt.Sprintf("skill(%d)", uint8(k))
}

// ParseLanguageSkill reads a wire name ("oralProduction"), in any case.
func ParseLanguageSkill(s string) (LanguageSkill, error) {
	for i, n := range skillNames {
		if strings.EqualFold(s, n) {
			return LanguageSkill(i), nil
		}
	}
	return 0, fmt.Errorf("unknown language skill %q", s)
}

// French holds one CEFR level per skill, indexed by LanguageSkill. On a seeker
// it is the assessed level; on an opening, the level required (LevelNone: no
// requirement in that skill). In JSON it is an object keyed by skill name,
// e.g. {"oralProduction":"b1"}, with unassessed skills left out.
type French [numSkills]Level

// Uniform is a French with the same level in the four skills.
func Uniform(l Level) French { return French{l, l, l, l} }

// Max is the highest level over the four skills.
func (f French) Max() Level {
	m := f[0]
	for _, l := range f[1:] {
		m = max(m, l)
	}
	return m
}

// MarshalJSON writes the object form.
func (f French) MarshalJSON() ([]byte, error) {
	m := make(map[string]Level, numSkills)
	for k, l := range f {
		if l != LevelNone {
			m[skillNames[k]] = l
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the object form; unknown skills are an error.
func (f *French) UnmarshalJSON(b []byte) error {
	var m map[string]Level
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var out French
	for name, l := range m {
		k, err := ParseLanguageSkill(name)
		if err != nil {
			return err
		}
		out[k] = l
	}
	*f = out
	return nil
}
