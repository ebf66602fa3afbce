package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/pathways"
)

// amina is a complete, valid beneficiary body.
func amina(referent string) map[string]any {
	return map[string]any{
		"firstName": "Amina", "lastName": "Haidari", "birthDate": "1991-04-12", "protection": "refugee",
		"enrolment":    map[string]any{"programme": "AGIR", "entryDate": "2026-03-02", "cohort": "2026-A", "referents": []string{referent}},
		"department":   "69",
		"address":      map[string]any{"line": "12 rue Garibaldi", "postcode": "69007", "city": "Lyon", "location": map[string]any{"lat": 45.745, "lon": 4.842}},
		"french":       map[string]any{"oralComprehension": "a2", "writtenComprehension": "a1", "oralProduction": "a2", "writtenProduction": "a1", "source": "ofii", "assessedOn": "2026-03-02"},
		"diplomas":     []any{map[string]any{"title": "Baccalauréat", "level": 4, "country": "AF", "field": "sciences", "recognition": "comparability-pending"}},
		"skills":       []any{map[string]any{"rome": "G1602", "label": "cuisine traditionnelle"}},
		"pastJobs":     []any{map[string]any{"rome": "G1602", "title": "Cuisinière", "country": "AF", "years": 4}},
		"project":      map[string]any{"targetRome": []string{"G1602"}, "description": "Travailler en restauration collective"},
		"availability": map[string]any{"from": "2026-04-01", "hoursPerWeek": 30, "days": []string{"mon", "tue", "wed", "thu"}},
		"mobility":     map[string]any{"maxKm": 20, "publicTransport": true},
		"barriers":     []string{"childcare"},
		"consentDate":  "2026-03-02",
		"notes":        "Suivi santé en cours.",
	}
}

func TestBeneficiaryLifecycle(t *testing.T) {
	w := newWorld(t)
	r := w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated)
	var b httpapi.Beneficiary
	r.json(t, &b)
	if b.ID == "" || b.OrganisationID != w.orgA.ID || b.Version != 1 || b.French.OralProduction != "a2" {
		t.Fatalf("created %+v", b)
	}
	if got := r.Header.Get("Location"); got != "/api/v1/beneficiaries/"+b.ID {
		t.Errorf("Location %q", got)
	}
	etag := r.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on create")
	}

	// Read it back: same record, same ETag; a second read with If-None-Match is 304.
	r = w.must(w.do(w.advA2, "GET", "/api/v1/beneficiaries/"+b.ID, nil), http.StatusOK)
	var got httpapi.Beneficiary
	r.json(t, &got)
	if diff := cmp.Diff(b, got); diff != "" {
		t.Errorf("read back (-created +read):\n%s", diff)
	}
	if r.Header.Get("ETag") != etag {
		t.Errorf("ETag %q, want %q", r.Header.Get("ETag"), etag)
	}
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID, nil, hdr{"If-None-Match": etag}), http.StatusNotModified)

	// PATCH needs If-Match; a stale one is 412 and changes nothing.
	patch := `{"french": {"oralProduction": "b1"}, "notes": null}`
	w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, patch), http.StatusPreconditionRequired)
	r = w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, patch, hdr{"If-Match": etag, "Content-Type": "application/merge-patch+json"}), http.StatusOK)
	var patched httpapi.Beneficiary
	r.json(t, &patched)
	if patched.Version != 2 || patched.French.OralProduction != "b1" || patched.French.OralComprehension != "a2" || patched.Notes != "" {
		t.Errorf("patched %+v", patched.French)
	}
	w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, `{"cohort":"x"}`, hdr{"If-Match": etag}), http.StatusPreconditionFailed)

	// A bad patch names the field and leaves the record as it was.
	r = w.must(w.do(w.advA, "PATCH", "/api/v1/beneficiaries/"+b.ID, `{"french": {"oralProduction": "z9"}}`, hdr{"If-Match": r.Header.Get("ETag")}), http.StatusUnprocessableEntity)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/french/oralProduction" {
		t.Errorf("errors %+v", p.Errors)
	}
	stored, err := w.db.Beneficiary(context.Background(), w.orgA.ID, b.ID)
	if err != nil || stored.Version != 2 || stored.French.OralProduction != "b1" {
		t.Errorf("after a rejected patch the record is %+v, %v", stored.French, err)
	}

	// The list shows summaries only, filtered.
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", withCohort(amina(w.advA.user.ID), "2026-B")), http.StatusCreated)
	r = w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries?cohort=2026-A", nil), http.StatusOK)
	var list struct {
		Items []map[string]any `json:"items"`
	}
	r.json(t, &list)
	if len(list.Items) != 1 || list.Items[0]["id"] != b.ID {
		t.Fatalf("list %s", r.Body)
	}
	for _, sensitive := range []string{"protection", "birthDate", "address", "notes"} {
		if _, ok := list.Items[0][sensitive]; ok {
			t.Errorf("list item carries %s", sensitive)
		}
	}
}

