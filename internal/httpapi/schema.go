package httpapi

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/civil"
)

// This file turns Go types into JSON Schema 2020-12 (the dialect of OpenAPI
// 3.1) by reflection, reading the `json` tags for names and presence and the
// go-playground `validate` tags for constraints.

// oasMode says which side of the wire a type is described for. The same Go
// type reads differently on each side: a request body rejects unknown fields
// and requires what `validate:"required"` requires, while a response always
// carries every field that encoding/json writes (those without omitempty). A
// JSON merge patch (RFC 7396) of a request type requires nothing and may set
// a member to null to remove it; objects inside it are patches too, arrays
// are replaced whole.
type oasMode int

const (
	oasRequest oasMode = iota
	oasResponse
	oasPatch
)

// oasSchema is one JSON Schema node. Only the keywords the generator writes
// are listed; the document is re-encoded with sorted keys at the end.
type oasSchema struct {
	Ref                  string                `json:"$ref,omitempty"`
	AdditionalProperties any                   `json:"additionalProperties,omitempty"`
	AllOf                []*oasSchema          `json:"allOf,omitempty"`
	AnyOf                []*oasSchema          `json:"anyOf,omitempty"`
	Const                any                   `json:"const,omitempty"`
	ContentEncoding      string                `json:"contentEncoding,omitempty"`
	Description          string                `json:"description,omitempty"`
	Enum                 []any                 `json:"enum,omitempty"`
	ExclusiveMaximum     *float64              `json:"exclusiveMaximum,omitempty"`
	ExclusiveMinimum     *float64              `json:"exclusiveMinimum,omitempty"`
	Format               string                `json:"format,omitempty"`
	Items                *oasSchema            `json:"items,omitempty"`
	MaxItems             *int                  `json:"maxItems,omitempty"`
	MaxLength            *int                  `json:"maxLength,omitempty"`
	MaxProperties        *int                  `json:"maxProperties,omitempty"`
	Maximum              *float64              `json:"maximum,omitempty"`
	MinItems             *int                  `json:"minItems,omitempty"`
	MinLength            *int                  `json:"minLength,omitempty"`
	MinProperties        *int                  `json:"minProperties,omitempty"`
	Minimum              *float64              `json:"minimum,omitempty"`
	Pattern              string                `json:"pattern,omitempty"`
	Properties           map[string]*oasSchema `json:"properties,omitempty"`
	Required             []string              `json:"required,omitempty"`
	Type                 any                   `json:"type,omitempty"`
	UniqueItems          bool                  `json:"uniqueItems,omitempty"`

	// key names the component a $ref node points to; Ref is written once
	// every component has its name.
	key *oasKey
}

// oasKey identifies one component: a named struct type seen from one side.
type oasKey struct {
	t    reflect.Type
	mode oasMode
}

// Patterns and values of the team's custom validation tags.
var (
	oasCEFRLevels         = []any{"below-a1", "a1", "a2", "b1", "b2", "c1", "c2"}
	oasROMEPattern        = `^[A-N][0-9]{4}$`
	oasDepartementPattern = `^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-6])$`
	oasPostcodePattern    = `^[0-9]{5}$`
)

var (
	oasTimeType          = reflect.TypeFor[time.Time]()
	oasDateType          = reflect.TypeFor[civil.Date]()
	oasRawMessageType    = reflect.TypeFor[json.RawMessage]()
	oasMarshalerType     = reflect.TypeFor[json.Marshaler]()
	oasTextMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// oasGen builds the schemas of one document. Named struct types become
// components referenced with $ref; everything else is written inline.
type oasGen struct {
	components map[oasKey]*oasSchema
	refs       []*oasSchema
	err        error
}

func newOASGen() *oasGen {
	return &oasGen{components: make(map[oasKey]*oasSchema)}
}

func (g *oasGen) fail(format string, args ...any) {
	if g.err == nil {
		g.err = fmt.Errorf(format, args...)
	}
}

// bodySchema returns the schema of a whole request or response body.
func (g *oasGen) bodySchema(t reflect.Type, mode oasMode) *oasSchema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return g.valueSchema(t, mode, nil)
}

