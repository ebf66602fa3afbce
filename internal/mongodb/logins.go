package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
)

var _ access.LoginStore = (*DB)(nil)

const (
	colLoginLinks = "login_links"
	colSessions   = "sessions"
)

type loginLinkDoc struct {
	ID        string     `bson:"_id"`
	Hash      string     `bson:"hash"`
	UserID    string     `bson:"userId"`
	Email     string     `bson:"email"`
	Next      string     `bson:"next,omitempty"`
	CreatedAt time.Time  `bson:"createdAt"`
	ExpiresAt time.Time  `bson:"expiresAt"`
	UsedAt    *time.Time `bson:"usedAt"`
}

// CreateLoginLink inserts l.
func (d *DB) CreateLoginLink(ctx context.Context, l access.LoginLink) error {
	_, err := d.col(colLoginLinks).InsertOne(ctx, loginLinkDoc{ID: l.ID, Hash: l.Hash, UserID: l.UserID, Email: l.Email,
		Next: l.Next, CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt, UsedAt: l.UsedAt})
	return translate(err, "insert login link "+l.ID)
}

// LoginLinkByHash returns the link with the hash.
func (d *DB) LoginLinkByHash(ctx context.Context, hash string) (access.LoginLink, error) {
	var doc loginLinkDoc
	if err := d.col(colLoginLinks).FindOne(ctx, bson.D{{Key: "hash", Value: hash}}).Decode(&doc); err != nil {
		return access.LoginLink{}, translate(err, "find login link")
	}
	return access.LoginLink{ID: doc.ID, Hash: doc.Hash, UserID: doc.UserID, Email: doc.Email, Next: doc.Next,
		CreatedAt: doc.CreatedAt.UTC(), ExpiresAt: doc.ExpiresAt.UTC(), UsedAt: utcPtr(doc.UsedAt)}, nil
}

// UseLoginLink marks the link used once: one conditional update.
func (d *DB) UseLoginLink(ctx context.Context, id string, at time.Time) error {
	res, err := d.col(colLoginLinks).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "usedAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: at}}}})
	if err != nil {
		return translate(err, "use login link "+id)
	}
	if res.MatchedCount == 0 {
		return apperr.Conflictf("This link was used already.").FR("Ce lien a déjà servi.")
	}
	return nil
}

// CountLoginLinks counts the links sent to the address since the instant.
func (d *DB) CountLoginLinks(ctx context.Context, email string, since time.Time) (int, error) {
	n, err := d.col(colLoginLinks).CountDocuments(ctx, bson.D{{Key: "email", Value: email}, {Key: "createdAt", Value: bson.D{{Key: "$gte", Value: since}}}})
	return int(n), translate(err, "count login links")
}

type sessionDoc struct {
	ID             string      `bson:"_id"`
	UserID         string      `bson:"userId"`
	OrganisationID string      `bson:"organisationId"`
	Role           access.Role `bson:"role"`
	Lang           string      `bson:"lang,omitempty"`
	CSRF           string      `bson:"csrf"`
	CreatedAt      time.Time   `bson:"createdAt"`
	SeenAt         time.Time   `bson:"seenAt"`
	IdleSeconds    int64       `bson:"idleSeconds"`
	ExpiresAt      time.Time   `bson:"expiresAt"`
}

// CreateSession inserts s.
func (d *DB) CreateSession(ctx context.Context, s access.Session) error {
	_, err := d.col(colSessions).InsertOne(ctx, sessionDoc{ID: s.ID, UserID: s.UserID, OrganisationID: s.OrganisationID, Role: s.Role,
		Lang: string(s.Lang), CSRF: s.CSRF, CreatedAt: s.CreatedAt, SeenAt: s.SeenAt, IdleSeconds: int64(s.Idle / time.Second), ExpiresAt: s.ExpiresAt})
	return translate(err, "insert session")
}

// SessionByID returns the session id.
func (d *DB) SessionByID(ctx context.Context, id string) (access.Session, error) {
	var doc sessionDoc
	if err := d.col(colSessions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
		return access.Session{}, translate(err, "find session")
	}
	return access.Session{ID: doc.ID, UserID: doc.UserID, OrganisationID: doc.OrganisationID, Role: doc.Role, Lang: access.Lang(doc.Lang),
		CSRF: doc.CSRF, CreatedAt: doc.CreatedAt.UTC(), SeenAt: doc.SeenAt.UTC(), Idle: time.Duration(doc.IdleSeconds) * time.Second,
		ExpiresAt: doc.ExpiresAt.UTC()}, nil
}

// TouchSession records a use of the session.
func (d *DB) TouchSession(ctx context.Context, id string, at, expires time.Time) error {
	_, err := d.col(colSessions).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "seenAt", Value: at}, {Key: "expiresAt", Value: expires}}}})
	return translate(err, "touch session")
}

// DeleteSession removes the session id; none is not an error.
func (d *DB) DeleteSession(ctx context.Context, id string) error {
	_, err := d.col(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	return translate(err, "delete session")
}

// DeleteUserSessions removes every session of the user.
func (d *DB) DeleteUserSessions(ctx context.Context, userID string) error {
	_, err := d.col(colSessions).DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}})
	return translate(err, "delete sessions of "+userID)
}

// DeleteExpiredSessions removes the sessions expired before the instant.
func (d *DB) DeleteExpiredSessions(ctx context.Context, before time.Time) (int, error) {
	res, err := d.col(colSessions).DeleteMany(ctx, bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: before}}}})
	if err != nil {
		return 0, translate(err, "delete expired sessions")
	}
	return int(res.DeletedCount), nil
}
