package access

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/ids"
)

// People log in with e-mail magic links: a link is single-use and valid
// LinkLifetime; opening it shows a page that asks to continue, and only
// that page's POST consumes it, so a mail scanner that follows links does
// not burn them. A consumed link opens a session, kept server-side: the
// browser holds a random secret, the store its SHA-256.

// Lifetimes and limits of links and sessions.
const (
	// LinkLifetime is how long a login link may be used.
	LinkLifetime = 15 * time.Minute
	// LinksPerAddress is how many links one address may be sent per
	// LinkWindow; more requests get the same answer and send nothing.
	LinksPerAddress = 5
	LinkWindow      = time.Hour
	// StaffIdle is how long a staff session lasts without use (default).
	StaffIdle = 30 * time.Minute
	// MentorIdle is how long a mentor stays logged in on a device (default).
	MentorIdle = 30 * 24 * time.Hour
	// touchEvery is how stale a session's last use may be before it is
	// written again: a session is not written at every request.
	touchEvery = time.Minute
)

// Lang is a language people read Parcours in.
type Lang string

// The languages. French is the default.
const (
	French  Lang = "fr"
	English Lang = "en"
)

// LangOf returns the language named, French for anything else.
func LangOf(s string) Lang {
	if strings.EqualFold(s, "en") {
		return English
	}
	return French
}

