package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// openAPIInfo is what the document says about the API as a whole.
type openAPIInfo struct {
	Title       string
	Version     string
	Description string
	// ServerURL, when set, is the one server the document names; clients
	// resolve paths against the document's own location otherwise.
	ServerURL string
}

// Media types of the document.
const (
	oasMediaJSON       = "application/json"
	oasMediaMergePatch = "application/merge-patch+json"
	oasMediaProblem    = "application/problem+json"
)

// oasProblemStatuses are the problem responses the document can name, with the
// component each one refers to.
var oasProblemStatuses = map[int]string{
	http.StatusBadRequest:            "BadRequest",
	http.StatusUnauthorized:          "Unauthorized",
	http.StatusForbidden:             "Forbidden",
	http.StatusNotFound:              "NotFound",
	http.StatusConflict:              "Conflict",
	http.StatusPreconditionFailed:    "PreconditionFailed",
	http.StatusRequestEntityTooLarge: "ContentTooLarge",
	http.StatusUnsupportedMediaType:  "UnsupportedMediaType",
	http.StatusUnprocessableEntity:   "UnprocessableContent",
	http.StatusPreconditionRequired:  "PreconditionRequired",
	http.StatusTooManyRequests:       "TooManyRequests",
	http.StatusInternalServerError:   "InternalServerError",
}

// oasProblemType is the Go type of every problem+json body.
var oasProblemType = reflect.TypeFor[Problem]()

// buildOpenAPI writes the OpenAPI 3.1.0 document of routes as indented JSON
// with sorted keys: the same table gives the same bytes. What it reads from a
// route:
//
//   - Path: ":id" becomes the required string parameter {id}, "\:" a literal
//     colon; optional parameters and wildcards are refused.
//   - Query: a struct whose `query` tags name the parameters (embedded structs
//     are flattened); `validate` tags give their constraints.
//   - Request: the body, which rejects unknown members. For PATCH, the body of
//     either application/json or application/merge-patch+json is a JSON merge
//     patch of Request, and If-Match is required (428 without, 412 stale).
//   - Responses: a nil value documents no body; a Problem body is
//     application/problem+json, any other application/json, with
//     ContentTypes beside it (as plain strings) on 2xx statuses. A 200 of a
//     GET or PATCH documents ETag, required for PATCH and for a GET that also
//     lists 304.
//   - Roles: non-nil means the bearerAuth scheme, the roles in the
//     description, and 401, 403 and 429 problems.
//
// Every operation also documents the problems its shape can produce (400 and
// 422 for input, 404 for path parameters, 409 for writes, 413 and 415 for
// bodies, 500) and a default problem for any other status.
func buildOpenAPI(routes []route, info openAPIInfo) ([]byte, error) {
	g := newOASGen()
	problem := g.bodySchema(oasProblemType, oasResponse)
	paths := map[string]map[string]any{}
	tags := map[string]bool{}
	opIDs := map[string]int{}
	for _, rt := range routes {
		tmpl, pathParams, err := oasPath(rt.Path)
		if err != nil {
			return nil, fmt.Errorf("route %s %s: %w", rt.Method, rt.Path, err)
		}
		method := strings.ToLower(rt.Method)
		if !slices.Contains([]string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}, method) {
			return nil, fmt.Errorf("route %s %s: method cannot be documented", rt.Method, rt.Path)
		}
		if paths[tmpl] == nil {
			paths[tmpl] = map[string]any{}
		}
		if _, dup := paths[tmpl][method]; dup {
			return nil, fmt.Errorf("route %s %s: listed twice", rt.Method, rt.Path)
		}
		op, err := oasOperation(g, rt, method, tmpl, pathParams)
		if err != nil {
			return nil, fmt.Errorf("route %s %s: %w", rt.Method, rt.Path, err)
		}
		id := oasOperationID(method, tmpl)
		if opIDs[id]++; opIDs[id] > 1 {
			id += strconv.Itoa(opIDs[id])
		}
		op["operationId"] = id
		if rt.Tag != "" {
			tags[rt.Tag] = true
		}
		paths[tmpl][method] = op
	}
	if g.err != nil {
		return nil, g.err
	}

	schemas := g.nameComponents()

	responses := map[string]any{}
	for status, name := range oasProblemStatuses {
		responses[name] = oasProblemResponse(status, problem)
	}
	responses["Problem"] = map[string]any{
		"description": "Problem details (RFC 9457): what went wrong, each bad field, and the request's ID.",
		"content":     map[string]any{oasMediaProblem: map[string]any{"schema": problem}},
	}

	tagList := []any{}
	for _, t := range slices.Sorted(maps.Keys(tags)) {
		tagList = append(tagList, map[string]any{"name": t})
	}
	infoObj := map[string]any{"title": info.Title, "version": info.Version}
	if info.Description != "" {
		infoObj["description"] = info.Description
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info":    infoObj,
		"paths":   paths,
		"components": map[string]any{
			"schemas":   schemas,
			"responses": responses,
			"securitySchemes": map[string]any{
				"bearerAuth": map[string]any{
					"type":        "http",
					"scheme":      "bearer",
					"description": "An API key, sent as \"Authorization: Bearer KEY\". Each key belongs to one user, who has one role.",
				},
			},
		},
	}
	if len(tagList) > 0 {
		doc["tags"] = tagList
	}
	if info.ServerURL != "" {
		doc["servers"] = []any{map[string]any{"url": info.ServerURL}}
	}
	return oasCanonicalJSON(doc)
}

