package httpapi

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
)

// etag is the entity tag of a record version.
func etag(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// sendRecord writes a record with its ETag; 304 when the caller has it already.
func sendRecord(c *fiber.Ctx, status int, version int64, body any) error {
	tag := etag(version)
	c.Set(fiber.HeaderETag, tag)
	if status == fiber.StatusOK && c.Method() == fiber.MethodGet {
		for _, t := range strings.Split(c.Get(fiber.HeaderIfNoneMatch), ",") {
			if strings.TrimSpace(t) == tag {
				return c.SendStatus(fiber.StatusNotModified)
			}
		}
	}
	return c.Status(status).JSON(body)
}

// ifMatch returns the version a PATCH is based on. If-Match is required:
// without it an edit could silently overwrite someone else's.
func ifMatch(c *fiber.Ctx) (int64, error) {
	h := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	if h == "" {
		return 0, newHTTPError(fiber.StatusPreconditionRequired,
			"Send If-Match with the ETag you read, so concurrent edits are not lost.",
			"Envoyez If-Match avec l'ETag lu, pour ne pas écraser une modification concurrente.")
	}
	if h == "*" {
		return anyVersion, nil
	}
	// If-Match compares strongly (RFC 9110, 13.1.1): a weak tag never
	// matches.
	v, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(h, `"v`), `"`), 10, 64)
	if err != nil || !strings.HasPrefix(h, `"v`) {
		return 0, apperr.New(apperr.PreconditionFailed, "The If-Match value is not an ETag of this record.").
			FR("La valeur If-Match n'est pas un ETag de cette fiche.")
	}
	return v, nil
}

// anyVersion is If-Match: *, which matches whatever version is current.
const anyVersion = -1

// versionOr is the version If-Match asked for, or the current one for *.
func versionOr(read int64, current func() (int64, error)) (int64, error) {
	if read != anyVersion {
		return read, nil
	}
	return current()
}

// page is a list response.
type page[T any] struct {
	Items []T `json:"items"`
	// Next is the cursor of the next page; absent on the last page.
	Next string `json:"next,omitempty"`
}

// queryLimit reads the optional page size, 1 to 200 (50 when absent).
func queryLimit(c *fiber.Ctx) (int, error) {
	raw := c.Query("limit")
	if raw == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 200 {
		return 0, apperr.Invalidf([]apperr.FieldError{{Pointer: "limit", Detail: "limit must be a whole number from 1 to 200.",
			DetailFR: "limit doit être un nombre entier de 1 à 200."}}, "Bad query parameter.").FR("Paramètre de requête incorrect.")
	}
	return n, nil
}

// fillSlices replaces every nil slice reachable in *v (through structs and
// pointers) by an empty one, so records are written and answered with []
// rather than null, exactly as the store gives them back.
func fillSlices(v any) { fill(reflect.ValueOf(v)) }

func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			fill(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() && v.CanSet() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return
		}
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i))
		}
	}
}

// convert maps a list with f; the result is never nil, so it is written []
// rather than null.
func convert[T, U any](list []T, f func(T) U) []U {
	out := make([]U, len(list))
	for i, x := range list {
		out[i] = f(x)
	}
	return out
}

// orEmpty returns list, or an empty list for nil.
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