// fieldSchema returns the schema of a value of type t carrying the
// validation rules r (nil for none); nullable adds null to the accepted
// values.
func (g *oasGen) fieldSchema(t reflect.Type, mode oasMode, r *oasRules, nullable bool) *oasSchema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s := g.valueSchema(t, mode, r)
	if nullable {
		s = oasWithNull(s)
	}
	return s
}

// valueSchema returns the schema of a non-pointer value of type t, with the
// rules r applied (to its elements after "dive").
func (g *oasGen) valueSchema(t reflect.Type, mode oasMode, r *oasRules) *oasSchema {
	if s, ok := oasSpecialSchema(t); ok {
		oasApplyRules(s, t, r)
		return s
	}
	var s *oasSchema
	switch t.Kind() {
	case reflect.Bool:
		s = &oasSchema{Type: "boolean"}
	case reflect.Int, reflect.Int64:
		s = &oasSchema{Type: "integer", Format: "int64"}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		s = &oasSchema{Type: "integer", Format: "int32"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s = &oasSchema{Type: "integer", Minimum: oasPtr(0.0)}
	case reflect.Float32:
		s = &oasSchema{Type: "number", Format: "float"}
	case reflect.Float64:
		s = &oasSchema{Type: "number", Format: "double"}
	case reflect.String:
		s = &oasSchema{Type: "string"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !oasEncodesItself(t.Elem()) {
			// encoding/json writes []byte as base64 text.
			s = &oasSchema{Type: "string", ContentEncoding: "base64"}
			break
		}
		s = &oasSchema{Type: "array", Items: g.elemSchema(t.Elem(), mode.whole(), r.elems())}
	case reflect.Array:
		s = &oasSchema{Type: "array", Items: g.elemSchema(t.Elem(), mode.whole(), r.elems()),
			MinItems: oasPtr(t.Len()), MaxItems: oasPtr(t.Len())}
	case reflect.Map:
		switch k := t.Key(); {
		case k.Kind() == reflect.String, reflect.PointerTo(k).Implements(oasTextMarshalerType) || k.Implements(oasTextMarshalerType):
		case k.Kind() >= reflect.Int && k.Kind() <= reflect.Uintptr:
		default:
			g.fail("map key type %s cannot be written as JSON", k)
			return &oasSchema{}
		}
		elem := g.elemSchema(t.Elem(), mode, r.elems())
		if mode == oasPatch {
			elem = oasWithNull(elem) // null removes the key
		}
		s = &oasSchema{Type: "object", AdditionalProperties: elem}
	case reflect.Struct:
		if t.Name() == "" {
			s = g.structSchema(t, mode)
			break
		}
		key := oasKey{t: t, mode: mode}
		if _, ok := g.components[key]; !ok {
			g.components[key] = nil // marks the type in progress, for recursive types
			g.components[key] = g.structSchema(t, mode)
		}
		s = &oasSchema{key: &key}
		g.refs = append(g.refs, s)
		return s
	case reflect.Interface:
		s = &oasSchema{}
	default:
		g.fail("type %s cannot be written as JSON", t)
		return &oasSchema{}
	}
	oasApplyRules(s, t, r)
	return s
}

// whole is the mode of values that replace what they patch: array elements.
func (m oasMode) whole() oasMode {
	if m == oasPatch {
		return oasRequest
	}
	return m
}

// elemSchema is the schema of a slice, array or map element: a nil pointer
// element is written as null unless the rules require it.
func (g *oasGen) elemSchema(t reflect.Type, mode oasMode, r *oasRules) *oasSchema {
	return g.fieldSchema(t, mode, r, t.Kind() == reflect.Pointer && !r.isRequired())
}

// oasSpecialSchema returns the schema of types that encode themselves.
func oasSpecialSchema(t reflect.Type) (*oasSchema, bool) {
	switch {
	case t == oasTimeType:
		return &oasSchema{Type: "string", Format: "date-time"}, true
	case t == oasDateType:
		return &oasSchema{Type: "string", Format: "date"}, true
	case t == oasRawMessageType:
		return &oasSchema{}, true
	case t.Implements(oasMarshalerType) || reflect.PointerTo(t).Implements(oasMarshalerType):
		// Its shape is whatever its MarshalJSON writes.
		return &oasSchema{}, true
	case t.Implements(oasTextMarshalerType) || reflect.PointerTo(t).Implements(oasTextMarshalerType):
		return &oasSchema{Type: "string"}, true
	}
	return nil, false
}

func oasEncodesItself(t reflect.Type) bool {
	_, ok := oasSpecialSchema(t)
	return ok
}

// structSchema describes the JSON object encoding/json writes for t.
func (g *oasGen) structSchema(t reflect.Type, mode oasMode) *oasSchema {
	s := &oasSchema{Type: "object", Properties: make(map[string]*oasSchema)}
	if mode != oasResponse {
		// Bodies are decoded with unknown fields disallowed.
		s.AdditionalProperties = false
	}
	for _, f := range oasFields(t) {
		r := oasParseRules(f.validate)
		var required, nullable bool
		switch mode {
		case oasRequest:
			required = r.isRequired()
			nullable = f.typ.Kind() == reflect.Pointer && !required
		case oasResponse:
			// encoding/json writes every field without omitempty (a field
			// promoted through a nil embedded pointer is the exception).
			required = !f.omitEmpty && !f.viaPointer
			nullable = f.typ.Kind() == reflect.Pointer && !f.omitEmpty
		case oasPatch:
			// null removes a member, which a required one cannot be.
			nullable = !r.isRequired()
		}
		var fs *oasSchema
		if f.asString {
			fs = &oasSchema{Type: "string"}
			if nullable {
				fs = oasWithNull(fs)
			}
		} else {
			fs = g.fieldSchema(f.typ, mode, r, nullable)
		}
		if mode == oasResponse && required && !r.isRequired() && f.typ.Kind() != reflect.Pointer {
			// The zero value is written too, whatever the constraints say.
			fs = oasAdmitZero(fs, f.typ)
		}
		s.Properties[f.name] = fs
		if required {
			s.Required = append(s.Required, f.name)
		}
	}
	return s
}

// oasWithNull returns s also accepting null.
func oasWithNull(s *oasSchema) *oasSchema {
	switch typ := s.Type.(type) {
	case []string:
		if slices.Contains(typ, "null") {
			return s
		}
	case nil:
		if s.key == nil && s.Ref == "" && len(s.AnyOf) == 0 && len(s.AllOf) == 0 && s.Enum == nil && s.Const == nil {
			return s // the empty schema accepts null already
		}
	case string:
		if s.Enum == nil && s.Const == nil {
			s.Type = []string{typ, "null"}
			return s
		}
		if s.Enum != nil && s.Const == nil {
			s.Type = []string{typ, "null"}
			s.Enum = append(s.Enum, nil)
			return s
		}
	}
	for _, alt := range s.AnyOf {
		if alt.Type == "null" {
			return s
		}
	}
	return &oasSchema{AnyOf: []*oasSchema{s, {Type: "null"}}}
}

// oasAdmitZero returns s also accepting the zero value of t (which carries no
// constraint), for fields a response always writes.
func oasAdmitZero(s *oasSchema, t reflect.Type) *oasSchema {
	var zero any
	switch t.Kind() {
	case reflect.String:
		if t == oasDateType || s.Enum != nil || s.Format != "" || s.Pattern != "" || len(s.AllOf) > 0 ||
			(s.MinLength != nil && *s.MinLength > 0) || (s.Const != nil && s.Const != "") {
			zero = ""
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		if s.Enum != nil || (s.Minimum != nil && *s.Minimum > 0) || (s.Maximum != nil && *s.Maximum < 0) ||
			(s.ExclusiveMinimum != nil && *s.ExclusiveMinimum >= 0) ||
			(s.ExclusiveMaximum != nil && *s.ExclusiveMaximum <= 0) || (s.Const != nil && s.Const != 0.0) {
			zero = 0
		}
	}
	if zero == nil || t == oasTimeType {
		return s
	}
	if s.Enum != nil && s.Format == "" && s.Pattern == "" && len(s.AllOf) == 0 {
		if !slices.Contains(s.Enum, zero) {
			s.Enum = append(s.Enum, zero)
		}
		return s
	}
	return &oasSchema{AnyOf: []*oasSchema{s, {Const: zero}}}
}

// oasField is one member of the object encoding/json writes for a struct.
type oasField struct {
	name       string
	typ        reflect.Type
	index      []int
	tagged     bool
	omitEmpty  bool // omitempty or omitzero: absent when zero
	asString   bool // the ",string" option
	viaPointer bool // promoted through an embedded pointer
	validate   string
}

// oasFields lists the fields encoding/json writes for t, in its order,
// following its rules for embedded structs: a shallower field hides deeper
// ones, a tagged field wins over untagged ones at its depth, and other
// conflicts drop the name.
func oasFields(t reflect.Type) []oasField {
	type level struct {
		t          reflect.Type
		index      []int
		viaPointer bool
	}
	var all []oasField
	current := []level{{t: t}}
	visited := map[reflect.Type]bool{}
	for len(current) > 0 {
		var next []level
		for _, l := range current {
			if visited[l.t] {
				continue
			}
			visited[l.t] = true
			for i := range l.t.NumField() {
				sf := l.t.Field(i)
				ft := sf.Type
				if sf.Anonymous {
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				index := append(slices.Clone(l.index), i)
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, level{t: ft, index: index,
						viaPointer: l.viaPointer || sf.Type.Kind() == reflect.Pointer})
					continue
				}
				f := oasField{name: name, typ: sf.Type, index: index, tagged: name != "",
					viaPointer: l.viaPointer, validate: sf.Tag.Get("validate")}
				if f.name == "" {
					f.name = sf.Name
				}
				for o := range strings.SplitSeq(opts, ",") {
					switch o {
					case "omitempty", "omitzero":
						f.omitEmpty = true
					case "string":
						switch ft.Kind() {
						case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
							reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
							reflect.Float32, reflect.Float64, reflect.String:
							f.asString = true
						}
					}
				}
				all = append(all, f)
			}
		}
		current = next
	}

	byName := map[string][]oasField{}
	for _, f := range all {
		byName[f.name] = append(byName[f.name], f)
	}
	var out []oasField
	for _, fs := range byName {
		depth := len(fs[0].index)
		var dominant []oasField
		for _, f := range fs {
			switch {
			case len(f.index) < depth:
				depth, dominant = len(f.index), []oasField{f}
			case len(f.index) == depth:
				dominant = append(dominant, f)
			}
		}
		if len(dominant) > 1 {
			var tagged []oasField
			for _, f := range dominant {
				if f.tagged {
					tagged = append(tagged, f)
				}
			}
			dominant = tagged
		}
		if len(dominant) == 1 {
			out = append(out, dominant[0])
		}
	}
	sort.Slice(out, func(i, j int) bool { return slices.Compare(out[i].index, out[j].index) < 0 })
	return out
}

// oasRules are the go-playground rules of one value: its own, and those
// of its elements after "dive".
type oasRules struct {
	required  bool
	omitEmpty bool
	rules     []oasRule
	dive      *oasRules
}

type oasRule struct{ name, param string }

func (r *oasRules) isRequired() bool { return r != nil && r.required }

func (r *oasRules) elems() *oasRules {
	if r == nil {
		return nil
	}
	return r.dive
}

// oasParseRules reads a `validate` tag. Alternatives ("a|b") and map key
// rules ("keys ... endkeys") are not described.
func oasParseRules(tag string) *oasRules {
	if tag == "" || tag == "-" {
		return nil
	}
	terms := strings.Split(tag, ",")
	return oasParseTerms(terms)
}

func oasParseTerms(terms []string) *oasRules {
	r := &oasRules{}
	inKeys := false
	for i, term := range terms {
		term = strings.TrimSpace(term)
		switch {
		case inKeys:
			inKeys = term != "endkeys"
		case term == "keys":
			inKeys = true
		case term == "dive":
			r.dive = oasParseTerms(terms[i+1:])
			return r
		case term == "required":
			r.required = true
		case term == "omitempty", term == "omitnil", term == "omitzero":
			r.omitEmpty = true
		case term == "", strings.Contains(term, "|"):
		default:
			name, param, _ := strings.Cut(term, "=")
			r.rules = append(r.rules, oasRule{name: name, param: strings.ReplaceAll(param, "0x2C", ",")})
		}
	}
	return r
}

// oasApplyRules writes the constraints of r that JSON Schema can say into s,
// the schema of a value of type t.
func oasApplyRules(s *oasSchema, t reflect.Type, r *oasRules) {
	if r == nil {
		return
	}
	kind := t.Kind()
	if s.Type == "string" && kind != reflect.String {
		kind = reflect.String // time.Time, text marshallers
	}
	isNumber := kind >= reflect.Int && kind <= reflect.Float64
	for _, rule := range r.rules {
		n, numErr := strconv.ParseFloat(rule.param, 64)
		hasNum := numErr == nil
		switch rule.name {
		case "oneof":
			var values []any
			for _, v := range oasSplitOneOf(rule.param) {
				if isNumber {
					f, err := strconv.ParseFloat(v, 64)
					if err != nil {
						continue
					}
					values = append(values, f)
					continue
				}
				values = append(values, v)
			}
			s.Enum = values
		case "min", "max", "len", "gt", "gte", "lt", "lte":
			if !hasNum {
				continue
			}
			oasApplyBound(s, kind, rule.name, n, isNumber)
		case "eq":
			if isNumber && hasNum {
				s.Const = n
			} else if kind == reflect.String {
				s.Const = rule.param
			}
		case "unique":
			if kind == reflect.Slice || kind == reflect.Array {
				s.UniqueItems = true
			}
		case "email":
			s.Format = "email"
		case "url", "uri", "http_url":
			s.Format = "uri"
		case "uuid", "uuid4", "uuid_rfc4122", "uuid4_rfc4122":
			s.Format = "uuid"
		case "datetime":
			switch rule.param {
			case "2006-01-02":
				s.Format = "date"
			case time.RFC3339, time.RFC3339Nano:
				s.Format = "date-time"
			}
		case "alpha":
			oasAddPattern(s, `^[a-zA-Z]+$`)
		case "alphanum":
			oasAddPattern(s, `^[a-zA-Z0-9]+$`)
		case "numeric":
			oasAddPattern(s, `^[-+]?[0-9]+(?:\.[0-9]+)?$`)
		case "iso3166_1_alpha2":
			oasAddPattern(s, `^[A-Z]{2}$`)
		case "e164":
			oasAddPattern(s, `^\+[1-9][0-9]{1,14}$`)
		// The team's own tags.
		case "cefr":
			s.Enum = slices.Clone(oasCEFRLevels)
		case "rome":
			oasAddPattern(s, oasROMEPattern)
		case "departement":
			oasAddPattern(s, oasDepartementPattern)
		case "postcode":
			oasAddPattern(s, oasPostcodePattern)
		case "date":
			s.Format = "date"
		case "siret":
			oasAddPattern(s, `^[0-9 .-]{14,20}$`)
		case "naf":
			oasAddPattern(s, `^[0-9]{2}\.[0-9]{2}[A-Z]$`)
		}
	}
}

func oasApplyBound(s *oasSchema, kind reflect.Kind, name string, n float64, isNumber bool) {
	switch {
	case isNumber:
		switch name {
		case "min", "gte":
			s.Minimum = oasPtr(n)
		case "max", "lte":
			s.Maximum = oasPtr(n)
		case "len":
			s.Minimum, s.Maximum = oasPtr(n), oasPtr(n)
		case "gt":
			s.ExclusiveMinimum = oasPtr(n)
		case "lt":
			s.ExclusiveMaximum = oasPtr(n)
		}
	case kind == reflect.String && s.Format == "":
		lo, hi := oasLengthBounds(name, int(n))
		s.MinLength, s.MaxLength = oasOrInt(lo, s.MinLength), oasOrInt(hi, s.MaxLength)
	case kind == reflect.Slice || kind == reflect.Array:
		lo, hi := oasLengthBounds(name, int(n))
		s.MinItems, s.MaxItems = oasOrInt(lo, s.MinItems), oasOrInt(hi, s.MaxItems)
	case kind == reflect.Map:
		lo, hi := oasLengthBounds(name, int(n))
		s.MinProperties, s.MaxProperties = oasOrInt(lo, s.MinProperties), oasOrInt(hi, s.MaxProperties)
	}
}

// oasLengthBounds turns a length rule into inclusive bounds (nil: unbounded).
func oasLengthBounds(name string, n int) (lo, hi *int) {
	switch name {
	case "min", "gte":
		return oasPtr(n), nil
	case "max", "lte":
		return nil, oasPtr(n)
	case "len":
		return oasPtr(n), oasPtr(n)
	case "gt":
		return oasPtr(n + 1), nil
	case "lt":
		return nil, oasPtr(n - 1)
	}
	return nil, nil
}

func oasOrInt(v, old *int) *int {
	if v != nil {
		return v
	}
	return old
}

// oasAddPattern sets s's pattern, or adds one more that must match too.
func oasAddPattern(s *oasSchema, p string) {
	if s.Pattern == "" {
		s.Pattern = p
		return
	}
	s.AllOf = append(s.AllOf, &oasSchema{Pattern: p})
}

// oasSplitOneOf splits the values of a oneof rule: space separated, single
// quotes around a value holding spaces.
var oasOneOfValue = regexp.MustCompile(`'[^']*'|\S+`)

func oasSplitOneOf(param string) []string {
	values := oasOneOfValue.FindAllString(param, -1)
	for i, v := range values {
		values[i] = strings.Trim(v, "'")
	}
	return values
}

func oasPtr[T any](v T) *T { return &v }

// nameComponents gives every component its name: the Go type's name, "Input"
// added for the request side of a type also used in responses, qualified by
// its package (then by its whole import path) when two types would share a
// name. It then writes every $ref and returns the schemas by name.
func (g *oasGen) nameComponents() map[string]*oasSchema {
	keys := make([]oasKey, 0, len(g.components))
	for k := range g.components {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.t.PkgPath() != b.t.PkgPath() {
			return a.t.PkgPath() < b.t.PkgPath()
		}
		if a.t.String() != b.t.String() {
			return a.t.String() < b.t.String()
		}
		return a.mode < b.mode
	})
	suffix := func(k oasKey) string {
		if k.mode == oasPatch {
			return "Patch"
		}
		if k.mode == oasRequest {
			if _, ok := g.components[oasKey{t: k.t, mode: oasResponse}]; ok {
				return "Input"
			}
		}
		return ""
	}
	qualifiers := []func(k oasKey) string{
		func(k oasKey) string { return "" },
		func(k oasKey) string { return oasPkgName(k.t.PkgPath()) + "." },
		func(k oasKey) string { return oasComponentSafe(k.t.PkgPath()) + "." },
	}
	names := make(map[oasKey]string, len(keys))
	for _, k := range keys {
		names[k] = oasTypeName(k.t) + suffix(k)
	}
	for _, q := range qualifiers[1:] {
		byName := map[string][]oasKey{}
		for _, k := range keys {
			byName[names[k]] = append(byName[names[k]], k)
		}
		for _, ks := range byName {
			if len(ks) > 1 {
				for _, k := range ks {
					names[k] = q(k) + oasTypeName(k.t) + suffix(k)
				}
			}
		}
	}
	// Whatever still clashes is numbered, in the keys' order.
	seen := map[string]int{}
	for _, k := range keys {
		n := names[k]
		seen[n]++
		if seen[n] > 1 {
			names[k] = fmt.Sprintf("%s_%d", n, seen[n])
		}
	}

	for _, s := range g.refs {
		s.Ref = "#/components/schemas/" + names[*s.key]
	}
	out := make(map[string]*oasSchema, len(keys))
	for _, k := range keys {
		out[names[k]] = g.components[k]
	}
	return out
}

var oasPkgPathPrefix = regexp.MustCompile(`(?:[\w.\-]+/)*[\w\-]+\.`)
var oasUnsafeChars = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// oasTypeName is t's Go name made a valid component name: the type arguments of
// a generic type are written after underscores, without their packages.
func oasTypeName(t reflect.Type) string {
	name := oasPkgPathPrefix.ReplaceAllString(t.Name(), "")
	name = oasUnsafeChars.ReplaceAllString(name, "_")
	return strings.Trim(name, "_")
}

func oasPkgName(path string) string {
	return oasComponentSafe(path[strings.LastIndex(path, "/")+1:])
}

var oasComponentUnsafe = regexp.MustCompile(`[^A-Za-z0-9._\-]+`)

func oasComponentSafe(s string) string {
	return oasComponentUnsafe.ReplaceAllString(s, "_")
}