// LoginLink is a magic link sent by e-mail. Only the hash of its secret is
// stored.
type LoginLink struct {
	ID     string
	Hash   string
	UserID string
	Email  string
	// Next is the console path the link opens once consumed ("" for home).
	Next      string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// Session is a logged-in browser. Only the hash of its secret is stored,
// as ID.
type Session struct {
	ID             string
	UserID         string
	OrganisationID string
	Role           Role
	// Lang is the user's chosen language, "" when they chose none.
	Lang Lang
	// CSRF is the token every state-changing form of the session carries.
	CSRF      string
	CreatedAt time.Time
	SeenAt    time.Time
	// Idle is how long the session lasts without use; ExpiresAt is SeenAt
	// plus Idle, kept so expired sessions can be found and swept.
	Idle      time.Duration
	ExpiresAt time.Time
}

// Principal is who the session is.
func (s Session) Principal() Principal {
	return Principal{UserID: s.UserID, OrganisationID: s.OrganisationID, Role: s.Role}
}

// ExpiredAt reports whether the session was unused for longer than its
// idle time at now.
func (s Session) ExpiredAt(now time.Time) bool { return !now.Before(s.ExpiresAt) }

// LoginStore keeps login links and sessions.
type LoginStore interface {
	CreateLoginLink(ctx context.Context, l LoginLink) error
	// LoginLinkByHash returns apperr.NotFound when no link has the hash.
	LoginLinkByHash(ctx context.Context, hash string) (LoginLink, error)
	// UseLoginLink marks the link used at the instant if it is not yet:
	// apperr.Conflict when it was used already.
	UseLoginLink(ctx context.Context, id string, at time.Time) error
	// CountLoginLinks counts the links sent to the address since the instant.
	CountLoginLinks(ctx context.Context, email string, since time.Time) (int, error)
	CreateSession(ctx context.Context, s Session) error
	// SessionByID returns apperr.NotFound when there is none.
	SessionByID(ctx context.Context, id string) (Session, error)
	// TouchSession records a use of the session at the instant, and its
	// new expiry.
	TouchSession(ctx context.Context, id string, at, expires time.Time) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends every session of the user.
	DeleteUserSessions(ctx context.Context, userID string) error
	// DeleteExpiredSessions removes the sessions expired before the
	// instant and reports how many.
	DeleteExpiredSessions(ctx context.Context, before time.Time) (int, error)
}

// LinkMailer sends a user the e-mail of a login link; the notification
// service is one. linkID names the event, so a retry sends one e-mail.
type LinkMailer interface {
	MailLoginLink(ctx context.Context, u User, linkID, secret, next string) error
}

// Logins holds logging in by e-mail link and the sessions that follow.
type Logins struct {
	Users  Store
	Store  LoginStore
	Mailer LinkMailer
	// StaffIdle and MentorIdle are the sessions' idle times (0: the defaults).
	StaffIdle, MentorIdle time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (l *Logins) now() time.Time {
	if l.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return l.Now().UTC().Truncate(time.Millisecond)
}

// NewMailToken returns a new secret for a user's unsubscribe links.
func NewMailToken() string {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("access: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// NormaliseEmail is the form an address is compared in.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// randomSecret returns 32 random bytes, base64url.
func randomSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// RequestLink sends a login link to the address if it belongs to an active
// user, opening next once consumed. An unknown address, a deactivated
// user, or one over LinksPerAddress in LinkWindow sends nothing and gets
// the same answer (nil), so the answer tells nobody who has an account.
func (l *Logins) RequestLink(ctx context.Context, email, next string) error {
	email = NormaliseEmail(email)
	u, err := l.Users.UserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !u.Active()) {
		return nil
	}
	if err != nil {
		return err
	}
	now := l.now()
	n, err := l.Store.CountLoginLinks(ctx, email, now.Add(-LinkWindow))
	if err != nil || n >= LinksPerAddress {
		return err
	}
	_, err = l.IssueLink(ctx, u, next, now)
	return err
}

// IssueLink makes a login link for u and sends it: what RequestLink does
// once it knows the user, and what an invitation sends. It returns the
// link's id.
func (l *Logins) IssueLink(ctx context.Context, u User, next string, now time.Time) (string, error) {
	link, secret, err := l.newLink(ctx, u, next, now, LinkLifetime)
	if err != nil {
		return "", err
	}
	return link.ID, l.Mailer.MailLoginLink(ctx, u, link.ID, secret, link.Next)
}

// NewLink makes a login link for u that opens next and stays valid for
// lifetime, without sending it: an e-mail that asks a mentor to answer
// carries one, valid until the answer is due. It returns the link's
// secret.
func (l *Logins) NewLink(ctx context.Context, u User, next string, lifetime time.Duration) (string, error) {
	_, secret, err := l.newLink(ctx, u, next, l.now(), lifetime)
	return secret, err
}

func (l *Logins) newLink(ctx context.Context, u User, next string, now time.Time, lifetime time.Duration) (LoginLink, string, error) {
	secret, err := randomSecret()
	if err != nil {
		return LoginLink{}, "", err
	}
	link := LoginLink{ID: ids.NewAt("lnk", now), Hash: HashSecret(secret), UserID: u.ID, Email: NormaliseEmail(u.Email),
		Next: SafeNext(next), CreatedAt: now, ExpiresAt: now.Add(lifetime)}
	if err := l.Store.CreateLoginLink(ctx, link); err != nil {
		return LoginLink{}, "", err
	}
	return link, secret, nil
}

// SafeNext keeps a path of the console to open after logging in, and
// nothing else: no other host, no scheme.
func SafeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") || len(next) > 500 {
		return ""
	}
	return next
}

// Why a link opens no session: the continue page says so and offers to
// send a new link.
const (
	LinkUsed    = "used"
	LinkExpired = "expired"
)

func linkUnknown() error {
	return apperr.NotFoundf("This link is not valid.").FR("Ce lien n'est pas valide.")
}

func linkUsed() error {
	return apperr.New(apperr.Conflict, "This link was used already.").FR("Ce lien a déjà servi.").WithExtra(apperr.CurrentState, LinkUsed)
}

func linkExpired() error {
	return apperr.New(apperr.Conflict, "This link has expired.").FR("Ce lien a expiré.").WithExtra(apperr.CurrentState, LinkExpired)
}

// OpenLink checks the link a secret stands for without using it: the
// continue page shows it. apperr.NotFound for an unknown secret,
// apperr.Conflict with currentState "used" or "expired" otherwise.
func (l *Logins) OpenLink(ctx context.Context, secret string) (LoginLink, error) {
	link, err := l.Store.LoginLinkByHash(ctx, HashSecret(secret))
	if apperr.Is(err, apperr.NotFound) {
		return LoginLink{}, linkUnknown()
	}
	if err != nil {
		return LoginLink{}, err
	}
	switch {
	case link.UsedAt != nil:
		return link, linkUsed()
	case !l.now().Before(link.ExpiresAt):
		return link, linkExpired()
	}
	return link, nil
}

// ConsumeLink uses the link once and opens a session for its user: the
// session and the secret the browser keeps. Errors as OpenLink; a link
// used concurrently opens one session only.
func (l *Logins) ConsumeLink(ctx context.Context, secret string) (Session, string, error) {
	link, err := l.OpenLink(ctx, secret)
	if err != nil {
		return Session{}, "", err
	}
	u, err := l.Users.User(ctx, link.UserID)
	if err != nil {
		return Session{}, "", err
	}
	if !u.Active() {
		return Session{}, "", linkUnknown()
	}
	if err := l.Store.UseLoginLink(ctx, link.ID, l.now()); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Session{}, "", linkUsed()
		}
		return Session{}, "", err
	}
	return l.OpenSession(ctx, u)
}

