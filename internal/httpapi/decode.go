package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
)

// decodeBody reads the JSON body strictly into dst (a pointer to a struct):
// it must be one JSON value with no trailing data, every member must be a
// field of dst with the right type. Every bad member is named, not just the
// first. Then dst is validated.
func (s *Server) decodeBody(c *fiber.Ctx, dst any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if mt, _, _ := strings.Cut(ct, ";"); !strings.HasSuffix(strings.TrimSpace(mt), "json") {
		return newHTTPError(fiber.StatusUnsupportedMediaType,
			"Send the body as JSON (Content-Type: application/json).",
			"Envoyez le corps en JSON (Content-Type: application/json).")
	}
	return s.decodeJSON(c.Body(), dst, language(c))
}

func (s *Server) decodeJSON(body []byte, dst any, lang string) error {
	tree, err := parseOne(body)
	if err != nil {
		return err
	}
	fields := duplicateMembers(body)
	checkShape(tree, reflect.TypeOf(dst).Elem(), "", &fields)
	if len(fields) > MaxFieldErrors {
		more := len(fields) - MaxFieldErrors
		fields = append(fields[:MaxFieldErrors], apperr.FieldError{Pointer: "/", Tag: "toomany",
			Detail:   strconv.Itoa(more) + " more members are wrong; fix these first.",
			DetailFR: strconv.Itoa(more) + " autres membres sont incorrects ; corrigez d'abord ceux-ci."})
	}
	if len(fields) > 0 {
		return apperr.Invalidf(fields, "The body has members this endpoint does not accept or of the wrong type.").
			FR("Le corps contient des membres que ce point d'accès n'accepte pas, ou d'un mauvais type.")
	}
	if err := json.Unmarshal(body, dst); err != nil {
		// The shape was checked: what is left would be the decoder's own
		// wording, which names Go types; say it plainly.
		return newHTTPError(fiber.StatusBadRequest, "The body does not fit this endpoint.", "Le corps ne correspond pas à ce point d'accès.")
	}
	return s.valid.check(dst, lang)
}

// MaxFieldErrors is how many bad members one answer names; beyond, it
// says how many more there are. MaxMembers is how many members an object
// of a body may have: what no request type needs, and what would make an
// answer costly.
const (
	MaxFieldErrors = 100
	MaxMembers     = 1000
)

// parseOne parses exactly one JSON value.
func parseOne(body []byte) (any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, newHTTPError(fiber.StatusBadRequest, "A JSON body is required.", "Un corps JSON est requis.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, newHTTPError(fiber.StatusBadRequest,
				"The body is not valid JSON (at byte "+strconv.FormatInt(se.Offset, 10)+": "+se.Error()+").",
				"Le corps n'est pas un JSON valide (à l'octet "+strconv.FormatInt(se.Offset, 10)+" : "+se.Error()+").")
		}
		return nil, newHTTPError(fiber.StatusBadRequest, "The body is not valid JSON: "+err.Error(), "Le corps n'est pas un JSON valide : "+err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, newHTTPError(fiber.StatusBadRequest, "The body has data after its JSON value.", "Le corps contient des données après sa valeur JSON.")
	}
	return tree, nil
}

var (
	timeType      = reflect.TypeOf(time.Time{})
	rawType       = reflect.TypeOf(json.RawMessage{})
	unmarshalType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
)

