package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/access"
)

var _ access.Store = (*DB)(nil)

type organisationDoc struct {
	ID        string    `bson:"_id"`
	Name      string    `bson:"name"`
	Kind      string    `bson:"kind"`
	Partner   string    `bson:"partner,omitempty"`
	CreatedAt time.Time `bson:"createdAt"`
}

// userDoc is a user as stored. EmailKey is the address as compared (lower
// case), or "id:"+ID for a user without one, so the unique index never
// sees a missing value.
type userDoc struct {
	ID             string            `bson:"_id"`
	OrganisationID string            `bson:"organisationId"`
	Name           string            `bson:"name"`
	Email          string            `bson:"email,omitempty"`
	EmailKey       string            `bson:"emailKey"`
	Phone          string            `bson:"phone,omitempty"`
	Role           access.Role       `bson:"role"`
	Lang           string            `bson:"lang,omitempty"`
	CreatedAt      time.Time         `bson:"createdAt"`
	DeactivatedAt  *time.Time        `bson:"deactivatedAt,omitempty"`
	Notices        map[string]string `bson:"notices,omitempty"`
	MailToken      string            `bson:"mailToken,omitempty"`
}

func emailKey(u access.User) string {
	if e := access.NormaliseEmail(u.Email); e != "" {
		return e
	}
	return "id:" + u.ID
}

func toUserDoc(u access.User) userDoc {
	return userDoc{ID: u.ID, OrganisationID: u.OrganisationID, Name: u.Name, Email: u.Email, EmailKey: emailKey(u), Phone: u.Phone,
		Role: u.Role, Lang: string(u.Lang), CreatedAt: u.CreatedAt, DeactivatedAt: u.DeactivatedAt, Notices: u.Notices, MailToken: u.MailToken}
}

func toUser(d userDoc) access.User {
	return access.User{ID: d.ID, OrganisationID: d.OrganisationID, Name: d.Name, Email: d.Email, Phone: d.Phone, Role: d.Role,
		Lang: access.Lang(d.Lang), CreatedAt: d.CreatedAt.UTC(), DeactivatedAt: utcPtr(d.DeactivatedAt), Notices: d.Notices, MailToken: d.MailToken}
}

type keyDoc struct {
	ID             string      `bson:"_id"`
	UserID         string      `bson:"userId"`
	OrganisationID string      `bson:"organisationId"`
	Role           access.Role `bson:"role"`
	Label          string      `bson:"label"`
	Hash           string      `bson:"hash"`
	Prefix         string      `bson:"prefix"`
	CreatedAt      time.Time   `bson:"createdAt"`
	RevokedAt      *time.Time  `bson:"revokedAt,omitempty"`
}

func toKey(d keyDoc) access.Key {
	k := access.Key{ID: d.ID, UserID: d.UserID, OrganisationID: d.OrganisationID, Role: d.Role, Label: d.Label,
		Hash: d.Hash, Prefix: d.Prefix, CreatedAt: d.CreatedAt.UTC()}
	if d.RevokedAt != nil {
		t := d.RevokedAt.UTC()
		k.RevokedAt = &t
	}
	return k
}

// CreateOrganisation inserts o.
func (d *DB) CreateOrganisation(ctx context.Context, o access.Organisation) error {
	_, err := d.col(colOrganisations).InsertOne(ctx, organisationDoc{ID: o.ID, Name: o.Name, Kind: o.Kind, Partner: o.Partner, CreatedAt: o.CreatedAt})
	return translate(err, "insert organisation "+o.Name)
}

// Organisation returns the organisation id.
func (d *DB) Organisation(ctx context.Context, id string) (access.Organisation, error) {
	return d.findOrganisation(ctx, bson.D{{Key: "_id", Value: id}}, id)
}

// OrganisationByName returns the organisation called name.
func (d *DB) OrganisationByName(ctx context.Context, name string) (access.Organisation, error) {
	return d.findOrganisation(ctx, bson.D{{Key: "name", Value: name}}, name)
}

func (d *DB) findOrganisation(ctx context.Context, filter bson.D, what string) (access.Organisation, error) {
	var doc organisationDoc
	if err := d.col(colOrganisations).FindOne(ctx, filter).Decode(&doc); err != nil {
		return access.Organisation{}, translate(err, "find organisation "+what)
	}
	return access.Organisation{ID: doc.ID, Name: doc.Name, Kind: doc.Kind, Partner: doc.Partner, CreatedAt: doc.CreatedAt.UTC()}, nil
}

// Organisations lists every organisation, by name.
func (d *DB) Organisations(ctx context.Context) ([]access.Organisation, error) {
	return findAll(ctx, d.col(colOrganisations), bson.D{}, func(doc organisationDoc) access.Organisation {
		return access.Organisation{ID: doc.ID, Name: doc.Name, Kind: doc.Kind, Partner: doc.Partner, CreatedAt: doc.CreatedAt.UTC()}
	}, "list organisations", options.Find().SetSort(bson.D{{Key: "name", Value: 1}}))
}

