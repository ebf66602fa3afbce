package httpapi_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/fairness"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// group is a generated group of a cohort: how many people, their
// monitoring record, and how many of their mentor proposals sent are
// accepted (the others are declined).
type group struct {
	n, accepted int
	record      fairness.Record
}

// seedCohort writes, as data, a programme's cohort: each person entered in
// January 2026 with their monitoring record, and one mentor proposal
// proposed, approved and sent in March, then accepted or declined.
func seedCohort(t *testing.T, w *world, org, programme string, groups []group) {
	t.Helper()
	ctx := context.Background()
	progs, err := w.db.Programmes(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	var prog pathways.Programme
	for _, p := range progs {
		if p.Name == programme {
			prog = p
		}
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for gi, g := range groups {
		for i := 0; i < g.n; i++ {
			b := pathways.Beneficiary{ID: ids.New("ben"), OrganisationID: org, FirstName: fmt.Sprint("P", gi, "-", i), LastName: "Cohorte",
				BirthDate: "1990-05-01", Protection: pathways.ProtectionRefugee,
				Enrolment: pathways.Enrolment{ProgrammeID: prog.ID, Programme: prog.Name, EntryDate: civil.Date("2026-01-05").AddDate(0, 0, i%20), Cohort: "2026-A"},
				CreatedAt: at, UpdatedAt: at, Version: 1}
			if err := w.db.CreateBeneficiary(ctx, b); err != nil {
				t.Fatal(err)
			}
			if g.record != (fairness.Record{}) {
				r := g.record
				r.BeneficiaryID, r.OrganisationID, r.UpdatedAt = b.ID, org, at
				if err := w.db.SaveMonitoring(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			end, code := proposals.Declined, []string{"trade", "time"}[i%2]
			if i < g.accepted {
				end, code = proposals.Accepted, ""
			}
			p := proposals.Proposal{ID: ids.New("pro"), OrganisationID: org, BeneficiaryID: b.ID, Kind: proposals.KindMentor, OpeningID: "men_" + fmt.Sprint(i%9),
				Source: proposals.SourceAdviser, State: end, DeclineCode: code, CreatedAt: at, UpdatedAt: at.Add(72 * time.Hour), Version: 4,
				History: []proposals.Transition{{From: proposals.Proposed, To: proposals.Approved, At: at.Add(time.Hour)},
					{From: proposals.Approved, To: proposals.Sent, At: at.Add(2 * time.Hour)}, {From: proposals.Sent, To: end, At: at.Add(72 * time.Hour)}}}
			if err := w.db.CreateProposal(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func fairnessReport(t *testing.T, w *world, k key, query string) httpapi.FairnessReport {
	t.Helper()
	var r httpapi.FairnessReport
	w.must(w.do(k, "GET", "/api/v1/reports/fairness?"+query, nil), http.StatusOK).json(t, &r)
	return r
}

func fairnessCell(t *testing.T, r httpapi.FairnessReport, stage, group string) httpapi.FairnessCell {
	t.Helper()
	for _, st := range r.Stages {
		if st.Stage != stage {
			continue
		}
		for _, c := range st.Cells {
			if c.Group == group {
				return c
			}
		}
	}
	t.Fatalf("no cell %s / %s in %+v", stage, group, r.Stages)
	return httpapi.FairnessCell{}
}

func close4(a, b float64) bool { return math.Abs(a-b) < 5e-4 }

// TestFairnessReportsTheFunnelByGroup generates cohorts as data: in
// organisation A's Kodiko, mentors decline women twice as often as men
// (40 % of 50 against 20 % of 60): the "accepted" stage of women raises
// the only alert, with the ratio 0.75 and its interval 0.58–0.97, beside
// a group of 12 who gave no sex, suppressed at that stage; in organisation
// B's Kodiko the same mentors are fair: no alert. In A's AGIR, a group of
// 7 people from Central Asia is suppressed at every stage with another
// cell, so the totals do not give it back. The report reads in CSV the
// same; nobody but the organisation's coordinators reads it.
func TestFairnessReportsTheFunnelByGroup(t *testing.T) {
	w := newWorld(t)
	seedCohort(t, w, w.orgA.ID, "Kodiko", []group{{60, 48, fairness.Record{Sex: "male"}}, {50, 30, fairness.Record{Sex: "female"}}, {12, 9, fairness.Record{}}})
	seedCohort(t, w, w.orgB.ID, "Kodiko", []group{{60, 48, fairness.Record{Sex: "male"}}, {50, 40, fairness.Record{Sex: "female"}}})
	seedCohort(t, w, w.orgA.ID, "AGIR", []group{{40, 30, fairness.Record{Nationality: "SY"}}, {20, 15, fairness.Record{Nationality: "ER"}}, {7, 5, fairness.Record{Nationality: "TJ"}}})
	const period = "&from=2026-01-01&to=2026-06-30"

	biased := fairnessReport(t, w, w.coordA, "programme=kodiko&attribute=sex&kind=mentor"+period)
	if biased.Reference != "male" || biased.Alerts != 1 || strings.Join(biased.Groups, ",") != "male,female,not-provided" {
		t.Fatalf("reference %q, groups %v, %d alerts; want male, 1 alert", biased.Reference, biased.Groups, biased.Alerts)
	}
	women := fairnessCell(t, biased, "accepted", "female")
	if !women.Alert || *women.Count != 30 || *women.Base != 50 || !close4(*women.Rate, 0.6) || !close4(*women.Ratio, 0.75) ||
		!close4(women.RatioInterval.Low, 0.5787) || !close4(women.RatioInterval.High, 0.9720) || !close4(women.RateInterval.Low, 0.4618) || !close4(women.RateInterval.High, 0.7239) {
		t.Errorf("women accepted: %+v (%v, %v)", women, *women.RateInterval, *women.RatioInterval)
	}
	if men := fairnessCell(t, biased, "accepted", "male"); men.Alert || *men.Count != 48 || men.Ratio != nil {
		t.Errorf("men accepted (the reference): %+v", men)
	}
	if sent := fairnessCell(t, biased, "sent", "female"); sent.Alert || !close4(*sent.Ratio, 1) {
		t.Errorf("women sent: %+v", sent)
	}
	// Why mentors declined, by group: women 20 (10 "trade", 10 "time"),
	// men 12 (6 and 6, hidden), and the row total only where it gives no
	// hidden cell back.
	for _, d := range biased.Declines {
		cells := map[string]httpapi.FairnessCell{}
		for _, c := range d.Cells {
			cells[c.Group] = c
		}
		if f := cells["female"]; f.Count == nil || *f.Count != 10 || !cells["male"].Suppressed || cells["male"].Count != nil {
			t.Errorf("declines %s: %+v", d.Code, d.Cells)
		}
	}
	if len(biased.Declines) != 2 {
		t.Errorf("decline reasons %+v", biased.Declines)
	}
	if fair := fairnessReport(t, w, w.coordB, "programme=Kodiko&attribute=sex&kind=mentor"+period); fair.Alerts != 0 {
		t.Errorf("the fair cohort raises %d alerts", fair.Alerts)
	}

	small := fairnessReport(t, w, w.coordA, "programme=AGIR&attribute=region"+period)
	if strings.Join(small.Groups, ",") != "western-asia,eastern-africa,central-asia" {
		t.Fatalf("groups %v", small.Groups)
	}
	for _, st := range small.Stages {
		hidden, shown := 0, 0
		for _, c := range st.Cells {
			if c.Count == nil {
				hidden++
			} else {
				shown += *c.Count
			}
			if c.Group == "central-asia" && (!c.Suppressed || c.Count != nil || c.Rate != nil || c.Ratio != nil || c.Alert) {
				t.Errorf("%s: the group of 7 shows %+v", st.Stage, c)
			}
		}
		if hidden == 1 && (st.Total != nil || st.Stage == "eligible") {
			t.Errorf("%s: the total %d less the cells shown (%d) gives the hidden cell back", st.Stage, *st.Total, shown)
		}
	}
	r := w.must(w.do(w.coordA, "GET", "/api/v1/reports/fairness?programme=AGIR&attribute=region"+period, nil, hdr{"Accept": "text/csv"}), http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(fairness.Stages)*3+2*3 { // the stages, then the two kinds of decline reason, by group
		t.Fatalf("%d CSV rows", len(rows))
	}
	for _, row := range rows[1:] {
		if row[7] == "central-asia" && (row[8] != "< 10" || row[10] != "") {
			t.Errorf("the CSV shows the group of 7: %v", row)
		}
	}

	// Coordinators of the organisation only.
	for _, k := range []key{w.advA, w.mentorA, w.agencyK} {
		w.must(w.do(k, "GET", "/api/v1/reports/fairness?programme=kodiko&attribute=sex"+period, nil), http.StatusForbidden)
	}
	w.must(w.do(w.coordB, "GET", "/api/v1/reports/fairness?programme="+biased.ProgrammeID+"&attribute=sex"+period, nil), http.StatusNotFound)
	p := w.must(w.do(w.coordA, "GET", "/api/v1/reports/fairness?programme=kodiko&attribute=religion&from=2026-13-01&to=2026-06-30", nil, hdr{"Accept-Language": "fr"}), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 2 {
		t.Errorf("bad query: %+v", p.Errors)
	}
}

// keyIn reports whether a JSON document holds the key at any depth.
func keyIn(doc any, key string) bool {
	switch v := doc.(type) {
	case map[string]any:
		for k, x := range v {
			if strings.EqualFold(k, key) || keyIn(x, key) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if keyIn(x, key) {
				return true
			}
		}
	}
	return false
}

// TestMonitoringAttributesAreNeverReturned: an adviser records a person's
// sex and nationality; no response of the API about the person, their
// proposals or their mentorship, to staff, the mentor or the agency,
// carries them. Bad values are named; another organisation cannot write.
func TestMonitoringAttributesAreNeverReturned(t *testing.T) {
	w := newMWorld(t)
	ben := w.beneficiary(w.advA)
	path := "/api/v1/beneficiaries/" + ben + "/monitoring"
	p := w.must(w.do(w.advA, "PUT", path, map[string]any{"sex": "unknown", "nationality": "XX"}), http.StatusUnprocessableEntity).problem(t)
	if len(p.Errors) != 2 {
		t.Errorf("bad attributes: %+v", p.Errors)
	}
	w.must(w.do(w.advB, "PUT", path, map[string]any{"sex": "female", "nationality": "ER"}), http.StatusNotFound)
	w.must(w.do(w.mentorA, "PUT", path, map[string]any{"sex": "female", "nationality": "ER"}), http.StatusForbidden)
	w.must(w.do(w.advA, "PUT", path, map[string]any{"sex": "female", "nationality": "er"}), http.StatusNoContent)
	rec, err := w.db.MonitoringOf(context.Background(), w.orgA.ID, []string{ben})
	if err != nil || rec[ben].Sex != "female" || rec[ben].Nationality != "ER" {
		t.Fatalf("recorded %+v %v", rec, err)
	}
	men := w.mentor(w.advA, w.mentorA, 2)
	sent := w.sent(ben, men)
	var acc struct{ Mentorship httpapi.Mentorship }
	w.must(w.act(w.mentorA, sent.ID, "accept", nil), http.StatusOK).json(t, &acc)
	var job struct{ ID string }
	w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities", offer("Commis de cuisine", "G1602", "69", "69002", 45.757, 4.832, "a2")), http.StatusCreated).json(t, &job)
	pj := w.propose(w.advA, ben, "job", job.ID)
	w.must(w.act(w.advA, pj.ID, "approve", nil), http.StatusOK)
	w.must(w.act(w.advA, pj.ID, "send", nil), http.StatusOK)

	sensitive := []string{"female", "ER"}
	walked := 0
	for _, c := range []struct {
		k    key
		path string
	}{
		{w.advA, "/api/v1/beneficiaries/" + ben}, {w.advA, "/api/v1/beneficiaries"}, {w.coordA, "/api/v1/beneficiaries?q=amina"},
		{w.advA, "/api/v1/beneficiaries/" + ben + "/situations"}, {w.advA, "/api/v1/proposals"}, {w.advA, "/api/v1/proposals/" + sent.ID},
		{w.advA, "/api/v1/mentorships"}, {w.advA, "/api/v1/mentorships/" + acc.Mentorship.ID}, {w.mentorA, "/api/v1/mentorships/" + acc.Mentorship.ID},
		{w.mentorA, "/api/v1/mentors/me/proposals"}, {w.mentorA, "/api/v1/mentors/me/mentorships"}, {w.agencyK, "/api/v1/agency/proposals"},
		{w.advA, "/api/v1/beneficiaries/" + ben + "/suggestions?kind=job"}, {w.advA, "/api/v1/beneficiaries/" + ben + "/evaluation?kind=job&opening=" + job.ID},
		{w.coordA, "/api/v1/reports/exits?programme=AGIR"}, {w.coordA, "/api/v1/measurements?beneficiary=" + ben},
	} {
		var doc any
		w.must(w.do(c.k, "GET", c.path, nil), http.StatusOK).json(t, &doc)
		var found []string
		for _, f := range leaks(doc, sensitive) {
			if !strings.HasSuffix(f, "(key)") { // staff read the file's own keys; the values are what matter
				found = append(found, f)
			}
		}
		for _, k := range []string{"sex", "nationality", "monitoring"} {
			if keyIn(doc, k) {
				found = append(found, k+" (key)")
			}
		}
		if len(found) > 0 {
			t.Errorf("GET %s carries monitoring attributes: %v", c.path, found)
		}
		walked++
	}
	if walked < 16 {
		t.Fatalf("walked %d responses", walked)
	}
	// Erasure removes them.
	w.must(w.do(w.advA, "DELETE", "/api/v1/beneficiaries/"+ben, nil), http.StatusNoContent)
	if rec, err := w.db.MonitoringOf(context.Background(), w.orgA.ID, []string{ben}); err != nil || len(rec) != 0 {
		t.Errorf("after the erasure: %+v %v", rec, err)
	}
}

// TestTheWeeklyWatchTellsCoordinatorsOfAnAlert: the weekly watch finds the
// one alert of the biased cohort and records one e-mail for the
// organisation's coordinator, once however often it runs that week, and
// none for the organisation whose mentors are fair.
func TestTheWeeklyWatchTellsCoordinatorsOfAnAlert(t *testing.T) {
	w := newWorld(t, withBatches(t, testRedis(t), testenv.Get(t).Prefix(t)))
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	coord := access.User{ID: ids.New("usr"), OrganisationID: w.orgA.ID, Name: "Claire Martin", Email: "claire.martin@agir.test", Role: access.Coordinator, CreatedAt: now}
	other := access.User{ID: ids.New("usr"), OrganisationID: w.orgB.ID, Name: "Paul Roux", Email: "paul.roux@booster.test", Role: access.Coordinator, CreatedAt: now}
	for _, u := range []access.User{coord, other} {
		if err := w.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	seedCohort(t, w, w.orgA.ID, "Kodiko", []group{{60, 48, fairness.Record{Sex: "male"}}, {50, 30, fairness.Record{Sex: "female"}}})
	seedCohort(t, w, w.orgB.ID, "Kodiko", []group{{60, 48, fairness.Record{Sex: "male"}}, {50, 40, fairness.Record{Sex: "female"}}})
	for range 2 {
		if n, err := w.svc.Announce.FairnessAlerts(ctx, now); err != nil || n != 1 {
			t.Fatalf("the watch found %d alerts (%v), want 1", n, err)
		}
	}
	progs, err := w.db.Programmes(ctx, w.orgA.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kodiko string
	for _, p := range progs {
		if p.Name == "Kodiko" {
			kodiko = p.ID
		}
	}
	year, week := now.In(civil.France).ISOWeek()
	id := fmt.Sprintf("fairness-alert:%s:sex:accepted:female:%d-W%02d:%s", kodiko, year, week, coord.ID)
	m, err := w.svc.Notify.Outbox.Message(ctx, id)
	if err != nil || m.To != coord.Email || m.Data["ratio"] != "0.75" || m.Data["reference"] != "male" {
		t.Fatalf("the coordinator's message %s: %+v %v", id, m, err)
	}
}