// checkShape walks a decoded JSON value beside the Go type it must fill and
// records unknown members and type mismatches with their JSON pointers.
func checkShape(v any, t reflect.Type, ptr string, out *[]apperr.FieldError) {
	if v == nil { // null leaves the zero value
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func(want string) {
		*out = append(*out, apperr.FieldError{Pointer: pointerOrRoot(ptr), Tag: "type", Param: want})
	}
	switch {
	case t == timeType:
		if _, ok := v.(string); !ok {
			bad("string")
		}
		return
	case t == rawType || t.Kind() == reflect.Interface:
		return
	case reflect.PointerTo(t).Implements(unmarshalType):
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			bad("object")
			return
		}
		if len(m) > MaxMembers {
			*out = append(*out, apperr.FieldError{Pointer: pointerOrRoot(ptr), Tag: "max",
				Detail:   "This object has " + strconv.Itoa(len(m)) + " members; at most " + strconv.Itoa(MaxMembers) + " are read.",
				DetailFR: "Cet objet a " + strconv.Itoa(len(m)) + " membres ; " + strconv.Itoa(MaxMembers) + " au plus sont lus."})
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f, ok := fields[k]
			if !ok {
				*out = append(*out, apperr.FieldError{Pointer: ptr + "/" + escapePointer(k), Tag: "unknown"})
				continue
			}
			checkShape(m[k], f, ptr+"/"+escapePointer(k), out)
		}
	case reflect.Slice, reflect.Array:
		a, ok := v.([]any)
		if !ok {
			bad("array")
			return
		}
		for i, x := range a {
			checkShape(x, t.Elem(), ptr+"/"+strconv.Itoa(i), out)
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			bad("object")
			return
		}
		if len(m) > MaxMembers {
			*out = append(*out, apperr.FieldError{Pointer: pointerOrRoot(ptr), Tag: "max",
				Detail:   "This object has " + strconv.Itoa(len(m)) + " members; at most " + strconv.Itoa(MaxMembers) + " are read.",
				DetailFR: "Cet objet a " + strconv.Itoa(len(m)) + " membres ; " + strconv.Itoa(MaxMembers) + " au plus sont lus."})
			return
		}
		for k, x := range m {
			checkShape(x, t.Elem(), ptr+"/"+escapePointer(k), out)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			bad("string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			bad("boolean")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := v.(json.Number)
		if !ok {
			bad("integer")
			return
		}
		i, err := n.Int64()
		switch {
		case err != nil:
			bad("integer")
		case t.Kind() >= reflect.Uint:
			if i < 0 || reflect.Zero(t).OverflowUint(uint64(i)) {
				bad("integer")
			}
		case reflect.Zero(t).OverflowInt(i):
			bad("integer")
		}
	case reflect.Float32, reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			bad("number")
			return
		}
		if f, err := n.Float64(); err != nil || math.IsInf(f, 0) || (t.Kind() == reflect.Float32 && math.Abs(f) > math.MaxFloat32) {
			bad("number")
		}
	}
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

// jsonFields maps JSON member names to field types, following embedded structs.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// mergePatch applies an RFC 7396 JSON merge patch to the JSON document doc.
func mergePatch(doc, patch []byte) ([]byte, error) {
	p, err := parseOne(patch)
	if err != nil {
		return nil, err
	}
	pm, ok := p.(map[string]any)
	if !ok {
		return nil, newHTTPError(fiber.StatusBadRequest, "A merge patch must be a JSON object.", "Un correctif (merge patch) doit être un objet JSON.")
	}
	var target any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&target); err != nil {
		return nil, err
	}
	return json.Marshal(merge(target, pm))
}

func merge(target any, patch map[string]any) any {
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range patch {
		if v == nil {
			delete(t, k)
			continue
		}
		if pm, ok := v.(map[string]any); ok {
			t[k] = merge(t[k], pm)
			continue
		}
		t[k] = v
	}
	return t
}

// patchInto applies the request's merge patch to current (an input value)
// and decodes the result strictly into dst, validated.
func (s *Server) patchInto(c *fiber.Ctx, current, dst any) error {
	mt, _, _ := strings.Cut(strings.ToLower(c.Get(fiber.HeaderContentType)), ";")
	if mt = strings.TrimSpace(mt); mt != "application/merge-patch+json" && mt != "application/json" {
		return newHTTPError(fiber.StatusUnsupportedMediaType, "Send the patch as application/merge-patch+json or application/json.", "Envoyez le correctif en application/merge-patch+json ou application/json.")
	}
	doc, err := json.Marshal(current)
	if err != nil {
		return err
	}
	merged, err := mergePatch(doc, c.Body())
	if err != nil {
		return err
	}
	return s.decodeJSON(merged, dst, language(c))
}

// Inputs decodes and validates request values as the API does: strictly,
// with the validator and the request types' tags, naming each bad field in
// French or English. The console decodes its forms through it, so an input
// rule is written once.
type Inputs struct{ valid *validation }

// NewInputs returns the decoder and validator of the API's inputs.
func NewInputs() *Inputs { return &Inputs{valid: newValidation()} }

// Decode reads one JSON document strictly into dst (a pointer to a request
// type) and validates it: apperr.Invalid naming each bad field.
func (in *Inputs) Decode(body []byte, dst any, lang string) error {
	s := Server{valid: in.valid}
	return s.decodeJSON(body, dst, lang)
}

// Localise words field errors in lang: those of the domain carry both
// languages, those of the decoder a rule to translate.
func (in *Inputs) Localise(fields []apperr.FieldError, lang string) []apperr.FieldError {
	return in.valid.localise(fields, lang)
}

// CheckQuery validates query parameters by name against validator rules.
func (in *Inputs) CheckQuery(lang string, params map[string][2]string) error {
	rules := make(map[string]queryRule, len(params))
	for k, v := range params {
		rules[k] = queryRule{value: v[0], rules: v[1]}
	}
	return in.valid.checkQuery(lang, rules)
}

// duplicateMembers names each member an object of body gives twice: the
// decoder would keep the last and the shape check would never see the
// first. One linear pass over the tokens.
func duplicateMembers(body []byte) []apperr.FieldError {
	type frame struct {
		object bool
		seen   map[string]bool
		key    string // the member being read (objects), or the index (arrays)
		index  int
	}
	var out []apperr.FieldError
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				b.WriteString("/" + escapePointer(f.key))
			} else {
				b.WriteString("/" + strconv.Itoa(f.index))
			}
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	expectKey := false
	afterValue := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				expectKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return out // the parse reports a bad body
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{object: true, seen: map[string]bool{}})
				expectKey = true
			case '[':
				stack = append(stack, &frame{})
				expectKey = false
			default:
				stack = stack[:len(stack)-1]
				afterValue()
			}
		case string:
			if expectKey {
				f := stack[len(stack)-1]
				f.key = t
				if f.seen[t] && len(out) < MaxFieldErrors {
					out = append(out, apperr.FieldError{Pointer: path(), Tag: "unique",
						Detail: "This member is given twice.", DetailFR: "Ce membre figure deux fois."})
				}
				f.seen[t] = true
				expectKey = false
				continue
			}
			afterValue()
		default:
			afterValue()
		}
		if len(stack) == 0 {
			return out
		}
	}
}
