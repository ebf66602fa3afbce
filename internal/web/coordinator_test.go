package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/demo"
	"github.com/parcours-emploi/parcours/proposals"
)

// api reads the JSON API with a persona's key.
func (s *site) api(t *testing.T, persona, path, accept string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+s.world.Personas[persona].APIKey)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
	}
	return b
}

// A coordinator's day before a funder's deadline: the outcome charts, their
// tables and CSV hold the numbers the API gives; a new adviser is invited
// and logs in from the e-mail; the audit log shows who read what.
func TestACoordinatorReportsOutcomesAndInvitesAnAdviser(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("coordinator")
	ctx := context.Background()

	b.visit("/resultats")
	b.waitText("h1", "Sorties positives")
	b.axe()
	b.screenshot("coordinator-outcomes")
	programme := run(b, chromedp.Evaluate[string](`document.getElementById("f-programme").value`))
	for _, h := range []string{"6", "12"} {
		var report struct {
			Cohorts []struct {
				Cohort                       string
				Enrolled, Excluded, Measured int
				Positive                     int
				RatePercent                  float64
			}
		}
		if err := json.Unmarshal(s.api(t, "coordinator", "/api/v1/reports/positive-exits?programme="+url.QueryEscape(programme)+"&horizon="+h, ""), &report); err != nil {
			t.Fatal(err)
		}
		if len(report.Cohorts) == 0 {
			t.Fatalf("the API reports no cohort at T+%s", h)
		}
		rows := run(b, chromedp.Evaluate[[][]string](`[...document.querySelectorAll("#t`+h+` tbody tr")].map(r => [...r.cells].map(c => c.textContent.trim()))`))
		bars := run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#h-t`+h+` ~ figure svg text[font-weight=bold]")].map(t => t.textContent)`))
		if len(rows) != len(report.Cohorts) {
			t.Fatalf("T+%s: the table has %d rows, the API %d cohorts", h, len(rows), len(report.Cohorts))
		}
		for i, c := range report.Cohorts {
			want := []string{c.Cohort, strconv.Itoa(c.Enrolled), strconv.Itoa(c.Excluded), strconv.Itoa(c.Measured), strconv.Itoa(c.Positive)}
			for j, w := range want {
				if rows[i][j] != w {
					t.Errorf("T+%s, cohort %s, column %d: the table says %q, the API %q", h, c.Cohort, j, rows[i][j], w)
				}
			}
			rate := strings.Replace(strconv.FormatFloat(c.RatePercent, 'f', 1, 64), ".", ",", 1) + " %"
			if c.Measured > 0 && (rows[i][5] != rate || !contains(bars, rate)) {
				t.Errorf("T+%s, cohort %s: the rate is %q in the table and %v on the chart, the API says %s", h, c.Cohort, rows[i][5], bars, rate)
			}
		}
		// The CSV is the API's, byte for byte.
		href := run(b, chromedp.Evaluate[string](`document.querySelector("a[href^='/resultats.csv'][href$='horizon=`+h+`']").getAttribute("href")`))
		status, body := s.get(s.client(s.session("coordinator")), href)
		apiCSV := s.api(t, "coordinator", "/api/v1/reports/positive-exits?programme="+url.QueryEscape(programme)+"&horizon="+h, "text/csv")
		if status != http.StatusOK || body != string(apiCSV) {
			t.Errorf("T+%s: the page's CSV (%d) differs from the API's:\n%s\n---\n%s", h, status, body, apiCSV)
		}
		if _, err := csv.NewReader(strings.NewReader(body)).ReadAll(); err != nil {
			t.Errorf("T+%s: the CSV does not read: %v", h, err)
		}
	}
	if !strings.Contains(b.text("#h-t6 ~ figure"), "Objectif 60") {
		t.Errorf("the AGIR target line is not drawn")
	}
	// The exits table holds the API's exits report, cohort by cohort.
	var exits struct {
		Cohorts []struct {
			Cohort                               string
			Enrolled, Exited, Excluded           int
			AccessedEmployment, AccessedTraining int
			AccessedEmploymentOrTraining         int
			HousingAtExit                        map[string]int
		}
	}
	if err := json.Unmarshal(s.api(t, "coordinator", "/api/v1/reports/exits?programme="+url.QueryEscape(programme), ""), &exits); err != nil {
		t.Fatal(err)
	}
	rows := run(b, chromedp.Evaluate[[][]string](`[...document.querySelectorAll("#t-exits tbody tr")].map(r => [...r.cells].map(c => c.textContent.trim()))`))
	if len(rows) != len(exits.Cohorts) || len(rows) == 0 {
		t.Fatalf("the exits table has %d rows, the API %d cohorts", len(rows), len(exits.Cohorts))
	}
	exited := 0
	for i, c := range exits.Cohorts {
		h := c.HousingAtExit
		want := []string{c.Cohort}
		for _, n := range []int{c.Enrolled, c.Exited, c.Excluded, c.AccessedEmployment, c.AccessedTraining, c.AccessedEmploymentOrTraining,
			h["autonomous"], h["privateLandlord"], h["socialLandlord"], h["supported"], h["other"], h["unknown"]} {
			want = append(want, strconv.Itoa(n))
		}
		if diff := cmp.Diff(want, rows[i]); diff != "" {
			t.Errorf("exits of cohort %s (-API +table):\n%s", c.Cohort, diff)
		}
		exited += c.Exited
	}
	if exited == 0 {
		t.Errorf("the demo has nobody who left: the exits table shows nothing to check")
	}
	// The coordinator measures on demand; the page says what it did.
	b.click(`form[action="/resultats/mesure"] button[type="submit"]`)
	b.waitText("#messages", "La mesure est à jour")
	b.axe()

	// Invite an adviser, who logs in from the e-mail.
	b.visit("/equipe")
	b.fill(map[string]string{"firstName": "Inès", "lastName": "Moreau", "email": "ines.moreau@agir-rhone.demo"})
	b.click(`form[action="/equipe/invitations"] button[type="submit"]`)
	b.waitText("#messages", "L'invitation est envoyée")
	b.axe()
	u, err := s.svc.Access.UserByEmail(ctx, "ines.moreau@agir-rhone.demo")
	if err != nil || u.Role != access.Adviser || u.OrganisationID != s.persona("coordinator").OrganisationID {
		t.Fatalf("the invited user: %+v %v", u, err)
	}
	mails, err := s.smtp.WaitFor(ctx, u.Email, 1)
	if err != nil || !strings.Contains(mails[0].Subject(), "Claire Martin vous invite") || !strings.Contains(mails[0].Part("text/plain"), "7 jours") {
		t.Fatalf("the invitation: %v %q", err, mails)
	}
	link := s.linkFrom(u.Email, 1)
	ines := s.browser(1280, 900)
	ines.visit(strings.TrimPrefix(link, s.URL))
	ines.click(`main form button[type="submit"]`)
	ines.waitPath("/accueil")
	if who := ines.text(".who"); who != "Inès Moreau" {
		t.Errorf("the invited adviser is logged in as %q", who)
	}
	// An address taken is named, and nothing is created.
	b.visit("/equipe")
	b.fill(map[string]string{"firstName": "Karim", "lastName": "Bis", "email": s.persona("adviser").Email})
	b.click(`form[action="/equipe/invitations"] button[type="submit"]`)
	b.waitText("#erreurs", "Adresse e-mail : quelqu'un a déjà un compte avec cette adresse")
	b.axe()

	// A partner agency's new key: its secret shown once, working at once;
	// then revoked.
	agencyName := s.world.Orgs[demo.Agency].Name
	if !strings.Contains(b.text("main"), agencyName) {
		t.Errorf("the demo's partner agency %s is not listed", agencyName)
	}
	b.fill(map[string]string{"agency": agencyName, "label": "ERP intérim"})
	b.click(`form[action="/equipe/cles"] button[type="submit"]`)
	b.waitText(".secret", "ERP intérim")
	secret := b.text(".secret-value")
	b.axe()
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/agency/proposals", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if !strings.HasPrefix(secret, "prc_") || res.StatusCode != http.StatusOK {
		t.Fatalf("the new key %q answers %d", secret, res.StatusCode)
	}
	b.visit("/equipe")
	if strings.Contains(b.text("main"), secret) {
		t.Errorf("the secret is shown again")
	}
	var created access.Key
	for _, k := range mustKeys(t, s, "agency") {
		if k.Label == "ERP intérim" {
			created = k
		}
	}
	b.click(`form[action="/equipe/cles/` + created.ID + `/revoquer"] button`)
	b.waitText("#messages", "La clé est révoquée")
	for _, k := range mustKeys(t, s, "agency") {
		if (k.ID == created.ID) != (k.RevokedAt != nil) {
			t.Errorf("key %s (%s): revoked %v", k.ID, k.Label, k.RevokedAt != nil)
		}
	}

	// The audit log: the coordinator filters on the adviser.
	b.visit("/journal?utilisateur=" + s.persona("adviser").ID)
	b.axe()
	b.screenshot("coordinator-audit")
	if n := b.rows("main"); n == 0 {
		t.Errorf("the audit log shows nothing of the adviser")
	}
	status, body := s.get(s.client(s.session("coordinator")), "/journal.csv?utilisateur="+s.persona("adviser").ID)
	if status != http.StatusOK || !strings.HasPrefix(body, "at,day,time,userId,user,action") || strings.Count(body, "\n") < 2 {
		t.Errorf("the audit CSV: %d\n%s", status, body)
	}
	// An adviser may not read it.
	if status, _ := s.get(s.client(s.session("adviser")), "/journal"); status != http.StatusNotFound {
		t.Errorf("an adviser opening the audit log: %d", status)
	}
}