func withCohort(m map[string]any, cohort string) map[string]any {
	m["enrolment"].(map[string]any)["cohort"] = cohort
	return m
}

func TestBeneficiaryPagination(t *testing.T) {
	w := newWorld(t)
	var created []string
	for i := 0; i < 5; i++ {
		var b httpapi.Beneficiary
		w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated).json(t, &b)
		created = append(created, b.ID)
	}
	var seen []string
	cursor := ""
	for pages := 0; pages < 10; pages++ {
		var p struct {
			Items []httpapi.BeneficiarySummary `json:"items"`
			Next  string                       `json:"next"`
		}
		w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries?limit=2&cursor="+cursor, nil), http.StatusOK).json(t, &p)
		for _, it := range p.Items {
			seen = append(seen, it.ID)
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	if diff := cmp.Diff(created, seen); diff != "" {
		t.Errorf("pages (-created +seen):\n%s", diff)
	}
	p := w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries?cursor=not-a-cursor!", nil), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "cursor" {
		t.Errorf("errors %+v", p.Errors)
	}
}

func TestBeneficiaryValidationNamesEveryBadField(t *testing.T) {
	w := newWorld(t)
	body := amina(w.advA.user.ID)
	body["french"].(map[string]any)["oralProduction"] = "B3"
	body["department"] = "20"
	body["address"].(map[string]any)["postcode"] = "6900"
	body["project"].(map[string]any)["targetRome"] = []string{"Z1234"}
	body["nationality"] = "AF"                                    // unknown member: rejected, never stored
	body["mobility"].(map[string]any)["maxKm"] = "twenty"         // wrong type
	body["enrolment"].(map[string]any)["favouriteColour"] = "red" // unknown nested member
	delete(body, "lastName")

	r := w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body), http.StatusUnprocessableEntity)
	p := r.problem(t)
	// Shape errors come first and alone: the body is not decoded further.
	var ptrs []string
	for _, e := range p.Errors {
		ptrs = append(ptrs, e.Pointer)
		if e.Detail == "" {
			t.Errorf("error at %s has no sentence", e.Pointer)
		}
	}
	want := []string{"/enrolment/favouriteColour", "/mobility/maxKm", "/nationality"}
	if diff := cmp.Diff(want, ptrs); diff != "" {
		t.Errorf("pointers (-want +got):\n%s", diff)
	}

	// With the shape fixed, every rule failure is named, in French when asked.
	delete(body, "nationality")
	body["mobility"].(map[string]any)["maxKm"] = 20
	delete(body["enrolment"].(map[string]any), "favouriteColour")
	r = w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body, hdr{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}), http.StatusUnprocessableEntity)
	p = r.problem(t)
	got := map[string]string{}
	for _, e := range p.Errors {
		got[e.Pointer] = e.Detail
	}
	for ptr, word := range map[string]string{
		"/lastName":              "obligatoire",
		"/department":            "département",
		"/address/postcode":      "code postal",
		"/french/oralProduction": "CECRL",
		"/project/targetRome/0":  "ROME",
	} {
		if !strings.Contains(got[ptr], word) {
			t.Errorf("%s: %q, want a French sentence with %q (all: %v)", ptr, got[ptr], word, got)
		}
	}
	if len(got) != 5 {
		t.Errorf("got %d errors, want 5: %v", len(got), got)
	}
	if p.Title != "Données invalides" {
		t.Errorf("title %q", p.Title)
	}

	// Nothing was stored.
	list, _, err := w.db.Beneficiaries(context.Background(), pathways.Filter{OrganisationID: w.orgA.ID})
	if err != nil || len(list) != 0 {
		t.Errorf("stored %d records after rejected bodies (%v)", len(list), err)
	}
}

