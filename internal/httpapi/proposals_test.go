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

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/proposals"
)

// clock is an injected clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// withMentoring wires the proposal and mentorship stores of the world's
// database and the clock.
func withMentoring(c *clock) worldOption {
	return func(s *worldSetup) { s.settings.Now = c.Now }
}

// mworld is a world with proposals, a clock and more mentor keys: mentorA2
// in organisation A and mentorB in organisation B.
type mworld struct {
	*world
	clock             *clock
	mentorA2, mentorB key
	mentorIDs         map[string]string // user id → mentor id
	beneficiaryNumber int
}

func newMWorld(t *testing.T, opts ...worldOption) *mworld {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	w := &mworld{world: newWorld(t, append([]worldOption{withMentoring(c)}, opts...)...), clock: c, mentorIDs: map[string]string{}}
	w.mentorA2, w.mentorB = w.mentorKey(w.orgA), w.mentorKey(w.orgB)
	return w
}

// mentorKey issues a key for a new mentor user of the organisation.
func (w *mworld) mentorKey(o access.Organisation) key {
	w.t.Helper()
	secret, _, u, err := access.IssueKey(context.Background(), w.db, o, access.Mentor, "Mentor", "test", time.Now(), ids.New)
	if err != nil {
		w.t.Fatal(err)
	}
	return key{secret, u}
}

// beneficiary creates a beneficiary of staff's organisation.
func (w *mworld) beneficiary(staff key) string {
	w.t.Helper()
	w.beneficiaryNumber++
	body := amina(staff.user.ID)
	body["firstName"] = fmt.Sprintf("Amina%d", w.beneficiaryNumber)
	var b httpapi.Beneficiary
	w.must(w.do(staff, "POST", "/api/v1/beneficiaries", body), http.StatusCreated).json(w.t, &b)
	return b.ID
}

// mentor registers the mentor profile of the user with a capacity.
func (w *mworld) mentor(staff, user key, capacity int) string {
	w.t.Helper()
	body := mentorBody(user.user.ID)
	body["capacity"] = capacity
	var m httpapi.Mentor
	w.must(w.do(staff, "POST", "/api/v1/mentors", body), http.StatusCreated).json(w.t, &m)
	w.mentorIDs[user.user.ID] = m.ID
	return m.ID
}

