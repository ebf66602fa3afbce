package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/civil"
)

// schemaOf returns the schema of v's type seen from mode, and the components
// it refers to, as generic JSON.
func schemaOf(t *testing.T, v any, mode oasMode) (body any, components map[string]any) {
	t.Helper()
	g := newOASGen()
	s := g.bodySchema(reflect.TypeOf(v), mode)
	if g.err != nil {
		t.Fatalf("schema of %T: %v", v, g.err)
	}
	schemas := g.nameComponents()
	return asJSON(t, s), asJSON(t, schemas).(map[string]any)
}

// asJSON round-trips v through encoding/json, numbers as float64.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// parseJSON decodes a wanted value written as JSON text.
func parseJSON(t *testing.T, s string) any {
	t.Helper()
	var out any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("bad JSON in test: %v\n%s", err, s)
	}
	return out
}

type oasEmbeddedBase struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

type oasEmbeddedExtra struct {
	Note string `json:"note"`
}

type oasWithEmbedded struct {
	oasEmbeddedBase
	*oasEmbeddedExtra
	Version string `json:"version"` // shallower: hides oasEmbeddedBase.Version
}

type oasTextID [2]byte

func (id oasTextID) MarshalText() ([]byte, error) { return []byte("x"), nil }

func TestSchemaOfFields(t *testing.T) {
	tests := []struct {
		name string
		v    any
		mode oasMode
		want string
	}{
		{
			name: "request: required from validate, unknown fields rejected",
			v: struct {
				Name string `json:"name" validate:"required"`
				Note string `json:"note"`
			}{},
			mode: oasRequest,
			want: `{"type":"object","additionalProperties":false,"required":["name"],
				"properties":{"name":{"type":"string"},"note":{"type":"string"}}}`,
		},
		{
			name: "request: optional pointer accepts null, required pointer does not",
			v: struct {
				Hours *int `json:"hours,omitempty" validate:"omitempty,min=1,max=35"`
				Limit *int `json:"limit" validate:"required,gte=1"`
			}{},
			mode: oasRequest,
			want: `{"type":"object","additionalProperties":false,"required":["limit"],"properties":{
				"hours":{"type":["integer","null"],"format":"int64","minimum":1,"maximum":35},
				"limit":{"type":"integer","format":"int64","minimum":1}}}`,
		},
		{
			name: "response: every field without omitempty is required",
			v: struct {
				ID    string   `json:"id"`
				Email string   `json:"email,omitempty"`
				Tags  []string `json:"tags,omitzero"`
				Count int      `json:"count"`
			}{},
			mode: oasResponse,
			want: `{"type":"object","required":["id","count"],"properties":{
				"id":{"type":"string"},"email":{"type":"string"},
				"tags":{"type":"array","items":{"type":"string"}},
				"count":{"type":"integer","format":"int64"}}}`,
		},
		{
			name: "response: pointer is null when written always, absent when omitempty",
			v: struct {
				Exit *civil.Date `json:"exit"`
				Next *civil.Date `json:"next,omitempty"`
			}{},
			mode: oasResponse,
			want: `{"type":"object","required":["exit"],"properties":{
				"exit":{"type":["string","null"],"format":"date"},
				"next":{"type":"string","format":"date"}}}`,
		},
		{
			name: "oneof is an enum, of numbers for a number",
			v: struct {
				Kind    string `json:"kind" validate:"required,oneof=job pmsmp training"`
				Quoted  string `json:"quoted" validate:"required,oneof='full time' part"`
				Horizon int    `json:"horizon" validate:"required,oneof=6 12"`
			}{},
			mode: oasRequest,
			want: `{"type":"object","additionalProperties":false,"required":["kind","quoted","horizon"],"properties":{
				"kind":{"type":"string","enum":["job","pmsmp","training"]},
				"quoted":{"type":"string","enum":["full time","part"]},
				"horizon":{"type":"integer","format":"int64","enum":[6,12]}}}`,
		},
		{
			name: "length and bound rules follow the kind",
			v: struct {
				Name  string            `json:"name" validate:"min=2,max=80"`
				Code  string            `json:"code" validate:"len=5"`
				Items []int             `json:"items" validate:"min=1,max=500"`
				Score float64           `json:"score" validate:"gt=0,lte=1"`
				Level int8              `json:"level" validate:"gte=0,lt=7"`
				Meta  map[string]string `json:"meta" validate:"max=10"`
				Short string            `json:"short" validate:"gt=0,lt=11"`
			}{},
			mode: oasRequest,
			want: `{"type":"object","additionalProperties":false,"properties":{
				"name":{"type":"string","minLength":2,"maxLength":80},
				"code":{"type":"string","minLength":5,"maxLength":5},
				"items":{"type":"array","items":{"type":"integer","format":"int64"},"minItems":1,"maxItems":500},
				"score":{"type":"number","format":"double","exclusiveMinimum":0,"maximum":1},
				"level":{"type":"integer","format":"int32","minimum":0,"exclusiveMaximum":7},
				"meta":{"type":"object","additionalProperties":{"type":"string"},"maxProperties":10},
				"short":{"type":"string","minLength":1,"maxLength":10}}}`,
		},
		{
			name: "dive moves the rules after it to the elements",
			v: struct {
				Project []string          `json:"project" validate:"required,max=3,dive,rome"`
				Levels  map[string]string `json:"levels" validate:"dive,cefr"`
				Grid    [][]string        `json:"grid" validate:"dive,max=2,dive,postcode"`
				Uniq    []string          `json:"uniq" validate:"unique"`
			}{},
			mode: oasRequest,
			want: `{"type":"object","additionalProperties":false,"required":["project"],"properties":{
				"project":{"type":"array","maxItems":3,"items":{"type":"string","pattern":"^[A-N][0-9]{4}$"}},
				"levels":{"type":"object","additionalProperties":{"type":"string",
					"enum":["below-a1","a1","a2","b1","b2","c1","c2"]}},
				"grid":{"type":"array","items":{"type":"array","maxItems":2,
					"items":{"type":"string","pattern":"^[0-9]{5}$"}}},
				"uniq":{"type":"array","items":{"type":"string"},"uniqueItems":true}}}`,
		},
		{
			name: "the team's tags and common formats",
			v: struct {
				Dep   string `json:"dep" validate:"departement"`
				Start string `json:"start" validate:"date"`
				Mail  string `json:"mail" validate:"email"`
				Site  string `json:"site" validate:"url"`
				Both  string `json:"both" validate:"rome,alphanum"`
				Day   string `json:"day" validate:"datetime=2006-01-02"`
			}{},
			mode: oasRequest,
			want: `{"type":"object","additionalProperties":false,"properties":{
				"dep":{"type":"string","pattern":"^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-6])$"},
				"start":{"type":"string","format":"date"},
				"mail":{"type":"string","format":"email"},
				"site":{"type":"string","format":"uri"},
				"both":{"type":"string","pattern":"^[A-N][0-9]{4}$","allOf":[{"pattern":"^[a-zA-Z0-9]+$"}]},
				"day":{"type":"string","format":"date"}}}`,
		},
		{
			name: "types that encode themselves",
			v: struct {
				At    time.Time       `json:"at"`
				Day   civil.Date      `json:"day"`
				Raw   json.RawMessage `json:"raw"`
				Any   any             `json:"any"`
				Bytes []byte          `json:"bytes"`
				Pair  [2]int          `json:"pair"`
				Text  oasTextID       `json:"text"`
				Keyed map[int]bool    `json:"keyed"`
			}{},
			mode: oasRequest,
			want: `{"type":"object","additionalProperties":false,"properties":{
				"at":{"type":"string","format":"date-time"},
				"day":{"type":"string","format":"date"},
				"raw":{},"any":{},
				"bytes":{"type":"string","contentEncoding":"base64"},
				"pair":{"type":"array","items":{"type":"integer","format":"int64"},"minItems":2,"maxItems":2},
				"text":{"type":"string"},
				"keyed":{"type":"object","additionalProperties":{"type":"boolean"}}}}`,
		},
		{
			name: "skipped fields, Go names, and the string option",
			v: struct {
				Secret string `json:"-"`
				hidden string //nolint:unused // unexported: never written
				Plain  string
				Count  int `json:"count,string"`
				//lint:ignore SA5008 "-," names a member "-", as encoding/json does: the schema must follow
				Dash     bool `json:"-,"`
				Elements []*int
			}{},
			mode: oasResponse,
			want: `{"type":"object","required":["Plain","count","-","Elements"],"properties":{
				"Plain":{"type":"string"},"count":{"type":"string"},"-":{"type":"boolean"},
				"Elements":{"type":"array","items":{"type":["integer","null"],"format":"int64"}}}}`,
		},
		{
			name: "response: a field written when zero admits its zero value",
			v: struct {
				Status string     `json:"status" validate:"omitempty,oneof=open closed"`
				Rome   string     `json:"rome" validate:"rome"`
				Day    civil.Date `json:"day"`
				Min    int        `json:"min" validate:"omitempty,min=1"`
				Must   string     `json:"must" validate:"required,oneof=a b"`
				Opt    string     `json:"opt,omitempty" validate:"omitempty,oneof=a b"`
			}{},
			mode: oasResponse,
			want: `{"type":"object","required":["status","rome","day","min","must"],"properties":{
				"status":{"type":"string","enum":["open","closed",""]},
				"rome":{"anyOf":[{"type":"string","pattern":"^[A-N][0-9]{4}$"},{"const":""}]},
				"day":{"anyOf":[{"type":"string","format":"date"},{"const":""}]},
				"min":{"anyOf":[{"type":"integer","format":"int64","minimum":1},{"const":0}]},
				"must":{"type":"string","enum":["a","b"]},
				"opt":{"type":"string","enum":["a","b"]}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := schemaOf(t, tc.v, tc.mode)
			if diff := cmp.Diff(parseJSON(t, tc.want), got); diff != "" {
				t.Errorf("schema (-want +got):\n%s", diff)
			}
			// The schema is valid OpenAPI 3.1 on either side.
			doc, err := buildOpenAPI([]route{{Method: "POST", Path: "/x", Request: tc.v,
				Responses: map[int]any{200: tc.v}}}, oasSampleInfo)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := loadOpenAPIDoc(doc); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestSchemaOfEmbeddedStructs(t *testing.T) {
	tests := []struct {
		name string
		mode oasMode
		want string
	}{
		{
			name: "response: promoted fields, the shallower one winning; through a pointer they may be absent",
			mode: oasResponse,
			want: `{"type":"object","required":["id","version"],"properties":{
				"id":{"type":"string"},"version":{"type":"string"},"note":{"type":"string"}}}`,
		},
		{
			name: "request: promoted fields are accepted, nothing else",
			mode: oasRequest,
			want: `{"type":"object","additionalProperties":false,"properties":{
				"id":{"type":"string"},"version":{"type":"string"},"note":{"type":"string"}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, components := schemaOf(t, oasWithEmbedded{}, tc.mode)
			if diff := cmp.Diff(parseJSON(t, tc.want), components["oasWithEmbedded"]); diff != "" {
				t.Errorf("schema (-want +got):\n%s", diff)
			}
		})
	}
}

// Cookie clashes by name with http.Cookie.
type Cookie struct {
	Login string `json:"login"`
}

type oasNode struct {
	Name     string     `json:"name"`
	Children []*oasNode `json:"children,omitempty"`
}

type oasBoth struct {
	Node   oasNode     `json:"node"`
	Cookie Cookie      `json:"cookie"`
	Std    http.Cookie `json:"std"`
	Page   oasPage[oasNode]
}

func TestComponentNames(t *testing.T) {
	g := newOASGen()
	g.bodySchema(reflect.TypeFor[oasBoth](), oasResponse)
	g.bodySchema(reflect.TypeFor[oasNode](), oasRequest)
	g.bodySchema(reflect.TypeFor[oasSkill](), oasRequest)
	if g.err != nil {
		t.Fatal(g.err)
	}
	schemas := g.nameComponents()
	got := slices.Sorted(func(yield func(string) bool) {
		for name := range schemas {
			if !yield(name) {
				return
			}
		}
	})
	want := []string{
		"http.Cookie",     // clashes: qualified by package
		"httpapi.Cookie",  // clashes: qualified by package
		"oasBoth",         // response only
		"oasNode",         // both sides: the response keeps the name
		"oasNodeInput",    // both sides: the request side is the input
		"oasPage_oasNode", // generic: type arguments after an underscore
		"oasSkill",        // request only
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("component names (-want +got):\n%s", diff)
	}

	node := asJSON(t, schemas["oasNode"])
	wantNode := parseJSON(t, `{"type":"object","required":["name"],"properties":{
		"name":{"type":"string"},
		"children":{"type":"array","items":{"anyOf":[{"$ref":"#/components/schemas/oasNode"},{"type":"null"}]}}}}`)
	if diff := cmp.Diff(wantNode, node); diff != "" {
		t.Errorf("recursive schema (-want +got):\n%s", diff)
	}
	input := asJSON(t, schemas["oasNodeInput"]).(map[string]any)
	items := input["properties"].(map[string]any)["children"].(map[string]any)["items"]
	wantItems := parseJSON(t, `{"anyOf":[{"$ref":"#/components/schemas/oasNodeInput"},{"type":"null"}]}`)
	if diff := cmp.Diff(wantItems, items); diff != "" {
		t.Errorf("request side refers to its own side (-want +got):\n%s", diff)
	}
}

func TestSchemaRejectsWhatJSONCannotWrite(t *testing.T) {
	tests := []struct {
		name string
		v    any
	}{
		{name: "channel field", v: struct {
			C chan int `json:"c"`
		}{}},
		{name: "function field", v: struct {
			F func() `json:"f"`
		}{}},
		{name: "map with struct keys", v: map[struct{ A int }]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := newOASGen()
			g.bodySchema(reflect.TypeOf(tc.v), oasResponse)
			if g.err == nil {
				t.Errorf("schema of %T built without error", tc.v)
			}
		})
	}
}