// An agency answers, from its page, a candidate sent on its opening.
func TestAnAgencyAnswersOnItsPage(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("agency")
	b.visit("/agence")
	b.waitText("h1", "Candidatures")
	b.axe()
	b.screenshot("agency")
	if last := b.text("section[aria-labelledby=h-last]"); !strings.Contains(last, "LYO-2026-007") {
		t.Errorf("the last submission's refused item is not shown:\n%s", last)
	}
	id := run(b, chromedp.Evaluate[string](`(f => f ? f.getAttribute("action").split("/")[3] : "")(document.querySelector("form[action$='/decliner']"))`))
	if id == "" {
		t.Fatal("no candidate to answer on the agency's page")
	}
	b.do(chromedp.SetValue(`#r-`+id, "Poste pourvu entre-temps"))
	b.click(`form[action="/agence/propositions/` + id + `/decliner"] button`)
	b.waitText("#messages", "déclinée")
	p, err := s.svc.Proposals.Get(context.Background(), s.principal("adviser"), id)
	if err != nil || p.State != proposals.Declined || p.DeclineReason != "Poste pourvu entre-temps" {
		t.Errorf("after the agency's answer: %s %q %v", p.State, p.DeclineReason, err)
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// mustKeys lists the keys of a persona's organisation.
func mustKeys(t *testing.T, s *site, persona string) []access.Key {
	t.Helper()
	keys, err := s.svc.Access.Keys(context.Background(), s.persona(persona).OrganisationID)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}
