package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/proposals"
)

// An adviser's day in the browser: log in from the e-mail, find a person
// by name, open the file, read the suggestions, ask "why not?" of an
// opening that does not fit, propose a training, approve and send it. Every
// page is checked with axe.
func TestAdviserCanLogInFindAPersonAndProposeATraining(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	adviser := s.persona("adviser")

	// The magic link arrives over SMTP; the link opens a page that asks to
	// continue, and only that page's button logs in.
	b.visit("/connexion")
	b.do(chromedp.SendKeys("#f-email", adviser.Email), chromedp.Click(`main form button[type="submit"]`))
	b.waitPath("/connexion/envoye")
	b.axe()
	link := s.linkFrom(adviser.Email, 1)
	b.visit(strings.TrimPrefix(link, s.URL))
	if h := b.text("h1"); !strings.Contains(h, "Continuer vers Parcours") {
		t.Fatalf("the link opened %q, want the continue page", h)
	}
	b.click(`main form button[type="submit"]`)
	b.waitPath("/accueil")
	b.waitText("h1", "À traiter")
	b.axe()
	b.screenshot("adviser-home")

	// Find a person by the start of the name, without the accents or capitals.
	b.visit("/beneficiaires?referent=tous")
	b.do(chromedp.SendKeys("#f-q", "yon"))
	b.waitQuery("q=yon")
	b.waitText("#results", "Yonas Tesfaye")
	if res := b.text("#results"); strings.Contains(res, "Amina") {
		t.Errorf("the search for yon still lists Amina:\n%s", res)
	}
	b.axe()
	b.screenshot("adviser-beneficiaries")
	b.click(`#results a[href^="/beneficiaires/ben_"]`)
	b.waitPath("/beneficiaires/ben_")
	b.waitText("h1", "Yonas Tesfaye")
	b.axe()
	file := strings.SplitN(b.path(), "?", 2)[0]

	// Suggestions of training sessions, with their reasons in words.
	b.click(`.tabs a[href$="onglet=suggestions"]`)
	b.waitText("#panel", "Suggestions")
	b.click(`#panel a[href$="type=training"]`)
	b.waitText("#panel", "Titre professionnel soudeur")
	if p := b.path(); !strings.Contains(p, "onglet=suggestions") || !strings.Contains(p, "type=training") {
		t.Errorf("the tab and kind are not in the URL: %s", p)
	}
	panel := b.text("#panel")
	if !strings.Contains(panel, "Adéquation") || strings.Contains(panel, "0.") {
		t.Errorf("suggestions without a fit in words, or with raw decimals:\n%s", panel)
	}
	b.axe()
	b.screenshot("adviser-suggestions")

	// "Pourquoi pas ?": a job that needs more French than he speaks.
	nurse := s.opportunity(t, "Aide-soignant(e)")
	b.visit(file + "?onglet=pourquoi-pas&type=job")
	b.do(chromedp.SetValue("#f-ouverture", nurse.ID), chromedp.Click(`#panel form button[type="submit"]`))
	b.waitText("#panel", "ne peut pas être proposée")
	if panel := b.text("#panel"); !strings.Contains(panel, "Prochaine étape") {
		t.Errorf("no next step in the explanation:\n%s", panel)
	}
	b.axe()
	b.screenshot("adviser-why-not")

	// Propose the training.
	b.visit(file + "?onglet=suggestions&type=training")
	b.click(`#panel form[action="/propositions"] button[type="submit"]`)
	b.waitText("#messages", "La proposition est enregistrée")
	ben := strings.TrimPrefix(file, "/beneficiaires/")
	list, _, err := s.svc.Proposals.List(context.Background(), s.principal("adviser"), proposals.Filter{BeneficiaryID: ben, Kind: proposals.KindTraining})
	if err != nil || len(list) != 1 || list[0].State != proposals.Proposed || list[0].Source != proposals.SourceAdviser {
		t.Fatalf("proposals of training for Yonas: %+v %v", list, err)
	}
	id := list[0].ID

	// Approve it from the review queue, then send it.
	b.visit("/propositions")
	b.click(`button[form="a-` + id + `-approuver"]`)
	b.waitText("#messages", "La proposition est validée")
	b.axe()
	b.screenshot("adviser-proposals")
	b.visit("/propositions?etat=approved")
	b.click(`button[form="a-` + id + `-envoyer"]`)
	b.waitText("#messages", "La proposition est envoyée")
	got, err := s.svc.Proposals.Get(context.Background(), s.principal("adviser"), id)
	if err != nil || got.State != proposals.Sent {
		t.Fatalf("after sending: %s %v", got.State, err)
	}
	if last := got.History[len(got.History)-1]; last.By != adviser.ID {
		t.Errorf("sent by %s, want the adviser %s", last.By, adviser.ID)
	}
}

