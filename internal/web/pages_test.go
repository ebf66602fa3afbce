package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parcours-emploi/parcours/proposals"
)

// staffPages are the adviser's pages of the demo world, with every tab and
// every kind.
func (s *site) staffPages(t *testing.T) []string {
	t.Helper()
	ben := "/beneficiaires/" + s.world.Beneficiaries[1].ID
	opp := "/opportunites/" + s.opportunity(t, "Commis de cuisine").ID
	pages := []string{"/accueil", "/accueil?tous=1", "/beneficiaires", "/beneficiaires?referent=tous&q=ami", "/beneficiaires?statut=exited&referent=tous",
		"/beneficiaires/nouveau", ben, ben + "?onglet=parcours", ben + "/modifier",
		"/propositions", "/propositions?etat=tous", "/propositions?etat=sent", "/opportunites", "/opportunites?statut=closed",
		"/opportunites/nouvelle?type=job", "/opportunites/nouvelle?type=pmsmp", "/opportunites/nouvelle?type=training", opp, opp + "/modifier",
		"/lots", "/lots/" + s.world.Batch.ID, "/propositions?etat=tous&ouverture=" + strings.TrimPrefix(opp, "/opportunites/"), "/compte", "/accessibilite", "/page-qui-n-existe-pas"}
	for _, k := range []string{"job", "pmsmp", "training", "mentor"} {
		pages = append(pages, ben+"?onglet=suggestions&type="+k, ben+"?onglet=pourquoi-pas&type="+k)
	}
	nurse := s.opportunity(t, "Aide-soignant(e)")
	pages = append(pages, ben+"?onglet=pourquoi-pas&type=job&ouverture="+nurse.ID)
	return pages
}

