package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parcours-emploi/parcours/pathways"
)

// An adviser learns that a contract ended in its trial period: from the
// pathway, the situation's page ends it with the reason (asked for when
// missing, next to its field), then the history shows what it was. A
// situation recorded in the wrong file is voided the same way and no
// longer counted.
func TestAnAdviserEndsAndVoidsASituation(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	adv := s.principal("adviser")
	var ben pathways.Beneficiary
	var cdi pathways.Situation
	for _, b := range s.world.Beneficiaries {
		sits, err := s.svc.Beneficiaries.ListSituations(ctx, adv, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range sits {
			if x.Kind == pathways.SituationCDI && x.End == "" && x.Voided == nil {
				ben, cdi = b, x
			}
		}
		if cdi.ID != "" {
			break
		}
	}
	if cdi.ID == "" {
		t.Fatal("the demo has no open CDI to end")
	}
	b := s.browser(1280, 900)
	b.login("adviser")
	b.visit("/beneficiaires/" + ben.ID + "?onglet=parcours")
	b.click(`a[href="/beneficiaires/` + ben.ID + `/situations/` + cdi.ID + `"]`)
	b.waitText("h1", "CDI")
	b.axe()
	b.fill(map[string]string{"endDate": string(cdi.Start.AddDate(0, 2, 0))})
	b.click(`main form button[type="submit"]`)
	b.waitText("#e-reason", "À renseigner")
	b.axe()
	b.fill(map[string]string{"reason": "Rupture pendant la période d'essai"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "La situation est terminée")
	_, got, err := s.svc.Beneficiaries.SituationOf(ctx, adv, ben.ID, cdi.ID)
	if err != nil || got.End != cdi.Start.AddDate(0, 2, 0) || len(got.History) != 1 || got.History[0].By != adv.UserID {
		t.Fatalf("after the end: %+v %v", got, err)
	}
	b.visit("/beneficiaires/" + ben.ID + "/situations/" + cdi.ID)
	if h := b.text("ol.timeline"); !strings.Contains(h, "Terminée avant terme") || !strings.Contains(h, "Rupture pendant la période d'essai") {
		t.Errorf("the history reads %q", h)
	}
	b.screenshot("adviser-situation-history")

	b.visit("/beneficiaires/" + ben.ID + "/situations/" + cdi.ID + "?action=annulation")
	b.fill(map[string]string{"reason": "Saisie dans le mauvais dossier"})
	b.click(`main form button[type="submit"]`)
	b.waitText("#messages", "La saisie est annulée")
	b.axe()
	if _, got, err = s.svc.Beneficiaries.SituationOf(ctx, adv, ben.ID, cdi.ID); err != nil || got.Voided == nil || len(pathways.Counted([]pathways.Situation{got})) != 0 {
		t.Errorf("after voiding: %+v %v", got, err)
	}
	if !strings.Contains(b.text("ol.timeline"), "annulée") {
		t.Errorf("the pathway does not say the situation is voided")
	}
}