// CreateUser inserts u; an address another user has is a conflict.
func (d *DB) CreateUser(ctx context.Context, u access.User) error {
	// Each user gets the secret of their unsubscribe links when created,
	// so that no two writers ever race to give them one.
	if u.MailToken == "" {
		u.MailToken = access.NewMailToken()
	}
	_, err := d.col(colUsers).InsertOne(ctx, toUserDoc(u))
	return translate(err, "insert user "+u.ID)
}

// User returns the user id.
func (d *DB) User(ctx context.Context, id string) (access.User, error) {
	return d.findUser(ctx, bson.D{{Key: "_id", Value: id}}, "find user "+id)
}

// UserByEmail returns the user with the address, compared without case.
func (d *DB) UserByEmail(ctx context.Context, email string) (access.User, error) {
	return d.findUser(ctx, bson.D{{Key: "emailKey", Value: access.NormaliseEmail(email)}}, "find user by e-mail")
}

func (d *DB) findUser(ctx context.Context, filter bson.D, what string) (access.User, error) {
	var doc userDoc
	if err := d.col(colUsers).FindOne(ctx, filter).Decode(&doc); err != nil {
		return access.User{}, translate(err, what)
	}
	return toUser(doc), nil
}

// Users lists org's users by name.
func (d *DB) Users(ctx context.Context, org string) ([]access.User, error) {
	return findAll(ctx, d.col(colUsers), bson.D{{Key: "organisationId", Value: org}}, toUser, "list users",
		options.Find().SetSort(bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}}))
}

// ReplaceUser stores u over the user with its id.
func (d *DB) ReplaceUser(ctx context.Context, u access.User) error {
	res, err := d.col(colUsers).ReplaceOne(ctx, bson.D{{Key: "_id", Value: u.ID}}, toUserDoc(u))
	if err != nil {
		return translate(err, "replace user "+u.ID)
	}
	if res.MatchedCount == 0 {
		return translate(mongo.ErrNoDocuments, "replace user "+u.ID)
	}
	return nil
}

// migrateUsers gives the users recorded before addresses were unique
// their comparison key.
func (d *DB) migrateUsers(ctx context.Context) error {
	c := d.col(colUsers)
	cur, err := c.Find(ctx, bson.D{{Key: "emailKey", Value: bson.D{{Key: "$exists", Value: false}}}})
	if err != nil {
		return translate(err, "find users to migrate")
	}
	var docs []userDoc
	if err := cur.All(ctx, &docs); err != nil {
		return translate(err, "find users to migrate")
	}
	for _, doc := range docs {
		key := emailKey(toUser(doc))
		if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: doc.ID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "emailKey", Value: key}}}}); err != nil {
			return translate(err, "migrate user "+doc.ID)
		}
	}
	// Users recorded before unsubscribe links get their secret.
	cur, err = c.Find(ctx, bson.D{{Key: "mailToken", Value: bson.D{{Key: "$exists", Value: false}}}}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return translate(err, "find users to migrate")
	}
	var ids []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return translate(err, "find users to migrate")
	}
	for _, x := range ids {
		if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: x.ID}, {Key: "mailToken", Value: bson.D{{Key: "$exists", Value: false}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "mailToken", Value: access.NewMailToken()}}}}); err != nil {
			return translate(err, "migrate user "+x.ID)
		}
	}
	return nil
}

// CreateKey inserts k; a duplicate hash is a conflict.
func (d *DB) CreateKey(ctx context.Context, k access.Key) error {
	_, err := d.col(colKeys).InsertOne(ctx, keyDoc{ID: k.ID, UserID: k.UserID, OrganisationID: k.OrganisationID, Role: k.Role,
		Label: k.Label, Hash: k.Hash, Prefix: k.Prefix, CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt})
	return translate(err, "insert key "+k.ID)
}

// KeyByHash returns the key with that hash.
func (d *DB) KeyByHash(ctx context.Context, hash string) (access.Key, error) {
	var doc keyDoc
	if err := d.col(colKeys).FindOne(ctx, bson.D{{Key: "hash", Value: hash}}).Decode(&doc); err != nil {
		return access.Key{}, translate(err, "find key")
	}
	return toKey(doc), nil
}

// Keys lists the keys of org ("" for every organisation), newest first.
func (d *DB) Keys(ctx context.Context, org string) ([]access.Key, error) {
	filter := bson.D{}
	if org != "" {
		filter = bson.D{{Key: "organisationId", Value: org}}
	}
	return findAll(ctx, d.col(colKeys), filter, toKey, "list keys",
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}))
}

// RevokeKey marks the key revoked (a second revocation keeps the first date).
func (d *DB) RevokeKey(ctx context.Context, id string, at time.Time) error {
	res, err := d.col(colKeys).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "revokedAt", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revokedAt", Value: at}}}})
	if err != nil {
		return translate(err, "revoke key "+id)
	}
	if res.MatchedCount == 0 {
		n, err := d.col(colKeys).CountDocuments(ctx, bson.D{{Key: "_id", Value: id}})
		if err != nil {
			return translate(err, "revoke key "+id)
		}
		if n == 0 {
			return translate(mongo.ErrNoDocuments, "revoke key "+id)
		}
	}
	return nil
}
