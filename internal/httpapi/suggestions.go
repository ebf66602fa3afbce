package httpapi

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/internal/suggest"
	"github.com/parcours-emploi/parcours/matching"
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

// PairEvaluation explains one pair: eligible or not, and why.
type PairEvaluation struct {
	Opening     suggest.Opening     `json:"opening"`
	Explanation matching.Evaluation `json:"explanation"`
}

func (s *Server) kindQuery(c *fiber.Ctx) (matching.Kind, error) {
	kind := c.Query("kind")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{"kind": {kind, "required,oneof=job pmsmp training mentor"}}); err != nil {
		return "", err
	}
	return matching.Kind(kind), nil
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
			return apperr.Invalidf([]apperr.FieldError{{Pointer: "limit", Detail: pick(language(c), "limit must be a whole number from 1 to 100.", "limit doit être un nombre entier de 1 à 100.")}}, "Bad query parameter.")
		}
		limit = n
	}
	p := principal(c)
	res, err := s.Suggest.For(c.UserContext(), p.OrganisationID, c.Params("id"), kind, limit)
	if err != nil {
		return err
	}
	if err := s.audit(c, "suggestions", res.BeneficiaryID); err != nil {
		return err
	}
	if res.Items == nil {
		res.Items = []suggest.Item{}
	}
	return c.JSON(res)
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
	p := principal(c)
	ev, shown, err := s.Suggest.Evaluate(c.UserContext(), p.OrganisationID, c.Params("id"), kind, opening)
	if err != nil {
		return err
	}
	if err := s.audit(c, "evaluation", ev.SeekerID); err != nil {
		return err
	}
	fillSlices(&ev)
	return c.JSON(PairEvaluation{Opening: shown, Explanation: ev})
}
