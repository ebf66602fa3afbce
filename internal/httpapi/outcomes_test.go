package httpapi_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/pathways"
)

// member is one person of a cohort table: their enrolment and situations,
// and what happens to a situation later (by its index).
type member struct {
	name       string
	programme  string
	cohort     string
	entry      string
	situations []map[string]any
	// end ends situation endIdx early, before any measurement (a contract lost).
	endIdx  int
	endDate string
	voidIdx int // index of a situation voided, -1 for none
}

func s(kind, start string, more ...any) map[string]any {
	m := map[string]any{"kind": kind, "startDate": start}
	for i := 0; i+1 < len(more); i += 2 {
		m[more[i].(string)] = more[i+1]
	}
	return m
}

// cohortTables are two programmes' cohorts, made as data: AGIR (entries on
// 31 August and 15 September 2025) and Kodiko (entries on 31 July 2025),
// with a contract lost before the horizon (agir-2), a correction after
// measurement (agir-3), an exclusion from the denominator (agir-4 moved,
// kodiko-2 deceased; kodiko-4 moved, which Kodiko does not exclude),
// month-end entries, a voided situation (agir-5), and people counted in
// both employment and training (agir-3, kodiko-3).
var cohortTables = []member{
	{name: "agir-1", programme: "AGIR", cohort: "2025-A", entry: "2025-08-31", endIdx: -1, voidIdx: -1, situations: []map[string]any{
		s("housing", "2025-08-31", "endDate", "2026-05-31", "tenure", "cph"),
		s("cdi", "2025-11-03", "employer", "Boulangerie Bréa"),
		s("housing", "2026-06-01", "tenure", "private-landlord"),
		s("programme-exit", "2026-09-30", "exitReason", "success"),
	}},
	{name: "agir-2", programme: "AGIR", cohort: "2025-A", entry: "2025-08-31", endIdx: 0, endDate: "2026-01-20", voidIdx: -1, situations: []map[string]any{
		s("cdi", "2025-10-01"),
		s("job-search", "2026-01-21"),
		s("programme-exit", "2026-10-15", "exitReason", "end-of-programme"),
	}},
	{name: "agir-3", programme: "AGIR", cohort: "2025-A", entry: "2025-09-15", endIdx: -1, voidIdx: -1, situations: []map[string]any{
		s("cdd", "2025-12-01", "durationMonths", 3),
		s("housing", "2026-01-01", "tenure", "social-landlord"),
		s("qualifying-training", "2026-09-01", "endDate", "2027-03-01"),
		s("programme-exit", "2026-11-01", "exitReason", "success"),
	}},
	{name: "agir-4", programme: "AGIR", cohort: "2025-A", entry: "2025-09-15", endIdx: -1, voidIdx: -1, situations: []map[string]any{
		s("interim", "2025-10-01", "durationMonths", 2),
		s("programme-exit", "2026-01-10", "exitReason", "moved"),
	}},
	{name: "agir-5", programme: "AGIR", cohort: "2025-A", entry: "2025-09-15", endIdx: -1, voidIdx: 1, situations: []map[string]any{
		s("fle-training", "2025-09-15", "endDate", "2026-06-30"),
		s("cdi", "2026-02-01"), // recorded in the wrong file, then voided
		s("pre-qualifying-training", "2026-07-01", "endDate", "2026-12-31"),
	}},
	{name: "agir-6", programme: "AGIR", cohort: "2025-A", entry: "2025-08-31", endIdx: -1, voidIdx: -1, situations: []map[string]any{
		s("alternance", "2026-01-05", "endDate", "2027-12-31"),
		s("housing", "2026-01-05", "tenure", "intermediation"),
		s("programme-exit", "2026-11-15", "exitReason", "success"),
	}},
	{name: "agir-7", programme: "AGIR", cohort: "2025-A", entry: "2025-09-15", endIdx: -1, voidIdx: -1, situations: []map[string]any{
		s("job-search", "2025-09-15"),
		s("housing", "2025-09-15", "tenure", "emergency"),
		s("programme-exit", "2026-06-30", "exitReason", "drop-out"),
	}},
	{name: "kodiko-1", programme: "Kodiko", cohort: "tours-2", entry: "2025-07-31", endIdx: -1, voidIdx: -1, situations: []map[string]any{
		s("internship", "2026-01-15", "endDate", "2026-02-15"),
		s("cdd", "2026-07-01", "durationMonths", 2),
		s("housing", "2025-07-31", "tenure", "hosted"),
		s("programme-exit", "2026-09-01", "exitReason", "success"),
	}},
	{name: "kodiko-2", programme: "Kodiko", cohort: "tours-2", entry: "2025-07-31", endIdx: -1, voidIdx: -1, situations: []map[string]any{
		s("job-search", "2025-07-31"),
		s("programme-exit", "2026-03-01", "exitReason", "deceased"),
	}},
	{name: "kodiko-3", programme: "Kodiko", cohort: "tours-2", entry: "2025-07-31", endIdx: -1, voidIdx: -1, situations: []map[string]any{
		s("pre-qualifying-training", "2025-09-01", "endDate", "2026-03-31"),
		s("cdd", "2026-04-01", "durationMonths", 12),
		s("housing", "2026-02-01", "tenure", "social-landlord"),
		s("programme-exit", "2026-10-01", "exitReason", "success"),
	}},
	{name: "kodiko-4", programme: "Kodiko", cohort: "tours-2", entry: "2025-07-31", endIdx: -1, voidIdx: -1, situations: []map[string]any{
		s("job-search", "2025-07-31"),
		s("programme-exit", "2026-05-01", "exitReason", "moved"),
	}},
}