func TestMalformedBodies(t *testing.T) {
	w := newWorld(t)
	big := `{"firstName":"` + strings.Repeat("a", 1<<20) + `"}`
	for _, tc := range []struct {
		name   string
		body   string
		ctype  string
		status int
	}{
		{"not JSON", `{"firstName": `, "application/json", 400},
		{"trailing data", `{"firstName":"A"} {"x":1}`, "application/json", 400},
		{"not an object", `[1,2]`, "application/json", 422},
		{"empty", ``, "application/json", 400},
		{"wrong media type", `{}`, "text/plain", 415},
		{"over 1 MiB", big, "application/json", 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.do(w.advA, "POST", "/api/v1/beneficiaries", tc.body, hdr{"Content-Type": tc.ctype})
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if p := r.problem(t); p.Detail == "" || p.RequestID == "" {
				t.Errorf("problem without detail or request id: %+v", p)
			}
		})
	}
}

func TestBeneficiaryAccess(t *testing.T) {
	w := newWorld(t)
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated).json(t, &b)
	path := "/api/v1/beneficiaries/" + b.ID

	// Another organisation's adviser: 404 on every verb, as if it did not exist.
	w.must(w.do(w.advB, "GET", path, nil), http.StatusNotFound).problem(t)
	w.must(w.do(w.advB, "PATCH", path, `{"notes":"x"}`, hdr{"If-Match": `"v1"`}), http.StatusNotFound)
	w.must(w.do(w.advB, "DELETE", path, nil), http.StatusNotFound)
	// Roles without beneficiary rights: 403.
	w.must(w.do(w.mentorA, "GET", path, nil), http.StatusForbidden)
	w.must(w.do(w.agencyK, "GET", "/api/v1/beneficiaries", nil), http.StatusForbidden)
	// No key, a made-up key: 401 with a challenge.
	r := w.must(w.do(key{}, "GET", path, nil), http.StatusUnauthorized)
	if r.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	w.must(w.do(key{secret: "prc_" + strings.Repeat("x", 43)}, "GET", path, nil), http.StatusUnauthorized)
	// A referent from another organisation is refused.
	r = w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advB.user.ID)), http.StatusUnprocessableEntity)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/enrolment/referents/0" {
		t.Errorf("errors %+v", p.Errors)
	}

	// Every full read is audited: who, which record, request id.
	w.must(w.do(w.coordA, "GET", path, nil, hdr{"X-Request-Id": "req-audit-1"}), http.StatusOK)
	trail, err := w.db.AuditTrail(context.Background(), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action+":"+e.UserID)
	}
	want := []string{"create:" + w.advA.user.ID, "read:" + w.coordA.user.ID}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	if trail[len(trail)-1].RequestID != "req-audit-1" {
		t.Errorf("audit request id %q", trail[len(trail)-1].RequestID)
	}
}

func TestRevokedKeyIsRefusedOnceTheCacheExpires(t *testing.T) {
	clk := &clock{t: time.Now()}
	w := newWorld(t, func(s *worldSetup) { s.settings.Now = clk.Now })
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries", nil), http.StatusOK)
	keys, err := w.db.Keys(context.Background(), w.orgA.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.UserID == w.advA.user.ID {
			if err := w.db.RevokeKey(context.Background(), k.ID, k.CreatedAt); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Trusted from the cache until its TTL (30 s by default) runs out, then refused.
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries", nil), http.StatusOK)
	clk.Add(31 * time.Second)
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries", nil), http.StatusUnauthorized)
	w.must(w.do(w.advA2, "GET", "/api/v1/beneficiaries", nil), http.StatusOK)
}

func TestErasureKeepsOnlyAnonymousData(t *testing.T) {
	w := newWorld(t)
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", amina(w.advA.user.ID)), http.StatusCreated).json(t, &b)
	w.must(w.do(w.advA, "DELETE", "/api/v1/beneficiaries/"+b.ID, nil), http.StatusNoContent)
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+b.ID, nil), http.StatusNotFound)
	w.must(w.do(w.advA, "DELETE", "/api/v1/beneficiaries/"+b.ID, nil), http.StatusNotFound)

	// What is stored: no personal data left anywhere in the document.
	var raw map[string]any
	if err := w.db.Database().Collection("beneficiaries").FindOne(context.Background(), map[string]any{"_id": b.ID}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(raw)
	for _, personal := range []string{"Amina", "Haidari", "1991-04-12", "Garibaldi", "69007", "Suivi santé", "cuisine traditionnelle", "Cuisinière", "Baccalauréat", "refugee", "restauration collective"} {
		if strings.Contains(string(doc), personal) {
			t.Errorf("erased record still holds %q: %s", personal, doc)
		}
	}
	// What anonymous statistics need stays.
	for _, kept := range []string{"AGIR", "2026-03-02", "2026-A", `"69"`, "G1602"} {
		if !strings.Contains(string(doc), kept) {
			t.Errorf("erased record lost %q: %s", kept, doc)
		}
	}
	trail, _ := w.db.AuditTrail(context.Background(), b.ID)
	if len(trail) == 0 || trail[len(trail)-1].Action != "erase" {
		t.Errorf("audit trail %+v does not end with the erasure", trail)
	}
	// The erased record no longer appears in lists.
	var list struct{ Items []any }
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries", nil), http.StatusOK).json(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("list shows %d erased records", len(list.Items))
	}
}

