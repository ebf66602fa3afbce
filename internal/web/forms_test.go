package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

// withoutScripts turns the page's JavaScript off, as a browser that has
// none, or a person who disabled it, would see Parcours.
func (b *browser) withoutScripts() {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
}

// fill sets form fields by name, from the test's side (the page's own
// scripts may be off).
func (b *browser) fill(values map[string]string) {
	b.t.Helper()
	for name, v := range values {
		if !run(b, chromedp.Evaluate[bool](`(f => { if (!f) return false; f.value = `+jsString(v)+`; return f.value === `+jsString(v)+` })(document.getElementById(`+jsString("f-"+name)+`))`)) {
			b.t.Fatalf("the field %s does not take %q", name, v)
		}
	}
}

// The core forms work with no JavaScript at all: the filters of the list
// submit to an address that keeps them; a new person's form sent empty
// comes back with each message next to its field, in French, and records
// nothing; filled, it records the person; the edit form saves a change;
// and an edit made over a newer version keeps what was typed, says why,
// and overwrites nothing.
func TestTheFormsWorkWithoutJavaScript(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.withoutScripts()
	b.login("adviser")
	adv := s.principal("adviser")
	ctx := context.Background()

	// Filters, sent by their button.
	b.do(chromedp.Navigate(s.URL + "/beneficiaires?referent=tous"))
	b.waitLoaded()
	if run(b, chromedp.Evaluate[bool](`typeof htmx !== "undefined"`)) {
		t.Fatal("htmx ran: the page's scripts are not off")
	}
	b.fill(map[string]string{"programme": "AGIR", "statut": "exited"})
	b.click(`form.filters button[type="submit"]`)
	b.waitQuery("statut=exited")
	if p := b.path(); !strings.Contains(p, "programme=AGIR") {
		t.Errorf("the filters are not in the address: %s", p)
	}
	exited, _, err := s.svc.Beneficiaries.List(ctx, adv, pathways.Filter{Programme: "AGIR", Status: pathways.StatusExited, Limit: 200})
	if err != nil || len(exited) == 0 {
		t.Fatalf("no exited people in the demo to filter: %v", err)
	}
	if got := strings.Count(b.text("#results tbody"), "\n") + 1; got != len(exited) {
		t.Errorf("the filtered list has %d rows, want %d", got, len(exited))
	}

	// A new person, sent empty: the form again, with its errors.
	before, _, _ := s.svc.Beneficiaries.List(ctx, adv, benAll())
	b.do(chromedp.Navigate(s.URL + "/beneficiaires/nouveau"))
	b.waitLoaded()
	b.click(`main form[action="/beneficiaires"] button[type="submit"]`)
	b.waitText("#erreurs", "Prénom : à renseigner.")
	for _, name := range []string{"firstName", "lastName", "birthDate", "protection"} {
		invalid := run(b, chromedp.Evaluate[string](`(f => f ? f.getAttribute("aria-invalid") + "|" + (document.getElementById((f.getAttribute("aria-describedby") || "").split(" ").pop()) || {}).textContent : "none")(document.getElementById("f-`+name+`"))`))
		state, msg, _ := strings.Cut(invalid, "|")
		if state != "true" || msg == "" || msg == "undefined" {
			t.Errorf("%s: aria-invalid %s, its message %q", name, state, msg)
		}
		if !frenchOnly(msg) {
			t.Errorf("%s: the message %q is not French", name, msg)
		}
	}
	if after, _, _ := s.svc.Beneficiaries.List(ctx, adv, benAll()); len(after) != len(before) {
		t.Errorf("the empty form recorded someone: %d people before, %d after", len(before), len(after))
	}

	// Filled, it records the person and opens the file.
	b.fill(map[string]string{"firstName": "Nour", "lastName": "Haddad", "birthDate": "1994-03-12", "protection": "refugee",
		"enrolment.programme": "AGIR", "enrolment.cohort": "2026-B", "enrolment.entryDate": "2026-11-02", "consentDate": "2026-11-02",
		"department": "69", "french.oralProduction": "a2", "french.oralComprehension": "b1", "languages": "ar, fr", "project.targetRome": "G1602"})
	b.click(`main form[action="/beneficiaires"] button[type="submit"]`)
	b.waitPath("/beneficiaires/ben_")
	b.waitText("h1", "Nour Haddad")
	id := strings.TrimPrefix(strings.SplitN(b.path(), "?", 2)[0], "/beneficiaires/")
	nour, err := s.svc.Beneficiaries.Get(ctx, adv, id)
	if err != nil || nour.French.OralProduction != "a2" || nour.Enrolment.EntryDate != civil.Date("2026-11-02") || len(nour.Languages) != 2 {
		t.Fatalf("recorded: %+v %v", nour, err)
	}

	// The edit form saves a change.
	b.do(chromedp.Navigate(s.URL + "/beneficiaires/" + id + "/modifier"))
	b.waitLoaded()
	b.fill(map[string]string{"french.oralProduction": "b1"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "enregistr")
	if nour, _ = s.svc.Beneficiaries.Get(ctx, adv, id); nour.French.OralProduction != "b1" {
		t.Errorf("after the edit, oral production is %q", nour.French.OralProduction)
	}

	// The driving licence: an exchange in progress, with its day.
	b.do(chromedp.Navigate(s.URL + "/beneficiaires/" + id + "/modifier"))
	b.waitLoaded()
	b.fill(map[string]string{"mobility.drivingLicence.status": "exchange-in-progress", "mobility.drivingLicence.exchangeExpected": "2027-01-15"})
	b.click(`input[name="mobility.drivingLicence.categories"][value="B"]`)
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "enregistr")
	nour, _ = s.svc.Beneficiaries.Get(ctx, adv, id)
	if d := nour.Mobility.DrivingLicence; d.Status != pathways.LicenceExchangeInProgress || len(d.Categories) != 1 || d.ExchangeExpected != "2027-01-15" {
		t.Errorf("the licence recorded is %+v", d)
	}
	if _, body := s.get(s.client(s.session("adviser")), "/beneficiaires/"+id); !strings.Contains(body, "Échange du permis en cours B, attendu le 15 janvier 2027") {
		t.Errorf("the file does not show the licence's exchange")
	}
	// No licence, yet a category ticked: the form says so next to it.
	b.do(chromedp.Navigate(s.URL + "/beneficiaires/" + id + "/modifier"))
	b.waitLoaded()
	b.fill(map[string]string{"mobility.drivingLicence.status": "none", "mobility.drivingLicence.exchangeExpected": ""})
	b.click(`main form button[type="submit"]`)
	b.waitText("#erreurs", "Catégories du permis")
	if e := b.text(`[id="e-mobility.drivingLicence.categories"]`); !strings.Contains(e, "choisissez d'abord sa situation") {
		t.Errorf("the categories' error reads %q", e)
	}
	if cur, _ := s.svc.Beneficiaries.Get(ctx, adv, id); cur.Mobility.DrivingLicence.Status != pathways.LicenceExchangeInProgress {
		t.Errorf("the refused form changed the licence: %+v", cur.Mobility.DrivingLicence)
	}
	nour, _ = s.svc.Beneficiaries.Get(ctx, adv, id)

	// Someone else saves while the form is open: nothing is overwritten,
	// and what was typed is still there.
	b.do(chromedp.Navigate(s.URL + "/beneficiaires/" + id + "/modifier"))
	b.waitLoaded()
	if _, err := s.svc.Beneficiaries.Update(ctx, adv, id, nour.Version, func(b *pathways.Beneficiary) error {
		b.Notes = "Changed meanwhile"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	b.fill(map[string]string{"lastName": "Haddad-Saleh"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#erreurs", "Quelqu'un d'autre a modifié cette fiche")
	if v := run(b, chromedp.Evaluate[string](`document.getElementById("f-lastName").value`)); v != "Haddad-Saleh" {
		t.Errorf("the name typed is lost: %q", v)
	}
	if cur, _ := s.svc.Beneficiaries.Get(ctx, adv, id); cur.LastName != "Haddad" || cur.Notes != "Changed meanwhile" {
		t.Errorf("the stale edit changed the record: %q, notes %q", cur.LastName, cur.Notes)
	}
	// Sent again, knowingly, it is saved.
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "enregistr")
	if cur, _ := s.svc.Beneficiaries.Get(ctx, adv, id); cur.LastName != "Haddad-Saleh" {
		t.Errorf("sent again, the name is %q", cur.LastName)
	}

	// The new form starts from the organisation's own programme and
	// département.
	for persona, want := range map[string]string{"adviser": `value="69"`, "other_adviser": `value="38"`} {
		_, body := s.get(s.client(s.session(persona)), "/beneficiaires/nouveau")
		if !strings.Contains(body, `name="department" type="text" `+want) {
			t.Errorf("the new form of %s does not start with the département %s", persona, want)
		}
	}

	// A forged edit of an unknown person is a 404, not a crash.
	if status, _ := s.get(s.client(s.session("adviser")), "/beneficiaires/ben_unknown/modifier"); status != http.StatusNotFound {
		t.Errorf("an unknown person's edit page: %d", status)
	}
}
