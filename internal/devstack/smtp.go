package devstack

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// SMTP is an in-process SMTP server that keeps every message it receives in
// memory: dev shows them at a dev-only page, so magic links work in the demo
// with no set-up, and tests read them as a mail client would.
type SMTP struct {
	srv *smtp.Server
	ln  net.Listener

	mu      sync.Mutex
	mails   []Mail
	arrived chan struct{} // closed and replaced at every arrival
}

// Mail is one message received.
type Mail struct {
	From     string
	To       []string
	Data     []byte
	Received time.Time
}

// StartSMTP listens on a free port of 127.0.0.1.
func StartSMTP(log *slog.Logger) (*SMTP, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the embedded SMTP server: %w", err)
	}
	s := &SMTP{ln: ln, arrived: make(chan struct{})}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) && log != nil {
			log.Warn("embedded SMTP server stopped", "error", err.Error())
		}
	}()
	if log != nil {
		log.Info("dev mode: embedded SMTP server (mail is kept in memory)", "addr", ln.Addr().String())
	}
	return s, nil
}

// Addr is host:port.
func (s *SMTP) Addr() string { return s.ln.Addr().String() }

// URL is the smtp:// URL to send through it.
func (s *SMTP) URL() string { return "smtp://" + s.Addr() }

// Close stops the server.
func (s *SMTP) Close() error { return s.srv.Close() }

// Mails returns the messages received, oldest first.
func (s *SMTP) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// MailsTo returns the messages received for the address, oldest first.
func (s *SMTP) MailsTo(addr string) []Mail {
	var out []Mail
	for _, m := range s.Mails() {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				out = append(out, m)
			}
		}
	}
	return out
}

// WaitFor waits until the address has received n messages, or ctx ends.
func (s *SMTP) WaitFor(ctx context.Context, addr string, n int) ([]Mail, error) {
	for {
		s.mu.Lock()
		arrived := s.arrived
		s.mu.Unlock()
		if got := s.MailsTo(addr); len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return s.MailsTo(addr), fmt.Errorf("%d messages to %s: %w", len(s.MailsTo(addr)), addr, ctx.Err())
		case <-arrived:
		}
	}
}

func (s *SMTP) add(m Mail) {
	s.mu.Lock()
	s.mails = append(s.mails, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
	s.mu.Unlock()
}

type smtpSession struct {
	s    *SMTP
	from string
	to   []string
}

func (x *smtpSession) AuthMechanisms() []string { return nil }
func (x *smtpSession) Reset()                   { x.from, x.to = "", nil }
func (x *smtpSession) Logout() error            { return nil }

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.add(Mail{From: x.from, To: append([]string(nil), x.to...), Data: b, Received: time.Now()})
	return nil
}

// Subject returns the message's decoded subject.
func (m Mail) Subject() string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	s, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return msg.Header.Get("Subject")
	}
	return s
}

// Header returns a header of the message.
func (m Mail) Header(name string) string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	return msg.Header.Get(name)
}

// Part returns the decoded body part of the media type ("text/plain",
// "text/html"), looking into multipart bodies.
func (m Mail) Part(mediaType string) string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	return findPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, mediaType)
}

func findPart(contentType, encoding string, body io.Reader, want string) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return ""
			}
			if got := findPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, want); got != "" {
				return got
			}
		}
	}
	if mt != want {
		return ""
	}
	return decodeBody(encoding, body)
}

func decodeBody(encoding string, body io.Reader) string {
	var r io.Reader = body
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return ""
	}
	return string(b)
}
