package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/apperr"
)

// problemOf answers err through the error handler, in lang, and returns the
// status and the problem document as a generic map.
func problemOf(t *testing.T, err error, lang string) (int, map[string]any) {
	t.Helper()
	s := &Server{Deps: Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, valid: newValidation()}
	app := fiber.New(fiber.Config{ErrorHandler: s.handleError})
	app.Get("/", func(*fiber.Ctx) error { return err })
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Language", lang)
	res, rerr := app.Test(req)
	if rerr != nil {
		t.Fatal(rerr)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("content type %q, want problem+json", ct)
	}
	var doc map[string]any
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, doc
}

func TestEachCodeAnswersItsStatusAndASentence(t *testing.T) {
	// The cause of a store error names the operation and the record: it is
	// for the logs, never for people.
	cause := fmt.Errorf("find beneficiary ben_01xyz: %w", errors.New("mongo: no documents in result"))
	tests := []struct {
		name   string
		err    error
		lang   string
		status int
		detail string
	}{
		{"invalid, in French", apperr.Invalidf(nil, "Some fields are invalid.").FR("Certains champs sont invalides."), "fr", 422, "Certains champs sont invalides."},
		{"invalid, in English", apperr.Invalidf(nil, "Some fields are invalid.").FR("Certains champs sont invalides."), "en", 422, "Some fields are invalid."},
		{"not found keeps the domain's sentence", apperr.NotFoundf("No such beneficiary.").FR("Cette personne n'existe pas."), "fr", 404, "Cette personne n'existe pas."},
		{"a store's not found shows its sentence, not its cause", apperr.Wrap(apperr.NotFound, cause, "No such record.").FR("Cet enregistrement n'existe pas."), "fr", 404, "Cet enregistrement n'existe pas."},
		{"conflict", apperr.Conflictf("The mentor has no free capacity.").FR("Le mentor n'a plus de place."), "fr", 409, "Le mentor n'a plus de place."},
		{"precondition failed", apperr.Stale(), "en", 412, "The record changed since it was read; read it again and retry."},
		{"forbidden", apperr.New(apperr.Forbidden, "Only the mentor answers a mentor proposal."), "en", 403, "Only the mentor answers a mentor proposal."},
		{"unauthorized", apperr.New(apperr.Unauthorized, "Log in first."), "en", 401, "Log in first."},
		{"too many", apperr.New(apperr.TooMany, "Wait a minute."), "en", 429, "Wait a minute."},
		{"unavailable hides its cause", apperr.Wrap(apperr.Unavailable, cause, "The database did not answer in time."), "fr", 503,
			"Un service dont dépend Parcours ne répond pas ; réessayez dans un instant."},
		{"internal hides its cause", cause, "en", 500, "Something went wrong on our side; the request id helps us find it."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, doc := problemOf(t, tt.err, tt.lang)
			if status != tt.status || doc["status"] != float64(tt.status) {
				t.Errorf("status %d (document %v), want %d", status, doc["status"], tt.status)
			}
			if doc["detail"] != tt.detail {
				t.Errorf("detail %q, want %q", doc["detail"], tt.detail)
			}
			if d, _ := doc["detail"].(string); strings.Contains(d, "ben_01xyz") || strings.Contains(d, "find beneficiary") {
				t.Errorf("detail %q shows the cause's wrap phrase", d)
			}
		})
	}
}

func TestEveryExtraMemberReachesTheProblem(t *testing.T) {
	values := map[apperr.Extra]any{
		apperr.CurrentState: "sent",
		apperr.CooldownEnds: "2027-01-31T10:00:00Z",
		apperr.Limit:        3,
		apperr.OpeningState: "closed",
	}
	for _, key := range apperr.Extras {
		v, ok := values[key]
		if !ok {
			t.Errorf("no test value for extra %q: give it one, and a member in Problem", key)
			continue
		}
		_, doc := problemOf(t, apperr.Conflictf("No.").WithExtra(key, v), "en")
		want, _ := json.Marshal(v)
		got, _ := json.Marshal(doc[string(key)])
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("member %q (-want +got):\n%s", key, diff)
		}
	}
}

func TestFieldErrorsSpeakTheCallersLanguage(t *testing.T) {
	err := apperr.Invalidf([]apperr.FieldError{{Pointer: "/date", Detail: "The date cannot be in the future.", DetailFR: "La date ne peut pas être future."}}, "Bad date.").FR("Date incorrecte.")
	_, doc := problemOf(t, err, "fr")
	want := []any{map[string]any{"pointer": "/date", "detail": "La date ne peut pas être future."}}
	if diff := cmp.Diff(want, doc["errors"]); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