// The list finds people by the start of a name, whatever the accents and
// capitals, by programme, French level and status; a bad filter is a 422
// naming it.
func TestBeneficiarySearchAndFilters(t *testing.T) {
	w := newWorld(t)
	for _, name := range [][2]string{{"Amina", "Haidari"}, {"Élodie", "Ngata"}, {"Emil", "Rostami"}} {
		body := amina(w.advA.user.ID)
		body["firstName"], body["lastName"] = name[0], name[1]
		if name[0] == "Emil" {
			body["french"] = map[string]any{"oralProduction": "b1"}
		}
		w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body), http.StatusCreated)
	}
	names := func(query string) []string {
		var p struct {
			Items []httpapi.BeneficiarySummary `json:"items"`
		}
		w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries?"+query, nil), http.StatusOK).json(t, &p)
		var out []string
		for _, it := range p.Items {
			out = append(out, it.FirstName)
		}
		return out
	}
	for query, want := range map[string][]string{
		"q=ELO":             {"Élodie"},
		"q=e":               {"Élodie", "Emil"},
		"q=ros":             {"Emil"},
		"oralAtLeast=b1":    {"Emil"},
		"status=exited":     nil,
		"q=e&status=active": {"Élodie", "Emil"},
		"programme=agir":    {"Amina", "Élodie", "Emil"}, // the programme's name, accents and case aside
		"programme=Kodiko":  nil,
	} {
		if diff := cmp.Diff(want, names(query)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", query, diff)
		}
	}
	p := w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries?oralAtLeast=z9&status=gone", nil, hdr{"Accept-Language": "fr"}), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 2 || p.Errors[0].Pointer != "oralAtLeast" || p.Errors[1].Pointer != "status" {
		t.Errorf("errors %+v", p.Errors)
	}
}

// TestDrivingLicenceIsAStatus: the licence is recorded with its status,
// categories and the day an exchange is expected; inconsistent answers are
// named field by field, in French, and change nothing.
func TestDrivingLicenceIsAStatus(t *testing.T) {
	w := newWorld(t)
	body := amina(w.advA.user.ID)
	body["mobility"] = map[string]any{"maxKm": 20, "drivingLicence": map[string]any{"status": "exchange-in-progress", "categories": []string{"B"}, "exchangeExpected": "2027-01-15"}}
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body), http.StatusCreated).json(t, &b)
	want := httpapi.LicenceInput{Status: "exchange-in-progress", Categories: []string{"B"}, ExchangeExpected: "2027-01-15"}
	if diff := cmp.Diff(want, b.Mobility.DrivingLicence); diff != "" {
		t.Errorf("licence (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		licence map[string]any
		errors  map[string]string
	}{
		{map[string]any{"status": "valid"}, map[string]string{"/mobility/drivingLicence/status": "doit être"}},
		{map[string]any{"status": "french", "categories": []string{"B", "Z"}}, map[string]string{"/mobility/drivingLicence/categories/1": "doit être"}},
		{map[string]any{"categories": []string{"B"}, "exchangeExpected": "2027-01-15"}, map[string]string{
			"/mobility/drivingLicence/categories":       "choisissez d'abord sa situation",
			"/mobility/drivingLicence/exchangeExpected": "échange en cours",
		}},
		{map[string]any{"status": "french"}, map[string]string{"/mobility/drivingLicence/categories": "Indiquez les catégories"}},
	} {
		body["mobility"] = map[string]any{"maxKm": 20, "drivingLicence": tt.licence}
		p := w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body, hdr{"Accept-Language": "fr"}), http.StatusUnprocessableEntity).problem(t)
		got := map[string]string{}
		for _, e := range p.Errors {
			got[e.Pointer] = e.Detail
		}
		if len(got) != len(tt.errors) {
			t.Errorf("%v: errors %v, want %v", tt.licence, got, tt.errors)
		}
		for ptr, words := range tt.errors {
			if !strings.Contains(got[ptr], words) {
				t.Errorf("%v: %s = %q, want it to say %q", tt.licence, ptr, got[ptr], words)
			}
		}
	}
	list, _, err := w.db.Beneficiaries(context.Background(), pathways.Filter{OrganisationID: w.orgA.ID})
	if err != nil || len(list) != 1 {
		t.Errorf("%d records after the rejected bodies (%v), want the first only", len(list), err)
	}
}

