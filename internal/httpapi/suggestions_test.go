package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/matching"
)

// offer is a valid job offer body.
func offer(title, rome, dept, postcode string, lat, lon float64, oral string) map[string]any {
	start := civil.Of(time.Now().AddDate(0, 1, 0))
	return map[string]any{
		"kind": "job", "title": title, "rome": rome, "startDate": start, "hoursPerWeek": 30, "positions": 2,
		"place":          map[string]any{"department": dept, "postcode": postcode, "location": map[string]any{"lat": lat, "lon": lon}},
		"contract":       map[string]any{"type": "cdi"},
		"frenchRequired": map[string]any{"oralComprehension": oral, "oralProduction": oral},
	}
}

func TestSuggestionsRankEligibleOpeningsWithExplanations(t *testing.T) {
	w := newWorld(t)
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated).json(t, &b)

	var near, nurse, far httpapi.Opportunity
	w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities", offer("Commis de cuisine", "G1602", "69", "69002", 45.757, 4.832, "a2")), http.StatusCreated).json(t, &near)
	w.must(w.do(w.advB, "POST", "/api/v1/opportunities", offer("Aide-soignant(e)", "J1501", "69", "69004", 45.778, 4.828, "b1")), http.StatusCreated).json(t, &nurse)
	w.must(w.do(w.advB, "POST", "/api/v1/opportunities", offer("Commis de cuisine", "G1602", "13", "13001", 43.297, 5.381, "a2")), http.StatusCreated).json(t, &far)

	var res explainedSuggestions
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID+"/suggestions?kind=job", nil), http.StatusOK).json(t, &res)
	var got []string
	for _, it := range res.Items {
		got = append(got, it.Opening.ID)
	}
	if diff := cmp.Diff([]string{near.ID}, got); diff != "" {
		t.Fatalf("suggested (-want +got):\n%s", diff)
	}
	top := res.Items[0]
	if top.Score <= 0 || top.Score > 1 || len(top.Explanation.Components) == 0 || top.Explanation.WeightsVersion == "" {
		t.Errorf("suggestion without a usable explanation: %+v", top)
	}
	var sum float64
	for _, c := range top.Explanation.Components {
		sum += c.Contribution
	}
	if d := sum - top.Score; d > 1e-9 || d < -1e-9 {
		t.Errorf("components add up to %v, score is %v", sum, top.Score)
	}

	// Why not the nurse offer: French and trade, with a next step.
	var ev struct {
		Explanation struct {
			Eligible bool `json:"eligible"`
			Failures []struct {
				Code     string            `json:"code"`
				Skill    string            `json:"skill"`
				NextStep map[string]string `json:"nextStep"`
			} `json:"failures"`
		} `json:"explanation"`
	}
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID+"/evaluation?kind=job&opening="+nurse.ID, nil), http.StatusOK).json(t, &ev)
	if ev.Explanation.Eligible {
		t.Fatal("the B1 offer is eligible for an A2 speaker")
	}
	var frenchNext bool
	for _, f := range ev.Explanation.Failures {
		if f.Code == "french" && f.Skill == "oralProduction" && f.NextStep["fr"] != "" && f.NextStep["en"] != "" {
			frenchNext = true
		}
	}
	if !frenchNext {
		t.Errorf("no French failure with a next step in %+v", ev.Explanation.Failures)
	}

	// Access: another organisation's beneficiary, a mentor, a bad kind.
	w.must(w.do(w.advB, "GET", "/api/v1/beneficiaries/"+b.ID+"/suggestions?kind=job", nil), http.StatusNotFound)
	w.must(w.do(w.mentorA, "GET", "/api/v1/beneficiaries/"+b.ID+"/suggestions?kind=job", nil), http.StatusForbidden)
	p := w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID+"/suggestions?kind=house", nil), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "kind" {
		t.Errorf("errors %+v", p.Errors)
	}
}

