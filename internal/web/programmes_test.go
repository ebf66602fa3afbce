package web_test

import (
	"context"
	"strings"
	"testing"
)

// A coordinator adds a programme: a mistyped horizon is named next to its
// field and nothing is created; a name the organisation has under another
// spelling is refused; the programme added lists with its settings, and a
// file can be enrolled in it at once.
func TestACoordinatorAddsAProgramme(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	b := s.browser(1280, 900)
	b.login("coordinator")
	b.visit("/dispositifs")
	b.waitText("h1", "Dispositifs")
	b.axe()
	b.fill(map[string]string{"name": "Booster Drôme", "ruleSet": "iae", "horizons": "6, douze", "exitHorizons": "3", "targetRate": "55"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#e-horizons", "Des nombres de mois")
	b.axe()
	before, err := s.svc.Beneficiaries.ListProgrammes(ctx, s.principal("coordinator"))
	if err != nil {
		t.Fatal(err)
	}
	b.fill(map[string]string{"name": "agir", "horizons": "6, 12"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#e-name", "déjà un dispositif")
	b.fill(map[string]string{"name": "Booster Drôme", "horizons": "6, 12, 24"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "Le dispositif est ajouté")
	b.axe()
	b.screenshot("coordinator-programmes")
	after, err := s.svc.Beneficiaries.ListProgrammes(ctx, s.principal("coordinator"))
	if err != nil || len(after) != len(before)+1 {
		t.Fatalf("%d programmes after, %d before (%v)", len(after), len(before), err)
	}
	p, err := s.svc.Beneficiaries.Programme(ctx, s.principal("adviser"), "booster drome")
	if err != nil || p.RuleSet != "iae" || len(p.Horizons) != 3 || p.Horizons[2] != 24 || len(p.ExitHorizons) != 1 || p.TargetRate == nil || *p.TargetRate != 55 {
		t.Fatalf("the programme added: %+v %v", p, err)
	}
	if text := b.text("main table"); !containsAll(text, "Booster Drôme", "T+24", "3 mois après la sortie", "55,0 %") {
		t.Errorf("the list reads %q", text)
	}
	// Its settings change from the same page.
	b.click(`a[href="/dispositifs/` + p.ID + `#h-new"]`)
	b.waitText("#h-new", "Booster Drôme")
	b.fill(map[string]string{"targetRate": "58"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "Les réglages du dispositif sont enregistrés")
	if p, err = s.svc.Beneficiaries.Programme(ctx, s.principal("adviser"), p.ID); err != nil || *p.TargetRate != 58 || len(p.Horizons) != 3 {
		t.Errorf("after the change: %+v %v", p, err)
	}
	// Advisers enrol files in it from the profile form's list.
	adv := s.browser(1280, 900)
	adv.login("adviser")
	adv.visit("/beneficiaires/nouveau")
	options := adv.text("#f-enrolment\\.programme")
	if !containsAll(options, "AGIR", "Booster Drôme") {
		t.Errorf("the programme list offers %q", options)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
