package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/hibiken/asynq"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/demo"
	"github.com/parcours-emploi/parcours/internal/devstack"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/internal/mail"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/internal/web"
	"github.com/parcours-emploi/parcours/internal/workers"
	"github.com/parcours-emploi/parcours/pathways"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// site is Parcours as dev runs it, on real stores: the API and the console
// on one address, the workers on a real queue, mail through a real SMTP
// server in process, and the demo world.
type site struct {
	t     *testing.T
	URL   string
	db    *mongodb.DB
	svc   *app.Services
	smtp  *devstack.SMTP
	world demo.World
}

type siteOption func(*app.Settings)

func newSite(t *testing.T, opts ...siteOption) *site {
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
	smtp, err := devstack.StartSMTP(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = smtp.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()

	o := env.RedisOpt(t)
	redis := asynq.RedisClientOpt{Addr: o.Addr, Username: o.Username, Password: o.Password, DB: o.DB}
	queue := env.Prefix(t)
	client := workers.NewClient(redis, queue, quiet)
	t.Cleanup(func() { _ = client.Close() })
	var set app.Settings
	for _, opt := range opts {
		opt(&set)
	}
	svc := app.New(db, client, set)
	world, err := demo.Seed(ctx, svc, db, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	writer, err := mail.NewWriter(base)
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSender(smtp.URL()+"?tls=none", "Parcours <ne-pas-repondre@parcours.test>", writer)
	if err != nil {
		t.Fatal(err)
	}
	srv := workers.NewServer(workers.Config{Redis: redis, Queue: queue, Logger: quiet, ShutdownTimeout: time.Second},
		&workers.Handlers{Runner: svc.Runner, Batches: db, Queue: client, Notify: svc.Notify, Announce: svc.Announce, Mailer: sender, Logger: quiet})
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	console, err := web.New(web.Deps{Services: svc, Inputs: httpapi.NewInputs(), PublicURL: base, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Deps{Services: svc, Console: console, Logger: quiet})
	go func() { _ = api.Listener(ln) }()
	t.Cleanup(func() { _ = api.Shutdown() })
	return &site{t: t, URL: base, db: db, svc: svc, smtp: smtp, world: world}
}

// persona is a demo user by role name.
func (s *site) persona(name string) access.User {
	s.t.Helper()
	p, ok := s.world.Personas[name]
	if !ok {
		s.t.Fatalf("no persona %q", name)
	}
	return p.User
}

// session opens a session for a demo user, as a consumed link would, and
// returns its cookie's value.
func (s *site) session(name string) string {
	s.t.Helper()
	_, secret, err := s.svc.Logins.OpenSession(context.Background(), s.persona(name))
	if err != nil {
		s.t.Fatal(err)
	}
	return secret
}

// linkFrom returns the login link of the nth mail to addr that holds one
// (the demo sends people news too), waiting for it to arrive.
func (s *site) linkFrom(addr string, n int) string {
	s.t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(s.URL) + `/connexion/lien/[A-Za-z0-9_-]+`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var links []string
		for _, m := range s.smtp.MailsTo(addr) {
			if l := re.FindString(m.Part("text/plain")); l != "" {
				links = append(links, l)
			}
		}
		if len(links) >= n {
			return links[n-1]
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%d mails with a login link to %s, want %d within 30 s", len(links), addr, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// client is an HTTP client with a cookie jar that does not follow
// redirects, for what a browser cannot show (statuses, forged requests).
func (s *site) client(session string) *http.Client {
	s.t.Helper()
	jar, _ := cookiejar.New(nil)
	if session != "" {
		u, _ := url.Parse(s.URL)
		jar.SetCookies(u, []*http.Cookie{{Name: "parcours_session", Value: session, Path: "/"}})
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// chromium finds the browser; the tests skip without one, except in CI.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium: .ci/run installs Debian's chromium for the browser tests")
	}
	t.Skip("no chromium on this machine: the browser tests need it (apt-get install chromium)")
	return ""
}

// browser is a headless Chromium tab reading French, at the size given.
type browser struct {
	t    *testing.T
	site *site
	ctx  context.Context
	// visited are the pages checked with axe, by path.
	visited map[string]bool
}

func (s *site) browser(width, height int) *browser {
	t := s.t
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.Headless,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "fr-FR"), chromedp.WindowSize(width, height),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	b := &browser{t: t, site: s, ctx: ctx, visited: map[string]bool{}}
	// The first run starts the browser and ties its life to the context it
	// is given: the tab's own, with no timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": "fr-FR,fr;q=0.9"}}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: int64(width), Height: int64(height), DeviceScaleFactor: 1, Mobile: width < 600})
		return err
	}))
	return b
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

func run[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// login gives the browser a session of the persona.
func (b *browser) login(name string) {
	b.t.Helper()
	secret := b.site.session(name)
	b.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		httpOnly := true
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "parcours_session", Value: secret, URL: b.site.URL + "/", HTTPOnly: &httpOnly})
		return err
	}))
}

