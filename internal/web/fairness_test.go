package web_test

import (
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
	if status, _ := s.get(s.client(s.session("adviser")), "/equite"); status != http.StatusForbidden && status != http.StatusNotFound {
		t.Errorf("an adviser reaches the fairness page: %d", status)
	}
}
