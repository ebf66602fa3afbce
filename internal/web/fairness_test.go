package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A coordinator reads the funnel by group before a funder's review: the
// table holds the API's figures, cell by cell, small cells read "< 10",
// and the CSV is the API's; advisers do not reach the page.
func TestACoordinatorReadsTheFunnelByGroup(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("coordinator")
	b.visit("/equite")
	b.waitText("h1", "Équité")
	b.axe()
	b.screenshot("coordinator-fairness")
	if text := b.text("#t-fairness"); strings.Contains(text, "fairness.") {
		t.Errorf("the table shows a message key: %q", text)
	}
	programme := run(b, chromedp.Evaluate[string](`document.getElementById("f-programme").value`))
	from := run(b, chromedp.Evaluate[string](`document.getElementById("f-du").value`))
	to := run(b, chromedp.Evaluate[string](`document.getElementById("f-au").value`))
	var report struct {
		Stages []struct {
			Stage string
			Cells []struct {
				Group      string
				Suppressed bool
				Count      *int
			}
		}
	}
	q := "programme=" + url.QueryEscape(programme) + "&attribute=sex&from=" + from + "&to=" + to
	if err := json.Unmarshal(s.api(t, "coordinator", "/api/v1/reports/fairness?"+q, ""), &report); err != nil {
		t.Fatal(err)
	}
	rows := run(b, chromedp.Evaluate[[][]string](`[...document.querySelectorAll("#t-fairness tbody tr")].map(r => [...r.querySelectorAll("th[scope=row], td")].map(c => c.textContent.trim()))`))
	var want [][]string
	for _, st := range report.Stages {
		for _, c := range st.Cells {
			n := "< 10"
			if !c.Suppressed {
				n = strconv.Itoa(*c.Count)
			}
			want = append(want, []string{c.Group, n})
		}
	}
	if len(rows) != len(want) || len(rows) == 0 {
		t.Fatalf("the table has %d rows, the API %d cells", len(rows), len(want))
	}
	label := map[string]string{"female": "Femmes", "male": "Hommes", "not-provided": "Non renseigné", "other": "Autre"}
	for i, w := range want {
		if !strings.HasPrefix(rows[i][0], label[w[0]]) || rows[i][1] != w[1] {
			t.Errorf("row %d: the table says %v, the API %v", i, rows[i][:2], w)
		}
	}
	href := run(b, chromedp.Evaluate[string](`document.querySelector("a[href^='/equite.csv']").getAttribute("href")`))
	status, body := s.get(s.client(s.session("coordinator")), href)
	if status != http.StatusOK || body != string(s.api(t, "coordinator", "/api/v1/reports/fairness?"+q, "text/csv")) {
		t.Errorf("the page's CSV (%d) differs from the API's:\n%s", status, body)
	}
	// The coordinator picks the reference group: the men.
	b.fill(map[string]string{"reference": "male"})
	b.click(`form[action="/equite"] button[type="submit"]`)
	b.waitQuery("reference=male")
	if got := b.text("#t-fairness"); !strings.Contains(got, "Hommes (référence)") {
		t.Errorf("the reference chosen is not the men: %q", got)
	}
	if status, _ := s.get(s.client(s.session("adviser")), "/equite"); status != http.StatusForbidden && status != http.StatusNotFound {
		t.Errorf("an adviser reaches the fairness page: %d", status)
	}
}

// An adviser records, with the person's consent, their sex and
// nationality from the file: the page says when, never what; a bad value
// is named next to its field.
func TestAnAdviserRecordsTheMonitoringAttributes(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("adviser")
	ben := s.world.Beneficiaries[4]
	b.visit("/beneficiaires/" + ben.ID + "?onglet=profil")
	b.click(`a[href="/beneficiaires/` + ben.ID + `/equite"]`)
	b.waitText("h1", "Suivi de l'équité")
	b.axe()
	run(b, chromedp.Evaluate[bool](`(() => { const o = document.createElement("option"); o.value = "ZZ"; o.text = "ZZ"; document.getElementById("f-nationality").append(o); return true })()`))
	b.fill(map[string]string{"sex": "female", "nationality": "ZZ"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#e-nationality", "code ISO")
	b.axe()
	b.fill(map[string]string{"sex": "female", "nationality": "ER"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "à part du dossier")
	rec, err := s.db.MonitoringOf(context.Background(), ben.OrganisationID, []string{ben.ID})
	if err != nil || rec[ben.ID].Sex != "female" || rec[ben.ID].Nationality != "ER" {
		t.Fatalf("recorded %+v %v", rec, err)
	}
	b.visit("/beneficiaires/" + ben.ID + "/equite")
	if text := b.text("main"); !strings.Contains(text, "Renseigné le") || run(b, chromedp.Evaluate[string](`document.getElementById("f-nationality").value`)) != "" {
		t.Errorf("the page shows back what was recorded: %q", text)
	}
}
