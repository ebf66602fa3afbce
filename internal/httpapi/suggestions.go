package httpapi

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/candidates"
	"github.com/parcours-emploi/parcours/proposals"
)

// SuggestionQuery is what GET /beneficiaries/{id}/suggestions accepts.
type SuggestionQuery struct {
	Kind  string `query:"kind"`
	Limit int    `query:"limit"`
}

// EvaluationQuery names the pair to explain.
type EvaluationQuery struct {
	Kind    string `query:"kind"`
	Opening string `query:"opening"`
}

// OpeningSummary is what a suggestion shows of the opportunity or mentor
// proposed: enough to decide, nothing personal about a mentor beyond their work.
type OpeningSummary struct {
	ID           string         `json:"id"`
	Kind         string         `json:"kind"`
	Title        string         `json:"title"`
	Organisation string         `json:"organisationId,omitempty"`
	Employer     string         `json:"employer,omitempty"`
	ROME         []string       `json:"rome"`
	Department   string         `json:"department"`
	Postcode     string         `json:"postcode,omitempty"`
	StartDate    string         `json:"startDate,omitempty"`
	EndDate      string         `json:"endDate,omitempty"`
	Capacity     int            `json:"capacityLeft"`
	Contract     *ContractInput `json:"contract,omitempty"`
}

// Suggestion is one ranked opening with its explanation: the engine's
// evaluation (components with their sentences, weights and taxonomy
// versions), the same document a proposal keeps.
type Suggestion struct {
	Rank        int             `json:"rank"`
	Score       float64         `json:"score"`
	Opening     OpeningSummary  `json:"opening"`
	Explanation json.RawMessage `json:"explanation"`
}

// Suggestions is a ranked list for one beneficiary and kind.
type Suggestions struct {
	BeneficiaryID   string       `json:"beneficiaryId"`
	Kind            string       `json:"kind"`
	ComputedAt      time.Time    `json:"computedAt"`
	WeightsVersion  string       `json:"weightsVersion"`
	TaxonomyVersion string       `json:"taxonomyVersion"`
	Candidates      int          `json:"candidates"`
	PairsScored     int64        `json:"pairsScored"`
	Items           []Suggestion `json:"items"`
}

// PairEvaluation explains one pair: eligible or not, and why.
type PairEvaluation struct {
	Opening     OpeningSummary  `json:"opening"`
	Explanation json.RawMessage `json:"explanation"`
}

func toOpeningSummary(o candidates.Summary) OpeningSummary {
	out := OpeningSummary{ID: o.ID, Kind: string(o.Kind), Title: o.Title, Organisation: o.Organisation, Employer: o.Employer,
		ROME: orEmpty(o.ROME), Department: o.Department, Postcode: o.Postcode, StartDate: o.Start, EndDate: o.End, Capacity: o.Capacity}
	if o.Contract != nil {
		out.Contract = &ContractInput{Type: o.Contract.Type, Months: o.Contract.Months}
	}
	return out
}

// explanation writes an evaluation of the engine as its JSON document.
func explanation(ev any) (json.RawMessage, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode evaluation: %w", err)
	}
	return b, nil
}

func (s *Server) kindQuery(c *fiber.Ctx) (proposals.Kind, error) {
	kind := c.Query("kind")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{"kind": {kind, "required,oneof=job pmsmp training mentor"}}); err != nil {
		return "", err
	}
	return proposals.Kind(kind), nil
}

func (s *Server) suggestions(c *fiber.Ctx) error {
	kind, err := s.kindQuery(c)
	if err != nil {
		return err
	}
	limit := 20
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 100 {
			return apperr.Invalidf([]apperr.FieldError{{Pointer: "limit", Detail: "limit must be a whole number from 1 to 100.",
				DetailFR: "limit doit être un nombre entier de 1 à 100."}}, "Bad query parameter.").FR("Paramètre de requête incorrect.")
		}
		limit = n
	}
	res, err := s.svc.Suggestions.For(c.UserContext(), principal(c), c.Params("id"), kind, limit)
	if err != nil {
		return err
	}
	out := Suggestions{BeneficiaryID: res.BeneficiaryID, Kind: string(res.Kind), ComputedAt: res.ComputedAt,
		WeightsVersion: res.WeightsVersion, TaxonomyVersion: res.TaxonomyVersion, Candidates: res.Candidates,
		PairsScored: res.PairsScored, Items: make([]Suggestion, len(res.Items))}
	for i, it := range res.Items {
		ex, err := explanation(it.Explanation)
		if err != nil {
			return err
		}
		out.Items[i] = Suggestion{Rank: it.Rank, Score: it.Score, Opening: toOpeningSummary(it.Opening), Explanation: ex}
	}
	return c.JSON(out)
}

func (s *Server) evaluation(c *fiber.Ctx) error {
	kind, err := s.kindQuery(c)
	if err != nil {
		return err
	}
	opening := c.Query("opening")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{"opening": {opening, "required,max=64"}}); err != nil {
		return err
	}
	ev, shown, err := s.svc.Suggestions.Explain(c.UserContext(), principal(c), c.Params("id"), kind, opening)
	if err != nil {
		return err
	}
	fillSlices(&ev)
	ex, err := explanation(ev)
	if err != nil {
		return err
	}
	return c.JSON(PairEvaluation{Opening: toOpeningSummary(shown), Explanation: ex})
}
