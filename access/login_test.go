package access_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// mailbox records the links sent, as the notification service would
// receive them.
type mailbox struct {
	mu    sync.Mutex
	sent  []string // secrets
	nexts []string
}

func (m *mailbox) MailLoginLink(_ context.Context, _ access.User, _, secret, next string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, secret)
	m.nexts = append(m.nexts, next)
	return nil
}

func (m *mailbox) last() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sent[len(m.sent)-1]
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func setup(t *testing.T) (*access.Logins, *mailbox, *clock, access.User) {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	db, err := mongodb.Open(ctx, env.MongoURI(), env.Database(t).Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	if err := db.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	u := access.User{ID: "usr_1", OrganisationID: "org_a", Name: "Karim", Email: "Karim.Benali@Example.org", Role: access.Adviser, CreatedAt: clk.t}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	box := &mailbox{}
	return &access.Logins{Users: db, Store: db, Mailer: box, Now: clk.Now}, box, clk, u
}

func TestALinkWorksOnceAndOpensASession(t *testing.T) {
	l, box, _, u := setup(t)
	ctx := context.Background()
	// The address is compared without case; the next page is kept if it is one of ours.
	if err := l.RequestLink(ctx, "  karim.benali@example.ORG ", "/beneficiaires?q=ami"); err != nil {
		t.Fatal(err)
	}
	if len(box.sent) != 1 || box.nexts[0] != "/beneficiaires?q=ami" {
		t.Fatalf("sent %d links, next %v", len(box.sent), box.nexts)
	}
	secret := box.last()
	// Opening the link (the continue page, or a mail scanner) does not use it.
	for range 2 {
		if _, err := l.OpenLink(ctx, secret); err != nil {
			t.Fatalf("open: %v", err)
		}
	}
	// Two consumptions at once: one session.
	var wg sync.WaitGroup
	results := make([]error, 5)
	sessions := make([]access.Session, 5)
	for i := range results {
		wg.Go(func() { sessions[i], _, results[i] = l.ConsumeLink(ctx, secret) })
	}
	wg.Wait()
	ok := 0
	for i, err := range results {
		switch {
		case err == nil:
			ok++
			if sessions[i].UserID != u.ID || sessions[i].Role != access.Adviser || sessions[i].CSRF == "" {
				t.Errorf("session %+v", sessions[i])
			}
		case apperr.Is(err, apperr.Conflict):
		default:
			t.Errorf("consume: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d sessions from one link, want 1", ok)
	}
	if _, err := l.OpenLink(ctx, secret); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("a used link opens: %v", err)
	}
	if _, err := l.OpenLink(ctx, "not-a-link"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("an unknown link: %v", err)
	}
}

func TestALinkExpiresAfterFifteenMinutes(t *testing.T) {
	l, box, clk, _ := setup(t)
	ctx := context.Background()
	if err := l.RequestLink(ctx, "karim.benali@example.org", ""); err != nil {
		t.Fatal(err)
	}
	clk.Add(access.LinkLifetime)
	_, _, err := l.ConsumeLink(ctx, box.last())
	if ae, ok := apperr.As(err); !ok || ae.Extra[apperr.CurrentState] != access.LinkExpired {
		t.Errorf("a link 15 minutes old: %v, want expired", err)
	}
}

func TestUnknownAddressesAndFloodsGetTheSameAnswer(t *testing.T) {
	l, box, clk, _ := setup(t)
	ctx := context.Background()
	if err := l.RequestLink(ctx, "nobody@example.org", ""); err != nil || len(box.sent) != 0 {
		t.Errorf("unknown address: %v, %d links sent", err, len(box.sent))
	}
	for range access.LinksPerAddress + 3 {
		if err := l.RequestLink(ctx, "karim.benali@example.org", ""); err != nil {
			t.Fatalf("request: %v (the answer must not tell a limit)", err)
		}
	}
	if len(box.sent) != access.LinksPerAddress {
		t.Errorf("%d links sent in an hour, want %d", len(box.sent), access.LinksPerAddress)
	}
	clk.Add(access.LinkWindow + time.Minute)
	if err := l.RequestLink(ctx, "karim.benali@example.org", "https://evil.example/"); err != nil || len(box.sent) != access.LinksPerAddress+1 {
		t.Errorf("after the window: %v, %d sent", err, len(box.sent))
	}
	if box.nexts[len(box.nexts)-1] != "" {
		t.Errorf("a next page on another host was kept: %q", box.nexts[len(box.nexts)-1])
	}
}

func TestSessionsExpireWhenIdleAndEndEverywhere(t *testing.T) {
	l, _, clk, u := setup(t)
	ctx := context.Background()
	_, a, err := l.OpenSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := l.OpenSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	// Use keeps a session alive; idleness ends it.
	for range 3 {
		clk.Add(access.StaffIdle - time.Minute)
		if _, err := l.Session(ctx, a); err != nil {
			t.Fatalf("a session used every 29 minutes ended: %v", err)
		}
	}
	if _, err := l.Session(ctx, b); !apperr.Is(err, apperr.Unauthorized) {
		t.Errorf("a session idle for 87 minutes: %v", err)
	}
	if err := l.LogoutEverywhere(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Session(ctx, a); !apperr.Is(err, apperr.Unauthorized) {
		t.Errorf("after logging out everywhere: %v", err)
	}
	// Mentors stay logged in on their device.
	m := access.User{ID: "usr_m", OrganisationID: "org_a", Name: "Julien", Role: access.Mentor}
	s, _, err := l.OpenSession(ctx, m)
	if err != nil || s.Idle != access.MentorIdle {
		t.Errorf("mentor session idle %v (%v), want %v", s.Idle, err, access.MentorIdle)
	}
}
