package httpapi

import (
	"errors"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/fr"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	entr "github.com/go-playground/validator/v10/translations/en"
	frtr "github.com/go-playground/validator/v10/translations/fr"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/jobs"
)

// validation checks request values with validator/v10 and the custom tags of
// the field (cefr, rome, departement, postcode, date), and words the failures
// in English or French.
type validation struct {
	v     *validator.Validate
	trans map[string]ut.Translator
}

var (
	romePattern     = regexp.MustCompile(`^[A-N][0-9]{4}$`)
	postcodePattern = regexp.MustCompile(`^[0-9]{5}$`)
	nafPattern      = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}[A-Z]$`)
	cefrLevels      = map[string]bool{"below-a1": true, "a1": true, "a2": true, "b1": true, "b2": true, "c1": true, "c2": true}
)

// validDepartement reports whether s is a French département code:
// 01–95 (20 split into 2A and 2B), and overseas 971–976.
func validDepartement(s string) bool {
	switch {
	case s == "2A" || s == "2B":
		return true
	case len(s) == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9':
		return s != "00" && s != "20" && s <= "95"
	case len(s) == 3 && s >= "971" && s <= "976":
		return true
	}
	return false
}

// customTags are our rules with their sentences in both languages.
var customTags = []struct {
	tag    string
	fn     func(string) bool
	en, fr string
}{
	{"cefr", func(s string) bool { return cefrLevels[s] }, "{0} must be a CEFR level: below-a1, a1, a2, b1, b2, c1 or c2.", "{0} doit être un niveau CECRL : below-a1, a1, a2, b1, b2, c1 ou c2."},
	{"rome", romePattern.MatchString, "{0} must be a ROME code: a letter A–N and four digits (e.g. H2913).", "{0} doit être un code ROME : une lettre de A à N et quatre chiffres (ex. H2913)."},
	{"departement", validDepartement, "{0} must be a French département code (01–95, 2A, 2B, 971–976).", "{0} doit être un code de département français (01–95, 2A, 2B, 971–976)."},
	{"postcode", postcodePattern.MatchString, "{0} must be a French postcode of five digits.", "{0} doit être un code postal français à cinq chiffres."},
	{"date", func(s string) bool { return civil.Date(s).Valid() }, "{0} must be a date written YYYY-MM-DD.", "{0} doit être une date au format AAAA-MM-JJ."},
	{"siret", func(s string) bool { _, ok := jobs.NormaliseSIRET(s); return ok }, "{0} must be a SIRET: 14 digits whose checksum holds (spaces allowed).", "{0} doit être un numéro SIRET : 14 chiffres dont la clé de contrôle est juste (espaces acceptés)."},
	{"naf", nafPattern.MatchString, "{0} must be a NAF code: two digits, a dot, two digits and a letter (56.10A).", "{0} doit être un code NAF : deux chiffres, un point, deux chiffres et une lettre (56.10A)."},
}

// Rules the stock translations lack, and messages of the decoder.
var extraMessages = map[string][2]string{
	"unknown":          {"{0} is not a member this endpoint accepts.", "{0} n'est pas un champ accepté par ce point d'accès."},
	"type":             {"{0} must be of JSON type {1}.", "{0} doit être de type JSON {1}."},
	"required_if":      {"{0} is required here.", "{0} est obligatoire ici."},
	"required_with":    {"{0} is required with {1}.", "{0} est obligatoire avec {1}."},
	"required_without": {"{0} is required here.", "{0} est obligatoire ici."},
	"unique":           {"{0} must not repeat a value.", "{0} ne doit pas contenir de doublon."},
	"gtefield":         {"{0} must not be before {1}.", "{0} ne doit pas précéder {1}."},
	"dateafter":        {"{0} must not be before {1}.", "{0} ne doit pas précéder {1}."},
	"pmsmp":            {"{0}: {1}", "{0} : {1}"},
}

func newValidation() *validation {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	for _, ct := range customTags {
		fn := ct.fn
		_ = v.RegisterValidation(ct.tag, func(fl validator.FieldLevel) bool {
			f := fl.Field()
			if f.Kind() != reflect.String {
				return false
			}
			return fn(f.String())
		})
	}
	enLoc, frLoc := en.New(), fr.New()
	uni := ut.New(enLoc, enLoc, frLoc)
	tEN, _ := uni.GetTranslator("en")
	tFR, _ := uni.GetTranslator("fr")
	_ = entr.RegisterDefaultTranslations(v, tEN)
	_ = frtr.RegisterDefaultTranslations(v, tFR)
	for _, ct := range customTags {
		registerMessage(v, tEN, ct.tag, ct.en)
		registerMessage(v, tFR, ct.tag, ct.fr)
	}
	for tag, m := range extraMessages {
		// The stock translations of required_if and its kin print the
		// validator's own error text: ours replace them.
		own := tag == "unknown" || tag == "type" || strings.HasPrefix(tag, "required_")
		if _, err := tEN.T(tag, "x", "y"); err == nil && !own {
			continue // the stock translation has it
		}
		registerMessage(v, tEN, tag, m[0])
		registerMessage(v, tFR, tag, m[1])
	}
	return &validation{v: v, trans: map[string]ut.Translator{"en": tEN, "fr": tFR}}
}

// registerMessage registers text ({0} the field, {1} the rule's parameter)
// for tag in t.
func registerMessage(v *validator.Validate, t ut.Translator, tag, text string) {
	_ = v.RegisterTranslation(tag, t,
		func(t ut.Translator) error { return t.Add(tag, text, true) },
		func(t ut.Translator, fe validator.FieldError) string {
			msg, err := t.T(tag, fe.Field(), fe.Param())
			if err != nil {
				return fe.Error()
			}
			return msg
		})
}

// check validates v and returns apperr.Invalid naming every bad field, with
// sentences in lang.
func (vl *validation) check(v any, lang string) error {
	err := vl.v.Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	t := vl.translator(lang)
	fields := make([]apperr.FieldError, 0, len(ves))
	for _, fe := range ves {
		fields = append(fields, apperr.FieldError{Pointer: namespacePointer(fe.Namespace()), Detail: fe.Translate(t),
			Tag: fe.Tag(), Param: fe.Param(), Kind: kindOf(fe.Kind())})
	}
	return apperr.Invalidf(fields, "Some fields are invalid.").FR("Certains champs ne sont pas valides.")
}

// kindOf names what a rule measured, for the words of its message.
func kindOf(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "text"
	case reflect.Slice, reflect.Array, reflect.Map:
		return "list"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16,
		reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	}
	return ""
}

// namespacePointer turns "Input.enrolment.referents[2]" into "/enrolment/referents/2".
func namespacePointer(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		ns = rest
	} else {
		return "/"
	}
	var b strings.Builder
	for _, part := range strings.Split(ns, ".") {
		if part != "" && unicode.IsUpper(rune(part[0])) {
			continue // an embedded struct's type name, not a JSON member
		}
		name, idx, hasIdx := strings.Cut(part, "[")
		b.WriteString("/" + escapePointer(name))
		for hasIdx {
			var i string
			i, idx, _ = strings.Cut(idx, "]")
			b.WriteString("/" + i)
			_, idx, hasIdx = strings.Cut(idx, "[")
		}
	}
	return b.String()
}

func (vl *validation) translator(lang string) ut.Translator {
	if t := vl.trans[lang]; t != nil {
		return t
	}
	return vl.trans["en"]
}

// localise words the field errors that carry a rule tag but no sentence yet
// (the decoder's unknown members and type mismatches) in lang.
func (vl *validation) localise(fields []apperr.FieldError, lang string) []apperr.FieldError {
	if len(fields) == 0 {
		return nil
	}
	t := vl.translator(lang)
	out := make([]apperr.FieldError, len(fields))
	for i, f := range fields {
		out[i] = f
		if f.Detail != "" || f.Tag == "" {
			out[i].Detail = f.In(lang)
			continue
		}
		msg, err := t.T(f.Tag, f.Pointer, f.Param)
		if err != nil || msg == "" {
			msg = pick(lang, f.Pointer+" does not satisfy the rule \""+f.Tag+"\".", f.Pointer+" ne respecte pas la règle « "+f.Tag+" ».")
		}
		out[i].Detail = msg
	}
	return out
}

// queryRule is a query parameter's value and its validator rules.
type queryRule struct{ value, rules string }

// checkQuery validates query parameters by name.
func (vl *validation) checkQuery(lang string, params map[string]queryRule) error {
	t := vl.translator(lang)
	names := make([]string, 0, len(params))
	for n := range params {
		names = append(names, n)
	}
	sort.Strings(names)
	var fields []apperr.FieldError
	for _, name := range names {
		r := params[name]
		err := vl.v.Var(r.value, r.rules)
		var ves validator.ValidationErrors
		if errors.As(err, &ves) {
			for _, fe := range ves {
				fields = append(fields, apperr.FieldError{Pointer: name, Detail: strings.TrimSpace(name + ": " + fe.Translate(t))})
			}
		}
	}
	if len(fields) > 0 {
		return apperr.Invalidf(fields, "Some query parameters are invalid.").FR("Certains paramètres de la requête ne sont pas valides.")
	}
	return nil
}