// mentorPages are the mentor persona's pages of the demo world.
func (s *site) mentorPages(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	sent, _, err := s.svc.Mentoring.SentProposals(ctx, s.principal("mentor"), nil, "", 20)
	if err != nil || len(sent) == 0 {
		t.Fatalf("no proposal sent to the mentor: %v", err)
	}
	pages := []string{"/mentor", "/compte", "/accessibilite"}
	for _, p := range sent {
		pages = append(pages, "/mentor/propositions/"+p.ID)
	}
	// A mentorship of theirs: accept the first proposal.
	_, ms, err := s.svc.Mentoring.AcceptSent(ctx, s.principal("mentor"), sent[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return append(pages, "/mentor/mentorats/"+ms.ID, "/mentor/propositions/"+sent[0].ID)
}

// englishWords are words no French page holds.
var englishWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and with your you this that from for are is was were not have has will please click every none which
		there their they our of to by at into when what who how yet yes no mentoring proposals openings people log sign search save cancel
		edit close approve send withdraw next back show see new fit why matching batch batches started done failed queued running
		its must be can cannot only needs does should would been here than then`) {
		englishWords[w] = true
	}
}

var wordRE = regexp.MustCompile(`[\p{L}']+`)

// frenchOnly reports whether a text holds no English word.
func frenchOnly(text string) bool {
	for _, w := range wordRE.FindAllString(strings.ToLower(text), -1) {
		if englishWords[w] {
			return false
		}
	}
	return true
}

// englishIn returns the English words of the page's visible text (the
// language switch, marked lang="en", aside).
func englishIn(t *testing.T, body string) []string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find(`script, style, [lang="en"], pre`).Remove()
	var found []string
	seen := map[string]bool{}
	texts := []string{doc.Find("body").Text()}
	doc.Find("[title], [aria-label], [placeholder], input[type=submit][value]").Each(func(_ int, s *goquery.Selection) {
		for _, a := range []string{"title", "aria-label", "placeholder", "value"} {
			if v, ok := s.Attr(a); ok {
				texts = append(texts, v)
			}
		}
	})
	texts = append(texts, doc.Find("title").Text())
	for _, text := range texts {
		for _, w := range wordRE.FindAllString(text, -1) {
			// A word in capitals is a code or an acronym (the licence
			// category BE, CACES), not English.
			if len(w) > 1 && w == strings.ToUpper(w) {
				continue
			}
			w = strings.ToLower(w)
			if englishWords[w] && !seen[w] {
				seen[w] = true
				found = append(found, w)
			}
		}
	}
	return found
}

// Every page speaks French to a French browser: no English word in what a
// person reads.
func TestEveryPageSpeaksFrench(t *testing.T) {
	s := newSite(t)
	c := s.client(s.session("adviser"))
	// check reads a page in French and fails on any English in it.
	check := func(c *http.Client, who, path string) {
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := goquery.NewDocumentFromReader(res.Body)
		res.Body.Close()
		body, _ := doc.Html()
		if res.StatusCode != http.StatusOK && !strings.Contains(path, "n-existe-pas") && who != "" {
			t.Errorf("%s %s: %d", who, path, res.StatusCode)
		}
		if words := englishIn(t, body); len(words) > 0 {
			t.Errorf("%s %s shows English: %v", who, path, words)
		}
		if !strings.Contains(body, `<html lang="fr">`) {
			t.Errorf("%s %s is not marked French", who, path)
		}
	}
	for _, path := range s.staffPages(t) {
		check(c, "adviser", path)
	}
	// The coordinator's, the agency's and the mentor's own pages.
	for persona, paths := range map[string][]string{
		"coordinator": {"/resultats", "/resultats?objectif=", "/resultats?regles=iae", "/equipe", "/journal", "/accueil"},
		"agency":      {"/agence", "/compte"},
		"mentor":      s.mentorPages(t),
	} {
		pc := s.client(s.session(persona))
		for _, path := range paths {
			check(pc, persona, path)
		}
	}
	// Pages before logging in, and the answers to mistakes (a link that
	// does not exist answers 404, in French).
	anon := s.client("")
	for _, path := range []string{"/connexion", "/connexion/envoye?email=x%40example.org", "/connexion/lien/inconnu", "/accessibilite"} {
		check(anon, "", path)
	}
	// A refused action is explained in French too.
	list, _, _ := s.svc.Proposals.List(context.Background(), s.principal("adviser"), proposals.Filter{States: []proposals.State{proposals.Sent}, Limit: 1})
	if len(list) > 0 {
		csrf := s.csrf(c)
		status, body := s.post(c, "/propositions/"+list[0].ID+"/approuver", url.Values{"_csrf": {csrf}})
		if status != http.StatusConflict || len(englishIn(t, body)) > 0 || !strings.Contains(body, "ne peut pas devenir") {
			t.Errorf("refused approval: %d, English %v", status, englishIn(t, body))
		}
	}
}

// The same page in English, for someone who chose it: no message id shows.
func TestPagesSpeakEnglishWhenChosen(t *testing.T) {
	s := newSite(t)
	c := s.client(s.session("adviser"))
	for _, path := range s.staffPages(t)[:12] {
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := goquery.NewDocumentFromReader(res.Body)
		res.Body.Close()
		if lang, _ := doc.Find("html").Attr("lang"); lang != "en" {
			t.Errorf("%s in English is marked %q", path, lang)
		}
		if ids := regexp.MustCompile(`\b[a-z]+\.[a-z]+\.[a-z.]+\b`).FindAllString(doc.Find("main").Text(), 3); len(ids) > 0 {
			t.Errorf("%s shows message ids: %v", path, ids)
		}
	}
}

// An htmx request gets the fragment the full page holds at its target:
// swapping it gives the page a full render would.
func TestFragmentsAreWhatTheFullPageHolds(t *testing.T) {
	s := newSite(t)
	c := s.client(s.session("adviser"))
	ben := "/beneficiaires/" + s.world.Beneficiaries[1].ID
	for _, tc := range []struct{ path, target string }{
		{"/beneficiaires?referent=tous&q=ami", "results"},
		{"/beneficiaires?referent=tous&cohorte=2026-A", "results"},
		{ben + "?onglet=parcours", "panel"},
		{ben + "?onglet=suggestions&type=training", "panel"},
		{"/opportunites?type=pmsmp", "results"},
	} {
		full := s.fetch(c, tc.path, nil)
		frag := s.fetch(c, tc.path, map[string]string{"HX-Request": "true", "HX-Target": tc.target})
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(full))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := doc.Find("#" + tc.target).Html()
		if normalise(want) != normalise(frag) {
			t.Errorf("%s: the fragment for #%s differs from the full page's:\n--- full\n%s\n--- fragment\n%s", tc.path, tc.target, want, frag)
		}
		if strings.Contains(frag, "<html") {
			t.Errorf("%s: the fragment is a whole page", tc.path)
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// normalise parses and writes HTML again, so both sides read the same.
func normalise(html string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<div id=x>" + html + "</div>"))
	if err != nil {
		return html
	}
	out, _ := doc.Find("#x").Html()
	return strings.TrimSpace(spaces.ReplaceAllString(out, " "))
}

func (s *site) fetch(c *http.Client, path string, headers map[string]string) string {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	req.Header.Set("Accept-Language", "fr")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	if headers["HX-Request"] != "" {
		h, _ := doc.Find("body").Html()
		b.WriteString(h)
	} else {
		h, _ := doc.Html()
		b.WriteString(h)
	}
	return b.String()
}

// csrf reads the token of the session's forms from a page.
func (s *site) csrf(c *http.Client) string {
	s.t.Helper()
	_, body := s.get(c, "/compte")
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		s.t.Fatal("no CSRF token on the account page")
	}
	return m[1]
}
