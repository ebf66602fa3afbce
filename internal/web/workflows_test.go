package web_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// choose picks a value of a select as a person would, so that the page's
// scripts hear the change.
func (b *browser) choose(sel, value string) {
	b.t.Helper()
	ok := run(b, chromedp.Evaluate[bool](`(s => { if (!s) return false; s.value = `+jsString(value)+`; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value === `+jsString(value)+` })(document.querySelector(`+jsString(sel)+`))`))
	if !ok {
		b.t.Fatalf("%s has no option %q", sel, value)
	}
}

// rows counts the rows of a table body.
func (b *browser) rows(sel string) int {
	b.t.Helper()
	return run(b, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel+" tbody tr")+`).length`))
}

// An adviser publishes a job offer: sent incomplete, the form says what is
// missing; complete, the offer opens on its page with its trade in words;
// edited, it says so; closed, it leaves the open list.
func TestAnAdviserPublishesEditsAndClosesAnOffer(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("adviser")
	ctx := context.Background()

	b.visit("/opportunites/nouvelle?type=job")
	b.click(`main form button[type="submit"]`)
	b.waitText("#erreurs", "Intitulé")
	summary := b.text("#erreurs")
	for _, want := range []string{"Intitulé", "Code ROME du métier", "Type de contrat"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary does not name %s:\n%s", want, summary)
		}
	}
	b.axe()

	// Typing words of the trade, the ROME field offers the codes found.
	run(b, chromedp.SendKeys(`[id="f-rome"]`, "agent nettoyage indus"))
	deadline := time.Now().Add(20 * time.Second)
	for run(b, chromedp.Evaluate[int](`document.querySelectorAll('[id="l-rome"] option[value="K2204"]').length`)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the ROME list offers no K2204 after typing: %s", run(b, chromedp.Evaluate[string](`document.getElementById("l-rome").innerHTML`)))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if label := run(b, chromedp.Evaluate[string](`document.querySelector('[id="l-rome"] option[value="K2204"]').textContent`)); !strings.Contains(label, "Agent / Agente de nettoyage industriel") {
		t.Errorf("the option reads %q", label)
	}
	b.axe()

	b.fill(map[string]string{"title": "Agent(e) de propreté", "employer": "Net Services Lyon", "rome": "K2204", "positions": "2",
		"contract.type": "cdd", "contract.months": "6", "place.city": "Lyon", "place.postcode": "69007"})
	b.click(`main form button[type="submit"]`)
	b.waitPath("/opportunites/opp_")
	b.waitText("#messages", "L'offre est publiée")
	if facts := b.text(".facts"); !strings.Contains(facts, "Agent / Agente de nettoyage industriel") {
		t.Errorf("the trade is not in words:\n%s", facts)
	}
	b.axe()
	b.screenshot("adviser-opportunity")
	id := strings.TrimPrefix(strings.SplitN(b.path(), "?", 2)[0], "/opportunites/")

	b.click(`a[href="/opportunites/` + id + `/modifier"]`)
	b.waitPath("/opportunites/" + id + "/modifier")
	b.fill(map[string]string{"positions": "3"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "L'offre est enregistrée")
	if o, err := s.svc.Opportunities.Get(ctx, s.principal("adviser"), id); err != nil || o.Positions != 3 || o.Contract == nil || o.Contract.Months != 6 {
		t.Fatalf("after the edit: %+v %v", o, err)
	}

	b.click(`form[action="/opportunites/` + id + `/fermer"] button`)
	b.waitText("#messages", "L'offre est fermée")
	if o, _ := s.svc.Opportunities.Get(ctx, s.principal("adviser"), id); o.Status != jobs.StatusClosed {
		t.Errorf("after closing, the offer is %s", o.Status)
	}
	b.visit("/opportunites")
	if strings.Contains(b.text("#results"), "Agent(e) de propreté") {
		t.Errorf("the closed offer is still in the open list")
	}
}