// TestErasureLeavesNoPersonalValueInAnyCollection writes a person's file,
// situations, a mentor proposal declined with a reason, an accepted one
// with check-ins and an end comment, then erases the person: no collection
// of the database holds any of the values written about them any more,
// free text included.
func TestErasureLeavesNoPersonalValueInAnyCollection(t *testing.T) {
	w := newMWorld(t)
	ctx := context.Background()
	ben := w.beneficiary(w.advA)
	situations := "/api/v1/beneficiaries/" + ben + "/situations"
	var cdd, cdi httpapi.Situation
	w.must(w.do(w.advA, "POST", situations, map[string]any{"kind": "cdd", "startDate": "2026-09-01", "durationMonths": 3,
		"employer": "Boulangerie Zéphyrine", "note": "Licenciée en période d'essai"}), http.StatusCreated).json(t, &cdd)
	// A correction and an end keep the values they replaced, and say why.
	w.must(w.do(w.advA, "POST", situations+"/"+cdd.ID+"/correction", map[string]any{"kind": "cdd", "startDate": "2026-09-01", "durationMonths": 4,
		"employer": "Fournil Quentaline", "reason": "Avenant signé avec Mme Quentaline"}), http.StatusOK)
	w.must(w.do(w.advA, "POST", situations+"/"+cdd.ID+"/end", map[string]any{"endDate": "2026-10-15", "reason": "Rupture voulue par Quentaline"}), http.StatusOK)
	w.must(w.do(w.advA, "POST", situations, map[string]any{"kind": "cdi", "startDate": "2026-11-01", "employer": "Traiteur Oswaldine"}), http.StatusCreated).json(t, &cdi)
	w.must(w.do(w.advA, "POST", situations+"/"+cdi.ID+"/void", map[string]any{"reason": "Oswaldine n'a pas confirmé"}), http.StatusOK)
	men := w.mentor(w.advA, w.mentorA, 2)
	declined := w.sent(ben, men)
	w.must(w.act(w.mentorA, declined.ID, "decline", map[string]any{"reason": "Horaires de Mme Haidari incompatibles"}), http.StatusOK)
	men2 := w.mentor(w.advA, w.mentorA2, 2)
	p := w.sent(ben, men2)
	var acc struct{ Mentorship httpapi.Mentorship }
	w.must(w.act(w.mentorA2, p.ID, "accept", nil), http.StatusOK).json(t, &acc)
	w.must(w.do(w.mentorA2, "POST", "/api/v1/mentorships/"+acc.Mentorship.ID+"/checkins", map[string]any{"date": "2026-11-02", "minutes": 45,
		"topics": []string{"Dossier CAF de Zéphyrine"}, "nextStep": "Relire la lettre pour Pôle santé Garibaldi"}), http.StatusCreated)
	w.must(w.do(w.advA, "POST", "/api/v1/mentorships/"+acc.Mentorship.ID+"/end", map[string]any{"reason": "dropped-out", "comment": "Déménage chez sa sœur Yasmina"}), http.StatusOK)
	if _, err := pathways.MeasureDue(ctx, w.db, time.Date(2027, 1, 6, 3, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}

	w.must(w.do(w.advA, "DELETE", "/api/v1/beneficiaries/"+ben, nil), http.StatusNoContent)
	personal := []string{"Haidari", "1991-04-12", "Garibaldi", "Suivi santé", "Cuisinière", "Baccalauréat", "restauration collective",
		"Zéphyrine", "Licenciée en période d'essai", "Yasmina", "Quentaline", "Oswaldine"}
	names, err := w.db.Database().ListCollectionNames(ctx, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	walked := 0
	for _, name := range names {
		cur, err := w.db.Database().Collection(name).Find(ctx, map[string]any{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []map[string]any
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			walked++
			raw, _ := json.Marshal(d)
			for _, v := range personal {
				if strings.Contains(string(raw), v) {
					t.Errorf("collection %s still holds %q: %.300s", name, v, raw)
				}
			}
		}
	}
	if walked < 10 {
		t.Fatalf("walked %d documents: the walk saw nothing", walked)
	}
}
