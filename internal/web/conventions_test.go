package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/pmsmp"
	"github.com/parcours-emploi/parcours/proposals"
)

// An adviser renews a PMSMP convention from the person's pathway: an end
// past one month is refused next to the field, a valid one is recorded and
// the pathway shows the renewal, which cannot be renewed again.
func TestAnAdviserRenewsAConvention(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	adv := s.principal("adviser")
	if _, err := s.svc.Opportunities.CreateHost(ctx, adv, jobs.Host{SIRET: "55208131766522", Name: "Boulangerie du Marché"}); err != nil {
		t.Fatal(err)
	}
	ben, start := s.recordedPlacement(t)

	b := s.browser(1280, 900)
	b.login("adviser")
	b.visit("/beneficiaires/" + ben.ID + "?onglet=parcours")
	b.waitText("#panel", "Convention de PMSMP avec Boulangerie du Marché (SIRET 55208131766522)")
	b.click(`#panel a[href$="/renouvellement"]`)
	b.waitPath("/beneficiaires/" + ben.ID + "/conventions/")
	b.waitText("h1", "Renouveler la convention de PMSMP")
	b.axe()
	b.screenshot("adviser-convention-renewal")
	renewalStart := start.AddDate(0, 0, 14)
	b.fill(map[string]string{"endDate": string(renewalStart.AddDate(0, 1, 3))})
	b.click(`main form button[type="submit"]`)
	b.waitText("#erreurs", "Dernier jour du renouvellement")
	if e := b.text(`[id="e-endDate"]`); !strings.Contains(e, "un mois") {
		t.Errorf("the end date's error reads %q", e)
	}
	b.axe()
	b.fill(map[string]string{"endDate": string(renewalStart.AddDate(0, 0, 9))})
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "La convention est renouvelée")
	b.waitText("#panel", "Renouvellement de la PMSMP avec Boulangerie du Marché (SIRET 55208131766522)")
	if n := run(b, chromedp.Evaluate[int](`document.querySelectorAll('#panel a[href$="/renouvellement"]').length`)); n != 0 {
		t.Errorf("%d renewal links after the renewal, want none", n)
	}
	convs, err := s.svc.Proposals.ConventionsOf(ctx, adv, ben.ID)
	if err != nil || len(convs) != 2 || convs[1].RenewalOf != convs[0].ID || civil.Of(convs[1].End) != renewalStart.AddDate(0, 0, 9) {
		t.Errorf("conventions %+v %v", convs, err)
	}
}

// The PMSMP form offers the directory's hosts as one types their name.
func TestThePMSMPFormOffersTheDirectorysHosts(t *testing.T) {
	s := newSite(t)
	b := s.browser(1280, 900)
	b.login("adviser")
	b.visit("/opportunites/nouvelle?type=pmsmp")
	run(b, chromedp.SendKeys(`[id="f-pmsmp.siret"]`, "ferme"))
	deadline := time.Now().Add(20 * time.Second)
	for run(b, chromedp.Evaluate[int](`document.querySelectorAll('[id="l-pmsmp.siret"] option[value="81234567800013"]').length`)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the host list offers no Ferme des Monts: %s", run(b, chromedp.Evaluate[string](`document.getElementById("l-pmsmp.siret").innerHTML`)))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if label := run(b, chromedp.Evaluate[string](`document.querySelector('[id="l-pmsmp.siret"] option').textContent`)); !strings.Contains(label, "Ferme des Monts") {
		t.Errorf("the option reads %q", label)
	}
	b.axe()
	b.screenshot("adviser-pmsmp-form")
}

// recordedPlacement gives a demo person a PMSMP discovery placement at the
// bakery whose SIRET is 55208131766522, starting in 20 days for 14 days,
// accepted: its convention is recorded.
func (s *site) recordedPlacement(t *testing.T) (pathways.Beneficiary, civil.Date) {
	t.Helper()
	ctx := context.Background()
	adv := s.principal("adviser")
	list, _, err := s.svc.Beneficiaries.List(ctx, adv, benAll())
	if err != nil || len(list) == 0 {
		t.Fatalf("no beneficiary: %v", err)
	}
	ben := list[0]
	start := civil.InFrance(time.Now()).AddDate(0, 0, 20)
	at := ben.Address.Location
	if at == nil {
		at = &geo.Point{Lat: 45.75, Lon: 4.85}
	}
	o, err := s.svc.Opportunities.Create(ctx, adv, jobs.Opportunity{Kind: jobs.KindPMSMP, Title: "Découverte de la boulangerie", ROME: "D1102",
		Place: geo.Place{Department: ben.Department, Postcode: ben.Address.Postcode, City: ben.Address.City, Location: at},
		Start: start, End: start.AddDate(0, 0, 13), Positions: 1, PMSMP: &jobs.PMSMP{HostID: "55208131766522", Objective: pmsmp.Discover}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.svc.Proposals.Propose(ctx, adv, ben.ID, proposals.KindPMSMP, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() (proposals.Proposal, error){
		func() (proposals.Proposal, error) { return s.svc.Proposals.Approve(ctx, adv, p.ID) },
		func() (proposals.Proposal, error) { return s.svc.Proposals.Send(ctx, adv, p.ID) },
		func() (proposals.Proposal, error) { return s.svc.Proposals.Answer(ctx, adv, p.ID, true, "") },
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return ben, start
}