// TestCohortTablesOfTwoProgrammes builds the cohorts above through the API
// and checks the positive-exit reports (JSON and CSV, before and after a
// correction), the measurement versions and the exits reports against
// counts worked out by hand.
func TestCohortTablesOfTwoProgrammes(t *testing.T) {
	today := &clock{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	w := newWorld(t, withMentoring(today))
	ctx := context.Background()
	people := map[string]string{}
	sits := map[string][]httpapi.Situation{}
	for _, m := range cohortTables {
		body := amina(w.advA.user.ID)
		body["firstName"] = m.name
		body["enrolment"] = map[string]any{"programme": strings.ToLower(m.programme), "entryDate": m.entry, "cohort": m.cohort, "referents": []string{w.advA.user.ID}}
		var b httpapi.Beneficiary
		w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body), http.StatusCreated).json(t, &b)
		if b.Enrolment.Programme != m.programme || b.Enrolment.ProgrammeID == "" {
			t.Fatalf("%s enrolled in %q (%q), want the programme's record %q", m.name, b.Enrolment.Programme, b.Enrolment.ProgrammeID, m.programme)
		}
		people[m.name] = b.ID
		for _, x := range m.situations {
			var got httpapi.Situation
			w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries/"+b.ID+"/situations", x), http.StatusCreated).json(t, &got)
			sits[m.name] = append(sits[m.name], got)
		}
		path := func(i int, what string) string {
			return "/api/v1/beneficiaries/" + b.ID + "/situations/" + sits[m.name][i].ID + "/" + what
		}
		if m.endIdx >= 0 {
			var ended httpapi.Situation
			w.must(w.do(w.advA, "POST", path(m.endIdx, "end"), map[string]any{"endDate": m.endDate, "reason": "Licencié en période d'essai"}), http.StatusOK).json(t, &ended)
			if ended.End != "2026-01-20" || len(ended.History) != 1 || ended.History[0].Action != "end" || ended.History[0].Previous.End != "" || ended.History[0].By != w.advA.user.ID {
				t.Errorf("ended %+v", ended)
			}
		}
		if m.voidIdx >= 0 {
			w.must(w.do(w.advA, "POST", path(m.voidIdx, "void"), map[string]any{"reason": "Saisi dans le mauvais dossier"}), http.StatusOK)
		}
	}

	run := func(programme string, want int) {
		t.Helper()
		var r httpapi.MeasurementRun
		w.must(w.do(w.coordA, "POST", "/api/v1/measurements:run?programme="+url.QueryEscape(programme), nil), http.StatusOK).json(t, &r)
		if r.Inserted != want {
			t.Errorf("run of %s inserted %d measurements, want %d", programme, r.Inserted, want)
		}
	}
	// 7 enrolments at T+6 and T+12 (who moved is measured, and left out by
	// the reports), and AGIR's follow-ups after exit that are due by 2
	// December 2026: agir-4 at 3 and 6 months, agir-7 at 3.
	run("agir", 17)
	run("AGIR", 0)    // again: nothing new
	run("KODIKO", 8)  // 4 × 2
	run("Kodiko ", 0) // spaces and case aside
	w.must(w.do(w.advA, "POST", "/api/v1/measurements:run?programme=AGIR", nil), http.StatusForbidden)
	w.must(w.do(w.coordA, "POST", "/api/v1/measurements:run?programme=Booster", nil), http.StatusUnprocessableEntity)
	if n, err := pathways.MeasureDue(ctx, w.db, today.Now()); err != nil || n != 0 {
		t.Errorf("the nightly run after the runs on demand inserted %d (%v), want 0", n, err)
	}

	type line struct {
		Cohort                                 string
		Enrolled, Excluded, Measured, Positive int
		Percent                                float64
		Breakdown                              map[string]int
		ExcludedBy                             map[string]int
	}
	report := func(query string) line {
		t.Helper()
		var r httpapi.Report
		w.must(w.do(w.coordA, "GET", "/api/v1/reports/positive-exits?"+query, nil), http.StatusOK).json(t, &r)
		if len(r.Cohorts) != 1 || r.Cohorts[0].RatePercent == nil {
			t.Fatalf("%s: %+v", query, r.Cohorts)
		}
		c := r.Cohorts[0]
		return line{c.Cohort, c.Enrolled, c.Excluded, c.Measured, c.Positive, *c.RatePercent, c.Breakdown, c.ExcludedByReason}
	}
	agir := func(cdi, cdd6, alternance, qualifying, none int) map[string]int {
		return map[string]int{"cdi": cdi, "cdd-6-months-or-more": cdd6, "alternance": alternance, "qualifying-training": qualifying, "not-positive": none}
	}
	kodiko := func(job, learning, qualifying, none int) map[string]int {
		return map[string]int{"cdi-or-cdd": job, "internship-or-alternance": learning, "qualifying-training": qualifying, "not-positive": none}
	}
	moved, deceased := map[string]int{"moved": 1}, map[string]int{"deceased": 1}
	none := map[string]int{}
	got := []line{report("programme=agir&horizon=6"), report("programme=Agir&horizon=12"), report("programme=kodiko&horizon=6"), report("programme=KODIKO&horizon=12"),
		report("programme=AGIR&horizon=3&from=exit")}
	want := []line{
		// agir-2's CDI was lost at month 5: not counted at T+6; agir-3's CDD is still typed as 3 months.
		{"2025-A", 7, 1, 6, 2, 33.3, agir(1, 0, 1, 0, 4), moved},
		{"2025-A", 7, 1, 6, 3, 50, agir(1, 0, 1, 1, 3), moved},
		// kodiko-2 died after T+6: measured then, excluded at T+12; kodiko-4 moved, which Kodiko counts.
		{"tours-2", 4, 0, 4, 1, 25, kodiko(0, 1, 0, 3), none},
		{"tours-2", 4, 1, 3, 2, 66.7, kodiko(2, 0, 0, 1), deceased},
		// 3 months after the exit: agir-4 moved (excluded); agir-7, who dropped out, still looking.
		{"2025-A", 7, 1, 1, 0, 0, agir(0, 0, 0, 0, 1), moved},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reports before the correction (-want +got):\n%s", diff)
	}

	// agir-3's CDD was of 8 months, not 3: corrected after measurement, a
	// new version of T+6 only (T+12 saw the training alone).
	a3 := people["agir-3"]
	cddPath := "/api/v1/beneficiaries/" + a3 + "/situations/" + sits["agir-3"][0].ID + "/correction"
	w.must(w.do(w.advA, "POST", cddPath, map[string]any{"kind": "cdd", "startDate": "2025-12-01", "durationMonths": 8}), http.StatusUnprocessableEntity) // no reason
	var corrected httpapi.Situation
	body := s("cdd", "2025-12-01", "durationMonths", 8, "reason", "Contrat de 8 mois, mal saisi")
	w.must(w.do(w.advA, "POST", cddPath, body), http.StatusOK).json(t, &corrected)
	if corrected.DurationMonths != 8 || len(corrected.History) != 1 || corrected.History[0].Previous.DurationMonths != 3 || corrected.History[0].Reason != "Contrat de 8 mois, mal saisi" {
		t.Errorf("corrected %+v", corrected)
	}
	run("AGIR", 1)
	run("AGIR", 0)
	var versions struct{ Items []httpapi.Measurement }
	w.must(w.do(w.coordA, "GET", "/api/v1/measurements?beneficiary="+a3, nil), http.StatusOK).json(t, &versions)
	type version struct {
		Horizon, Version int
		Category         string
		Positive         bool
		Durations        []int
	}
	var gotVersions []version
	for _, m := range versions.Items {
		v := version{m.Horizon, m.Version, m.Category, m.Positive, nil}
		for _, x := range m.Situations {
			v.Durations = append(v.Durations, x.DurationMonths)
		}
		gotVersions = append(gotVersions, v)
	}
	wantVersions := []version{
		{6, 1, "not-positive", false, []int{0}},           // the housing alone covered T+6: the 3-month CDD had ended
		{6, 2, "cdd-6-months-or-more", true, []int{8, 0}}, // the corrected CDD, kept beside version 1
		{12, 1, "qualifying-training", true, []int{0, 0}},
	}
	if diff := cmp.Diff(wantVersions, gotVersions); diff != "" {
		t.Errorf("agir-3's measurement versions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(line{"2025-A", 7, 1, 6, 3, 50, agir(1, 1, 1, 0, 3), moved}, report("programme=AGIR&horizon=6")); diff != "" {
		t.Errorf("T+6 after the correction (-want +got):\n%s", diff)
	}
	var progs struct{ Items []httpapi.Programme }
	w.must(w.do(w.advA, "GET", "/api/v1/programmes", nil), http.StatusOK).json(t, &progs)
	ids := map[string]string{}
	for _, p := range progs.Items {
		ids[p.Name] = p.ID
	}
	if diff := cmp.Diff(line{"2025-A", 7, 1, 6, 3, 50, agir(1, 1, 1, 0, 3), moved}, report("programme="+ids["AGIR"]+"&horizon=6")); diff != "" {
		t.Errorf("T+6 by the programme's id (-want +got):\n%s", diff)
	}

	// The positive-exit CSV says the same.
	r := w.must(w.do(w.coordA, "GET", "/api/v1/reports/positive-exits?programme=kodiko&horizon=12", nil, hdr{"Accept": "text/csv"}), http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantCSV := [][]string{
		{"programme", "cohort", "horizon", "from", "ruleSet", "ruleSetVersion", "enrolled", "excluded", "measured", "positive", "ratePercent", "cdi-or-cdd", "internship-or-alternance", "qualifying-training", "not-positive"},
		{"Kodiko", "tours-2", "12", "entry", "kodiko", pathways.RuleSetKodiko.Version, "4", "1", "3", "2", "66.7", "2", "0", "0", "1"},
	}
	if diff := cmp.Diff(wantCSV, rows); diff != "" {
		t.Errorf("positive-exit CSV (-want +got):\n%s", diff)
	}

	// The exits reports, live from the situations.
	exits := func(query string) httpapi.ExitsCohort {
		t.Helper()
		var r httpapi.ExitsReport
		w.must(w.do(w.coordA, "GET", "/api/v1/reports/exits?"+query, nil), http.StatusOK).json(t, &r)
		if len(r.Cohorts) != 1 {
			t.Fatalf("%s: %+v", query, r.Cohorts)
		}
		return r.Cohorts[0]
	}
	gotExits := []httpapi.ExitsCohort{exits("programme=agir"), exits("programme=Kodiko&cohort=tours-2")}
	wantExits := []httpapi.ExitsCohort{
		{Cohort: "2025-A", Enrolled: 7, Exited: 6, ByExitReason: map[string]int{"success": 3, "end-of-programme": 1, "moved": 1, "drop-out": 1},
			Excluded: 1, ExcludedByReason: moved,
			// agir-1, agir-2 (the lost CDI), agir-3 (CDD) and agir-6 (alternance); agir-3 trained too.
			AccessedEmployment: 4, AccessedTraining: 1, AccessedEmploymentOrTraining: 4,
			HousingAtExit: httpapi.HousingAtExit{Autonomous: 2, PrivateLandlord: 1, SocialLandlord: 1, Supported: 1, Other: 1, Unknown: 1}},
		{Cohort: "tours-2", Enrolled: 4, Exited: 4, ByExitReason: map[string]int{"success": 2, "deceased": 1, "moved": 1},
			Excluded: 1, ExcludedByReason: deceased,
			// kodiko-1 (a CDD; the internship is neither), kodiko-3 (pre-qualifying training, then a CDD).
			AccessedEmployment: 2, AccessedTraining: 1, AccessedEmploymentOrTraining: 2,
			HousingAtExit: httpapi.HousingAtExit{Autonomous: 1, SocialLandlord: 1, Other: 1, Unknown: 1}},
	}
	if diff := cmp.Diff(wantExits, gotExits); diff != "" {
		t.Errorf("exits reports (-want +got):\n%s", diff)
	}
	r = w.must(w.do(w.advA, "GET", "/api/v1/reports/exits?programme=AGIR", nil, hdr{"Accept": "text/csv"}), http.StatusOK)
	rows, err = csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := []string{"programme", "cohort", "ruleSet", "ruleSetVersion", "enrolled", "exited"}
	for _, reason := range pathways.ExitReasons {
		head = append(head, "exit:"+reason)
	}
	head = append(head, "excluded", "accessedEmployment", "accessedTraining", "accessedEmploymentOrTraining",
		"housing:autonomous", "housing:privateLandlord", "housing:socialLandlord", "housing:supported", "housing:other", "housing:unknown")
	// success re-orientation drop-out exclusion moved deceased end-of-programme other
	wantRows := [][]string{head, {"AGIR", "2025-A", "agir", pathways.RuleSetAGIR.Version, "7", "6", "3", "0", "1", "0", "1", "0", "1", "0",
		"1", "4", "1", "4", "2", "1", "1", "1", "1", "1"}}
	if diff := cmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("exits CSV (-want +got):\n%s", diff)
	}

	// Another organisation sees none of it; mentors and agencies nothing.
	w.must(w.do(w.advB, "GET", "/api/v1/reports/exits?programme="+ids["AGIR"], nil), http.StatusUnprocessableEntity)
	var other httpapi.ExitsReport
	w.must(w.do(w.advB, "GET", "/api/v1/reports/exits?programme=AGIR", nil), http.StatusOK).json(t, &other)
	if len(other.Cohorts) != 0 {
		t.Errorf("another organisation sees %+v", other.Cohorts)
	}
	w.must(w.do(w.advB, "GET", "/api/v1/measurements?beneficiary="+a3, nil), http.StatusNotFound)
	w.must(w.do(w.advB, "POST", cddPath, body), http.StatusNotFound)
	w.must(w.do(w.mentorA, "GET", "/api/v1/reports/exits?programme=AGIR", nil), http.StatusForbidden)
	w.must(w.do(w.agencyK, "GET", "/api/v1/reports/exits?programme=AGIR", nil), http.StatusForbidden)
	w.must(w.do(w.coordA, "GET", "/api/v1/reports/positive-exits?programme=AGIR&horizon=3", nil), http.StatusUnprocessableEntity)
	w.must(w.do(w.coordA, "GET", "/api/v1/reports/positive-exits?programme=Kodiko&horizon=3&from=exit", nil), http.StatusUnprocessableEntity)
}