func (w *mworld) propose(staff key, beneficiaryID, kind, openingID string) httpapi.Proposal {
	w.t.Helper()
	var p httpapi.Proposal
	w.must(w.do(staff, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": beneficiaryID, "kind": kind, "openingId": openingID}), http.StatusCreated).json(w.t, &p)
	return p
}

// act posts an action on a proposal and returns the response.
func (w *mworld) act(k key, id, action string, body any, headers ...hdr) resp {
	w.t.Helper()
	return w.do(k, "POST", "/api/v1/proposals/"+id+"/"+action, body, headers...)
}

// sent proposes, approves and sends a mentor proposal by advA.
func (w *mworld) sent(beneficiaryID, mentorID string) httpapi.Proposal {
	w.t.Helper()
	p := w.propose(w.advA, beneficiaryID, "mentor", mentorID)
	w.must(w.act(w.advA, p.ID, "approve", nil), http.StatusOK)
	w.must(w.act(w.advA, p.ID, "send", nil), http.StatusOK).json(w.t, &p)
	return p
}

// wantProblem checks the status and the current state of a problem answer.
func wantProblem(t *testing.T, r resp, status int, state string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if p := r.problem(t); p.CurrentState != state {
		t.Errorf("currentState %q, want %q (%s)", p.CurrentState, state, r.Body)
	}
}

func TestProposalTransitionsPerRole(t *testing.T) {
	w := newMWorld(t)
	w.mentor(w.advA, w.mentorA2, 2)
	w.mentor(w.advB, w.mentorB, 2)
	var own key // the mentor of the case's proposal, fresh for each case
	tests := []struct {
		name string
		// setup brings a fresh proposal to a state: "proposed", "approved", "sent", "accepted", "withdrawn".
		setup  string
		key    func() key
		action string
		body   any
		status int
		state  string // currentState of a 409
	}{
		{name: "adviser approves a proposed pair", setup: "proposed", key: func() key { return w.advA }, action: "approve", status: 200},
		{name: "coordinator approves a proposed pair", setup: "proposed", key: func() key { return w.coordA }, action: "approve", status: 200},
		{name: "adviser of another organisation cannot see it", setup: "proposed", key: func() key { return w.advB }, action: "approve", status: 404},
		{name: "a mentor may not approve", setup: "proposed", key: func() key { return w.mentorA }, action: "approve", status: 403},
		{name: "an agency may not approve", setup: "proposed", key: func() key { return w.agencyK }, action: "approve", status: 403},
		{name: "sending before approval is refused", setup: "proposed", key: func() key { return w.advA }, action: "send", status: 409, state: "proposed"},
		{name: "approving twice is refused", setup: "approved", key: func() key { return w.advA }, action: "approve", status: 409, state: "approved"},
		{name: "adviser sends an approved pair", setup: "approved", key: func() key { return w.advA }, action: "send", status: 200},
		{name: "adviser of another organisation cannot send", setup: "approved", key: func() key { return w.advB }, action: "send", status: 404},
		{name: "the mentor cannot accept before it is sent", setup: "approved", key: func() key { return own }, action: "accept", status: 404},
		{name: "the mentor accepts a sent proposal", setup: "sent", key: func() key { return own }, action: "accept", status: 200},
		{name: "another mentor of the organisation cannot accept it", setup: "sent", key: func() key { return w.mentorA2 }, action: "accept", status: 404},
		{name: "a mentor of another organisation cannot accept it", setup: "sent", key: func() key { return w.mentorB }, action: "accept", status: 404},
		{name: "staff cannot accept in the mentor's place", setup: "sent", key: func() key { return w.advA }, action: "accept", status: 403},
		{name: "another mentor cannot decline it", setup: "sent", key: func() key { return w.mentorA2 }, action: "decline", body: map[string]any{"reason": "no"}, status: 404},
		{name: "the mentor declines with a reason", setup: "sent", key: func() key { return own }, action: "decline", body: map[string]any{"reason": "Pas disponible ce trimestre"}, status: 200},
		{name: "a decline without a reason is refused", setup: "sent", key: func() key { return own }, action: "decline", body: map[string]any{}, status: 422},
		{name: "coordinator withdraws a proposed pair", setup: "proposed", key: func() key { return w.coordA }, action: "withdraw", body: map[string]any{}, status: 200},
		{name: "adviser withdraws an approved pair", setup: "approved", key: func() key { return w.advA }, action: "withdraw", body: map[string]any{"reason": "Doublon"}, status: 200},
		{name: "adviser of another organisation cannot withdraw", setup: "approved", key: func() key { return w.advB }, action: "withdraw", body: map[string]any{}, status: 404},
		{name: "a mentor may not withdraw", setup: "sent", key: func() key { return own }, action: "withdraw", body: map[string]any{}, status: 403},
		{name: "the mentor cannot decline before it is sent", setup: "approved", key: func() key { return own }, action: "decline", body: map[string]any{"reason": "non"}, status: 404},
		{name: "withdrawing twice is refused", setup: "withdrawn", key: func() key { return w.advA }, action: "withdraw", body: map[string]any{}, status: 409, state: "withdrawn"},
		{name: "sending twice is refused", setup: "sent", key: func() key { return w.advA }, action: "send", status: 409, state: "sent"},
		{name: "staff withdraw a sent proposal", setup: "sent", key: func() key { return w.advA }, action: "withdraw", body: map[string]any{"reason": "Le projet a changé"}, status: 200},
		{name: "declining an accepted proposal is refused", setup: "accepted", key: func() key { return own }, action: "decline", body: map[string]any{"reason": "finalement non"}, status: 409, state: "accepted"},
		{name: "withdrawing an accepted proposal is refused", setup: "accepted", key: func() key { return w.advA }, action: "withdraw", body: map[string]any{}, status: 409, state: "accepted"},
		{name: "accepting a withdrawn proposal is refused", setup: "withdrawn", key: func() key { return own }, action: "accept", status: 409, state: "withdrawn"},
		{name: "staff record no mentor's answer", setup: "sent", key: func() key { return w.advA }, action: "answer", body: map[string]any{"answer": "accepted"}, status: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w.t = t
			own = w.mentorKey(w.orgA)
			men := w.mentor(w.advA, own, 2)
			ben := w.beneficiary(w.advA)
			p := w.propose(w.advA, ben, "mentor", men)
			steps := map[string][]string{"proposed": nil, "approved": {"approve"}, "sent": {"approve", "send"},
				"accepted": {"approve", "send", "accept"}, "withdrawn": {"approve", "send", "withdraw"}}[tt.setup]
			for _, s := range steps {
				k := w.advA
				var body any
				switch s {
				case "accept":
					k = own
				case "withdraw":
					body = map[string]any{}
				}
				w.must(w.act(k, p.ID, s, body), http.StatusOK)
			}
			w.clock.Add(time.Minute)
			r := w.act(tt.key(), p.ID, tt.action, tt.body)
			if tt.status == http.StatusConflict {
				wantProblem(t, r, tt.status, tt.state)
			} else {
				w.must(r, tt.status)
			}
			if tt.status != http.StatusOK {
				return
			}
			// Every transition is recorded with who made it and when.
			var got httpapi.Proposal
			w.must(w.do(w.advA, "GET", "/api/v1/proposals/"+p.ID, nil), http.StatusOK).json(t, &got)
			last := got.History[len(got.History)-1]
			if last.By != tt.key().user.ID || !last.At.Equal(w.clock.Now()) {
				t.Errorf("last transition %+v, want by %s at %s", last, tt.key().user.ID, w.clock.Now())
			}
			if len(got.History) != len(steps)+1 {
				t.Errorf("history has %d transitions, want %d", len(got.History), len(steps)+1)
			}
		})
	}
}

// TestAcceptingAgainAnswersTheCommittedAcceptance: a mentor's retry of an
// acceptance that went through (its answer lost on the way) gets the same
// mentorship, and nothing changes; another mentor still gets nothing.
func TestAcceptingAgainAnswersTheCommittedAcceptance(t *testing.T) {
	w := newMWorld(t)
	men := w.mentor(w.advA, w.mentorA, 2)
	p := w.sent(w.beneficiary(w.advA), men)
	var first, again struct {
		Proposal   httpapi.MentorProposal
		Mentorship httpapi.Mentorship
	}
	w.must(w.act(w.mentorA, p.ID, "accept", nil), http.StatusOK).json(t, &first)
	w.clock.Add(time.Minute)
	w.must(w.act(w.mentorA, p.ID, "accept", nil), http.StatusOK).json(t, &again)
	if again.Mentorship.ID != first.Mentorship.ID || again.Mentorship.State != "active" {
		t.Errorf("accepting again gave mentorship %s (%s), want %s", again.Mentorship.ID, again.Mentorship.State, first.Mentorship.ID)
	}
	var got httpapi.Proposal
	w.must(w.do(w.advA, "GET", "/api/v1/proposals/"+p.ID, nil), http.StatusOK).json(t, &got)
	if n := len(got.History); got.History[n-1].To != "accepted" || got.History[n-2].To == "accepted" {
		t.Errorf("history %+v, want one acceptance", got.History)
	}
	if m := w.mentorRecord(men); m.Active != 1 {
		t.Errorf("the mentor holds %d places, want 1", m.Active)
	}
	mentorA2 := w.mentorKey(w.orgA)
	w.must(w.act(mentorA2, p.ID, "accept", nil), http.StatusNotFound)
}

func TestMentorSeesOnlyTheProposalsSentToThem(t *testing.T) {
	w := newMWorld(t)
	menA := w.mentor(w.advA, w.mentorA, 2)
	menA2 := w.mentor(w.advA, w.mentorA2, 2)
	b1, b2, b3 := w.beneficiary(w.advA), w.beneficiary(w.advA), w.beneficiary(w.advA)
	sentA := w.sent(b1, menA)
	w.propose(w.advA, b2, "mentor", menA) // still under review: invisible to the mentor
	w.sent(b3, menA2)

	var list struct{ Items []httpapi.MentorProposal }
	w.must(w.do(w.mentorA, "GET", "/api/v1/mentors/me/proposals", nil), http.StatusOK).json(t, &list)
	var got []string
	for _, p := range list.Items {
		got = append(got, p.ID)
	}
	if diff := cmp.Diff([]string{sentA.ID}, got); diff != "" {
		t.Errorf("mentor A's proposals (-want +got):\n%s", diff)
	}
	if len(list.Items) == 1 && (list.Items[0].Mentee.FirstName == "" || len(list.Items[0].Explanation) == 0) {
		t.Errorf("the mentee view lacks the first name or the explanation: %+v", list.Items[0])
	}
	// The staff routes stay closed to mentors.
	w.must(w.do(w.mentorA, "GET", "/api/v1/proposals/"+sentA.ID, nil), http.StatusForbidden)
	w.must(w.do(w.mentorA, "GET", "/api/v1/proposals", nil), http.StatusForbidden)
	// A mentor of another organisation sees nothing.
	w.mentor(w.advB, w.mentorB, 2)
	w.must(w.do(w.mentorB, "GET", "/api/v1/mentors/me/proposals", nil), http.StatusOK).json(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("mentor B sees %d proposals of organisation A", len(list.Items))
	}
}

// forbiddenKeys may never appear, at any depth, in what a mentor receives.
// lastName is among them: a mentor needs a first name to meet a mentee, and
// the last name would only add identification (data minimisation).
var forbiddenKeys = []string{"protection", "birthDate", "address", "notes", "lastName", "barriers", "constraints"}

// leaks walks a JSON document and names every forbidden key and every value
// that equals (or, for values of 5 characters or more, contains) one of the
// sensitive values.
func leaks(doc any, sensitive []string) []string {
	var found []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				for _, f := range forbiddenKeys {
					if strings.EqualFold(k, f) {
						found = append(found, path+"/"+k+" (key)")
					}
				}
				walk(path+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s/%d", path, i), x)
			}
		case string:
			for _, s := range sensitive {
				if v == s || len(s) >= 5 && strings.Contains(strings.ToLower(v), strings.ToLower(s)) {
					found = append(found, fmt.Sprintf("%s = %q (value)", path, v))
				}
			}
		}
	}
	walk("", doc)
	return found
}