// visit opens a page of the site and checks it with axe.
func (b *browser) visit(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.site.URL + path))
	b.waitLoaded()
	b.axe()
}

func (b *browser) waitLoaded() {
	b.t.Helper()
	b.do(chromedp.WaitReady("body"))
}

// path is the page's path and query.
func (b *browser) path() string {
	b.t.Helper()
	loc := run(b, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return run(b, chromedp.Text(sel))
}

var axeSource = func() string {
	src, err := os.ReadFile(filepath.Join("webtest", "axe.min.js"))
	if err != nil {
		panic(err)
	}
	return string(src)
}()

// axeViolation is what axe-core reports of a broken rule.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axe runs axe-core on the page against WCAG 2.1 A and AA, and fails the
// test on any violation.
func (b *browser) axe() {
	b.t.Helper()
	path := b.path()
	run(b, chromedp.Evaluate[bool](axeSource+";true"))
	out := run(b, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))`,
		chromedp.EvalAwaitPromise))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatal(err)
	}
	for _, v := range vs {
		b.t.Errorf("axe on %s: %s (%s): %s — %v", path, v.ID, v.Impact, v.Help, v.Nodes)
	}
	b.visited[strings.SplitN(path, "?", 2)[0]] = true
}

// screenshot writes the page to docs/screenshots/name.png when
// PARCOURS_SCREENSHOTS is set (the screenshots the README shows).
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if os.Getenv("PARCOURS_SCREENSHOTS") == "" {
		return
	}
	png := run(b, chromedp.FullScreenshot(100)) // 100: PNG; below, JPEG
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) click(sel string) {
	b.t.Helper()
	b.do(chromedp.WaitVisible(sel), chromedp.Click(sel))
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		got, err := chromedp.Run(ctx, chromedp.Text(sel))
		cancel()
		if err == nil && strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s says %q, want %q within 20 s", sel, got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitQuery waits until the browser's address holds part.
func (b *browser) waitQuery(part string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(b.path(), part) {
		if time.Now().After(deadline) {
			b.t.Fatalf("the browser is at %s, want %s in it within 20 s", b.path(), part)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitPath waits until the browser is at a path starting with prefix.
func (b *browser) waitPath(prefix string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if p := b.path(); strings.HasPrefix(p, prefix) {
			b.waitLoaded()
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the browser is at %s, want %s… within 20 s", b.path(), prefix)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *site) get(c *http.Client, path string) (int, string) {
	s.t.Helper()
	res, err := c.Get(s.URL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (s *site) post(c *http.Client, path string, form url.Values) (int, string) {
	s.t.Helper()
	res, err := c.PostForm(s.URL+path, form)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var _ = fmt.Sprint

// principal is the persona as the services see them.
func (s *site) principal(name string) access.Principal {
	u := s.persona(name)
	return access.Principal{UserID: u.ID, OrganisationID: u.OrganisationID, Role: u.Role}
}

func benAll() pathways.Filter { return pathways.Filter{Limit: 200} }

// expireSessions ends the persona's sessions as time would: their expiry
// moves to the past.
func (s *site) expireSessions(t *testing.T, name string) {
	t.Helper()
	_, err := s.db.Database().Collection("sessions").UpdateMany(context.Background(),
		bson.D{{Key: "userId", Value: s.persona(name).ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "expiresAt", Value: time.Now().Add(-time.Minute)}}}})
	if err != nil {
		t.Fatal(err)
	}
}
