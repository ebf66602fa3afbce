package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/proposals"
)

// Two hosts' SIRETs.
const (
	fermeUne  = "81234567800013"
	fermeDeux = "52345678900024"
)

// placement is a PMSMP at host (its SIRET) with objective, starting in months.
func placement(host, objective string, months int) map[string]any {
	m := offer("Découverte maraîchage", "A1414", "69", "69440", 45.62, 4.67, "a1")
	m["kind"] = "pmsmp"
	delete(m, "contract")
	start := civil.Of(time.Now().AddDate(0, months, 0))
	m["startDate"], m["endDate"] = start, start.AddDate(0, 0, 13)
	m["pmsmp"] = map[string]any{"siret": host, "objective": objective}
	return m
}

func TestAcceptedPlacementsHoldThePMSMPRules(t *testing.T) {
	w := newMWorld(t)
	w.clock.t = time.Now() // the placements are dated from today
	body := amina(w.advA.user.ID)
	body["project"].(map[string]any)["targetRome"] = []string{"A1414"}
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body), http.StatusCreated).json(t, &b)

	var first, sameObjective, otherHost httpapi.Opportunity
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", placement(fermeUne, "discover", 1)), http.StatusCreated).json(t, &first)
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", placement("812 345 678 00013", "discover", 3)), http.StatusCreated).json(t, &sameObjective) // the same SIRET, spelt otherwise
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", placement(fermeDeux, "discover", 3)), http.StatusCreated).json(t, &otherHost)

	accept := func(opening string) resp {
		p := w.propose(w.advA, b.ID, "pmsmp", opening)
		w.must(w.act(w.advA, p.ID, "approve", nil), http.StatusOK)
		w.must(w.act(w.advA, p.ID, "send", nil), http.StatusOK)
		return w.act(w.advA, p.ID, "answer", map[string]any{"answer": "accepted"})
	}
	w.must(accept(first.ID), http.StatusOK)
	conv, err := w.db.PMSMPConventions(context.Background(), w.orgA.ID, b.ID)
	if err != nil || len(conv) != 1 || conv[0].HostID != fermeUne || conv[0].Objective != "discover" {
		t.Fatalf("conventions after the first acceptance: %+v %v", conv, err)
	}

	// A second convention with the same host and the same objective within
	// 12 months breaks the rules: the engine no longer finds the pair eligible,
	// so it is neither suggested nor proposable.
	var ev struct {
		Explanation struct {
			Eligible bool `json:"eligible"`
			Failures []struct {
				Code string `json:"code"`
			} `json:"failures"`
		} `json:"explanation"`
	}
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID+"/evaluation?kind=pmsmp&opening="+sameObjective.ID, nil), http.StatusOK).json(t, &ev)
	var codes []string
	for _, f := range ev.Explanation.Failures {
		codes = append(codes, f.Code)
	}
	if ev.Explanation.Eligible || !strings.Contains(strings.Join(codes, ","), "pmsmp") {
		t.Errorf("same host, same objective: eligible=%v failures %v", ev.Explanation.Eligible, codes)
	}
	w.must(w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": b.ID, "kind": "pmsmp", "openingId": sameObjective.ID}), http.StatusUnprocessableEntity)
	// Another host is fine.
	w.must(accept(otherHost.ID), http.StatusOK)
	if conv, _ := w.db.PMSMPConventions(context.Background(), w.orgA.ID, b.ID); len(conv) != 2 {
		t.Errorf("%d conventions after two acceptances", len(conv))
	}
}

