package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
)

// Problem is an RFC 9457 problem document, with the bad fields of an input.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"requestId,omitempty"`
	Errors    []apperr.FieldError `json:"errors,omitempty"`
	// CurrentState is set on a forbidden transition (409): the state the
	// record is in.
	CurrentState string `json:"currentState,omitempty"`
	// CooldownEnds is set on a pair declined lately (409): when it may be
	// proposed again (RFC 3339).
	CooldownEnds string `json:"cooldownEnds,omitempty"`
	// Limit is set when a request would exceed a limit (409): the limit.
	Limit *int `json:"limit,omitempty"`
	// OpeningState is set when an opportunity no longer open refuses a
	// proposal (409): its status.
	OpeningState string `json:"openingState,omitempty"`
}

// setExtra writes one extra member of an error into the problem. Every
// apperr.Extra has its member here (a test walks them all).
func (p *Problem) setExtra(key apperr.Extra, v any) {
	switch key {
	case apperr.CurrentState:
		p.CurrentState = fmt.Sprint(v)
	case apperr.CooldownEnds:
		p.CooldownEnds = fmt.Sprint(v)
	case apperr.Limit:
		if n, ok := v.(int); ok {
			p.Limit = &n
		}
	case apperr.OpeningState:
		p.OpeningState = fmt.Sprint(v)
	}
}

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:            fiber.StatusUnprocessableEntity,
	apperr.NotFound:           fiber.StatusNotFound,
	apperr.Conflict:           fiber.StatusConflict,
	apperr.PreconditionFailed: fiber.StatusPreconditionFailed,
	apperr.Forbidden:          fiber.StatusForbidden,
	apperr.Unauthorized:       fiber.StatusUnauthorized,
	apperr.Unavailable:        fiber.StatusServiceUnavailable,
	apperr.TooMany:            fiber.StatusTooManyRequests,
	apperr.Internal:           fiber.StatusInternalServerError,
}

// titles gives each status a short title in both languages.
var titles = map[int][2]string{ // en, fr
	400: {"Bad request", "Requête incorrecte"},
	401: {"Authentication required", "Authentification requise"},
	403: {"Forbidden", "Action interdite"},
	404: {"Not found", "Introuvable"},
	405: {"Method not allowed", "Méthode non autorisée"},
	409: {"Conflict", "Conflit"},
	412: {"Precondition failed", "Version périmée"},
	413: {"Request body too large", "Corps de requête trop volumineux"},
	415: {"Unsupported media type", "Type de contenu non pris en charge"},
	422: {"Invalid input", "Données invalides"},
	428: {"Precondition required", "Précondition requise"},
	429: {"Too many requests", "Trop de requêtes"},
	500: {"Internal error", "Erreur interne"},
	503: {"Service unavailable", "Service indisponible"},
}

func title(status int, lang string) string {
	t, ok := titles[status]
	if !ok {
		return fiber.ErrBadRequest.Message
	}
	if lang == "fr" {
		return t[1]
	}
	return t[0]
}

// httpError is an error that already knows its status (malformed bodies,
// missing preconditions): it never reaches the store.
type httpError struct {
	status int
	detail [2]string // en, fr
	fields []apperr.FieldError
}

func (e *httpError) Error() string { return e.detail[0] }

func newHTTPError(status int, en, fr string, fields ...apperr.FieldError) *httpError {
	return &httpError{status: status, detail: [2]string{en, fr}, fields: fields}
}

