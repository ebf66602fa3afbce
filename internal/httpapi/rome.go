package httpapi

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/suggestions"
)

// TradeQuery is a search in the ROME by words of a trade or job title.
type TradeQuery struct {
	Q     string `query:"q"`
	Limit int    `query:"limit"`
}

// Trades are the ROME codes a search found, in the referential's version.
type Trades struct {
	Version string              `json:"version"`
	Items   []suggestions.Trade `json:"items"`
}

// searchTrades finds ROME codes by the words of a trade or job title
// ("plongeur", "aide de cuisine"), or by a code.
func (s *Server) searchTrades(c *fiber.Ctx) error {
	q := strings.TrimSpace(c.Query("q"))
	var bad []apperr.FieldError
	if n := utf8.RuneCountInString(q); n < 2 || n > 100 {
		bad = append(bad, apperr.FieldError{Pointer: "q", Tag: "len",
			Detail: "q is from 2 to 100 characters: words of a trade or a ROME code.", DetailFR: "q compte de 2 à 100 caractères : des mots d'un métier ou un code ROME."})
	}
	limit := 10
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 50 {
			bad = append(bad, apperr.FieldError{Pointer: "limit", Tag: "range",
				Detail: "limit must be a whole number from 1 to 50.", DetailFR: "limit doit être un nombre entier de 1 à 50."})
		}
		limit = n
	}
	if len(bad) > 0 {
		return apperr.Invalidf(bad, "Bad query parameter.").FR("Paramètre de requête incorrect.")
	}
	version, found := s.svc.Suggestions.Trades(q, limit)
	if found == nil {
		found = []suggestions.Trade{}
	}
	return c.JSON(Trades{Version: version, Items: found})
}
