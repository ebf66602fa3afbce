// Package access holds who may do what in Parcours: organisations, their
// users, the bearer API keys users authenticate with, and the rights of each
// role. Every use case takes the Principal asking and checks it against the
// organisation that owns each record it reads or changes.
package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Role is what a user may do.
type Role string

// Roles (design.md, "Roles and access").
const (
	// Coordinator administers an organisation and reads its reports.
	Coordinator Role = "coordinator"
	// Adviser follows the organisation's beneficiaries, offers, PMSMP and proposals.
	Adviser Role = "adviser"
	// Mentor sees their own profile, proposals and mentees (restricted view).
	Mentor Role = "mentor"
	// Agency manages its own openings only.
	Agency Role = "agency"
)

// Roles lists every role.
var Roles = []Role{Coordinator, Adviser, Mentor, Agency}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Organisation is an AGIR platform, an association, a company or an agency.
type Organisation struct {
	ID   string
	Name string
	Kind string // programme, association, company, agency
	// Partner is the programme organisation that registered this agency
	// and manages its API keys ("" for one registered otherwise).
	Partner   string
	CreatedAt time.Time
}

// User belongs to one organisation and has one role. People log in with
// their e-mail address, unique among users; integrations use API keys.
type User struct {
	ID             string
	OrganisationID string
	Name           string
	Email          string
	// Phone is how a mentor reaches the adviser after accepting (optional).
	Phone string
	Role  Role
	// Lang is the language the user chose ("" until they choose: French,
	// or the browser's).
	Lang      Lang
	CreatedAt time.Time
	// DeactivatedAt is set when the user may no longer log in.
	DeactivatedAt *time.Time
	// Notices are the user's choices by kind of e-mail ("off", or "digest"
	// for a daily summary); a kind not named is sent at once.
	Notices map[string]string
	// MailToken authenticates the unsubscribe links of the user's e-mails
	// ("" until the first e-mail that carries one).
	MailToken string
}

// Active reports whether the user may log in.
func (u User) Active() bool { return u.DeactivatedAt == nil }

// Key is a bearer API key. Only its SHA-256 is stored; the secret is shown once.
type Key struct {
	ID             string
	UserID         string
	OrganisationID string
	Role           Role
	Label          string
	Hash           string
	Prefix         string
	CreatedAt      time.Time
	RevokedAt      *time.Time
}

// Principal is who is asking: the user behind a valid key.
type Principal struct {
	UserID         string
	OrganisationID string
	Role           Role
	KeyID          string
}

// Is reports whether the principal has one of the roles.
func (p Principal) Is(roles ...Role) bool {
	for _, r := range roles {
		if p.Role == r {
			return true
		}
	}
	return false
}

// SecretPrefix starts every key so it is recognisable in logs and scanners.
const SecretPrefix = "prc_"

// NewSecret returns a fresh key secret (32 random bytes) and its hash.
func NewSecret() (secret, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	secret = SecretPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, HashSecret(secret), nil
}

// HashSecret returns the stored form of a secret: hex SHA-256.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Matches reports, in constant time, whether secret is the key's.
func (k Key) Matches(secret string) bool {
	h := HashSecret(secret)
	return subtle.ConstantTimeCompare([]byte(h), []byte(k.Hash)) == 1
}

// Display returns the first characters of a secret, safe to show in lists.
func Display(secret string) string {
	if len(secret) > len(SecretPrefix)+6 {
		return secret[:len(SecretPrefix)+6]
	}
	return strings.Repeat("*", len(secret))
}

// Store keeps organisations, users and keys.
type Store interface {
	CreateOrganisation(ctx context.Context, o Organisation) error
	// Organisation returns apperr.NotFound if there is none.
	Organisation(ctx context.Context, id string) (Organisation, error)
	// OrganisationByName returns apperr.NotFound if there is none.
	OrganisationByName(ctx context.Context, name string) (Organisation, error)
	// Organisations lists every organisation, by name.
	Organisations(ctx context.Context) ([]Organisation, error)
	CreateUser(ctx context.Context, u User) error
	// User returns apperr.NotFound if there is none.
	User(ctx context.Context, id string) (User, error)
	// UserByEmail returns apperr.NotFound when no user has the address
	// (compared without case).
	UserByEmail(ctx context.Context, email string) (User, error)
	// Users lists the users of an organisation, by name.
	Users(ctx context.Context, org string) ([]User, error)
	// ReplaceUser stores u over the user with its id (apperr.NotFound if
	// none); apperr.Conflict when its address is another user's.
	ReplaceUser(ctx context.Context, u User) error
	// CreateKey returns apperr.Conflict if the hash exists already.
	CreateKey(ctx context.Context, k Key) error
	// KeyByHash returns apperr.NotFound if no key has that hash.
	KeyByHash(ctx context.Context, hash string) (Key, error)
	// Keys lists the keys of an organisation ("" for all), newest first.
	Keys(ctx context.Context, org string) ([]Key, error)
	// RevokeKey marks the key revoked; apperr.NotFound if there is none.
	RevokeKey(ctx context.Context, id string, at time.Time) error
}

// IssueKey creates a user of org with the role and a key for them, and
// returns the secret, which is shown once and never stored.
func IssueKey(ctx context.Context, s Store, org Organisation, role Role, name, label string, now time.Time, newID func(prefix string) string) (secret string, k Key, u User, err error) {
	if !role.Valid() {
		return "", Key{}, User{}, fmt.Errorf("unknown role %q (want coordinator, adviser, mentor or agency)", role)
	}
	u = User{ID: newID("usr"), OrganisationID: org.ID, Name: name, Role: role, CreatedAt: now}
	if err := s.CreateUser(ctx, u); err != nil {
		return "", Key{}, User{}, err
	}
	secret, k, err = KeyFor(ctx, s, u, label, now, newID)
	return secret, k, u, err
}

// KeyFor creates a key for the user u, with u's role, and returns the
// secret, which is shown once and never stored.
func KeyFor(ctx context.Context, s Store, u User, label string, now time.Time, newID func(prefix string) string) (string, Key, error) {
	secret, hash, err := NewSecret()
	if err != nil {
		return "", Key{}, err
	}
	k := Key{ID: newID("key"), UserID: u.ID, OrganisationID: u.OrganisationID, Role: u.Role, Label: label, Hash: hash, Prefix: Display(secret), CreatedAt: now}
	if err := s.CreateKey(ctx, k); err != nil {
		return "", Key{}, err
	}
	return secret, k, nil
}

type contextKey int

const requestIDKey contextKey = 0

// WithRequestID returns ctx carrying the id of the request being served, so
// what the request writes (audit entries) can name it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id ctx carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