// handleError writes every error as problem+json. Only internal errors are
// logged with their cause; people never see it.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	lang := language(c)
	p := Problem{Instance: c.OriginalURL(), RequestID: requestIDOf(c)}
	var (
		he *httpError
		fe *fiber.Error
	)
	switch {
	case errors.As(err, &he):
		p.Status, p.Errors = he.status, he.fields
		p.Detail = he.detail[0]
		if lang == "fr" {
			p.Detail = he.detail[1]
		}
	case errors.As(err, &fe):
		p.Status = fe.Code
		switch fe.Code {
		case fiber.StatusRequestEntityTooLarge:
			p.Detail = pick(lang, "The request body is larger than this endpoint accepts.", "Le corps de la requête dépasse la taille acceptée par ce point d'accès.")
		case fiber.StatusNotFound:
			p.Detail = pick(lang, "No such resource.", "Cette ressource n'existe pas.")
		case fiber.StatusMethodNotAllowed:
			p.Detail = pick(lang, "This method is not allowed here.", "Cette méthode n'est pas permise ici.")
		default:
			p.Detail = fe.Message
		}
	default:
		code := apperr.CodeOf(err)
		p.Status = statusOf[code]
		if p.Status == 0 {
			p.Status = fiber.StatusInternalServerError
		}
		if ae, ok := apperr.As(err); ok && code != apperr.Internal {
			p.Detail = ae.In(lang)
			p.Errors = s.valid.localise(ae.Fields, lang)
			for k, v := range ae.Extra {
				p.setExtra(k, v)
			}
		}
		if p.Status >= 500 {
			if p.Status == fiber.StatusInternalServerError {
				p.Detail = pick(lang, "Something went wrong on our side; the request id helps us find it.", "Une erreur est survenue de notre côté ; l'identifiant de requête nous aide à la retrouver.")
			} else {
				p.Detail = pick(lang, "A service Parcours depends on does not answer; retry in a moment.", "Un service dont dépend Parcours ne répond pas ; réessayez dans un instant.")
			}
			s.Logger.Error("request failed", "requestId", p.RequestID, "method", c.Method(), "path", c.Path(), "error", err.Error())
		}
	}
	p.Title = title(p.Status, lang)
	p.Type = fmt.Sprintf("/problems/%d", p.Status)
	if p.Status == fiber.StatusUnprocessableEntity || p.Status == fiber.StatusBadRequest {
		p.Type = "/problems/invalid-input"
	}
	if p.Status == fiber.StatusTooManyRequests && c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
		c.Set(fiber.HeaderRetryAfter, "60")
	}
	c.Set(fiber.HeaderContentType, "application/problem+json; charset=utf-8")
	c.Status(p.Status)
	body, merr := c.App().Config().JSONEncoder(p)
	if merr != nil {
		return c.SendString(`{"title":"Internal error","status":500}`)
	}
	return c.Send(body)
}

func pick(lang, en, fr string) string {
	if lang == "fr" {
		return fr
	}
	return en
}

func errNoRoute(c *fiber.Ctx) error { return fiber.ErrNotFound }

// language returns "fr" when the caller prefers French, else "en".
func language(c *fiber.Ctx) string {
	if l := c.Locals(localLang); l != nil {
		return l.(string)
	}
	lang := "en"
	if c.AcceptsLanguages("en", "fr") == "fr" {
		lang = "fr"
	}
	c.Locals(localLang, lang)
	return lang
}

type localKey int

const (
	localRequestID localKey = iota
	localPrincipal
	localLang
)

// requestID sets an id on every request and response (the caller's
// X-Request-Id when it looks sane).
func (s *Server) requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if len(id) == 0 || len(id) > 64 || !printable(id, false) {
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

// printable reports whether s holds printable ASCII characters only, the
// space too when space is set (an agency's reference, as the batch's
// printascii rule; not a request id).
func printable(s string, space bool) bool {
	low := byte(0x21)
	if space {
		low = 0x20
	}
	for i := 0; i < len(s); i++ {
		if s[i] < low || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func requestIDOf(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// accessLog writes one JSON line per request.
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	attrs := []any{"requestId", requestIDOf(c), "method", c.Method(), "path", c.Path(),
		"status", c.Response().StatusCode(), "durationMs", float64(time.Since(start).Microseconds()) / 1000}
	if p, ok := c.Locals(localPrincipal).(principalLocal); ok {
		attrs = append(attrs, "user", p.UserID, "organisation", p.OrganisationID)
	}
	s.Logger.LogAttrs(c.UserContext(), slog.LevelInfo, "request", toAttrs(attrs)...)
	return nil
}

func toAttrs(kv []any) []slog.Attr {
	out := make([]slog.Attr, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, slog.Any(kv[i].(string), kv[i+1]))
	}
	return out
}

func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.Logger.Error("panic in handler", "requestId", requestIDOf(c), "path", c.Path(), "panic", fmt.Sprint(e))
}