// Another organisation's file, opened by its address, is a page that does
// not exist: 404, and nothing of the person shows.
func TestAnotherOrganisationsFileIsNotFound(t *testing.T) {
	s := newSite(t)
	ben := s.world.Beneficiaries[0]
	c := s.client(s.session("other_adviser"))
	for _, path := range []string{"/beneficiaires/" + ben.ID, "/beneficiaires/" + ben.ID + "?onglet=parcours", "/beneficiaires/" + ben.ID + "/modifier"} {
		status, body := s.get(c, path)
		if status != http.StatusNotFound || strings.Contains(body, ben.LastName) || !strings.Contains(body, "Page introuvable") {
			t.Errorf("%s for another organisation: %d, shows the name: %v", path, status, strings.Contains(body, ben.LastName))
		}
	}
	b := s.browser(1280, 900)
	b.login("other_adviser")
	b.visit("/beneficiaires/" + ben.ID)
	if h := b.text("h1"); h != "Page introuvable" {
		t.Errorf("the page says %q", h)
	}
}

// A POST without the form's CSRF token is refused (403) and changes
// nothing, even with a live session cookie.
func TestAForgedPostIsRefusedAndChangesNothing(t *testing.T) {
	s := newSite(t)
	c := s.client(s.session("adviser"))
	list, _, err := s.svc.Proposals.List(context.Background(), s.principal("adviser"), proposals.Filter{States: []proposals.State{proposals.Proposed}, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no proposal to approve: %v", err)
	}
	id := list[0].ID
	for _, form := range []url.Values{{}, {"_csrf": {"forged-token-of-another-page"}}} {
		status, body := s.post(c, "/propositions/"+id+"/approuver", form)
		if status != http.StatusForbidden || !strings.Contains(body, "Formulaire expiré") {
			t.Errorf("forged approval (%v): %d", form, status)
		}
	}
	if got, err := s.svc.Proposals.Get(context.Background(), s.principal("adviser"), id); err != nil || got.State != proposals.Proposed {
		t.Errorf("the forged POST changed the proposal: %s %v", got.State, err)
	}
	// A new person posted without the token is not recorded either.
	before, _, _ := s.svc.Beneficiaries.List(context.Background(), s.principal("adviser"), benAll())
	status, _ := s.post(c, "/beneficiaires", url.Values{"firstName": {"Forgé"}, "lastName": {"Forgé"}})
	after, _, _ := s.svc.Beneficiaries.List(context.Background(), s.principal("adviser"), benAll())
	if status != http.StatusForbidden || len(after) != len(before) {
		t.Errorf("forged creation: %d, %d people before, %d after", status, len(before), len(after))
	}
}

// A session unused for longer than its idle time ends: the next page is
// the login page, which says so, and an htmx request is sent there too by
// HX-Redirect, back to where the person was once logged in again.
func TestAnExpiredSessionLeadsToTheLoginPage(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("adviser")
	b.visit("/beneficiaires?referent=tous")
	s.expireSessions(t, "adviser")

	// An htmx request (typing in the search) after the session ended.
	b.do(chromedp.SendKeys("#f-q", "ami"))
	b.waitPath("/connexion")
	if p := b.path(); !strings.Contains(p, "expiree=1") || !strings.Contains(p, "suite=") {
		t.Errorf("htmx after expiry went to %s, want the login page saying so, with the way back", p)
	}
	if txt := b.text("main"); !strings.Contains(txt, "Votre session a pris fin") {
		t.Errorf("the login page does not say the session ended:\n%s", txt)
	}
	b.axe()
	b.screenshot("login")

	// A plain page after the session ended.
	b.login("adviser")
	b.visit("/accueil")
	s.expireSessions(t, "adviser")
	b.visit("/beneficiaires")
	if p := b.path(); !strings.HasPrefix(p, "/connexion?expiree=1") {
		t.Errorf("a page after expiry is %s, want the login page", p)
	}
	// The htmx request itself is answered by HX-Redirect.
	c := s.client(s.session("adviser"))
	s.expireSessions(t, "adviser")
	req, _ := http.NewRequest("GET", s.URL+"/beneficiaires?q=ami", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Current-URL", s.URL+"/beneficiaires?q=am")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("HX-Redirect"), "/connexion?expiree=1&suite=") {
		t.Errorf("htmx after expiry: %d HX-Redirect %q", res.StatusCode, res.Header.Get("HX-Redirect"))
	}
}

// opportunity finds a demo opportunity by its title.
func (s *site) opportunity(t *testing.T, title string) jobs.Opportunity {
	t.Helper()
	list, _, err := s.svc.Opportunities.List(context.Background(), s.principal("adviser"), jobs.Filter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range list {
		if o.Title == title {
			return o
		}
	}
	t.Fatalf("no opportunity %q", title)
	return jobs.Opportunity{}
}
