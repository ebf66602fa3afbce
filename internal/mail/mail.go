// Package mail writes and sends Parcours' e-mails over SMTP (with
// github.com/wneessen/go-mail): each notify.Message becomes a message in the
// recipient's language, plain text and HTML, with a Message-ID derived from
// its event so a receiving server can tell a resend.
package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strconv"
	"strings"
	"text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/notify"
)

//go:embed templates
var templateFS embed.FS

// Written is a message ready to send. Unsubscribe, when set, is the
// one-click link that stops this kind of e-mail (List-Unsubscribe).
type Written struct {
	Subject, Text, HTML string
	Unsubscribe         string
}

// Writer writes messages from their event's facts.
type Writer struct {
	// PublicURL is the console's address, for the links ("https://…").
	PublicURL string
	text      *template.Template
	html      *htmltemplate.Template
}

type button struct{ URL, Label string }

// NewWriter parses the templates.
func NewWriter(publicURL string) (*Writer, error) {
	text, err := template.ParseFS(templateFS, "templates/text.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse mail templates: %w", err)
	}
	html, err := htmltemplate.New("html.tmpl").Funcs(htmltemplate.FuncMap{
		"button": func(url, label string) button { return button{url, label} },
	}).ParseFS(templateFS, "templates/html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse mail templates: %w", err)
	}
	return &Writer{PublicURL: strings.TrimRight(publicURL, "/"), text: text, html: html}, nil
}

// view is what the templates read.
type view struct {
	Lang, Name, To, URL, Subject string
	Minutes                      int
	Data                         map[string]string
	Inviter, Organisation        string
	// News is set for the news kinds, written by newsOf.
	News news
	// Hello, StopLabel and ChooseLabel are the news footer's words.
	Hello, StopLabel, ChooseLabel, Colon string
}

// Write writes m in its recipient's language (French unless English).
func (w *Writer) Write(m notify.Message) (Written, error) {
	lang := string(access.LangOf(string(m.Lang)))
	v := view{Lang: lang, Name: m.Name, To: m.To, Minutes: int(access.LinkLifetime / time.Minute), Data: m.Data,
		Inviter: m.Data["inviter"], Organisation: m.Data["organisation"]}
	name := string(m.Kind) + "." + lang
	switch m.Kind {
	case notify.LoginLink, notify.Invitation:
		v.URL = w.PublicURL + "/connexion/lien/" + url.PathEscape(m.Data["secret"])
	case "convention-signature":
		v.URL = w.PublicURL + "/signature/" + url.PathEscape(m.Data["document"]) + "/" + url.PathEscape(m.Data["party"]) + "/" + url.PathEscape(m.Data["secret"])
	case "convention-assessment":
		v.URL = w.PublicURL + "/bilan/" + url.PathEscape(m.Data["document"]) + "/" + url.PathEscape(m.Data["secret"])
	case "convention-reminder":
	default:
		n, err := w.newsOf(m, lang)
		if err != nil {
			return Written{}, err
		}
		v.News, v.URL, name = n, n.URL, "news"
		v.Hello = pick(lang, "Bonjour "+m.Name+",", "Hello "+m.Name+",")
		v.StopLabel = pick(lang, "Ne plus recevoir ce type d'e-mail", "Stop this kind of e-mail")
		v.ChooseLabel = pick(lang, "Choisir vos e-mails", "Choose your e-mails")
		v.Colon = pick(lang, " :", ":")
	}
	var subject, text, html bytes.Buffer
	if err := w.text.ExecuteTemplate(&subject, name+".subject", v); err != nil {
		return Written{}, fmt.Errorf("write message %s: %w", m.ID, err)
	}
	v.Subject = strings.TrimSpace(subject.String())
	if err := w.text.ExecuteTemplate(&text, name+".text", v); err != nil {
		return Written{}, fmt.Errorf("write message %s: %w", m.ID, err)
	}
	page, err := w.html.Clone()
	if err != nil {
		return Written{}, err
	}
	if _, err := page.New("body").Parse(`{{template "` + name + `.html" .}}`); err != nil {
		return Written{}, err
	}
	if err := page.ExecuteTemplate(&html, "layout", v); err != nil {
		return Written{}, fmt.Errorf("write message %s: %w", m.ID, err)
	}
	return Written{Subject: v.Subject, Text: strings.TrimSpace(text.String()) + "\n", HTML: html.String(), Unsubscribe: v.News.Unsubscribe}, nil
}

// Sender sends messages through an SMTP server.
type Sender struct {
	Writer *Writer
	// From is the sender's address ("Parcours <no-reply@…>").
	From string
	host string
	opts []gomail.Option
}

// NewSender returns a sender for an SMTP URL: smtp://[user:pass@]host:port
// (STARTTLS when the server offers it), smtps:// (TLS), or
// smtp://…?tls=none (plain, for a local relay).
func NewSender(smtpURL, from string, w *Writer) (*Sender, error) {
	u, err := url.Parse(smtpURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("SMTP_URL %q is not an smtp:// or smtps:// URL", smtpURL)
	}
	opts := []gomail.Option{gomail.WithTimeout(20 * time.Second), gomail.WithTLSPortPolicy(gomail.TLSOpportunistic)}
	port := 25
	switch u.Scheme {
	case "smtp":
		if u.Query().Get("tls") == "none" {
			opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		}
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("SMTP_URL scheme %q: want smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP_URL port %q: %w", p, err)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &Sender{Writer: w, From: from, host: u.Hostname(), opts: opts}, nil
}

var _ notify.Sender = (*Sender)(nil)

// Send writes m and sends it.
func (s *Sender) Send(ctx context.Context, m notify.Message) error {
	w, err := s.Writer.Write(m)
	if err != nil {
		return err
	}
	msg := gomail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return fmt.Errorf("message %s: from %q: %w", m.ID, s.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("message %s: to: %w", m.ID, err)
	}
	msg.Subject(w.Subject)
	sum := sha256.Sum256([]byte(m.ID))
	msg.SetMessageIDWithValue(hex.EncodeToString(sum[:16]) + "@parcours")
	if w.Unsubscribe != "" {
		// RFC 2369 and RFC 8058: mail programs offer a one-click stop.
		msg.SetGenHeader("List-Unsubscribe", "<"+w.Unsubscribe+">")
		msg.SetGenHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(gomail.TypeTextPlain, w.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, w.HTML)
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("message %s: smtp client: %w", m.ID, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send message %s: %w", m.ID, err)
	}
	return nil
}
