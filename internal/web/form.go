package web

import (
	"encoding/json"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
)

// Forms post field names that are the JSON paths of the API's request
// types with dots ("french.oralProduction", "diplomas.0.title"). A form is
// turned into the JSON document the API would receive and decoded by the
// API's own decoder and validator, so each rule holds in one place and
// each error's pointer ("/french/oralProduction") names its field.

// form is a form's values and its errors, by field name.
type form struct {
	Values url.Values
	Errors map[string]string
	// Order lists the fields in error in the order the summary shows them.
	Order []string
	// Problem is an error of the whole form, shown above the fields' ones.
	Problem string
}

func newForm(values url.Values) *form {
	if values == nil {
		values = url.Values{}
	}
	return &form{Values: values, Errors: map[string]string{}}
}

// Get is a field's value.
func (f *form) Get(name string) string { return f.Values.Get(name) }

// All is a field's values.
func (f *form) All(name string) []string { return f.Values[name] }

// Has reports whether a value is among a field's values (checkboxes,
// multiple selects).
func (f *form) Has(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Error is a field's error message, "" when it is fine.
func (f *form) Error(name string) string { return f.Errors[name] }

// Invalid reports whether the form has errors.
func (f *form) Invalid() bool { return len(f.Errors) > 0 || f.Problem != "" }

// stale reports whether err says the record changed since the form was
// read. The form then keeps what the person typed, takes the record's
// current version, and says why nothing was saved: sent again, it is
// saved over the newer record knowingly.
func (f *form) stale(err error, version int64, problem string) bool {
	if !apperr.Is(err, apperr.PreconditionFailed) {
		return false
	}
	f.Values.Set("version", strconv.FormatInt(version, 10))
	f.Problem = problem
	return true
}

// fieldName turns a JSON pointer into the form field it names: an item of
// a list of words names the list's field ("/languages/2" → "languages"),
// and skills are typed in one text field.
func fieldName(pointer string) string {
	name := strings.ReplaceAll(strings.TrimPrefix(pointer, "/"), "/", ".")
	if strings.HasPrefix(name, "skills") {
		return "skillsText"
	}
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}

// addErrors records an apperr.Invalid (or a conflict naming fields) as the
// form's errors, in lang; it reports whether err was such an error.
func (c *Console) addErrors(f *form, err error, lang string) bool {
	ae, ok := apperr.As(err)
	if !ok || (ae.Code != apperr.Invalid && ae.Code != apperr.Conflict) || len(ae.Fields) == 0 {
		return false
	}
	for _, fe := range c.Inputs.Localise(ae.Fields, lang) {
		name := fieldName(fe.Pointer)
		msg := c.ruleMessage(fe, lang)
		if _, seen := f.Errors[name]; seen {
			f.Errors[name] += " " + msg
			continue
		}
		f.Errors[name] = msg
		f.Order = append(f.Order, name)
	}
	return true
}

// ruleMessage words a field error for the person who sees it beside its
// field: a rule of the API's validator or decoder ("required", "max" of a
// text) by the console's catalogue, with no technical field name; a
// sentence the domain wrote in both languages as it is.
func (c *Console) ruleMessage(fe apperr.FieldError, lang string) string {
	if fe.DetailFR != "" || fe.Tag == "" {
		return fe.Detail
	}
	l := access.Lang(lang)
	for _, id := range []string{"rule." + fe.Tag + "." + fe.Kind, "rule." + fe.Tag + "." + fe.Param, "rule." + fe.Tag} {
		if c.i18n.Has(l, id) {
			return c.i18n.T(l, id, "Param", fe.Param)
		}
	}
	return fe.Detail
}

// decodeForm decodes the request's form into dst (a pointer to an API
// request type) through the API's decoder: apperr.Invalid naming each bad
// field otherwise.
func (c *Console) decodeForm(ctx *fiber.Ctx, values url.Values, dst any, lang string) error {
	doc := formDocument(values, reflect.TypeOf(dst).Elem(), "")
	body, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return c.Inputs.Decode(body, dst, lang)
}

// formValues returns the posted form's values.
func formValues(ctx *fiber.Ctx) url.Values {
	out := url.Values{}
	ctx.Request().PostArgs().VisitAll(func(k, v []byte) {
		out.Add(string(k), string(v))
	})
	return out
}

// formDocument builds the JSON value of type t from the form fields under
// prefix. Numbers and booleans are converted; a number that does not read
// as one is passed as text, so the decoder names the field.
func formDocument(values url.Values, t reflect.Type, prefix string) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				if inner, ok := formDocument(values, f.Type, prefix).(map[string]any); ok {
					for k, v := range inner {
						obj[k] = v
					}
				}
				continue
			}
			if name == "" || name == "-" {
				continue
			}
			key := name
			if prefix != "" {
				key = prefix + "." + name
			}
			if v := formDocument(values, f.Type, key); v != nil {
				obj[name] = v
			}
		}
		if len(obj) == 0 && prefix != "" {
			return nil
		}
		return obj
	case reflect.Slice:
		elem := t.Elem()
		if elem.Kind() == reflect.Struct {
			return formRows(values, elem, prefix)
		}
		raw, present := values[prefix]
		if !present {
			return nil
		}
		list := []any{}
		for _, v := range raw {
			for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
				if part = strings.TrimSpace(part); part != "" {
					list = append(list, scalar(part, elem))
				}
			}
		}
		return list
	default:
		raw, present := values[prefix]
		if !present || len(raw) == 0 {
			if t.Kind() == reflect.Bool {
				return nil
			}
			return nil
		}
		v := strings.TrimSpace(raw[len(raw)-1])
		if v == "" && t.Kind() != reflect.String {
			return nil
		}
		return scalar(v, t)
	}
}

// formRows reads the rows of a list of structs: fields named prefix.N.x;
// a row left all blank is dropped.
func formRows(values url.Values, elem reflect.Type, prefix string) any {
	rows := map[int]bool{}
	for k := range values {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		n, _, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(n); err == nil && i >= 0 && i < 100 {
			rows[i] = true
		}
	}
	_, present := values[prefix]
	if len(rows) == 0 && !present {
		return nil
	}
	idx := make([]int, 0, len(rows))
	for i := range rows {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	list := []any{}
	for _, i := range idx {
		key := prefix + "." + strconv.Itoa(i)
		if blankRow(values, key) {
			continue
		}
		list = append(list, formDocument(values, elem, key))
	}
	return list
}

func blankRow(values url.Values, key string) bool {
	for k, vs := range values {
		if strings.HasPrefix(k, key+".") {
			for _, v := range vs {
				if strings.TrimSpace(v) != "" && v != "false" {
					return false
				}
			}
		}
	}
	return true
}

func scalar(v string, t reflect.Type) any {
	switch t.Kind() {
	case reflect.Bool:
		switch strings.ToLower(v) {
		case "on", "true", "1", "oui", "yes":
			return true
		}
		return false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			return n
		}
	case reflect.Float32, reflect.Float64:
		if f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), ",", "."), 64); err == nil {
			return f
		}
	}
	return v
}
