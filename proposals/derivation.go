package proposals

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/matching"
)

// Derivation is a proposal's score derived again: from the inputs the
// proposal kept, under the engine's weights and taxonomy (Recomputed),
// beside what was stored; and from the records as they are now (Current),
// when they can still be read, to show what changed since.
type Derivation struct {
	ProposalID string
	// Derivable is false for a proposal that kept no inputs (made before
	// they were kept, or its person erased).
	Derivable   bool
	Stored      matching.Evaluation
	Recomputed  *matching.Evaluation
	Equal       bool
	Differences []matching.Difference
	// Current is the pair evaluated on today's records, and Changed the
	// components that differ from the stored ones: the data changed since.
	Current *matching.Evaluation
	Changed []matching.Difference
	// Reason says why the derivation differs or cannot be made.
	Reason matching.Text
}

// Derivation derives the score of who's organisation's proposal id again,
// and evaluates the pair on today's records beside it.
func (s *Service) Derivation(ctx context.Context, who access.Principal, id string) (Derivation, error) {
	p, err := s.Get(ctx, who, id)
	if err != nil {
		return Derivation{}, err
	}
	d, err := s.Derive(p)
	if err != nil {
		return Derivation{}, err
	}
	if cur, err := s.Evaluator.EvaluatePair(ctx, who.OrganisationID, p.BeneficiaryID, matching.Kind(p.Kind), p.OpeningID); err == nil {
		d.Current = &cur
		d.Changed, _ = matching.Compare(d.Stored, cur)
	}
	return d, nil
}

// Derive derives p's score again from the inputs it kept, without
// reading anything else.
func (s *Service) Derive(p Proposal) (Derivation, error) {
	d := Derivation{ProposalID: p.ID}
	if err := json.Unmarshal(p.Explanation, &d.Stored); err != nil {
		return Derivation{}, fmt.Errorf("read the explanation of %s: %w", p.ID, err)
	}
	if s.Engine != nil && len(p.Inputs) > 0 {
		var in matching.Inputs
		if err := json.Unmarshal(p.Inputs, &in); err != nil {
			return Derivation{}, fmt.Errorf("read the inputs of %s: %w", p.ID, err)
		}
		rec := s.Engine.Derive(in)
		d.Derivable, d.Recomputed = true, &rec
		d.Differences, d.Equal = matching.Compare(d.Stored, rec)
		switch {
		case d.Equal:
		case rec.WeightsVersion != d.Stored.WeightsVersion:
			d.Reason = matching.Text{EN: fmt.Sprintf("The weights changed since the proposal: %s then, %s now.", d.Stored.WeightsVersion, rec.WeightsVersion),
				FR: fmt.Sprintf("Les poids ont changé depuis la proposition : %s alors, %s aujourd'hui.", d.Stored.WeightsVersion, rec.WeightsVersion)}
		case rec.TaxonomyVersion != d.Stored.TaxonomyVersion:
			d.Reason = matching.Text{EN: fmt.Sprintf("The ROME taxonomy changed since the proposal: %s then, %s now.", d.Stored.TaxonomyVersion, rec.TaxonomyVersion),
				FR: fmt.Sprintf("La nomenclature ROME a changé depuis la proposition : %s alors, %s aujourd'hui.", d.Stored.TaxonomyVersion, rec.TaxonomyVersion)}
		default:
			d.Reason = matching.Text{EN: "The same inputs under the same versions give another score: a defect of the engine, to report.",
				FR: "Les mêmes données sous les mêmes versions donnent un autre score : un défaut du moteur, à signaler."}
		}
	} else {
		d.Reason = matching.Text{EN: "This proposal kept no inputs (made before they were kept, or its person's data erased): only its stored explanation remains.",
			FR: "Cette proposition n'a pas gardé ses données d'entrée (faite avant qu'on les garde, ou données de la personne effacées) : seule son explication enregistrée reste."}
	}
	return d, nil
}

// Change is a component whose values differ between two evaluations, in
// plain values for those who show it.
type Change struct {
	Name       string
	Stored     *ComponentValues
	Recomputed *ComponentValues
}

// ComponentValues are a component's value, weight, contribution and the
// fact behind them.
type ComponentValues struct {
	Value, Weight, Contribution float64
	Code                        string
	Measure                     float64
}

// Changes lists ds in plain values.
func Changes(ds []matching.Difference) []Change {
	vals := func(c *matching.Component) *ComponentValues {
		if c == nil {
			return nil
		}
		return &ComponentValues{Value: c.Value, Weight: c.Weight, Contribution: c.Contribution, Code: c.Code, Measure: c.Measure}
	}
	out := make([]Change, 0, len(ds))
	for _, d := range ds {
		out = append(out, Change{Name: string(d.Name), Stored: vals(d.Stored), Recomputed: vals(d.Recomputed)})
	}
	return out
}

// JSON writes an evaluation as the API shows it (nil for none).
func JSON(ev *matching.Evaluation) json.RawMessage {
	if ev == nil {
		return nil
	}
	b, _ := json.Marshal(ev)
	return b
}
