package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// tabTo presses Tab until the focused element matches sel, as a person
// moving through the page with the keyboard would, and fails when it is
// not reached within max presses.
func (b *browser) tabTo(sel string, max int) {
	b.t.Helper()
	var trail []string
	for i := 0; i < max; i++ {
		b.do(chromedp.KeyEvent(kb.Tab))
		if run(b, chromedp.Evaluate[bool](`!!document.activeElement && document.activeElement.matches(`+jsString(sel)+`)`)) {
			return
		}
		trail = append(trail, b.focused())
	}
	b.t.Fatalf("%s is not reached with Tab within %d presses; the focus went %s", sel, max, strings.Join(trail, " → "))
}

// focused describes the focused element, for failure messages.
func (b *browser) focused() string {
	return run(b, chromedp.Evaluate[string](`(e => e ? e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.getAttribute("href") ? "[href=" + e.getAttribute("href") + "]" : "") : "nothing")(document.activeElement)`))
}

// press sends keys to the focused element.
func (b *browser) press(keys string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(keys))
}

// typeDate types an ISO date into the focused date field, its parts in the
// order the browser's locale shows them.
func (b *browser) typeDate(iso string) {
	b.t.Helper()
	order := run(b, chromedp.Evaluate[[]string](`new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2026, 8, 1)).filter(p => p.type !== "literal").map(p => p.type)`))
	parts := map[string]string{"year": iso[:4], "month": iso[5:7], "day": iso[8:]}
	for _, p := range order {
		b.press(parts[p])
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// An adviser who works with the keyboard alone: the skip link comes first
// and leads to the content; the search, a result, the file's tabs and the
// situation form are all reached with Tab and used with the keys; a form
// sent incomplete comes back with the focus on its errors, each tied to its
// field; the situation recorded shows in the timeline and in the store; a proposal is
// approved from the review queue.
func TestAnAdviserCanWorkWithTheKeyboardAlone(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("adviser")
	b.visit("/beneficiaires?referent=tous")

	// The first Tab reaches the skip link; Enter moves into the content.
	b.tabTo("a.skip", 1)
	if vis := run(b, chromedp.Evaluate[bool](`document.activeElement.getBoundingClientRect().top >= 0 && getComputedStyle(document.activeElement).outlineStyle !== "none"`)); !vis {
		t.Errorf("the focused skip link is not visible with its focus ring")
	}
	b.press(kb.Enter)
	b.tabTo("#f-q", 10)
	b.press("tesf")
	b.waitQuery("q=tesf")
	b.waitText("#results", "Yonas Tesfaye")
	b.tabTo(`#results a[href^="/beneficiaires/ben_"]`, 15)
	b.press(kb.Enter)
	b.waitPath("/beneficiaires/ben_")
	b.waitText("h1", "Yonas Tesfaye")
	ben := strings.TrimPrefix(strings.SplitN(b.path(), "?", 2)[0], "/beneficiaires/")

	// The pathway tab, then the situation form.
	b.tabTo(`.tabs a[href$="onglet=parcours"]`, 40)
	b.press(kb.Enter)
	b.waitQuery("onglet=parcours")
	b.tabTo("#f-kind", 80)
	b.press(kb.ArrowDown) // from CDI to CDD
	b.tabTo("#f-startDate", 2)
	b.typeDate("2026-09-01")
	if v := run(b, chromedp.Evaluate[string](`document.querySelector("#f-startDate").value`)); v != "2026-09-01" {
		t.Fatalf("the date typed reads %q", v)
	}
	// Sent without the contract's duration, the form comes back with the
	// focus on its summary of errors, whose link leads to the field.
	b.tabTo(`#panel form[action$="/situations"] button[type="submit"]`, 12)
	b.press(kb.Enter)
	b.waitText("#erreurs", "Durée du contrat (mois) : un CDD ou une mission d'intérim a besoin de sa durée en mois.")
	if f := b.focused(); f != "div#erreurs" {
		t.Errorf("after the errors, the focus is on %s, want the summary", f)
	}
	b.axe()
	b.tabTo(`#erreurs a[href="#f-durationMonths"]`, 3)
	if d := run(b, chromedp.Evaluate[string](`document.querySelector("#" + CSS.escape(document.getElementById("f-durationMonths").getAttribute("aria-describedby").split(" ").pop())).textContent`)); !strings.Contains(d, "durée en mois") {
		t.Errorf("the duration field is described by %q, want its error", d)
	}
	b.tabTo("#f-durationMonths", 12)
	b.press("6")
	b.tabTo(`#panel form[action$="/situations"] button[type="submit"]`, 12)
	b.press(kb.Enter)
	b.waitText("#messages", "La situation est enregistrée")
	b.waitText(".timeline", "CDD")
	b.axe()

	list, err := s.svc.Beneficiaries.ListSituations(context.Background(), s.principal("adviser"), ben)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, sit := range list {
		if sit.Kind == pathways.SituationCDD && sit.Start.String() == "2026-09-01" && sit.DurationMonths == 6 {
			found = true
		}
	}
	if !found {
		t.Errorf("no CDD from 2026-09-01 recorded: %+v", list)
	}

	// The review queue: the first proposal approved from its button.
	b.visit("/propositions")
	b.tabTo(`button[form$="-approuver"]`, 60)
	form := run(b, chromedp.Evaluate[string](`document.activeElement.getAttribute("form")`))
	id := strings.TrimSuffix(strings.TrimPrefix(form, "a-"), "-approuver")
	b.press(kb.Enter)
	b.waitText("#messages", "La proposition est validée")
	if p, err := s.svc.Proposals.Get(context.Background(), s.principal("adviser"), id); err != nil || p.State != proposals.Approved {
		t.Errorf("the proposal approved from the keyboard is %s (%v)", p.State, err)
	}
}