func TestAcceptanceRefusesAPlacementTheRulesForbid(t *testing.T) {
	w := newMWorld(t)
	w.clock.t = time.Now()
	body := amina(w.advA.user.ID)
	body["project"].(map[string]any)["targetRome"] = []string{"A1414"}
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body), http.StatusCreated).json(t, &b)
	var one, two httpapi.Opportunity
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", placement(fermeUne, "confirm", 1)), http.StatusCreated).json(t, &one)
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", placement(fermeUne, "confirm", 2)), http.StatusCreated).json(t, &two)
	// Both proposed and sent before either is accepted: the engine saw no
	// convention yet, so the rule is held at acceptance.
	p1 := w.propose(w.advA, b.ID, "pmsmp", one.ID)
	p2 := w.propose(w.advA, b.ID, "pmsmp", two.ID)
	for _, p := range []httpapi.Proposal{p1, p2} {
		w.must(w.act(w.advA, p.ID, "approve", nil), http.StatusOK)
		w.must(w.act(w.advA, p.ID, "send", nil), http.StatusOK)
	}
	w.must(w.act(w.advA, p1.ID, "answer", map[string]any{"answer": "accepted"}), http.StatusOK)
	r := w.must(w.do(w.advA, "POST", "/api/v1/proposals/"+p2.ID+"/answer", map[string]any{"answer": "accepted"}, hdr{"Accept-Language": "fr"}), http.StatusConflict)
	pr := r.problem(t)
	if len(pr.Errors) == 0 || pr.Errors[0].Pointer != "/answer" || !strings.Contains(strings.ToLower(pr.Errors[0].Detail), "objectif") {
		t.Errorf("problem %+v", pr)
	}
	got, err := w.db.Proposal(context.Background(), w.orgA.ID, p2.ID)
	if err != nil || got.State != proposals.Sent {
		t.Errorf("the refused acceptance changed the proposal: %s %v", got.State, err)
	}
}

// TestAConventionIsRenewedOnce: a recorded convention is renewed with the
// same host and objectives from the day after it ends; the 60 days with
// the host count across the renewal, a second renewal is refused, and so
// is a renewal of another organisation's convention.
func TestAConventionIsRenewedOnce(t *testing.T) {
	w := newMWorld(t)
	w.clock.t = time.Now()
	body := amina(w.advA.user.ID)
	body["project"].(map[string]any)["targetRome"] = []string{"A1414"}
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body), http.StatusCreated).json(t, &b)
	var o httpapi.Opportunity
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", placement(fermeUne, "confirm", 1)), http.StatusCreated).json(t, &o)
	p := w.propose(w.advA, b.ID, "pmsmp", o.ID)
	w.must(w.act(w.advA, p.ID, "approve", nil), http.StatusOK)
	w.must(w.act(w.advA, p.ID, "send", nil), http.StatusOK)
	w.must(w.act(w.advA, p.ID, "answer", map[string]any{"answer": "accepted"}), http.StatusOK)
	var list struct{ Items []httpapi.Convention }
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID+"/conventions", nil), http.StatusOK).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].State != "recorded" || list.Items[0].ProposalID != p.ID {
		t.Fatalf("conventions %+v", list.Items)
	}
	first := list.Items[0] // 14 days
	renew := func(id string, end civil.Date) resp {
		return w.do(w.advA, "POST", "/api/v1/beneficiaries/"+b.ID+"/conventions/"+id+"/renewal", map[string]any{"endDate": end}, hdr{"Accept-Language": "fr"})
	}
	// An end before the renewal's start is named.
	if pr := w.must(renew(first.ID, first.EndDate), http.StatusUnprocessableEntity).problem(t); len(pr.Errors) != 1 || pr.Errors[0].Pointer != "/endDate" || !strings.Contains(pr.Errors[0].Detail, "lendemain") {
		t.Errorf("an end on the last day: %+v", pr.Errors)
	}
	// Longer than a month from its start: the rules say so.
	start := first.EndDate.AddDate(0, 0, 1)
	if pr := w.must(renew(first.ID, start.AddDate(0, 1, 5)), http.StatusConflict).problem(t); len(pr.Errors) == 0 || !strings.Contains(pr.Errors[0].Detail, "un mois") {
		t.Errorf("a renewal over a month: %+v", pr.Errors)
	}
	var r httpapi.Convention
	w.must(renew(first.ID, start.AddDate(0, 0, 20)), http.StatusCreated).json(t, &r)
	if r.RenewalOf != first.ID || r.HostID != fermeUne || r.Objective != "confirm" || r.StartDate != start || r.State != "recorded" {
		t.Errorf("renewal %+v", r)
	}
	// Once only: neither the first again nor the renewal.
	w.must(renew(first.ID, start.AddDate(0, 0, 25)), http.StatusConflict)
	w.must(renew(r.ID, r.EndDate.AddDate(0, 0, 5)), http.StatusConflict)
	// Another organisation's staff finds nothing.
	w.must(w.do(w.advB, "POST", "/api/v1/beneficiaries/"+b.ID+"/conventions/"+first.ID+"/renewal", map[string]any{"endDate": start.AddDate(0, 0, 3)}), http.StatusNotFound)
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID+"/conventions", nil), http.StatusOK).json(t, &list)
	if len(list.Items) != 2 {
		t.Errorf("%d conventions, want the convention and its renewal", len(list.Items))
	}
}

