package pathways

import (
	"sort"
	"strings"

	"github.com/parcours-emploi/parcours/civil"
)

// Category names of the rule sets' breakdowns.
const (
	CategoryDurable      = "durable-employment"
	CategoryTransitional = "transitional-employment"
	CategoryPositive     = "positive-exit"
	CategoryCDI          = "cdi"
	CategoryCDD6         = "cdd-6-months-or-more"
	CategoryEmployment   = "cdi-or-cdd"
	CategoryWorkLearning = "internship-or-alternance"
	CategoryAlternance   = "alternance"
	CategoryQualifying   = "qualifying-training"
	// CategoryNone is the category of a situation no rule counts, and of no
	// situation at all.
	CategoryNone = "not-positive"
)

// ExitRule counts the situations it matches as positive, under its category.
type ExitRule struct {
	Category string
	Match    func(Situation) bool
}

// RuleSet is a named, versioned positive-exit rule set. Its rules are in
// order of preference, most favourable first: when several situations are
// under way on a horizon date, the one matched by the earliest rule decides
// (see Classify).
type RuleSet struct {
	Name        string
	Version     string
	Description string
	Rules       []ExitRule
	// Excluded are the exit reasons that take a person out of the
	// denominator: who moved away or died is not counted as a failure.
	Excluded []string
}

// Excludes reports whether an exit for reason takes the person out of
// the denominator.
func (r RuleSet) Excludes(reason string) bool { return reason != "" && contains(r.Excluded, reason) }

// Classification is the verdict of a rule set on one situation.
type Classification struct {
	Category string
	Positive bool
	rank     int
}

// Categories lists the rule set's categories in order, CategoryNone last.
func (r RuleSet) Categories() []string {
	out := make([]string, 0, len(r.Rules)+1)
	for _, rule := range r.Rules {
		if !contains(out, rule.Category) {
			out = append(out, rule.Category)
		}
	}
	return append(out, CategoryNone)
}

// ClassifyOne returns the category of one situation.
func (r RuleSet) ClassifyOne(s Situation) Classification {
	for i, rule := range r.Rules {
		if rule.Match(s) {
			return Classification{Category: rule.Category, Positive: true, rank: i}
		}
	}
	return Classification{Category: CategoryNone, rank: len(r.Rules)}
}

// Classify returns the situation that decides the outcome on day d, among
// those covering d, and its classification. When several cover d, the most
// favourable one decides: the one matched by the earliest rule; between
// equals, the one that started last (the most recent news), then the
// greatest id, so the choice never depends on the order of the input. ok is
// false when no situation covers d.
func (r RuleSet) Classify(situations []Situation, d civil.Date) (chosen Situation, c Classification, ok bool) {
	c = Classification{Category: CategoryNone, rank: len(r.Rules) + 1}
	for _, s := range situations {
		if !s.Covers(d) {
			continue
		}
		sc := r.ClassifyOne(s)
		if !ok || sc.rank < c.rank || sc.rank == c.rank && (s.Start > chosen.Start || s.Start == chosen.Start && s.ID > chosen.ID) {
			chosen, c, ok = s, sc, true
		}
	}
	if !ok {
		c = Classification{Category: CategoryNone}
	}
	return chosen, c, ok
}

func kinds(ks ...SituationKind) func(Situation) bool {
	return func(s Situation) bool {
		for _, k := range ks {
			if s.Kind == k {
				return true
			}
		}
		return false
	}
}

// fixedTerm matches a CDD or intérim of at least (min > 0) or under
// (min < 0) |min| months.
func fixedTerm(min int, ks ...SituationKind) func(Situation) bool {
	match := kinds(ks...)
	return func(s Situation) bool {
		if !match(s) {
			return false
		}
		if min > 0 {
			return s.DurationMonths >= min
		}
		return s.DurationMonths < -min
	}
}

// The built-in rule sets. A change of any rule is a new Version: stored
// measurements keep the version that classified them.
var (
	// RuleSetIAE counts the "sorties dynamiques" of the IAE vocabulary.
	RuleSetIAE = RuleSet{
		Name: "iae", Version: "iae-2026-2",
		Description: "IAE dynamic exits: durable employment (CDI, CDD or intérim of 6 months or more, public-sector post, business creation), transitional employment (CDD or intérim under 6 months, subsidised contract) and positive exits (qualifying or pre-qualifying training, hire by another insertion structure). Version 2 leaves out of the denominator those who moved away or died.",
		Excluded:    []string{"moved", "deceased"},
		Rules: []ExitRule{
			{CategoryDurable, kinds(SituationCDI, SituationPublicSector, SituationBusinessCreation)},
			{CategoryDurable, fixedTerm(6, SituationCDD, SituationInterim)},
			{CategoryTransitional, fixedTerm(-6, SituationCDD, SituationInterim)},
			{CategoryTransitional, kinds(SituationSubsidised)},
			{CategoryPositive, kinds(SituationQualifyingTraining, SituationPreQualifyingTraining, SituationInsertionHire)},
		},
	}
	// RuleSetAGIR counts what AGIR reports: CDI, CDD of 6 months or more,
	// alternance, qualifying training. Version 2 adds the alternance, which
	// version 1 left out; version 3 leaves out of the denominator those who
	// moved out of the département or died.
	RuleSetAGIR = RuleSet{
		Name: "agir", Version: "agir-2026-3",
		Description: "AGIR: CDI, CDD of 6 months or more, alternance, qualifying training; those who moved away or died are not counted.",
		Excluded:    []string{"moved", "deceased"},
		Rules: []ExitRule{
			{CategoryCDI, kinds(SituationCDI)},
			{CategoryCDD6, fixedTerm(6, SituationCDD)},
			{CategoryAlternance, kinds(SituationAlternance)},
			{CategoryQualifying, kinds(SituationQualifyingTraining)},
		},
	}
	// RuleSetKodiko counts what Kodiko reports: CDD or CDI, internship or
	// alternance, qualifying training.
	RuleSetKodiko = RuleSet{
		Name: "kodiko", Version: "kodiko-2026-2",
		Description: "Kodiko: CDD or CDI, internship or alternance, qualifying training; those who died are not counted (version 2).",
		Excluded:    []string{"deceased"},
		Rules: []ExitRule{
			{CategoryEmployment, kinds(SituationCDI, SituationCDD)},
			{CategoryWorkLearning, kinds(SituationInternship, SituationAlternance)},
			{CategoryQualifying, kinds(SituationQualifyingTraining)},
		},
	}
)

// RuleSets are the built-in rule sets by name.
var RuleSets = map[string]RuleSet{
	RuleSetIAE.Name: RuleSetIAE, RuleSetAGIR.Name: RuleSetAGIR, RuleSetKodiko.Name: RuleSetKodiko,
}

// RuleSetNames lists the built-in rule sets' names, sorted.
func RuleSetNames() []string {
	out := make([]string, 0, len(RuleSets))
	for n := range RuleSets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ProgrammeRuleSets says which rule set each programme picked, by programme
// name in lower case. A programme not listed uses the IAE rule set.
var ProgrammeRuleSets = map[string]string{
	"agir":   RuleSetAGIR.Name,
	"kodiko": RuleSetKodiko.Name,
}

// RuleSetFor returns the rule set a programme picked.
func RuleSetFor(programme string) RuleSet {
	if n, ok := ProgrammeRuleSets[strings.ToLower(strings.TrimSpace(programme))]; ok {
		return RuleSets[n]
	}
	return RuleSetIAE
}