// A batch launched from the console runs on the workers while its page
// follows the progress, then shows what it proposed: the rows selected are
// approved together, and its instance downloads in DIMACS.
func TestABatchIsLaunchedWatchedAndReviewed(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("adviser")
	ctx := context.Background()

	b.visit("/lots")
	b.choose(`[id="f-kind"]`, "pmsmp")
	b.fill(map[string]string{"scope.department": "69"})
	b.click(`main form[action="/lots"] button[type="submit"]`)
	b.waitPath("/lots/bat_")
	id := strings.TrimPrefix(strings.SplitN(b.path(), "?", 2)[0], "/lots/")
	b.waitText("#progress", "terminé")
	b.do(chromedp.WaitVisible("#review"))
	b.axe()
	b.screenshot("adviser-batch")

	got, err := s.svc.Batches.Batch(ctx, s.persona("adviser").OrganisationID, id)
	if err != nil || got.Status != batches.Done || got.Counts.Assigned == 0 {
		t.Fatalf("the batch: %+v %v", got, err)
	}
	if n := b.rows("#review"); n != got.Counts.Assigned && n != 100 {
		t.Errorf("the page lists %d proposals, the batch assigned %d", n, got.Counts.Assigned)
	}
	boxes := run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#review-rows input[name=ids]")].slice(0, 2).map(c => { c.click(); return c.value })`))
	if len(boxes) == 0 {
		t.Fatal("no proposal to select")
	}
	b.click(`#review .actions button[type="submit"]`)
	b.waitText("#messages", "Les propositions sélectionnées sont validées")
	for _, pid := range boxes {
		if p, err := s.svc.Proposals.Get(ctx, s.principal("adviser"), pid); err != nil || p.State != proposals.Approved {
			t.Errorf("the selected proposal %s is %s (%v)", pid, p.State, err)
		}
	}
	rest, _, err := s.svc.Proposals.List(ctx, s.principal("adviser"), proposals.Filter{BatchID: id, States: []proposals.State{proposals.Approved}, Limit: 200})
	if err != nil || len(rest) != len(boxes) {
		t.Errorf("%d proposals of the batch approved, %d selected (%v)", len(rest), len(boxes), err)
	}

	res, err := s.client(s.session("adviser")).Get(s.URL + "/lots/" + id + "/dimacs")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(string(body), "\np min ") {
		t.Errorf("the DIMACS download: %d %q, starts %q", res.StatusCode, res.Header.Get("Content-Disposition"), firstLines(string(body), 3))
	}
}

// Filters live in the address: chosen, they go into it; a file opened
// from the list and Back return to the same list, its filter still chosen.
func TestFiltersSurviveBack(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("adviser")
	want, _, err := s.svc.Beneficiaries.List(context.Background(), s.principal("adviser"), pathways.Filter{Cohort: "2026-A", Limit: 200})
	if err != nil || len(want) == 0 {
		t.Fatalf("the cohort 2026-A: %d people, %v", len(want), err)
	}

	b.visit("/beneficiaires?referent=tous")
	b.choose("#f-cohorte", "2026-A")
	b.waitQuery("cohorte=2026-A")
	b.waitText("#results caption", strconv.Itoa(len(want))+" personnes")
	b.click(`#results a[href^="/beneficiaires/ben_"]`)
	b.waitPath("/beneficiaires/ben_")
	b.do(chromedp.NavigateBack())
	b.waitQuery("cohorte=2026-A")
	b.waitLoaded()
	b.waitText("#results caption", strconv.Itoa(len(want))+" personnes")
	if v := run(b, chromedp.Evaluate[string](`document.getElementById("f-cohorte").value`)); v != "2026-A" {
		t.Errorf("after Back, the cohort filter shows %q", v)
	}
	if n := b.rows("#results"); n != len(want) {
		t.Errorf("after Back, %d rows, want %d", n, len(want))
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// A second batch of the same kind while one is under way: the form says so
// and nothing is launched.
func TestASecondBatchOfAKindWaits(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	w := s.principal("adviser")
	// A batch under way (recorded running: no worker takes it).
	now := time.Now().UTC().Truncate(time.Millisecond)
	if err := s.db.CreateBatch(ctx, batches.Batch{ID: "bat_underway", OrganisationID: w.OrganisationID, Kind: proposals.KindTraining,
		Status: batches.Running, CreatedBy: w.UserID, CreatedAt: now, StartedAt: &now, Progress: batches.Progress{Phase: "load"}}); err != nil {
		t.Fatal(err)
	}
	before, _ := s.svc.Batches.List(ctx, w.OrganisationID, 100)
	b := s.browser(1280, 900)
	b.login("adviser")
	b.visit("/lots")
	b.choose(`[id="f-kind"]`, "training")
	b.click(`main form[action="/lots"] button[type="submit"]`)
	b.waitText("#erreurs", "déjà en cours")
	b.axe()
	if after, _ := s.svc.Batches.List(ctx, w.OrganisationID, 100); len(after) != len(before) {
		t.Errorf("%d batches before, %d after the refused one", len(before), len(after))
	}
}
