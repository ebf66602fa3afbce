package workers_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/internal/devstack"
	"github.com/parcours-emploi/parcours/internal/mail"
	"github.com/parcours-emploi/parcours/internal/testenv"
	"github.com/parcours-emploi/parcours/internal/workers"
	"github.com/parcours-emploi/parcours/notify"
)

// mailer sends through a real SMTP server in process.
func mailer(t *testing.T) (*devstack.SMTP, *mail.Sender) {
	t.Helper()
	smtp, err := devstack.StartSMTP(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = smtp.Close() })
	w, err := mail.NewWriter("http://parcours.test")
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSender(smtp.URL()+"?tls=none", "Parcours <ne-pas-repondre@parcours.test>", w)
	if err != nil {
		t.Fatal(err)
	}
	return smtp, s
}

// flaky fails its first send, as a mail server that does not answer.
type flaky struct {
	notify.Sender
	calls atomic.Int32
}

func (f *flaky) Send(ctx context.Context, m notify.Message) error {
	if f.calls.Add(1) == 1 {
		return errors.New("connection refused")
	}
	return f.Sender.Send(ctx, m)
}

// Each event sends exactly one e-mail: the same event recorded twice, a
// task delivered twice, a send that fails once and is retried.
func TestAnEventSendsOneEmailWhateverTheRetries(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	smtp, sender := mailer(t)
	queue := testenv.Get(t).Prefix(t)
	client := workers.NewClient(redisOpt(t), queue, quiet)
	defer client.Close()
	svc := &notify.Service{Outbox: db, Queue: client}
	f := &flaky{Sender: sender}
	srv := workers.NewServer(workers.Config{Redis: redisOpt(t), Queue: queue, Logger: quiet, ShutdownTimeout: time.Second, DelayedCheck: 100 * time.Millisecond,
		RetryDelay: func(int, error, *asynq.Task) time.Duration { return 200 * time.Millisecond }}, &workers.Handlers{Notify: svc, Mailer: f, Logger: quiet})
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()

	u := access.User{ID: "usr_1", Name: "Karim", Email: "karim@example.org", Lang: access.French}
	for range 3 { // the same event, told three times (a retried request)
		if err := svc.MailLoginLink(ctx, u, "lnk_1", "secret-1", "/accueil"); err != nil {
			t.Fatal(err)
		}
	}
	// The same task delivered again by hand: a retried task.
	task, _, err := workers.NewEmailTask("login-link:lnk_1")
	if err != nil {
		t.Fatal(err)
	}
	h := &workers.Handlers{Notify: svc, Mailer: f, Logger: quiet}
	waitFor(t, 30*time.Second, "the mail", func() bool { return len(smtp.MailsTo(u.Email)) >= 1 })
	if err := h.HandleEmail(ctx, task); err != nil {
		t.Fatalf("a second delivery of a sent message: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	got := smtp.MailsTo(u.Email)
	if len(got) != 1 {
		t.Fatalf("%d e-mails for one event, want 1", len(got))
	}
	if f.calls.Load() < 2 {
		t.Errorf("the failed send was not retried (%d sends)", f.calls.Load())
	}
	m := got[0]
	if !strings.Contains(m.Subject(), "lien de connexion") || !strings.Contains(m.Part("text/plain"), "http://parcours.test/connexion/lien/secret-1") ||
		!strings.Contains(m.Part("text/html"), "http://parcours.test/connexion/lien/secret-1") {
		t.Errorf("mail %q:\n%s", m.Subject(), m.Part("text/plain"))
	}
	stored, err := db.Message(ctx, "login-link:lnk_1")
	if err != nil || stored.State != notify.Sent || stored.Data["secret"] != "" {
		t.Errorf("stored message %+v %v: want sent, without its secret", stored, err)
	}
}

// A worker killed between recording the message and queuing its task: the
// sweep finds the message and sends it, once.
func TestAMessageRecordedButNeverQueuedIsSentByTheSweep(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	smtp, sender := mailer(t)
	queue := testenv.Get(t).Prefix(t)
	client := workers.NewClient(redisOpt(t), queue, quiet)
	defer client.Close()
	now := time.Now()
	// Recorded with a queue that does not answer: the API's answer is sent,
	// the task is not.
	down := &notify.Service{Outbox: db, Queue: failingQueue{}, Now: func() time.Time { return now.Add(-time.Minute) }}
	u := access.User{ID: "usr_1", Name: "Claire", Email: "claire@example.org", Lang: access.English}
	if err := down.MailLoginLink(ctx, u, "lnk_2", "secret-2", ""); err != nil {
		t.Fatal(err)
	}
	svc := &notify.Service{Outbox: db, Queue: client}
	h := &workers.Handlers{Notify: svc, Mailer: sender, Logger: quiet}
	serve(t, queue, h, time.Second)
	for range 2 { // two sweeps (two schedulers): still one e-mail
		if err := h.HandleSweep(ctx, asynq.NewTask(workers.TypeSweep, nil)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 30*time.Second, "the swept mail", func() bool { return len(smtp.MailsTo(u.Email)) >= 1 })
	time.Sleep(300 * time.Millisecond)
	if got := smtp.MailsTo(u.Email); len(got) != 1 || !strings.Contains(got[0].Subject(), "login link") {
		t.Errorf("%d e-mails after the sweep, want 1 in English", len(got))
	}
}

type failingQueue struct{}

func (failingQueue) EnqueueMessage(context.Context, string) error {
	return errors.New("redis: connection refused")
}