func TestLeaksFindsNestedKeysAndValues(t *testing.T) {
	doc := map[string]any{"items": []any{map[string]any{"mentee": map[string]any{"BirthDate": "1991-04-12"}}, map[string]any{"text": "lives at 12 rue Garibaldi"}}}
	got := leaks(doc, []string{"12 rue Garibaldi"})
	want := []string{"/items/0/mentee/BirthDate (key)", `/items/1/text = "lives at 12 rue Garibaldi" (value)`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("leaks (-want +got):\n%s", diff)
	}
}

func TestMentorFacingResponsesCarryNoSensitiveField(t *testing.T) {
	w := newMWorld(t)
	men := w.mentor(w.advA, w.mentorA, 3)
	body := amina(w.advA.user.ID)
	body["availability"].(map[string]any)["constraints"] = "Garde d'enfant le mercredi"
	body["languages"], body["interests"] = []string{"fa", "fr"}, []string{"football"}
	var b httpapi.Beneficiary
	w.must(w.do(w.advA, "POST", "/api/v1/beneficiaries", body), http.StatusCreated).json(t, &b)
	// The commune (city) is shown to plan meetings, as the mentor's page
	// must; the street and the postcode never are.
	sensitive := []string{string(b.Protection), string(b.BirthDate), b.Address.Line, b.Address.Postcode, b.Notes, b.LastName, b.Availability.Constraints}

	second, third := w.beneficiary(w.advA), w.beneficiary(w.advA)
	accepted := w.sent(b.ID, men)
	declined := w.sent(second, men)
	w.sent(third, men)

	var responses []resp
	keep := func(r resp) resp { responses = append(responses, r); return r }
	var acc struct{ Mentorship httpapi.Mentorship }
	w.must(keep(w.act(w.mentorA, accepted.ID, "accept", nil)), http.StatusOK).json(t, &acc)
	w.must(keep(w.act(w.mentorA, declined.ID, "decline", map[string]any{"reason": "Trop loin"})), http.StatusOK)
	w.must(keep(w.do(w.mentorA, "GET", "/api/v1/mentors/me/proposals", nil)), http.StatusOK)
	w.must(keep(w.do(w.mentorA, "GET", "/api/v1/mentors/me/mentorships", nil)), http.StatusOK)
	path := "/api/v1/mentorships/" + acc.Mentorship.ID
	w.must(keep(w.do(w.mentorA, "GET", path, nil)), http.StatusOK)
	w.must(keep(w.do(w.mentorA, "POST", path+"/checkins", map[string]any{"date": "2026-11-02", "minutes": 45, "topics": []string{"projet"}})), http.StatusCreated)
	w.must(keep(w.do(w.mentorA, "POST", path+"/end", map[string]any{"reason": "completed"})), http.StatusOK)

	for _, r := range responses {
		var doc any
		r.json(t, &doc)
		if found := leaks(doc, sensitive); len(found) > 0 {
			t.Errorf("a mentor-facing response leaks %v:\n%s", found, r.Body)
		}
	}
	// What the mentor needs is there.
	var list struct{ Items []httpapi.MentorProposal }
	responses[2].json(t, &list)
	if len(list.Items) != 3 {
		t.Fatalf("%d proposals, want 3", len(list.Items))
	}
	var mine httpapi.MentorProposal
	for _, p := range list.Items {
		if p.ID == accepted.ID {
			mine = p
		}
	}
	want := httpapi.MenteeView{FirstName: "Amina", Languages: []string{"fa", "fr"}, Interests: []string{"football"}, Skills: []string{"cuisine traditionnelle"},
		Project:      httpapi.MenteeProject{TargetROME: []string{"G1602"}, Description: "Travailler en restauration collective"},
		French:       httpapi.MenteeFrench{OralComprehension: "a2", WrittenComprehension: "a1", OralProduction: "a2", WrittenProduction: "a1"},
		Availability: httpapi.MenteeAvailability{From: "2026-04-01", HoursPerWeek: 30, Days: []string{"mon", "tue", "wed", "thu"}},
		PastTrades:   []httpapi.MenteeTrade{{ROME: "G1602", Title: "Cuisinière", Years: 4}}, Commune: "Lyon"}
	if diff := cmp.Diff(want, mine.Mentee); diff != "" {
		t.Errorf("mentee view (-want +got):\n%s", diff)
	}
	if mine.MentorshipID != acc.Mentorship.ID || len(mine.Explanation) == 0 {
		t.Errorf("accepted proposal view %+v lacks its mentorship or explanation", mine)
	}
}

