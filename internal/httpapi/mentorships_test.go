package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// seedSent stores n beneficiaries, each with a proposal sent to the mentor.
// It writes to the store directly: through the API the sent limit
// (capacity + 2) would stop well before n.
func (w *mworld) seedSent(mentorID string, n int) []proposals.Proposal {
	w.t.Helper()
	ctx, now := context.Background(), w.clock.Now()
	out := make([]proposals.Proposal, n)
	for i := range out {
		b := pathways.Beneficiary{ID: ids.New("ben"), OrganisationID: w.orgA.ID, FirstName: fmt.Sprintf("Mentee%d", i),
			LastName: "Doe", Protection: pathways.ProtectionRefugee, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := w.db.CreateBeneficiary(ctx, b); err != nil {
			w.t.Fatal(err)
		}
		expires := now.Add(14 * 24 * time.Hour)
		p := proposals.Proposal{ID: ids.New("pro"), OrganisationID: w.orgA.ID, BeneficiaryID: b.ID, Kind: proposals.KindMentor,
			OpeningID: mentorID, Source: proposals.SourceAdviser, State: proposals.Sent, Score: 0.5,
			History:   []proposals.Transition{{From: proposals.Approved, To: proposals.Sent, At: now, By: w.advA.user.ID}},
			ExpiresAt: &expires, CreatedAt: now, UpdatedAt: now, Version: 3}
		if err := w.db.CreateProposal(ctx, p); err != nil {
			w.t.Fatal(err)
		}
		out[i] = p
	}
	return out
}

func (w *mworld) mentorRecord(id string) mentoring.Mentor {
	w.t.Helper()
	m, err := w.db.Mentor(context.Background(), w.orgA.ID, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

func TestConcurrentAcceptsNeverExceedCapacity(t *testing.T) {
	// 50 requests at once queue on the store (more so under -race on a
	// shared machine): a generous deadline keeps this a test of atomicity.
	w := newMWorld(t, func(s *worldSetup) { s.deps.StoreTimeout = 2 * time.Minute })
	men := w.mentor(w.advA, w.mentorA, 3)
	props := w.seedSent(men, 50)

	start := time.Now()
	statuses := make([]int, len(props))
	bodies := make([][]byte, len(props))
	var wg sync.WaitGroup
	for i, p := range props {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := w.do(w.mentorA, "POST", "/api/v1/proposals/"+p.ID+"/accept", nil)
			statuses[i], bodies[i] = r.Status, r.Body
		}()
	}
	wg.Wait()
	t.Logf("50 concurrent accepts in %v", time.Since(start))

	counts := map[int]int{}
	for i, st := range statuses {
		counts[st]++
		if st == http.StatusConflict && !strings.Contains(string(bodies[i]), "no free capacity") {
			t.Errorf("a refusal does not say why: %s", bodies[i])
		}
	}
	if diff := cmp.Diff(map[int]int{http.StatusOK: 3, http.StatusConflict: 47}, counts); diff != "" {
		t.Fatalf("answers by status (-want +got):\n%s", diff)
	}
	if m := w.mentorRecord(men); m.Active != 3 {
		t.Errorf("mentor's active count %d, want 3", m.Active)
	}
	var list struct{ Items []httpapi.Mentorship }
	w.must(w.do(w.advA, "GET", "/api/v1/mentorships?mentorId="+men, nil), http.StatusOK).json(t, &list)
	if len(list.Items) != 3 {
		t.Errorf("%d mentorships, want 3", len(list.Items))
	}
	// The losers' proposals are still sent: they can expire or be withdrawn.
	var sent struct{ Items []httpapi.Proposal }
	w.must(w.do(w.advA, "GET", "/api/v1/proposals?state=sent&limit=200", nil), http.StatusOK).json(t, &sent)
	if len(sent.Items) != 47 {
		t.Errorf("%d proposals still sent, want 47", len(sent.Items))
	}
}

func TestFirstAcceptanceWinsForABeneficiary(t *testing.T) {
	w := newMWorld(t)
	mentors := []key{w.mentorA, w.mentorA2, w.mentorKey(w.orgA)}
	ben := w.beneficiary(w.advA)
	var props []httpapi.Proposal
	for _, k := range mentors {
		props = append(props, w.sent(ben, w.mentor(w.advA, k, 2)))
	}
	statuses := make([]int, len(props))
	var wg sync.WaitGroup
	for i, p := range props {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = w.do(mentors[i], "POST", "/api/v1/proposals/"+p.ID+"/accept", nil).Status
		}()
	}
	wg.Wait()
	won, states := 0, map[string]int{}
	for i, st := range statuses {
		if st == http.StatusOK {
			won++
		} else if st != http.StatusConflict {
			t.Errorf("accept %d answered %d", i, st)
		}
		var p httpapi.Proposal
		w.must(w.do(w.advA, "GET", "/api/v1/proposals/"+props[i].ID, nil), http.StatusOK).json(t, &p)
		states[p.State]++
		// Only the winner's mentor keeps a place.
		if m := w.mentorRecord(p.OpeningID); (st == http.StatusOK) != (m.Active == 1) {
			t.Errorf("mentor of accept %d (status %d) has %d active", i, st, m.Active)
		}
	}
	if won != 1 {
		t.Fatalf("%d acceptances won, want 1 (statuses %v)", won, statuses)
	}
	// The others are withdrawn, or were still sent when they lost the race
	// and are withdrawn now.
	if diff := cmp.Diff(map[string]int{string(proposals.Accepted): 1, string(proposals.Withdrawn): 2}, states); diff != "" {
		t.Errorf("proposal states (-want +got):\n%s", diff)
	}
}

func TestOpenAndSentLimits(t *testing.T) {
	w := newMWorld(t)
	ben := w.beneficiary(w.advA)
	var mentorIDs []string
	for range 4 {
		mentorIDs = append(mentorIDs, w.mentor(w.advA, w.mentorKey(w.orgA), 1))
	}
	for _, id := range mentorIDs[:3] {
		w.propose(w.advA, ben, "mentor", id)
	}
	r := w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": ben, "kind": "mentor", "openingId": mentorIDs[3]})
	wantProblem(t, r, http.StatusConflict, "")
	if l := r.problem(t).Limit; l == nil || *l != proposals.MaxOpenMentorProposals {
		t.Errorf("open limit: problem limit %v, want %d (%s)", l, proposals.MaxOpenMentorProposals, r.Body)
	}

	// A mentor of capacity 1 may have 3 proposals sent at once, not 4.
	men := mentorIDs[3]
	for i := range 3 {
		w.sent(w.beneficiary(w.advA), men)
		_ = i
	}
	p := w.propose(w.advA, w.beneficiary(w.advA), "mentor", men)
	w.must(w.act(w.advA, p.ID, "approve", nil), http.StatusOK)
	r = w.act(w.advA, p.ID, "send", nil)
	wantProblem(t, r, http.StatusConflict, "")
	if l := r.problem(t).Limit; l == nil || *l != 1+mentoring.SentMargin {
		t.Errorf("sent limit: problem limit %v, want %d (%s)", l, 1+mentoring.SentMargin, r.Body)
	}
}

func TestDeclineStartsACooldownForThePairOnly(t *testing.T) {
	w := newMWorld(t)
	men := w.mentor(w.advA, w.mentorA, 2)
	other := w.mentor(w.advA, w.mentorA2, 2)
	ben := w.beneficiary(w.advA)
	p := w.sent(ben, men)
	var declined httpapi.MentorProposal
	w.must(w.act(w.mentorA, p.ID, "decline", map[string]any{"code": "bored", "reason": "Pas de créneau commun"}), http.StatusUnprocessableEntity)
	w.must(w.act(w.mentorA, p.ID, "decline", map[string]any{"code": "time", "reason": "Pas de créneau commun"}), http.StatusOK).json(t, &declined)
	if declined.State != string(proposals.Declined) || declined.DeclineReason != "Pas de créneau commun" {
		t.Errorf("declined %+v", declined)
	}
	// The kind of reason is kept for the fairness report's aggregates.
	if stored, err := w.db.Proposal(context.Background(), w.orgA.ID, p.ID); err != nil || stored.DeclineCode != "time" {
		t.Errorf("stored decline code %q (%v)", stored.DeclineCode, err)
	}

	// The same pair: refused until the cooldown ends, with the date.
	w.clock.Add(30 * 24 * time.Hour)
	r := w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": ben, "kind": "mentor", "openingId": men})
	wantProblem(t, r, http.StatusConflict, "")
	if want := "2027-01-31"; !strings.Contains(r.problem(t).Detail, want) {
		t.Errorf("detail %q does not give the end of the cooldown %s", r.problem(t).Detail, want)
	}
	if ends, err := time.Parse(time.RFC3339, r.problem(t).CooldownEnds); err != nil || civil.Of(ends) != "2027-01-31" {
		t.Errorf("cooldownEnds %q (%v), want 2027-01-31 in RFC 3339", r.problem(t).CooldownEnds, err)
	}
	fr := w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": ben, "kind": "mentor", "openingId": men}, hdr{"Accept-Language": "fr"})
	if want := "31 janvier 2027"; !strings.Contains(fr.problem(t).Detail, want) {
		t.Errorf("French detail %q does not give the end of the cooldown %s", fr.problem(t).Detail, want)
	}
	// Elsewhere: at once.
	w.propose(w.advA, ben, "mentor", other)
	// The lead's suggestions read the same declines.
	declines, err := w.db.DeclinesOf(context.Background(), ben, w.clock.Now().Add(-90*24*time.Hour), civil.InFrance(w.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(declines) != 1 || declines[0].OpeningID != men {
		t.Errorf("DeclinesOf = %v, want only %s", declines, men)
	}
	// After the cooldown the pair may be proposed again.
	w.clock.Add(61 * 24 * time.Hour)
	w.propose(w.advA, ben, "mentor", men)
}

func TestAdviserProposalIsReevaluatedByTheEngine(t *testing.T) {
	w := newMWorld(t)
	ben := w.beneficiary(w.advA)
	body := mentorBody(w.mentorA.user.ID)
	delete(body, "trainedAt")
	var untrained httpapi.Mentor
	w.must(w.do(w.advA, "POST", "/api/v1/mentors", body), http.StatusCreated).json(t, &untrained)

	for _, lang := range []string{"en", "fr"} {
		r := w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": ben, "kind": "mentor", "openingId": untrained.ID}, hdr{"Accept-Language": lang})
		w.must(r, http.StatusUnprocessableEntity)
		p := r.problem(t)
		if len(p.Errors) == 0 || p.Errors[0].Pointer != "/openingId" || p.Errors[0].Detail == "" {
			t.Fatalf("%s: errors %+v, want the failed constraints on /openingId", lang, p.Errors)
		}
		t.Logf("%s: %s", lang, p.Errors[0].Detail)
	}

	trained := w.mentor(w.advA, w.mentorA2, 2)
	p := w.propose(w.advA, ben, "mentor", trained)
	var ev struct {
		Eligible       bool    `json:"eligible"`
		Score          float64 `json:"score"`
		WeightsVersion string  `json:"weightsVersion"`
		At             time.Time
		Components     []json.RawMessage
	}
	if err := json.Unmarshal(p.Explanation, &ev); err != nil {
		t.Fatal(err)
	}
	if !ev.Eligible || ev.Score != p.Score || ev.WeightsVersion == "" || len(ev.Components) == 0 || !ev.At.Equal(w.clock.Now()) {
		t.Errorf("stored explanation %+v does not reproduce the proposal (score %v at %s)", ev, p.Score, w.clock.Now())
	}
	if p.Source != string(proposals.SourceAdviser) || p.State != string(proposals.Proposed) {
		t.Errorf("proposal %+v", p)
	}
	// Other organisations' beneficiaries and mentors do not exist for the caller.
	w.must(w.do(w.advB, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": ben, "kind": "mentor", "openingId": trained}), http.StatusNotFound)
}

func TestExpiryAndRemindersFollowTheInjectedClock(t *testing.T) {
	w := newMWorld(t)
	men := w.mentor(w.advA, w.mentorA, 2)
	p := w.sent(w.beneficiary(w.advA), men)
	ctx := context.Background()

	w.clock.Add(12 * 24 * time.Hour)
	expiring, err := w.svc.Proposals.Expiring(ctx, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(expiring) != 1 || expiring[0].ID != p.ID {
		t.Errorf("12 days after sending, expiring = %+v, want %s", expiring, p.ID)
	}
	if n, err := w.svc.Proposals.ExpireDue(ctx, w.clock.Now()); err != nil || n != 0 {
		t.Errorf("12 days after sending, ExpireDue = %d, %v; want 0", n, err)
	}

	w.clock.Add(2*24*time.Hour + time.Second)
	if n, err := w.svc.Proposals.ExpireDue(ctx, w.clock.Now()); err != nil || n != 1 {
		t.Fatalf("14 days after sending, ExpireDue = %d, %v; want 1", n, err)
	}
	if n, err := w.svc.Proposals.ExpireDue(ctx, w.clock.Now()); err != nil || n != 0 {
		t.Errorf("a second sweep expired %d (%v), want 0", n, err)
	}
	wantProblem(t, w.act(w.mentorA, p.ID, "accept", nil), http.StatusConflict, "expired")
	var got httpapi.Proposal
	w.must(w.do(w.advA, "GET", "/api/v1/proposals/"+p.ID, nil), http.StatusOK).json(t, &got)
	if last := got.History[len(got.History)-1]; last.By != proposals.SystemActor || last.To != string(proposals.Expired) {
		t.Errorf("last transition %+v, want expired by the system", last)
	}
}

func TestCheckInsAlertAndEnd(t *testing.T) {
	w := newMWorld(t)
	men := w.mentor(w.advA, w.mentorA, 2)
	w.mentor(w.advA, w.mentorA2, 2)
	p := w.sent(w.beneficiary(w.advA), men)
	var acc struct{ Mentorship httpapi.Mentorship }
	w.must(w.act(w.mentorA, p.ID, "accept", nil), http.StatusOK).json(t, &acc)
	ms := acc.Mentorship
	if ms.State != string(mentoring.MentorshipActive) || ms.EndsOn != "2027-05-02" {
		t.Fatalf("mentorship %+v, want active until 2027-05-02 (six months)", ms)
	}
	path := "/api/v1/mentorships/" + ms.ID
	followUp := func(k key) mentoring.FollowUp {
		t.Helper()
		var got httpapi.Mentorship
		w.must(w.do(k, "GET", path, nil), http.StatusOK).json(t, &got)
		return mentoring.FollowUp(got.FollowUp)
	}
	checkIn := func(k key, date string) resp {
		t.Helper()
		return w.do(k, "POST", path+"/checkins", map[string]any{"date": date, "minutes": 60, "topics": []string{"CV"}, "nextStep": "Envoyer deux candidatures"})
	}

	// The diagnosis month is exempt; after it, fewer than 2 check-ins in 30 days is an alert.
	if got := followUp(w.advA); got != mentoring.FollowUpOK {
		t.Errorf("first day: follow-up %q, want ok", got)
	}
	w.clock.Add(40 * 24 * time.Hour) // 2026-12-12
	if got := followUp(w.mentorA); got != mentoring.FollowUpAlert {
		t.Errorf("40 days without check-in: follow-up %q, want alert", got)
	}
	alerts, err := w.svc.Mentoring.Alerts(context.Background(), w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].ID != ms.ID {
		t.Errorf("alerts = %+v, want %s", alerts, ms.ID)
	}
	w.must(checkIn(w.mentorA, "2026-12-01"), http.StatusCreated)
	if got := followUp(w.advA); got != mentoring.FollowUpAlert {
		t.Errorf("one check-in: follow-up %q, want alert", got)
	}
	w.must(checkIn(w.advA, "2026-12-10"), http.StatusCreated)
	if got := followUp(w.advA); got != mentoring.FollowUpOK {
		t.Errorf("two check-ins: follow-up %q, want ok", got)
	}
	// Logged by its mentor or staff only; never in the future.
	w.must(checkIn(w.mentorA2, "2026-12-11"), http.StatusNotFound)
	w.must(checkIn(w.advB, "2026-12-11"), http.StatusNotFound)
	w.must(checkIn(w.mentorA, "2026-12-13"), http.StatusUnprocessableEntity)
	// Nor before the mentorship began (2026-11-02), said in French.
	before := w.do(w.mentorA, "POST", path+"/checkins", map[string]any{"date": "2026-11-01", "minutes": 60, "topics": []string{"CV"}}, hdr{"Accept-Language": "fr"})
	if p := w.must(before, http.StatusUnprocessableEntity).problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/date" || !strings.Contains(p.Errors[0].Detail, "2 novembre 2026") {
		t.Errorf("a check-in before the start: %+v", p.Errors)
	}

	// Ending gives the place back, once.
	w.must(w.do(w.mentorA2, "POST", path+"/end", map[string]any{"reason": "job-found"}), http.StatusNotFound)
	var ended httpapi.Mentorship
	w.must(w.do(w.advA, "POST", path+"/end", map[string]any{"reason": "job-found"}), http.StatusOK).json(t, &ended)
	if ended.State != string(mentoring.MentorshipEnded) || ended.EndReason != string(mentoring.EndJobFound) || ended.EndedBy != w.advA.user.ID {
		t.Errorf("ended %+v", ended)
	}
	wantProblem(t, w.do(w.advA, "POST", path+"/end", map[string]any{"reason": "completed"}), http.StatusConflict, "ended")
	wantProblem(t, checkIn(w.mentorA, "2026-12-12"), http.StatusConflict, "ended")
	if m := w.mentorRecord(men); m.Active != 0 {
		t.Errorf("after the end, the mentor has %d active, want 0", m.Active)
	}
	w.must(w.do(w.advA, "POST", path+"/end", map[string]any{"reason": "bored"}), http.StatusUnprocessableEntity)
}

// A mentor who is not available before a day holds the pair back until
// that day, not for the whole cooldown; a day in the past or beyond a year
// is refused, naming the field.
func TestDeclineUntilADayHoldsThePairUntilThatDay(t *testing.T) {
	w := newMWorld(t)
	men := w.mentor(w.advA, w.mentorA, 2)
	ben := w.beneficiary(w.advA)
	p := w.sent(ben, men)
	today := civil.InFrance(w.clock.Now())
	for _, bad := range []civil.Date{today, today.AddDate(0, 0, -3), today.AddDate(1, 1, 0)} {
		pr := w.must(w.act(w.mentorA, p.ID, "decline", map[string]any{"reason": "Indisponible", "availableFrom": bad}, hdr{"Accept-Language": "fr"}), http.StatusUnprocessableEntity).problem(t)
		if len(pr.Errors) != 1 || pr.Errors[0].Pointer != "/availableFrom" || !strings.Contains(pr.Errors[0].Detail, "disponible") {
			t.Errorf("availableFrom %s: %+v", bad, pr.Errors)
		}
	}
	back := today.AddDate(0, 0, 20)
	var declined httpapi.MentorProposal
	w.must(w.act(w.mentorA, p.ID, "decline", map[string]any{"reason": "En congés", "availableFrom": back}), http.StatusOK).json(t, &declined)
	if declined.AvailableFrom != back {
		t.Errorf("the answer's availableFrom is %q, want %s", declined.AvailableFrom, back)
	}
	r := w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": ben, "kind": "mentor", "openingId": men})
	wantProblem(t, r, http.StatusConflict, "")
	if ends, err := time.Parse(time.RFC3339, r.problem(t).CooldownEnds); err != nil || civil.InFrance(ends) != back {
		t.Errorf("cooldownEnds %q (%v), want the first instant of %s in France", r.problem(t).CooldownEnds, err, back)
	}
	// From that day on (far within the 90 days), the pair may be proposed again.
	w.clock.Add(21 * 24 * time.Hour)
	w.propose(w.advA, ben, "mentor", men)
}

// Erasing a person closes what was under way for them: a proposal sent to
// a mentor is withdrawn (the mentor no longer sees it and cannot accept
// it), and their mentorship ends, giving the mentor's place back.
func TestErasureClosesProposalsAndMentorships(t *testing.T) {
	w := newMWorld(t)
	men := w.mentor(w.advA, w.mentorA, 2)
	ben := w.beneficiary(w.advA)
	other := w.beneficiary(w.advA)
	sent := w.sent(ben, men)
	accepted := w.sent(other, men)
	w.must(w.act(w.mentorA, accepted.ID, "accept", nil), http.StatusOK)

	w.must(w.do(w.advA, "DELETE", "/api/v1/beneficiaries/"+ben, nil), http.StatusNoContent)
	w.must(w.do(w.advA, "DELETE", "/api/v1/beneficiaries/"+other, nil), http.StatusNoContent)

	var list struct{ Items []httpapi.MentorProposal }
	w.must(w.do(w.mentorA, "GET", "/api/v1/mentors/me/proposals?state=sent", nil), http.StatusOK).json(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("the mentor still sees %d proposals of erased people", len(list.Items))
	}
	if r := w.act(w.mentorA, sent.ID, "accept", nil); r.Status == http.StatusOK {
		t.Errorf("the mentor accepted a proposal of an erased person")
	}
	var p httpapi.Proposal
	w.must(w.do(w.advA, "GET", "/api/v1/proposals/"+sent.ID, nil), http.StatusOK).json(t, &p)
	if p.State != string(proposals.Withdrawn) {
		t.Errorf("the erased person's sent proposal is %s", p.State)
	}
	var ms struct{ Items []httpapi.Mentorship }
	w.must(w.do(w.advA, "GET", "/api/v1/mentorships?state=active", nil), http.StatusOK).json(t, &ms)
	if len(ms.Items) != 0 {
		t.Errorf("%d mentorships of erased people are still active", len(ms.Items))
	}
	var m httpapi.Mentor
	w.must(w.do(w.advA, "GET", "/api/v1/mentors/"+men, nil), http.StatusOK).json(t, &m)
	if m.Active != 0 {
		t.Errorf("the mentor still holds %d places", m.Active)
	}
}

// Ending a mentorship takes a reason and, if given, a comment, kept with it.
func TestEndingAMentorshipKeepsItsComment(t *testing.T) {
	w := newMWorld(t)
	men := w.mentor(w.advA, w.mentorA, 2)
	p := w.sent(w.beneficiary(w.advA), men)
	var acc struct{ Mentorship httpapi.Mentorship }
	w.must(w.act(w.mentorA, p.ID, "accept", nil), http.StatusOK).json(t, &acc)
	path := "/api/v1/mentorships/" + acc.Mentorship.ID + "/end"
	w.must(w.do(w.advA, "POST", path, map[string]any{"reason": "job-found", "comment": strings.Repeat("x", 501)}), http.StatusUnprocessableEntity)
	var ended httpapi.Mentorship
	w.must(w.do(w.advA, "POST", path, map[string]any{"reason": "job-found", "comment": "CDI chez Bocuse Traiteur"}), http.StatusOK).json(t, &ended)
	if ended.EndComment != "CDI chez Bocuse Traiteur" || ended.EndReason != "job-found" {
		t.Errorf("ended: %q %q", ended.EndReason, ended.EndComment)
	}
	var read httpapi.Mentorship
	w.must(w.do(w.advA, "GET", "/api/v1/mentorships/"+ended.ID, nil), http.StatusOK).json(t, &read)
	if read.EndComment != ended.EndComment {
		t.Errorf("read back: %q", read.EndComment)
	}
}
