package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// fitsPhone fails when the page scrolls sideways on a phone.
func (b *browser) fitsPhone(width int) {
	b.t.Helper()
	if w := run(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > width {
		b.t.Errorf("%s is %d px wide on a %d px phone: it scrolls sideways", b.path(), w, width)
	}
}

// forbidden are what a mentor must never read of a mentee: the protection
// status (in words too), the birth date, the address, the last name, the
// notes and the barriers.
func forbidden(b pathways.Beneficiary) []string {
	out := []string{string(b.BirthDate), b.BirthDate.French(), b.LastName, b.Address.Line, b.Address.Postcode, b.Notes,
		"réfugié", "protection subsidiaire", "Réfugié", "Protection subsidiaire", "famille de BPI",
		// The staff file's sections: the barriers are codes, so their
		// section's title stands for them.
		"Date de naissance", "Freins", "Notes de suivi"}
	for _, x := range b.Barriers {
		out = append(out, string(x))
	}
	var keep []string
	for _, s := range out {
		if strings.TrimSpace(s) != "" {
			keep = append(keep, s)
		}
	}
	return keep
}

// leaks returns the forbidden strings the page's HTML holds.
func (b *browser) leaks(words []string) []string {
	b.t.Helper()
	html := run(b, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	var found []string
	for _, w := range words {
		if strings.Contains(html, w) {
			found = append(found, w)
		}
	}
	return found
}

// A mentor on a phone (360 × 740): the e-mail of a proposal, its link, the
// proposal with the mentee in words, accept, the adviser's contact, a
// meeting logged in two taps; a second proposal declined because they are
// not available before a day. No page scrolls sideways, none shows what a
// mentor must not read, and every page passes axe.
func TestAMentorAnswersFromTheirPhone(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	mentorUser := s.persona("mentor")
	adviser := s.persona("adviser")
	b := s.browser(360, 740)

	// The e-mail of the proposal sent during the demo, with its link.
	link := s.linkFrom(mentorUser.Email, 1)
	b.visit(strings.TrimPrefix(link, s.URL))
	b.fitsPhone(360)
	b.click(`main form button[type="submit"]`)
	b.waitPath("/mentor/propositions/pro_")
	id := strings.TrimPrefix(b.path(), "/mentor/propositions/")
	p, err := s.svc.Proposals.Get(ctx, s.principal("adviser"), id)
	if err != nil || p.State != proposals.Sent {
		t.Fatalf("the link opened %s: %+v %v", id, p, err)
	}
	ben, err := s.svc.Beneficiaries.Get(ctx, s.principal("adviser"), p.BeneficiaryID)
	if err != nil {
		t.Fatal(err)
	}
	no := forbidden(ben)
	b.waitText("h1", ben.FirstName)
	main := b.text("main")
	for _, want := range []string{"Commis / Commise de cuisine (G1602)", "Adéquation", "oral"} {
		if !strings.Contains(main, want) {
			t.Errorf("the proposal page does not say %q:\n%s", want, main)
		}
	}
	if strings.Contains(main, "0.") {
		t.Errorf("the proposal page shows a raw score:\n%s", main)
	}
	if l := b.leaks(no); len(l) > 0 {
		t.Errorf("the proposal page shows %v", l)
	}
	b.axe()
	b.fitsPhone(360)
	b.screenshot("mentor-proposal")

	// Accept: the mentorship page, with the adviser's contact.
	b.click(`form[action$="/accepter"] button`)
	b.waitPath("/mentor/mentorats/msh_")
	b.waitText("#messages", "Le mentorat commence")
	if c := b.text("main"); !strings.Contains(c, adviser.Name) || !strings.Contains(c, adviser.Email) {
		t.Errorf("the mentorship page does not give the adviser's contact (%s, %s):\n%s", adviser.Name, adviser.Email, c)
	}
	if l := b.leaks(no); len(l) > 0 {
		t.Errorf("the mentorship page shows %v", l)
	}
	b.axe()
	b.fitsPhone(360)
	msID := strings.SplitN(strings.TrimPrefix(b.path(), "/mentor/mentorats/"), "?", 2)[0]

	// A meeting in two taps: the page (one), the button with today and an
	// hour already chosen (two).
	b.click(`form[action$="/rencontres"] button[type="submit"]`)
	b.waitText("#messages", "La rencontre est notée")
	ms, err := s.svc.Mentoring.VisibleMentorship(ctx, s.principal("adviser"), msID)
	if err != nil || len(ms.CheckIns) != 1 || ms.CheckIns[0].Minutes != 60 || ms.CheckIns[0].Date != civil.InFrance(ms.CheckIns[0].At) {
		t.Fatalf("the meeting logged: %+v %v", ms.CheckIns, err)
	}
	b.axe()
	b.fitsPhone(360)
	b.screenshot("mentor-mentorship")

	// Home: the other proposal waits; decline it, not available for a month.
	b.visit("/mentor")
	b.fitsPhone(360)
	b.screenshot("mentor-home")
	if l := b.leaks(no); len(l) > 0 {
		t.Errorf("the mentor's home shows %v", l)
	}
	b.click(`a[href^="/mentor/propositions/pro_"]`)
	b.waitPath("/mentor/propositions/pro_")
	other := strings.TrimPrefix(b.path(), "/mentor/propositions/")
	b.axe()
	back := civil.InFrance(ms.CheckIns[0].At).AddDate(0, 1, 0)
	b.fill(map[string]string{"availableFrom": string(back)})
	b.click(`form[action$="/decliner"] button[type="submit"]`)
	b.waitPath("/mentor")
	b.waitText("#messages", "déclinée")
	got, err := s.svc.Proposals.Get(ctx, s.principal("adviser"), other)
	if err != nil || got.State != proposals.Declined || got.AvailableFrom != back || !strings.Contains(got.DeclineReason, "Pas disponible avant le") {
		t.Errorf("declined: %s %q %q (%v)", got.State, got.AvailableFrom, got.DeclineReason, err)
	}
	b.axe()
}

// A mentor who tries staff pages meets a page that does not exist, and
// nothing of the staff's view.
func TestAMentorCannotOpenStaffPages(t *testing.T) {
	s := newSite(t)
	c := s.client(s.session("mentor"))
	ben := s.world.Beneficiaries[0]
	for _, path := range []string{"/accueil", "/beneficiaires", "/beneficiaires/" + ben.ID, "/beneficiaires/" + ben.ID + "?onglet=parcours",
		"/propositions", "/opportunites", "/lots", "/lots/" + s.world.Batch.ID, "/beneficiaires/nouveau", "/resultats", "/resultats.csv?horizon=6",
		"/equipe", "/journal", "/journal.csv", "/agence"} {
		status, body := s.get(c, path)
		if status != http.StatusNotFound || strings.Contains(body, ben.LastName) {
			t.Errorf("a mentor opening %s: %d, shows the last name: %v", path, status, strings.Contains(body, ben.LastName))
		}
	}
	// Nor another mentor's proposal or mentorship.
	other, _, err := s.svc.Proposals.List(context.Background(), s.principal("adviser"), proposals.Filter{Kind: proposals.KindMentor, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	own, err := s.svc.Mentoring.Own(context.Background(), s.principal("mentor"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range other {
		if p.OpeningID != own.ID {
			if status, _ := s.get(c, "/mentor/propositions/"+p.ID); status != http.StatusNotFound {
				t.Errorf("another mentor's proposal %s: %d", p.ID, status)
			}
		}
	}
	list, _, _ := s.svc.Mentoring.ListMentorships(context.Background(), s.principal("adviser"), mentoring.MentorshipFilter{Limit: 50})
	for _, m := range list {
		if m.MentorID != own.ID {
			if status, _ := s.get(c, "/mentor/mentorats/"+m.ID); status != http.StatusNotFound {
				t.Errorf("another mentor's mentorship %s: %d", m.ID, status)
			}
		}
	}
}

// The mentor's proposal page, with its stylesheet and scripts, weighs
// under 100 KB compressed: it opens fast on a phone between two meetings.
func TestTheMentorsProposalPageIsLight(t *testing.T) {
	s := newSite(t)
	sent, _, err := s.svc.Mentoring.SentProposals(context.Background(), s.principal("mentor"), []proposals.State{proposals.Sent}, "", 1)
	if err != nil || len(sent) == 0 {
		t.Fatalf("no proposal sent to the mentor: %v", err)
	}
	c := s.client(s.session("mentor"))
	c.Transport = &http.Transport{DisableCompression: true}
	fetch := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: %d, encoding %q", path, res.StatusCode, res.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(zr)
		return len(raw), string(body)
	}
	total, page := fetch("/mentor/propositions/" + sent[0].ID)
	assets := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(assets) < 2 {
		t.Fatalf("the page links %d assets", len(assets))
	}
	for _, a := range assets {
		n, _ := fetch(a[1])
		total += n
	}
	if total >= 100*1024 {
		t.Errorf("the mentor's proposal page and its assets weigh %d bytes compressed, not under 100 KB", total)
	}
	t.Logf("the mentor's proposal page with its assets: %d bytes compressed", total)
}