// An accepted job is in the person's pathway: its situation is recorded
// (the contract the offer names, from its start), and the offer is not
// suggested nor proposed to them again.
func TestOpportunityProposalAnswersAreRecordedByStaff(t *testing.T) {
	w := newMWorld(t)
	var job struct{ ID string }
	w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities", offer("Commis de cuisine", "G1602", "69", "69002", 45.757, 4.832, "a2")), http.StatusCreated).json(t, &job)
	var hired, ben, accepted string
	for _, answer := range []map[string]any{{"answer": "accepted"}, {"answer": "declined", "reason": "Horaires incompatibles"}} {
		ben = w.beneficiary(w.advA)
		if hired == "" {
			hired = ben
		}
		p := w.propose(w.advA, ben, "job", job.ID)
		if p.Kind != string(proposals.KindJob) || p.Score <= 0 {
			t.Fatalf("job proposal %+v", p)
		}
		w.must(w.act(w.advA, p.ID, "answer", answer), http.StatusConflict) // not sent yet
		w.must(w.act(w.advA, p.ID, "approve", nil), http.StatusOK)
		w.must(w.act(w.advA, p.ID, "send", nil), http.StatusOK)
		w.must(w.act(w.advB, p.ID, "answer", answer), http.StatusNotFound)
		var got httpapi.Proposal
		w.must(w.act(w.advA, p.ID, "answer", answer), http.StatusOK).json(t, &got)
		if string(got.State) != answer["answer"] {
			t.Errorf("answer %v left the proposal %s", answer, got.State)
		}
		wantProblem(t, w.act(w.advA, p.ID, "answer", answer), http.StatusConflict, string(got.State))
		var sits struct{ Items []httpapi.Situation }
		w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+ben+"/situations", nil), http.StatusOK).json(t, &sits)
		want := 0
		if answer["answer"] == "accepted" {
			want, accepted = 1, p.ID
			if len(sits.Items) == 1 && (sits.Items[0].Kind != "cdi" || sits.Items[0].Start != civil.Of(time.Now().AddDate(0, 1, 0)) || sits.Items[0].Note != "Commis de cuisine" || sits.Items[0].RecordedBy != w.advA.user.ID) {
				t.Errorf("the accepted job recorded %+v", sits.Items[0])
			}
		}
		if len(sits.Items) != want {
			t.Errorf("after the answer %v the pathway holds %d situations, want %d", answer, len(sits.Items), want)
		}
	}
	var res explainedSuggestions
	w.must(w.do(w.advA, "GET", "/api/v1/beneficiaries/"+hired+"/suggestions?kind=job", nil), http.StatusOK).json(t, &res)
	for _, it := range res.Items {
		if it.Opening.ID == job.ID {
			t.Errorf("the accepted job is still suggested to the person who took it")
		}
	}
	// Its score derives again from the inputs it kept.
	var d httpapi.Derivation
	w.must(w.do(w.advA, "GET", "/api/v1/proposals/"+accepted+"/derivation", nil), http.StatusOK).json(t, &d)
	if !d.Derivable || !d.Equal || len(d.Differences) != 0 || len(d.Recomputed) == 0 || len(d.Current) == 0 {
		t.Errorf("derivation: %+v", d)
	}
	w.must(w.do(w.advB, "GET", "/api/v1/proposals/"+accepted+"/derivation", nil), http.StatusNotFound)
	w.must(w.do(w.mentorA, "GET", "/api/v1/proposals/"+accepted+"/derivation", nil), http.StatusForbidden)
	// A crash between the acceptance and its situation: the housekeeping
	// records it, once.
	ctx := context.Background()
	if _, err := w.db.Database().Collection("situations").DeleteOne(ctx, map[string]any{"_id": "sit_" + accepted}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 0} {
		if n, err := w.svc.Proposals.RepairSituations(ctx, w.clock.Now()); err != nil || n != want {
			t.Errorf("repair %d recorded %d situations (%v), want %d", i+1, n, err, want)
		}
	}
	if _, err := w.db.Situation(ctx, w.orgA.ID, "sit_"+accepted); err != nil {
		t.Errorf("the repaired situation: %v", err)
	}
	again := w.must(w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": hired, "kind": "job", "openingId": job.ID}), http.StatusUnprocessableEntity)
	if !strings.Contains(string(again.Body), "accepted") {
		t.Errorf("proposing the accepted job again says %s", again.Body)
	}
	// A declined opportunity is in cooldown for this beneficiary too.
	w.must(w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": ben, "kind": "job", "openingId": job.ID}), http.StatusConflict)
	// A kind that does not match the opening is not found.
	w.must(w.do(w.advA, "POST", "/api/v1/proposals", map[string]any{"beneficiaryId": ben, "kind": "training", "openingId": job.ID}), http.StatusNotFound)
}

// The agency that published an opening sees the candidates sent on it (a
// first name and initial, the programme, the adviser to call), not those
// still under review, and answers them; another organisation cannot.
func TestAnAgencyAnswersTheCandidatesSentOnItsOpenings(t *testing.T) {
	w := newMWorld(t)
	ben := w.beneficiary(w.advA)
	var job struct{ ID string }
	w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities", offer("Commis de cuisine", "G1602", "69", "69002", 45.757, 4.832, "a2")), http.StatusCreated).json(t, &job)
	p := w.propose(w.advA, ben, "job", job.ID)
	list := func() []httpapi.HostProposal {
		var out httpapi.HostProposals
		w.must(w.do(w.agencyK, "GET", "/api/v1/agency/proposals", nil), http.StatusOK).json(t, &out)
		return out.Items
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("the agency sees a proposal under review: %+v", got)
	}
	w.must(w.act(w.advA, p.ID, "approve", nil), http.StatusOK)
	w.must(w.act(w.advA, p.ID, "send", nil), http.StatusOK)
	got := list()
	if len(got) != 1 || got[0].ID != p.ID || !strings.HasPrefix(got[0].Candidate, "Amina") || !strings.HasSuffix(got[0].Candidate, " H.") ||
		got[0].Adviser.Name != w.advA.user.Name || got[0].OpeningTitle != "Commis de cuisine" || got[0].Programme == "" {
		t.Fatalf("the agency's view: %+v", got)
	}
	var raw map[string]any
	w.must(w.do(w.agencyK, "GET", "/api/v1/agency/proposals", nil), http.StatusOK).json(t, &raw)
	b, _ := json.Marshal(raw)
	for _, secret := range []string{"Haidari", "1991-04-12", "refugee", "Garibaldi", ben} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the agency's view shows %q: %s", secret, b)
		}
	}
	w.must(w.do(w.advB, "POST", "/api/v1/agency/proposals/"+p.ID+"/answer", map[string]any{"answer": "accepted"}), http.StatusForbidden)
	var answered httpapi.HostProposal
	w.must(w.do(w.agencyK, "POST", "/api/v1/agency/proposals/"+p.ID+"/answer", map[string]any{"answer": "declined", "reason": "Poste pourvu"}), http.StatusOK).json(t, &answered)
	if answered.State != "declined" || answered.DeclineReason != "Poste pourvu" {
		t.Errorf("answered: %+v", answered)
	}
	var seen httpapi.Proposal
	w.must(w.do(w.advA, "GET", "/api/v1/proposals/"+p.ID, nil), http.StatusOK).json(t, &seen)
	if seen.State != "declined" {
		t.Errorf("the adviser sees %s", seen.State)
	}
}

