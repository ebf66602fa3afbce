package candidates

import (
	"context"
	"sync"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/pathways"
)

// OutcomeOf is what an opportunity leads to: its contract for a job offer
// (a CDD or intérim whose months are not given counts from its dates, or
// as short), a placement, or a training (qualifying when it has a trade,
// a language course otherwise). "" when a job offer names no contract.
func OutcomeOf(o jobs.Opportunity) matching.Outcome {
	switch o.Kind {
	case jobs.KindPMSMP:
		return matching.OutcomePlacement
	case jobs.KindTraining:
		if o.ROME == "" {
			return matching.OutcomeLanguage
		}
		return matching.OutcomeQualifying
	}
	if o.Contract == nil {
		return ""
	}
	switch o.Contract.Type {
	case "cdi":
		return matching.OutcomeCDI
	case "alternance", "professionnalisation":
		return matching.OutcomeAlternance
	case "iae":
		return matching.OutcomeSubsidised
	case "cdd", "interim":
		months := o.Contract.Months
		if months <= 0 && o.Start.Valid() && o.End.Valid() && o.End >= o.Start.AddMonths(6).AddDate(0, 0, -1) {
			months = 6
		}
		if months >= 6 {
			return matching.OutcomeFixedLong
		}
		return matching.OutcomeFixedShort
	}
	return ""
}

// outcomeSituations are situations standing for each outcome, for a rule
// set to classify.
var outcomeSituations = map[matching.Outcome]pathways.Situation{
	matching.OutcomeCDI:        {Kind: pathways.SituationCDI},
	matching.OutcomeFixedLong:  {Kind: pathways.SituationCDD, DurationMonths: 6},
	matching.OutcomeFixedShort: {Kind: pathways.SituationCDD, DurationMonths: 3},
	matching.OutcomeAlternance: {Kind: pathways.SituationAlternance},
	matching.OutcomeSubsidised: {Kind: pathways.SituationSubsidised},
	matching.OutcomeQualifying: {Kind: pathways.SituationQualifyingTraining},
	matching.OutcomeLanguage:   {Kind: pathways.SituationFLE},
	matching.OutcomePlacement:  {Kind: pathways.SituationPMSMP},
}

// Outcome values: a positive exit of the rule set's first category is
// worth 1, each later category 0.1 less (durable employment before
// transitional); a step toward one (a language course, a placement) 0.6;
// an outcome the rule set does not count 0.3.
const (
	outcomeStep     = 0.6
	outcomeNotCount = 0.3
)

var outcomeCache sync.Map // rule set version → map[matching.Outcome]float64

// OutcomeValues is how well each outcome serves a programme under rule
// set rs, shared by every seeker of the rule set.
func OutcomeValues(rs pathways.RuleSet) map[matching.Outcome]float64 {
	if v, ok := outcomeCache.Load(rs.Version); ok {
		return v.(map[matching.Outcome]float64)
	}
	cats := rs.Categories()
	rank := map[string]int{}
	for i, c := range cats {
		rank[c] = i
	}
	out := make(map[matching.Outcome]float64, len(outcomeSituations))
	for o, s := range outcomeSituations {
		s.Start = civil.Date("2026-01-05")
		c := rs.ClassifyOne(s)
		switch {
		case c.Positive:
			out[o] = max(0.7, 1-0.1*float64(rank[c.Category]))
		case o == matching.OutcomeLanguage || o == matching.OutcomePlacement:
			out[o] = outcomeStep
		default:
			out[o] = outcomeNotCount
		}
	}
	v, _ := outcomeCache.LoadOrStore(rs.Version, out)
	return v.(map[matching.Outcome]float64)
}

// ruleSets reads org's programmes' rule sets by programme id (nil store:
// none, and every file falls back on its programme's name).
func (l *Loader) ruleSets(ctx context.Context, org string) (map[string]pathways.RuleSet, error) {
	if l.Programmes == nil {
		return nil, nil
	}
	progs, err := l.Programmes.Programmes(ctx, org)
	if err != nil {
		return nil, err
	}
	out := make(map[string]pathways.RuleSet, len(progs))
	for _, p := range progs {
		out[p.ID] = p.Rules()
	}
	return out, nil
}

// ruleSetOf is the rule set of a file's programme.
func ruleSetOf(b pathways.Beneficiary, sets map[string]pathways.RuleSet) pathways.RuleSet {
	if rs, ok := sets[b.Enrolment.ProgrammeID]; ok {
		return rs
	}
	return pathways.RuleSetFor(b.Enrolment.Programme)
}

// programmeName is the name files hold for the programme a scope names,
// by id or by name with accents and case aside; the name as given when no
// programme matches (then no file does either).
func (l *Loader) programmeName(ctx context.Context, org, ref string) (string, error) {
	if ref == "" || l.Programmes == nil {
		return ref, nil
	}
	progs, err := l.Programmes.Programmes(ctx, org)
	if err != nil {
		return "", err
	}
	for _, p := range progs {
		if p.ID == ref || p.Key() == pathways.Fold(ref) {
			return p.Name, nil
		}
	}
	return ref, nil
}
