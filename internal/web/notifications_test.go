package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/internal/devstack"
	"github.com/parcours-emploi/parcours/notify"
	"github.com/parcours-emploi/parcours/proposals"
)

// mailsAbout returns the mails to addr whose subject holds part.
func (s *site) mailsAbout(addr, part string) []devstack.Mail {
	var out []devstack.Mail
	for _, m := range s.smtp.MailsTo(addr) {
		if strings.Contains(m.Subject(), part) {
			out = append(out, m)
		}
	}
	return out
}

// waitMails waits until n mails to addr have part in their subject, then
// a little longer, so that one more would have had the time to come.
func (s *site) waitMails(t *testing.T, addr, part string, n int) []devstack.Mail {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for len(s.mailsAbout(addr, part)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d mails to %s about %q, want %d within 20 s", len(s.mailsAbout(addr, part)), addr, part, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond)
	got := s.mailsAbout(addr, part)
	if len(got) != n {
		t.Fatalf("%d mails to %s about %q, want exactly %d", len(got), addr, part, n)
	}
	return got
}

// sentJob approves and sends a job proposal of the demo's batch made to a
// person the adviser follows, and returns it with the person's name.
func (s *site) sentJob(t *testing.T, skip map[string]bool) (proposals.Proposal, string) {
	t.Helper()
	ctx, adv := context.Background(), s.principal("adviser")
	list, _, err := s.svc.Proposals.List(ctx, adv, proposals.Filter{Kind: proposals.KindJob, States: []proposals.State{proposals.Proposed}, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if skip[p.BeneficiaryID] {
			continue
		}
		b, err := s.svc.Beneficiaries.Get(ctx, adv, p.BeneficiaryID)
		if err != nil || len(b.Enrolment.Referents) == 0 || b.Enrolment.Referents[0] != adv.UserID {
			continue
		}
		skip[p.BeneficiaryID] = true
		if _, err := s.svc.Proposals.Approve(ctx, adv, p.ID); err != nil {
			t.Fatal(err)
		}
		sent, err := s.svc.Proposals.Send(ctx, adv, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return sent, b.FirstName + " " + b.LastName
	}
	t.Fatal("no proposal of the batch for a person the adviser follows")
	return proposals.Proposal{}, ""
}

// News reach people once, as they chose: an answer tells the adviser at
// once, and telling again (the hook twice, the periodic scan) sends
// nothing more; an answer whose announcement a crash lost is told by the
// scan; chosen as a daily summary, the news waits for it; the summary's
// unsubscribe link works without logging in; a mail program's one-click
// unsubscribe works too.
func TestNewsReachPeopleOnceAsTheyChose(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	adviser := s.persona("adviser")
	coord := s.principal("coordinator")
	skip := map[string]bool{}

	// At once, once.
	p, name := s.sentJob(t, skip)
	answered, err := s.svc.Proposals.Answer(ctx, coord, p.ID, true, "")
	if err != nil {
		t.Fatal(err)
	}
	subject := name + " : proposition acceptée"
	s.waitMails(t, adviser.Email, subject, 1)
	if err := s.svc.Announce.ProposalChanged(ctx, answered); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Announce.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	got := s.waitMails(t, adviser.Email, subject, 1)
	if text := got[0].Part("text/plain"); !strings.Contains(text, s.URL+"/beneficiaires/"+p.BeneficiaryID+"?onglet=parcours") || !strings.Contains(text, "/desabonnement/") {
		t.Errorf("the mail lacks the link to the file or the unsubscribe link:\n%s", text)
	}

	// A crash between the answer and its announcement (the answer is in
	// the store, the service never told anyone): the scan tells it.
	p2, name2 := s.sentJob(t, skip)
	declined, err := p2.Advance(proposals.Declined, coord.UserID, "Poste pourvu", time.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.TransitionProposal(ctx, proposals.Sent, declined); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if n := len(s.mailsAbout(adviser.Email, name2+" : proposition déclinée")); n != 0 {
		t.Fatalf("told without the hook: %d", n)
	}
	if _, err := s.svc.Announce.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	got = s.waitMails(t, adviser.Email, name2+" : proposition déclinée", 1)
	if !strings.Contains(got[0].Part("text/plain"), "Poste pourvu") {
		t.Errorf("the decline's mail does not give the reason:\n%s", got[0].Part("text/plain"))
	}

	// The adviser chooses a daily summary, on the account page.
	b := s.browser(1280, 900)
	b.login("adviser")
	b.visit("/compte")
	b.click(`input[name="proposal-answered"][value="digest"]`)
	b.click(`form[action="/compte/notifications"] button[type="submit"]`)
	b.waitText("#messages", "Vos choix d'e-mails sont enregistrés")
	b.axe()
	p3, name3 := s.sentJob(t, skip)
	if _, err := s.svc.Proposals.Answer(ctx, coord, p3.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if n := len(s.mailsAbout(adviser.Email, name3)); n != 0 {
		t.Fatalf("a news chosen in the daily summary was sent at once (%d)", n)
	}
	if n, err := s.svc.Notify.SendDigests(ctx); err != nil || n == 0 {
		t.Fatalf("summaries: %d %v", n, err)
	}
	digest := s.waitMails(t, adviser.Email, "du jour", 1)
	text := digest[0].Part("text/plain")
	if !strings.Contains(text, name3+" : proposition acceptée") {
		t.Errorf("the summary does not hold the news:\n%s", text)
	}
	if n, _ := s.svc.Notify.SendDigests(ctx); n != 0 {
		t.Errorf("a second run sent %d more summaries", n)
	}

	// Its unsubscribe link, in a browser with no session.
	stop := regexp.MustCompile(regexp.QuoteMeta(s.URL) + `/desabonnement/[^\s]+`).FindString(text)
	if stop == "" {
		t.Fatalf("no unsubscribe link in the summary:\n%s", text)
	}
	anon := s.browser(1280, 900)
	anon.visit(strings.TrimPrefix(stop, s.URL))
	anon.click(`main form button[type="submit"]`)
	anon.waitText("h1", "C'est fait")
	anon.axe()
	u, err := s.svc.Access.User(ctx, adviser.ID)
	if err != nil || notify.ChoiceOf(u, notify.ProposalAnswered) != notify.Never {
		t.Fatalf("after unsubscribing, the choice is %q (%v)", notify.ChoiceOf(u, notify.ProposalAnswered), err)
	}
	p4, name4 := s.sentJob(t, skip)
	if _, err := s.svc.Proposals.Answer(ctx, coord, p4.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	s.svc.Notify.SendDigests(ctx)
	time.Sleep(time.Second)
	if n := len(s.mailsAbout(adviser.Email, name4)); n != 0 {
		t.Errorf("news sent after unsubscribing (%d)", n)
	}
	// A wrong token changes nothing.
	res, err := http.PostForm(strings.Replace(stop, "/proposal-answered/", "/horizon-due/", 1)+"x", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("a wrong token: %d", res.StatusCode)
	}

	// A mail program's one-click unsubscribe (RFC 8058) from a mentor's mail.
	mentor := s.persona("mentor")
	s.linkFrom(mentor.Email, 1)
	var oneClick string
	for _, m := range s.smtp.MailsTo(mentor.Email) {
		if h := m.Header("List-Unsubscribe"); strings.Contains(h, "/proposal-") && m.Header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click" {
			oneClick = strings.Trim(h, "<>")
		}
	}
	if oneClick == "" {
		t.Fatal("no one-click unsubscribe header on the mentor's mails")
	}
	res, err = http.PostForm(oneClick, url.Values{"List-Unsubscribe": {"One-Click"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	mu, _ := s.svc.Access.User(ctx, mentor.ID)
	kind := notify.Kind(strings.Split(strings.TrimPrefix(oneClick, s.URL+"/desabonnement/"), "/")[1])
	if res.StatusCode != http.StatusOK || notify.ChoiceOf(mu, kind) != notify.Never {
		t.Errorf("one-click unsubscribe: %d, choice %q for %s", res.StatusCode, notify.ChoiceOf(mu, kind), kind)
	}
}