// TestAClosedOfferTakesNoMoreProposals: closing an offer withdraws the
// proposals waiting on it and says why. An offer that stopped being open
// while a proposal was on its way refuses its approval, sending and
// acceptance with a 409 naming its state, and nothing changes.
func TestAClosedOfferTakesNoMoreProposals(t *testing.T) {
	w := newMWorld(t)
	ctx := context.Background()
	newOffer := func() string {
		var job struct{ ID string }
		w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities", offer("Commis de cuisine", "G1602", "69", "69002", 45.757, 4.832, "a2")), http.StatusCreated).json(t, &job)
		return job.ID
	}
	proposal := func(id string) httpapi.Proposal {
		var got httpapi.Proposal
		w.must(w.do(w.advA, "GET", "/api/v1/proposals/"+id, nil), http.StatusOK).json(t, &got)
		return got
	}

	job := newOffer()
	sent := w.propose(w.advA, w.beneficiary(w.advA), "job", job)
	w.must(w.act(w.advA, sent.ID, "approve", nil), http.StatusOK)
	w.must(w.act(w.advA, sent.ID, "send", nil), http.StatusOK)
	w.must(w.do(w.agencyK, "POST", "/api/v1/opportunities/"+job+"/close", nil), http.StatusOK)
	got := proposal(sent.ID)
	if last := got.History[len(got.History)-1]; got.State != "withdrawn" || last.Reason != "L'offre est fermée." || last.By != w.agencyK.user.ID {
		t.Errorf("after the close the proposal is %s, last step %+v", got.State, last)
	}

	// The offer becomes filled behind the proposals' back (their
	// withdrawal lost): each step on them is refused.
	job = newOffer()
	onItsWay := w.propose(w.advA, w.beneficiary(w.advA), "job", job)
	w.must(w.act(w.advA, onItsWay.ID, "approve", nil), http.StatusOK)
	w.must(w.act(w.advA, onItsWay.ID, "send", nil), http.StatusOK)
	proposed := w.propose(w.advA, w.beneficiary(w.advA), "job", job)
	approved := w.propose(w.advA, w.beneficiary(w.advA), "job", job)
	w.must(w.act(w.advA, approved.ID, "approve", nil), http.StatusOK)
	o, err := w.db.Opportunity(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	o.Status, o.Version = jobs.StatusFilled, o.Version+1
	if err := w.db.ReplaceOpportunity(ctx, o); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		p      httpapi.Proposal
		action string
		body   any
		state  string
	}{
		{onItsWay, "answer", map[string]any{"answer": "accepted"}, "sent"},
		{proposed, "approve", nil, "proposed"},
		{approved, "send", nil, "approved"},
	} {
		before := proposal(step.p.ID)
		r := w.act(w.advA, step.p.ID, step.action, step.body, hdr{"Accept-Language": "fr"})
		wantProblem(t, r, http.StatusConflict, step.state)
		if p := r.problem(t); p.OpeningState != "filled" || !strings.Contains(p.Detail, "pourvue") {
			t.Errorf("%s: %+v, want the offer's state named", step.action, p)
		}
		if after := proposal(step.p.ID); string(after.State) != step.state || after.Version != before.Version {
			t.Errorf("%s changed the proposal: %s", step.action, after.State)
		}
	}
	// Declining stays possible: it frees the person.
	w.must(w.act(w.advA, onItsWay.ID, "answer", map[string]any{"answer": "declined", "reason": "Poste pourvu"}), http.StatusOK)
}
