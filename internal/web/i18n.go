package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/parcours-emploi/parcours/access"
)

//go:embed locales/*.json
var localeFS embed.FS

// catalogue holds the console's words in French and English (the message
// catalogues in locales/), read with go-i18n.
type catalogue struct {
	bundle *i18n.Bundle
	loc    map[access.Lang]*i18n.Localizer
	ids    map[access.Lang]map[string]bool
}

func loadCatalogue() (*catalogue, error) {
	b := i18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &catalogue{bundle: b, loc: map[access.Lang]*i18n.Localizer{}, ids: map[access.Lang]map[string]bool{}}
	for _, l := range []access.Lang{access.French, access.English} {
		f, err := b.LoadMessageFileFS(localeFS, "locales/"+string(l)+".json")
		if err != nil {
			return nil, fmt.Errorf("load the %s catalogue: %w", l, err)
		}
		c.ids[l] = map[string]bool{}
		for _, m := range f.Messages {
			c.ids[l][m.ID] = true
		}
		c.loc[l] = i18n.NewLocalizer(b, string(l))
	}
	return c, nil
}

// T returns message id in lang, filled with args (name, value, …). A
// "Count" argument that is an int chooses the plural form. A message
// missing from the catalogue shows its id, which the catalogue tests catch.
func (c *catalogue) T(lang access.Lang, id string, args ...any) string {
	loc := c.loc[lang]
	if loc == nil {
		loc = c.loc[access.French]
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			k := fmt.Sprint(args[i])
			data[k] = args[i+1]
			if k == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		return id
	}
	return s
}

// Has reports whether the catalogue of lang has message id.
func (c *catalogue) Has(lang access.Lang, id string) bool { return c.ids[lang][id] }

// IDs lists the message ids of lang, sorted.
func (c *catalogue) IDs(lang access.Lang) []string {
	out := make([]string, 0, len(c.ids[lang]))
	for id := range c.ids[lang] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
