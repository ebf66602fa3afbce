// Package suggestions ranks, for one beneficiary, the openings of a kind
// (job offers, PMSMP placements, training sessions or mentors) the matching
// engine finds eligible, best first, each with its explanation; and
// explains any one pair, eligible or not. The engine's candidate index
// prunes before scoring, so a query scores a small share of the pairs.
// Suggestions are computed when asked for, from the records as they are:
// they are never stale.
package suggestions

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/candidates"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// Service computes suggestions.
type Service struct {
	Engine *matching.Engine
	Loader *candidates.Loader
	Audit  pathways.AuditLog
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

var _ proposals.Evaluator = (*Service)(nil)

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Item is one suggestion.
type Item struct {
	Rank        int
	Score       float64
	Opening     candidates.Summary
	Explanation matching.Evaluation
}

// Result is a ranked list for one beneficiary and kind.
type Result struct {
	BeneficiaryID   string
	Kind            proposals.Kind
	ComputedAt      time.Time
	WeightsVersion  string
	TaxonomyVersion string
	// Candidates is how many openings of the kind were loaded; PairsScored
	// how many the index let through to scoring.
	Candidates  int
	PairsScored int64
	Items       []Item
}

// For returns the best limit openings of kind for who's organisation's
// beneficiary id, among the places other beneficiaries' proposals leave
// free, and audits the read. apperr.NotFound for a beneficiary the
// organisation does not have (or erased).
func (s *Service) For(ctx context.Context, who access.Principal, id string, k proposals.Kind, limit int) (Result, error) {
	org, now, kind := who.OrganisationID, s.now(), matching.Kind(k)
	b, err := s.Loader.Beneficiary(ctx, org, id)
	if err != nil {
		return Result{}, err
	}
	seeker, err := s.Loader.Seeker(ctx, b, now)
	if err != nil {
		return Result{}, err
	}
	held, err := s.Loader.Held(ctx, org, kind, func(p proposals.Proposal) bool { return p.BeneficiaryID != id })
	if err != nil {
		return Result{}, err
	}
	cs, err := s.Loader.Openings(ctx, org, kind, "", held.Places)
	if err != nil {
		return Result{}, err
	}
	if err := pathways.WriteAudit(ctx, s.Audit, who, pathways.AuditSuggestions, b.ID, now.Truncate(time.Millisecond)); err != nil {
		return Result{}, err
	}
	ix := s.Engine.NewIndex(cs.Engine)
	top := ix.TopOpenings(&seeker, limit, now)
	res := Result{
		BeneficiaryID: id, Kind: k, ComputedAt: now,
		WeightsVersion: s.Engine.Weights().Version, TaxonomyVersion: s.Engine.Taxonomy().Version(),
		Candidates: len(cs.Engine), PairsScored: ix.PairsScored(), Items: make([]Item, len(top)),
	}
	for i, sg := range top {
		res.Items[i] = Item{Rank: i + 1, Score: sg.Score, Opening: cs.Shown[sg.Index], Explanation: sg.Evaluation}
	}
	return res, nil
}

// Explain explains one pair for who's organisation, eligible or not: the
// score and its components, or the constraints that fail with the next step
// for each ("pourquoi pas ?"). It audits the read.
func (s *Service) Explain(ctx context.Context, who access.Principal, id string, kind proposals.Kind, openingID string) (matching.Evaluation, candidates.Summary, error) {
	ev, shown, _, err := s.evaluate(ctx, who.OrganisationID, id, matching.Kind(kind), openingID)
	if err != nil {
		return ev, shown, err
	}
	if err := pathways.WriteAudit(ctx, s.Audit, who, pathways.AuditEvaluation, id, s.now().Truncate(time.Millisecond)); err != nil {
		return matching.Evaluation{}, candidates.Summary{}, err
	}
	return ev, shown, nil
}

// EvaluatePair evaluates one pair of org's as the engine sees it now
// (proposals.Evaluator).
func (s *Service) EvaluatePair(ctx context.Context, org, id string, kind matching.Kind, openingID string) (matching.Evaluation, error) {
	ev, _, _, err := s.evaluate(ctx, org, id, kind, openingID)
	return ev, err
}

// EvaluateInputs is EvaluatePair with what the engine evaluated the pair
// from, for the proposal to keep (proposals.InputEvaluator).
func (s *Service) EvaluateInputs(ctx context.Context, org, id string, kind matching.Kind, openingID string) (matching.Evaluation, matching.Inputs, error) {
	ev, _, in, err := s.evaluate(ctx, org, id, kind, openingID)
	return ev, in, err
}

func (s *Service) evaluate(ctx context.Context, org, id string, kind matching.Kind, openingID string) (matching.Evaluation, candidates.Summary, matching.Inputs, error) {
	b, err := s.Loader.Beneficiary(ctx, org, id)
	if err != nil {
		return matching.Evaluation{}, candidates.Summary{}, matching.Inputs{}, err
	}
	op, shown, err := s.Loader.Opening(ctx, org, kind, openingID)
	if err != nil {
		return matching.Evaluation{}, candidates.Summary{}, matching.Inputs{}, err
	}
	now := s.now()
	seeker, err := s.Loader.Seeker(ctx, b, now)
	if err != nil {
		return matching.Evaluation{}, candidates.Summary{}, matching.Inputs{}, err
	}
	return s.Engine.Evaluate(&seeker, &op, now), shown, matching.Inputs{Seeker: seeker, Opening: op, At: now}, nil
}