// oasOperation describes one route.
func oasOperation(g *oasGen, rt route, method, tmpl string, pathParams []string) (map[string]any, error) {
	op := map[string]any{}
	if rt.Summary != "" {
		op["summary"] = rt.Summary
	}
	if rt.Tag != "" {
		op["tags"] = []string{rt.Tag}
	}
	if rt.Roles != nil {
		op["security"] = []any{map[string]any{"bearerAuth": []string{}}}
		if len(rt.Roles) == 0 {
			op["description"] = "Any authenticated user may call this."
		} else {
			roles := make([]string, len(rt.Roles))
			for i, r := range rt.Roles {
				roles[i] = string(r)
			}
			op["description"] = "Roles: " + strings.Join(roles, ", ") + "."
		}
	}

	params := []any{}
	for _, p := range pathParams {
		params = append(params, map[string]any{
			"name": p, "in": "path", "required": true, "schema": map[string]any{"type": "string"},
		})
	}
	if rt.Query != nil {
		qs, err := oasQueryParameters(g, reflect.TypeOf(rt.Query))
		if err != nil {
			return nil, err
		}
		params = append(params, qs...)
	}
	if method == "patch" {
		params = append(params, map[string]any{
			"name": "If-Match", "in": "header", "required": true,
			"description": "The ETag of the representation the change is based on: 428 without it, 412 when it is stale.",
			"schema":      map[string]any{"type": "string"},
		})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}

	if rt.Request != nil {
		var content map[string]any
		if method == "patch" {
			// Either media type carries a JSON merge patch of the input.
			s := g.bodySchema(reflect.TypeOf(rt.Request), oasPatch)
			content = map[string]any{oasMediaJSON: map[string]any{"schema": s}, oasMediaMergePatch: map[string]any{"schema": s}}
		} else {
			s := g.bodySchema(reflect.TypeOf(rt.Request), oasRequest)
			content = map[string]any{oasMediaJSON: map[string]any{"schema": s}}
		}
		op["requestBody"] = map[string]any{"required": true, "content": content}
	}

	responses := map[string]any{}
	for status, body := range rt.Responses {
		if status < 100 || status > 599 {
			return nil, fmt.Errorf("status %d is not an HTTP status", status)
		}
		resp := map[string]any{"description": oasStatusDescription(status)}
		content := map[string]any{}
		if body != nil {
			mt := oasMediaJSON
			if t := reflect.TypeOf(body); t == oasProblemType || t == reflect.PointerTo(oasProblemType) {
				mt = oasMediaProblem
			}
			content[mt] = map[string]any{"schema": g.bodySchema(reflect.TypeOf(body), oasResponse)}
		}
		if status >= 200 && status < 300 && status != http.StatusNoContent {
			for _, ct := range rt.ContentTypes {
				content[ct] = map[string]any{"schema": map[string]any{"type": "string"}}
			}
		}
		if len(content) > 0 {
			resp["content"] = content
		}
		if status == http.StatusOK && (method == "get" || method == "patch") {
			_, conditional := rt.Responses[http.StatusNotModified]
			resp["headers"] = map[string]any{"ETag": oasETagHeader(method == "patch" || conditional)}
		}
		responses[strconv.Itoa(status)] = resp
	}
	for _, status := range oasProblemsOf(rt, method, len(pathParams) > 0) {
		if _, listed := responses[strconv.Itoa(status)]; !listed {
			responses[strconv.Itoa(status)] = oasResponseRef(oasProblemStatuses[status])
		}
	}
	responses["default"] = oasResponseRef("Problem")
	op["responses"] = responses
	return op, nil
}

// oasProblemsOf lists the problem statuses a route can answer.
func oasProblemsOf(rt route, method string, hasPathParams bool) []int {
	out := []int{http.StatusInternalServerError}
	if rt.Request != nil || rt.Query != nil {
		out = append(out, http.StatusBadRequest, http.StatusUnprocessableEntity)
	}
	if rt.Request != nil {
		out = append(out, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)
	}
	if rt.Roles != nil {
		out = append(out, http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests)
	}
	if hasPathParams {
		out = append(out, http.StatusNotFound)
	}
	switch method {
	case "post", "put", "patch", "delete":
		out = append(out, http.StatusConflict)
	}
	if method == "patch" {
		out = append(out, http.StatusPreconditionFailed, http.StatusPreconditionRequired)
	}
	return out
}