func TestCustomTagPatterns(t *testing.T) {
	tests := []struct {
		pattern string
		value   string
		want    bool
	}{
		{oasDepartementPattern, "01", true},
		{oasDepartementPattern, "19", true},
		{oasDepartementPattern, "20", false},
		{oasDepartementPattern, "2A", true},
		{oasDepartementPattern, "2B", true},
		{oasDepartementPattern, "2C", false},
		{oasDepartementPattern, "21", true},
		{oasDepartementPattern, "95", true},
		{oasDepartementPattern, "96", false},
		{oasDepartementPattern, "00", false},
		{oasDepartementPattern, "971", true},
		{oasDepartementPattern, "976", true},
		{oasDepartementPattern, "977", false},
		{oasDepartementPattern, "9", false},
		{oasROMEPattern, "H2913", true},
		{oasROMEPattern, "N1103", true},
		{oasROMEPattern, "O1103", false},
		{oasROMEPattern, "h2913", false},
		{oasROMEPattern, "H291", false},
		{oasPostcodePattern, "75011", true},
		{oasPostcodePattern, "7501", false},
		{oasPostcodePattern, "2A004", false},
	}
	for _, tc := range tests {
		if got := regexp.MustCompile(tc.pattern).MatchString(tc.value); got != tc.want {
			t.Errorf("%q matches %s = %v, want %v", tc.value, tc.pattern, got, tc.want)
		}
	}
}