// OpenSession opens a session for u directly: what a consumed link does,
// and what the demo's persona logins do in dev.
func (l *Logins) OpenSession(ctx context.Context, u User) (Session, string, error) {
	secret, err := randomSecret()
	if err != nil {
		return Session{}, "", err
	}
	csrf, err := randomSecret()
	if err != nil {
		return Session{}, "", err
	}
	now := l.now()
	idle := l.StaffIdle
	if idle <= 0 {
		idle = StaffIdle
	}
	if u.Role == Mentor {
		idle = l.MentorIdle
		if idle <= 0 {
			idle = MentorIdle
		}
	}
	s := Session{ID: HashSecret(secret), UserID: u.ID, OrganisationID: u.OrganisationID, Role: u.Role, Lang: u.Lang,
		CSRF: csrf, CreatedAt: now, SeenAt: now, Idle: idle, ExpiresAt: now.Add(idle)}
	if err := l.Store.CreateSession(ctx, s); err != nil {
		return Session{}, "", err
	}
	return s, secret, nil
}

// Session returns the live session a browser's secret stands for, and
// records its use: apperr.Unauthorized when there is none or it expired
// (an expired one is deleted).
func (l *Logins) Session(ctx context.Context, secret string) (Session, error) {
	unauthorized := apperr.New(apperr.Unauthorized, "Your session has ended; log in again.").FR("Votre session a pris fin ; reconnectez-vous.")
	if secret == "" {
		return Session{}, unauthorized
	}
	s, err := l.Store.SessionByID(ctx, HashSecret(secret))
	if apperr.Is(err, apperr.NotFound) {
		return Session{}, unauthorized
	}
	if err != nil {
		return Session{}, err
	}
	now := l.now()
	if s.ExpiredAt(now) {
		_ = l.Store.DeleteSession(ctx, s.ID)
		return Session{}, unauthorized
	}
	if now.Sub(s.SeenAt) >= touchEvery {
		if err := l.Store.TouchSession(ctx, s.ID, now, now.Add(s.Idle)); err != nil {
			return Session{}, err
		}
		s.SeenAt, s.ExpiresAt = now, now.Add(s.Idle)
	}
	return s, nil
}

// Logout ends the session a browser's secret stands for.
func (l *Logins) Logout(ctx context.Context, secret string) error {
	return l.Store.DeleteSession(ctx, HashSecret(secret))
}

// LogoutEverywhere ends every session of the user.
func (l *Logins) LogoutEverywhere(ctx context.Context, userID string) error {
	return l.Store.DeleteUserSessions(ctx, userID)
}

// SweepSessions removes the expired sessions and reports how many.
func (l *Logins) SweepSessions(ctx context.Context) (int, error) {
	return l.Store.DeleteExpiredSessions(ctx, l.now())
}