// TestTheHostDirectoryKnowsHostsBySIRET: a host is added by its SIRET under
// any spelling, once; a SIRET whose checksum fails is named in French; the
// directory finds hosts by the start of their name or SIRET and shows the
// conventions people entered with them; another organisation sees none.
func TestTheHostDirectoryKnowsHostsBySIRET(t *testing.T) {
	w := newMWorld(t)
	w.clock.t = time.Now()
	host := map[string]any{"siret": "812 345 678 00013", "name": "Ferme des Monts", "address": "Mornant", "department": "69", "naf": "01.13Z",
		"tutor": map[string]any{"name": "Claire Roux", "role": "Maraîchère", "email": "claire@ferme.example", "phone": "0478000000"}}
	var h httpapi.Host
	w.must(w.do(w.advA, "POST", "/api/v1/hosts", host), http.StatusCreated).json(t, &h)
	if h.SIRET != fermeUne || h.Tutor.Name != "Claire Roux" {
		t.Errorf("host %+v", h)
	}
	host["siret"] = fermeUne
	w.must(w.do(w.advA, "POST", "/api/v1/hosts", host), http.StatusConflict)
	host["siret"] = "812 345 678 00012"
	p := w.must(w.do(w.advA, "POST", "/api/v1/hosts", host, hdr{"Accept-Language": "fr"}), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "/siret" || !strings.Contains(p.Errors[0].Detail, "clé de contrôle") {
		t.Errorf("a bad SIRET: %+v", p.Errors)
	}
	for _, q := range []string{"ferme", "MONTS", "812 345", "81234567800013"} {
		var list struct{ Items []httpapi.Host }
		w.must(w.do(w.advA, "GET", "/api/v1/hosts?q="+url.QueryEscape(q), nil), http.StatusOK).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].SIRET != fermeUne {
			t.Errorf("q=%q found %+v", q, list.Items)
		}
	}
	var none struct{ Items []httpapi.Host }
	w.must(w.do(w.advB, "GET", "/api/v1/hosts?q=ferme", nil), http.StatusOK).json(t, &none)
	if len(none.Items) != 0 {
		t.Errorf("another organisation finds %+v", none.Items)
	}
	w.must(w.do(w.advB, "GET", "/api/v1/hosts/"+fermeUne, nil), http.StatusNotFound)

	// A convention with the host shows on its page, found by any spelling.
	body := amina(w.advA.user.ID)
	body["project"].(map[string]any)["targetRome"] = []string{"A1414"}
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body), http.StatusCreated).json(t, &b)
	var o httpapi.Opportunity
	w.must(w.do(w.advA, "POST", "/api/v1/opportunities", placement("81234567800013", "discover", 1)), http.StatusCreated).json(t, &o)
	pr := w.propose(w.advA, b.ID, "pmsmp", o.ID)
	w.must(w.act(w.advA, pr.ID, "approve", nil), http.StatusOK)
	w.must(w.act(w.advA, pr.ID, "send", nil), http.StatusOK)
	w.must(w.act(w.advA, pr.ID, "answer", map[string]any{"answer": "accepted"}), http.StatusOK)
	var d httpapi.HostDetail
	w.must(w.do(w.advA, "GET", "/api/v1/hosts/812%20345%20678%2000013", nil), http.StatusOK).json(t, &d)
	if d.Name != "Ferme des Monts" || len(d.Conventions) != 1 || d.Conventions[0].BeneficiaryID != b.ID {
		t.Errorf("host page %+v", d)
	}
}
