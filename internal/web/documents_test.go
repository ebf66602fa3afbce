package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
)

// A PMSMP convention from draft to assessment, through HTTP: the adviser
// drafts and sends it, the three parties sign through the links they
// receive over SMTP, the prescriber validates, the parties are reminded
// before the start, the placement starts and ends, and the tutor's
// assessment with a hire becomes the person's situation. A used or wrong
// link changes nothing; the PDF holds the parties, dates and objectives.
func TestAConventionGoesFromDraftToAssessment(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	adv := s.principal("adviser")
	if _, err := s.svc.Opportunities.CreateHost(ctx, adv, jobs.Host{SIRET: "552 081 317 66522", Name: "Boulangerie du Marché", Address: "3 place du Marché, Lyon",
		Tutor: jobs.Tutor{Name: "Paul Morel", Role: "Artisan boulanger", Email: "paul.morel@boulangerie.test"}}); err != nil {
		t.Fatal(err)
	}
	ben, start := s.recordedPlacement(t)
	convs, err := s.svc.Proposals.ConventionsOf(ctx, adv, ben.ID)
	if err != nil || len(convs) != 1 {
		t.Fatalf("conventions %+v %v", convs, err)
	}

	// The API, with the adviser's key.
	org, err := s.svc.Access.Organisation(ctx, adv.OrganisationID)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, _, err := access.IssueKey(ctx, s.db, org, access.Adviser, "Intégration", "test", time.Now(), ids.New)
	if err != nil {
		t.Fatal(err)
	}
	api := func(method, path string, body any, want int) []byte {
		t.Helper()
		var rdr io.Reader
		if body != nil {
			raw, _ := json.Marshal(body)
			rdr = bytes.NewReader(raw)
		}
		req, _ := http.NewRequest(method, s.URL+path, rdr)
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Accept-Language", "fr")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, out)
		}
		return out
	}
	var doc struct {
		ID, State   string
		Version     int64
		Signatories []struct{ Party, Email, SignedAs string }
	}
	read := func() {
		t.Helper()
		if err := json.Unmarshal(api("GET", "/api/v1/convention-documents/"+doc.ID, nil, http.StatusOK), &doc); err != nil {
			t.Fatal(err)
		}
	}
	draft := map[string]any{"beneficiaryEmail": "personne@parcours.test", "prescriberKind": "france-travail", "prescriberName": "Agence Lyon Part-Dieu",
		"schedule": "Du lundi au vendredi, 8 h – 12 h", "hoursPerWeek": 20, "place": "3 place du Marché, Lyon",
		"objectives": "Découvrir le pétrissage et la cuisson", "tasks": "Préparer les pâtes, enfourner, nettoyer le fournil",
		"risks": "Brûlures, charges", "equipment": "Gants anti-chaleur, chaussures de sécurité"}
	api("POST", "/api/v1/beneficiaries/"+ben.ID+"/conventions/"+convs[0].ID+"/document", map[string]any{"prescriberKind": "france-travail"}, http.StatusUnprocessableEntity)
	if err := json.Unmarshal(api("POST", "/api/v1/beneficiaries/"+ben.ID+"/conventions/"+convs[0].ID+"/document", draft, http.StatusCreated), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.State != "draft" || len(doc.Signatories) != 3 || doc.Signatories[1].Email != "paul.morel@boulangerie.test" {
		t.Fatalf("draft %+v", doc)
	}
	api("POST", "/api/v1/convention-documents/"+doc.ID+"/validate", nil, http.StatusConflict) // not signed yet
	api("POST", "/api/v1/convention-documents/"+doc.ID+"/send", nil, http.StatusOK)

	// Each party's link, received over SMTP.
	linkRE := regexp.MustCompile(regexp.QuoteMeta(s.URL) + `/signature/[^\s]+`)
	linkOf := func(addr string) string {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			for _, m := range s.smtp.MailsTo(addr) {
				if l := linkRE.FindString(m.Part("text/plain")); l != "" {
					return l
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("no signature link to %s within 30 s", addr)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	c := s.client("")
	sign := func(link, name string) (int, string) {
		t.Helper()
		res, err := c.PostForm(link, url.Values{"name": {name}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	links := map[string]string{}
	for _, sig := range doc.Signatories {
		links[sig.Party] = linkOf(sig.Email)
	}
	status, body := s.get(c, strings.TrimPrefix(links["host"], s.URL))
	if status != http.StatusOK || !strings.Contains(body, "Découvrir le pétrissage et la cuisson") || !strings.Contains(body, "Gants anti-chaleur") {
		t.Fatalf("the host's link opens %d without the whole convention", status)
	}
	if words := englishIn(t, body); len(words) > 0 {
		t.Errorf("the signature page shows English: %v", words)
	}
	// On a phone, the page passes axe.
	b := s.browser(390, 844)
	b.visit(strings.TrimPrefix(links["beneficiary"], s.URL))
	b.waitText("h1", "Convention de PMSMP à signer")
	b.axe()
	b.screenshot("pmsmp-signature")
	if status, _ := s.get(c, strings.TrimPrefix(links["host"], s.URL)+"x"); status != http.StatusNotFound {
		t.Errorf("a wrong secret opens %d, want 404", status)
	}
	// An expired link says so and changes nothing.
	stored, err := s.db.Document(ctx, adv.OrganisationID, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	keep := stored.Signatories[2].Expires
	stored.Signatories[2].Expires, stored.Version = time.Now().Add(-time.Minute), stored.Version+1
	if err := s.db.ReplaceDocument(ctx, stored); err != nil {
		t.Fatal(err)
	}
	if status, body := sign(links["structure"], "Trop tard"); status != http.StatusOK || !strings.Contains(body, "Ce lien a expiré") {
		t.Errorf("an expired link: %d", status)
	}
	if read(); doc.State != "sent" || doc.Signatories[2].SignedAs != "" {
		t.Errorf("an expired link changed the convention: %+v", doc)
	}
	stored.Signatories[2].Expires, stored.Version = keep, stored.Version+1
	if err := s.db.ReplaceDocument(ctx, stored); err != nil {
		t.Fatal(err)
	}
	for _, party := range []string{"beneficiary", "host", "structure"} {
		if status, body := sign(links[party], "Signé "+party); status != http.StatusOK || !strings.Contains(body, "Vous avez signé cette convention") {
			t.Fatalf("%s signs: %d", party, status)
		}
		read()
		want := map[string]string{"beneficiary": "partially-signed", "host": "partially-signed", "structure": "signed"}[party]
		if doc.State != want {
			t.Errorf("after %s signed, the convention is %s, want %s", party, doc.State, want)
		}
	}
	// A used link says so and changes nothing.
	version := doc.Version
	if status, body := sign(links["host"], "Quelqu'un d'autre"); status != http.StatusOK || !strings.Contains(body, "Ce lien ne sert plus") {
		t.Errorf("a used link: %d", status)
	}
	if read(); doc.Version != version || doc.Signatories[1].SignedAs != "Signé host" {
		t.Errorf("a used link changed the convention: %+v", doc)
	}

	api("POST", "/api/v1/convention-documents/"+doc.ID+"/validate", nil, http.StatusOK)
	// Two working days before the start, every party is reminded, once.
	day := start.AddDate(0, 0, -1)
	for day.Time().Weekday() == time.Saturday || day.Time().Weekday() == time.Sunday {
		day = day.AddDate(0, 0, -1)
	}
	for range 2 {
		if _, err := s.svc.Documents.Remind(ctx, day.Time().Add(9*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.smtp.WaitFor(ctx, "personne@parcours.test", 2); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	reminders := 0
	for _, m := range s.smtp.MailsTo("paul.morel@boulangerie.test") {
		if strings.Contains(m.Part("text/plain"), "commence le") {
			reminders++
		}
	}
	if reminders != 1 {
		t.Errorf("the tutor got %d reminders, want 1", reminders)
	}
	// The first day, the placement starts.
	if _, err := s.svc.Documents.Remind(ctx, start.Time().Add(8*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if read(); doc.State != "in-progress" {
		t.Errorf("on its first day the convention is %s", doc.State)
	}
	api("POST", "/api/v1/convention-documents/"+doc.ID+"/end", nil, http.StatusOK)
	api("POST", "/api/v1/convention-documents/"+doc.ID+"/assessment", map[string]any{"outcome": "completed", "skills": "Pétrissage, rigueur", "hired": true}, http.StatusUnprocessableEntity)
	// The tutor gives the assessment through the link the end sent.
	bilanRE := regexp.MustCompile(regexp.QuoteMeta(s.URL) + `/bilan/[^\s]+`)
	var bilan string
	for deadline := time.Now().Add(30 * time.Second); bilan == ""; time.Sleep(50 * time.Millisecond) {
		for _, m := range s.smtp.MailsTo("paul.morel@boulangerie.test") {
			if l := bilanRE.FindString(m.Part("text/plain")); l != "" {
				bilan = l
			}
		}
		if bilan == "" && time.Now().After(deadline) {
			t.Fatal("no assessment link to the tutor within 30 s")
		}
	}
	b.visit(strings.TrimPrefix(bilan, s.URL))
	b.waitText("h1", "Bilan de la PMSMP")
	b.axe()
	b.screenshot("pmsmp-assessment")
	res, err := c.PostForm(bilan, url.Values{"outcome": {"completed"}, "skills": {"Pétrissage, rigueur"}, "hired": {"true"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(page), `id="e-contract"`) {
		t.Errorf("a hire without its contract: %d", res.StatusCode)
	}
	res, err = c.PostForm(bilan, url.Values{"outcome": {"completed"}, "skills": {"Pétrissage, rigueur"}, "hired": {"true"}, "contract": {"cdi"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "le bilan est enregistré") {
		t.Errorf("the tutor's assessment: %d", res.StatusCode)
	}
	if read(); doc.State != "assessed" {
		t.Errorf("after the tutor's assessment the convention is %s", doc.State)
	}
	api("POST", "/api/v1/convention-documents/"+doc.ID+"/assessment", map[string]any{"outcome": "completed", "hired": false}, http.StatusConflict)
	sits, err := s.svc.Beneficiaries.ListSituations(ctx, adv, ben.ID)
	if err != nil {
		t.Fatal(err)
	}
	var hired bool
	for _, x := range sits {
		hired = hired || (x.Kind == pathways.SituationCDI && x.Start == start.AddDate(0, 0, 14))
	}
	if !hired {
		t.Errorf("the hire is not a situation: %+v", sits)
	}

	// The PDF holds the parties, the dates and the objectives.
	raw := api("GET", "/api/v1/convention-documents/"+doc.ID+"/pdf", nil, http.StatusOK)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no pdftotext: .ci/run installs poppler-utils to read the PDF")
		}
		t.Skip("no pdftotext on this machine (apt-get install poppler-utils)")
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(raw)
	text, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{ben.FirstName + " " + ben.LastName, "Boulangerie du Marché", "55208131766522", "Paul Morel",
		"du " + start.French() + " au " + start.AddDate(0, 0, 13).French(), "Découvrir le pétrissage et la cuisson", "Signé beneficiary"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
}