// oasETagHeader documents the ETag of a 200 response. It is required where
// the route answers conditional requests: a PATCH (If-Match) or a GET that
// documents 304 Not Modified (If-None-Match).
func oasETagHeader(required bool) map[string]any {
	return map[string]any{
		"description": "Entity tag of the representation, for If-Match and If-None-Match.",
		"required":    required,
		"schema":      map[string]any{"type": "string", "pattern": `^(W/)?"[\x21\x23-\x7e]*"$`},
	}
}

// oasQueryParameters describes the fields of a Query struct, named by their
// `query` tags.
func oasQueryParameters(g *oasGen, t reflect.Type) ([]any, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("query type %s is not a struct", t)
	}
	var out []any
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("query")
		name, _, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				qs, err := oasQueryParameters(g, ft)
				if err != nil {
					return nil, err
				}
				out = append(out, qs...)
				continue
			}
		}
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		r := oasParseRules(sf.Tag.Get("validate"))
		p := map[string]any{
			"name": name, "in": "query",
			"schema": g.fieldSchema(sf.Type, oasRequest, r, false),
		}
		if r.isRequired() {
			p["required"] = true
		}
		out = append(out, p)
	}
	return out, nil
}

// oasPath turns a Fiber path into an OpenAPI path template:
// "/beneficiaries/:id" is "/beneficiaries/{id}", an escaped colon
// ("openings\:batch") a literal one. Optional parameters and wildcards have no
// OpenAPI form and are refused.
func oasPath(fiberPath string) (string, []string, error) {
	var b strings.Builder
	var params []string
	for i := 0; i < len(fiberPath); i++ {
		c := fiberPath[i]
		switch {
		case c == '\\' && i+1 < len(fiberPath) && fiberPath[i+1] == ':':
			b.WriteByte(':')
			i++
		case c == ':':
			j := i + 1
			for j < len(fiberPath) && !strings.ContainsRune("/-.\\:?+*", rune(fiberPath[j])) {
				j++
			}
			name := fiberPath[i+1 : j]
			if name == "" {
				return "", nil, fmt.Errorf("parameter without a name at byte %d", i)
			}
			if j < len(fiberPath) && fiberPath[j] == '?' {
				return "", nil, fmt.Errorf("optional parameter %q has no OpenAPI form: declare one route with it and one without", name)
			}
			if slices.Contains(params, name) {
				return "", nil, fmt.Errorf("parameter %q appears twice", name)
			}
			params = append(params, name)
			b.WriteString("{" + name + "}")
			i = j - 1
		case c == '*' || c == '+':
			return "", nil, fmt.Errorf("wildcard %q has no OpenAPI form", string(c))
		default:
			b.WriteByte(c)
		}
	}
	if !strings.HasPrefix(b.String(), "/") {
		return "", nil, fmt.Errorf("path does not start with /")
	}
	return b.String(), params, nil
}

// oasOperationID names an operation after its method and path, leaving out the
// "/api/v1" prefix: GET /api/v1/beneficiaries/{id} is getBeneficiariesById.
func oasOperationID(method, tmpl string) string {
	var b strings.Builder
	b.WriteString(method)
	for i, seg := range strings.Split(strings.TrimPrefix(tmpl, "/"), "/") {
		if i == 0 && seg == "api" || i == 1 && strings.HasPrefix(tmpl, "/api/") && oasIsVersion(seg) {
			continue
		}
		for _, word := range strings.FieldsFunc(seg, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '{'
		}) {
			if strings.HasPrefix(word, "{") {
				b.WriteString("By")
				word = strings.TrimPrefix(word, "{")
			}
			if word == "" {
				continue
			}
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

func oasIsVersion(seg string) bool {
	if len(seg) < 2 || seg[0] != 'v' {
		return false
	}
	_, err := strconv.Atoi(seg[1:])
	return err == nil
}

func oasStatusDescription(status int) string {
	if text := http.StatusText(status); text != "" {
		return text + "."
	}
	return "Status " + strconv.Itoa(status) + "."
}

func oasResponseRef(name string) map[string]any {
	return map[string]any{"$ref": "#/components/responses/" + name}
}

func oasProblemResponse(status int, problem *oasSchema) map[string]any {
	resp := map[string]any{
		"description": oasStatusDescription(status),
		"content":     map[string]any{oasMediaProblem: map[string]any{"schema": problem}},
	}
	if status == http.StatusTooManyRequests {
		resp["headers"] = map[string]any{"Retry-After": map[string]any{
			"description": "Seconds to wait before trying again.",
			"required":    true,
			"schema":      map[string]any{"type": "integer", "minimum": 0},
		}}
	}
	return resp
}

// oasCanonicalJSON encodes v as indented JSON with every object's keys sorted.
func oasCanonicalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode document: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, fmt.Errorf("decode document: %w", err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(generic); err != nil {
		return nil, fmt.Errorf("encode document: %w", err)
	}
	return out.Bytes(), nil
}