// TestProgrammesAreManagedByCoordinators: a coordinator adds and changes
// the organisation's programmes; a name taken under another spelling is a
// 409, bad settings a 422 naming each; advisers read them and may not
// change them; another organisation cannot see or touch them. A renamed
// programme's files follow it.
func TestProgrammesAreManagedByCoordinators(t *testing.T) {
	w := newWorld(t)
	body := map[string]any{"name": "Booster Drôme", "ruleSet": "iae", "durationMonths": 18, "horizons": []int{6, 12}, "exitHorizons": []int{3}, "targetRate": 55}
	w.must(w.do(w.advA, "POST", "/api/v1/programmes", body), http.StatusForbidden)
	var p httpapi.Programme
	w.must(w.do(w.coordA, "POST", "/api/v1/programmes", body), http.StatusCreated).json(t, &p)
	if p.RuleSetVersion != pathways.RuleSetIAE.Version || p.DurationMonths != 18 || p.TargetRate == nil || *p.TargetRate != 55 {
		t.Errorf("created %+v", p)
	}
	w.must(w.do(w.coordA, "POST", "/api/v1/programmes", map[string]any{"name": "BOOSTER  drome", "ruleSet": "iae"}), http.StatusConflict)
	prob := w.must(w.do(w.coordA, "POST", "/api/v1/programmes", map[string]any{"name": "", "ruleSet": "nope", "horizons": []int{0}, "targetRate": 140}), http.StatusUnprocessableEntity).problem(t)
	var ptrs []string
	for _, e := range prob.Errors {
		ptrs = append(ptrs, e.Pointer)
	}
	if diff := cmp.Diff([]string{"/name", "/ruleSet", "/horizons/0", "/targetRate"}, ptrs); diff != "" {
		t.Errorf("bad settings name (-want +got):\n%s", diff)
	}
	b := amina(w.advA.user.ID)
	b["enrolment"] = map[string]any{"programme": "booster drome", "entryDate": "2026-01-05", "cohort": "c", "referents": []string{w.advA.user.ID}}
	var ben httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", b), http.StatusCreated).json(t, &ben)
	b["enrolment"] = map[string]any{"programme": "Accelair", "entryDate": "2026-01-05"}
	prob = w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", b), http.StatusUnprocessableEntity).problem(t)
	if len(prob.Errors) != 1 || prob.Errors[0].Pointer != "/enrolment/programme" || !strings.Contains(prob.Errors[0].Detail, "Booster Drôme") {
		t.Errorf("an unknown programme: %+v", prob.Errors)
	}

	body["name"], body["targetRate"] = "Booster Drôme-Ardèche", 60
	w.must(w.do(w.advA, "PUT", "/api/v1/programmes/"+p.ID, body), http.StatusForbidden)
	w.must(w.do(w.advB, "PUT", "/api/v1/programmes/"+p.ID, body), http.StatusForbidden)
	var changed httpapi.Programme
	w.must(w.do(w.coordA, "PUT", "/api/v1/programmes/"+p.ID, body), http.StatusOK).json(t, &changed)
	if changed.ID != p.ID || changed.Name != "Booster Drôme-Ardèche" || *changed.TargetRate != 60 {
		t.Errorf("changed %+v", changed)
	}
	w.must(w.do(w.coordA, "PUT", "/api/v1/programmes/"+p.ID, map[string]any{"name": "agir", "ruleSet": "agir"}), http.StatusConflict)
	var got httpapi.Beneficiary
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+ben.ID, nil), http.StatusOK).json(t, &got)
	if got.Enrolment.Programme != "Booster Drôme-Ardèche" || got.Enrolment.ProgrammeID != p.ID {
		t.Errorf("the file's programme after the rename: %+v", got.Enrolment)
	}
	var mine, theirs struct{ Items []httpapi.Programme }
	w.must(w.do(w.advA, "GET", "/api/v1/programmes", nil), http.StatusOK).json(t, &mine)
	w.must(w.do(w.advB, "GET", "/api/v1/programmes", nil), http.StatusOK).json(t, &theirs)
	if len(mine.Items) != 3 || len(theirs.Items) != 2 {
		t.Errorf("organisation A lists %d programmes, B %d; want 3 and 2", len(mine.Items), len(theirs.Items))
	}
	w.must(w.do(w.mentorA, "GET", "/api/v1/programmes", nil), http.StatusForbidden)
	w.must(w.do(w.agencyK, "GET", "/api/v1/programmes", nil), http.StatusForbidden)
}