func TestMentorSuggestionsLeaveOutADeclinedPairDuringTheCooldown(t *testing.T) {
	w := newWorld(t)
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated).json(t, &b)
	var m struct {
		ID string `json:"id"`
	}
	w.must(w.do(w.advA, "POST", "/api/v1/mentors", mentorBody(w.mentorA.user.ID)), http.StatusCreated).json(t, &m)

	mentorIDs := func() []string {
		var res explainedSuggestions
		w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID+"/suggestions?kind=mentor", nil), http.StatusOK).json(t, &res)
		var ids []string
		for _, it := range res.Items {
			ids = append(ids, it.Opening.ID)
		}
		return ids
	}
	if diff := cmp.Diff([]string{m.ID}, mentorIDs()); diff != "" {
		t.Fatalf("mentor suggestions before the decline (-want +got):\n%s", diff)
	}
	var p struct {
		ID string `json:"id"`
	}
	w.must(w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": b.ID, "kind": "mentor", "openingId": m.ID}), http.StatusCreated).json(t, &p)
	w.must(w.do(w.advA, "POST", "/api/v1/proposals/"+p.ID+"/approve", nil), http.StatusOK)
	w.must(w.do(w.advA, "POST", "/api/v1/proposals/"+p.ID+"/send", nil), http.StatusOK)
	w.must(w.do(w.mentorA, "POST", "/api/v1/proposals/"+p.ID+"/decline", map[string]any{"reason": "Pas disponible ce trimestre"}), http.StatusOK)
	if got := mentorIDs(); len(got) != 0 {
		t.Errorf("a declined mentor is still suggested: %v", got)
	}
}

func TestSuggestionsLeaveOutPlacesOtherProposalsHold(t *testing.T) {
	w := newWorld(t)
	var first, second httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated).json(t, &first)
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated).json(t, &second)
	body := offer("Commis de cuisine", "G1602", "69", "69002", 45.757, 4.832, "a2")
	body["positions"] = 1
	var one httpapi.Opportunity
	w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities", body), http.StatusCreated).json(t, &one)

	suggested := func(b string) []string {
		var res explainedSuggestions
		w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b+"/suggestions?kind=job", nil), http.StatusOK).json(t, &res)
		var ids []string
		for _, it := range res.Items {
			ids = append(ids, it.Opening.ID)
		}
		return ids
	}
	if diff := cmp.Diff([]string{one.ID}, suggested(second.ID)); diff != "" {
		t.Fatalf("before any proposal (-want +got):\n%s", diff)
	}
	// The only position is proposed to the first beneficiary: it is no longer
	// offered to the second, but still shown to the first.
	w.must(w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": first.ID, "kind": "job", "openingId": one.ID}), http.StatusCreated)
	if got := suggested(second.ID); len(got) != 0 {
		t.Errorf("a held place is still suggested: %v", got)
	}
	if diff := cmp.Diff([]string{one.ID}, suggested(first.ID)); diff != "" {
		t.Errorf("the holder's own suggestion (-want +got):\n%s", diff)
	}
}

// TestTradesAreFoundByTheirWords: any key finds ROME codes by the words of
// a job title; a search too short is named in French.
func TestTradesAreFoundByTheirWords(t *testing.T) {
	w := newWorld(t)
	var got httpapi.Trades
	w.must(w.do(w.agencyK, "GET", "/api/v1/rome?q=aide%20de%20cuis&limit=30", nil), http.StatusOK).json(t, &got)
	if got.Version != matching.BuiltinVersion {
		t.Errorf("version %q", got.Version)
	}
	var found bool
	for _, x := range got.Items {
		found = found || (x.Code == "G1602" && x.Title == "Aide de cuisine" && x.Label == "Commis / Commise de cuisine")
	}
	if !found {
		t.Errorf("items %+v, want G1602 through its title Aide de cuisine", got.Items)
	}
	w.must(w.do(w.mentorA, "GET", "/api/v1/rome?q=M1855", nil), http.StatusOK).json(t, &got)
	if len(got.Items) != 1 || got.Items[0].Label != "Développeur / Développeuse web" {
		t.Errorf("a code finds %+v", got.Items)
	}
	p := w.must(w.do(w.advA, "GET", "/api/v1/rome?q=a&limit=0", nil, hdr{"Accept-Language": "fr"}), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 2 || !strings.Contains(p.Errors[0].Detail, "caractères") {
		t.Errorf("errors %+v", p.Errors)
	}
	w.must(w.do(key{}, "GET", "/api/v1/rome?q=plongeur", nil), http.StatusUnauthorized)
}