type oasPlace struct {
	Postcode string `json:"postcode" validate:"required,postcode"`
	City     string `json:"city"`
}

type oasProfileInput struct {
	Name   string               `json:"name" validate:"required,max=100"`
	Place  oasPlace             `json:"place"`
	Past   []oasPlace           `json:"past" validate:"max=3"`
	Labels map[string]string    `json:"labels"`
	Hours  *int                 `json:"hours" validate:"omitempty,min=1"`
	Places map[string]*oasPlace `json:"places"`
}

func TestSchemaOfMergePatch(t *testing.T) {
	_, components := schemaOf(t, oasProfileInput{}, oasPatch)
	want := parseJSON(t, `{
		"oasProfileInputPatch":{"type":"object","additionalProperties":false,"properties":{
			"name":{"type":"string","maxLength":100},
			"place":{"anyOf":[{"$ref":"#/components/schemas/oasPlacePatch"},{"type":"null"}]},
			"past":{"type":["array","null"],"maxItems":3,"items":{"$ref":"#/components/schemas/oasPlace"}},
			"labels":{"type":["object","null"],"additionalProperties":{"type":["string","null"]}},
			"hours":{"type":["integer","null"],"format":"int64","minimum":1},
			"places":{"type":["object","null"],"additionalProperties":{
				"anyOf":[{"$ref":"#/components/schemas/oasPlacePatch"},{"type":"null"}]}}}},
		"oasPlacePatch":{"type":"object","additionalProperties":false,"properties":{
			"postcode":{"type":"string","pattern":"^[0-9]{5}$"},
			"city":{"type":["string","null"]}}},
		"oasPlace":{"type":"object","additionalProperties":false,"required":["postcode"],"properties":{
			"postcode":{"type":"string","pattern":"^[0-9]{5}$"},
			"city":{"type":"string"}}}}`)
	// A patch requires nothing, and null removes any member a value may lack;
	// objects inside are patches too, array elements are whole values.
	if diff := cmp.Diff(want, any(components)); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
}
