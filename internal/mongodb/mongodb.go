// Package mongodb keeps Parcours' records in MongoDB (or any server speaking
// its wire protocol, such as the embedded FerretDB of dev mode). It implements
// the Store interfaces of the domain packages, converts between domain values
// and stored documents with named converters, creates its indexes
// idempotently, and turns driver errors into apperr codes.
//
// It relies only on single-document atomic updates: no multi-document
// transaction, no $lookup, so it runs unchanged on MongoDB 7 and FerretDB.
package mongodb

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/parcours-emploi/parcours/apperr"
)

// Collection names.
const (
	colOrganisations = "organisations"
	colUsers         = "users"
	colKeys          = "api_keys"
	colBeneficiaries = "beneficiaries"
	colAudit         = "audit"
	colOpportunities = "opportunities"
	colMentors       = "mentors"
)

// DB is a connection to one database.
type DB struct {
	client *mongo.Client
	db     *mongo.Database
}

// Open connects to uri and selects the database. Every stored value is a
// document type of this package with its own keys, so neither the domain's
// names nor the API's can change what is stored.
func Open(ctx context.Context, uri, database string) (*DB, error) {
	opts := options.Client().ApplyURI(uri).
		SetBSONOptions(&options.BSONOptions{NilSliceAsEmpty: true}).
		SetServerSelectionTimeout(10 * time.Second).
		SetConnectTimeout(5 * time.Second).
		SetAppName("parcours")
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to mongodb: %w", err)
	}
	d := &DB{client: client, db: client.Database(database)}
	if err := d.Ping(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	return d, nil
}

// Database returns the underlying database, for tests and admin tools.
func (d *DB) Database() *mongo.Database { return d.db }

// Ping reports whether the server answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.client.Ping(ctx, readpref.Primary()); err != nil {
		return apperr.Wrap(apperr.Unavailable, err, "The database does not answer.")
	}
	return nil
}

// Close disconnects.
func (d *DB) Close(ctx context.Context) error { return d.client.Disconnect(ctx) }

func (d *DB) col(name string) *mongo.Collection { return d.db.Collection(name) }

// index describes one index to create.
type index struct {
	collection string
	name       string
	keys       bson.D
	unique     bool
}

// indexes lists every index: the unique ones that carry invariants and those
// behind every list filter. Optional unique references are stored in a
// key that is always present (refKey, userKey) because FerretDB has no
// partial indexes.
var indexes = []index{
	{colKeys, "hash_unique", bson.D{{Key: "hash", Value: 1}}, true},
	{colKeys, "org", bson.D{{Key: "organisationId", Value: 1}, {Key: "createdAt", Value: -1}}, false},
	{colUsers, "org", bson.D{{Key: "organisationId", Value: 1}}, false},
	{colUsers, "email_unique", bson.D{{Key: "emailKey", Value: 1}}, true},
	{colLoginLinks, "hash_unique", bson.D{{Key: "hash", Value: 1}}, true},
	{colLoginLinks, "email_created", bson.D{{Key: "email", Value: 1}, {Key: "createdAt", Value: 1}}, false},
	{colSessions, "user", bson.D{{Key: "userId", Value: 1}}, false},
	{colSessions, "expires", bson.D{{Key: "expiresAt", Value: 1}}, false},
	{colOrganisations, "name_unique", bson.D{{Key: "name", Value: 1}}, true},
	{colBeneficiaries, "org_id", bson.D{{Key: "organisationId", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colBeneficiaries, "org_programme_cohort", bson.D{{Key: "organisationId", Value: 1}, {Key: "enrolment.programme", Value: 1}, {Key: "enrolment.cohort", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colBeneficiaries, "org_department", bson.D{{Key: "organisationId", Value: 1}, {Key: "department", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colBeneficiaries, "org_search", bson.D{{Key: "organisationId", Value: 1}, {Key: "searchKeys", Value: 1}}, false},
	{colBeneficiaries, "org_referent", bson.D{{Key: "organisationId", Value: 1}, {Key: "enrolment.referents", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colAudit, "beneficiary_at", bson.D{{Key: "beneficiaryId", Value: 1}, {Key: "at", Value: 1}}, false},
	{colProposals, "opening_updated", bson.D{{Key: "openingId", Value: 1}, {Key: "updatedAt", Value: -1}}, false},
	{colAudit, "org_id", bson.D{{Key: "organisationId", Value: 1}, {Key: "_id", Value: -1}}, false},
	{colOpportunities, "ref_unique", bson.D{{Key: "refKey", Value: 1}}, true},
	{colOpportunities, "org_id", bson.D{{Key: "organisationId", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colOpportunities, "status_kind_rome", bson.D{{Key: "status", Value: 1}, {Key: "kind", Value: 1}, {Key: "rome", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colOpportunities, "status_department", bson.D{{Key: "status", Value: 1}, {Key: "place.department", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colOpportunities, "status_end", bson.D{{Key: "status", Value: 1}, {Key: "endDate", Value: 1}}, false},
	{colMentors, "user_unique", bson.D{{Key: "userKey", Value: 1}}, true},
	{colMentors, "org_status", bson.D{{Key: "organisationId", Value: 1}, {Key: "status", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colConventions, "org_beneficiary_start", bson.D{{Key: "organisationId", Value: 1}, {Key: "beneficiaryId", Value: 1}, {Key: "start", Value: 1}}, false},
	{colConventions, "slot_unique", bson.D{{Key: "slot", Value: 1}}, true},
	{colConventions, "state_created", bson.D{{Key: "state", Value: 1}, {Key: "createdAt", Value: 1}}, false},
	{colMentors, "org_department", bson.D{{Key: "organisationId", Value: 1}, {Key: "place.department", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colProposals, "once_unique", bson.D{{Key: "onceKey", Value: 1}}, true},
	{colProposals, "open_slot_unique", bson.D{{Key: "openSlot", Value: 1}}, true},
	{colProposals, "sent_slot_unique", bson.D{{Key: "sentSlot", Value: 1}}, true},
	{colProposals, "org_id", bson.D{{Key: "organisationId", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colProposals, "org_beneficiary", bson.D{{Key: "organisationId", Value: 1}, {Key: "beneficiaryId", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colProposals, "org_opening_state", bson.D{{Key: "organisationId", Value: 1}, {Key: "openingId", Value: 1}, {Key: "state", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colProposals, "beneficiary_state_updated", bson.D{{Key: "beneficiaryId", Value: 1}, {Key: "state", Value: 1}, {Key: "updatedAt", Value: 1}}, false},
	{colProposals, "state_expires", bson.D{{Key: "state", Value: 1}, {Key: "expiresAt", Value: 1}}, false},
	{colMentorships, "proposal_unique", bson.D{{Key: "proposalId", Value: 1}}, true},
	{colMentorships, "mentee_unique", bson.D{{Key: "menteeKey", Value: 1}}, true},
	{colMentorships, "org_mentor", bson.D{{Key: "organisationId", Value: 1}, {Key: "mentorId", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colMentorships, "org_beneficiary", bson.D{{Key: "organisationId", Value: 1}, {Key: "beneficiaryId", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colMentorships, "state_updated", bson.D{{Key: "state", Value: 1}, {Key: "updatedAt", Value: 1}}, false},
	{colMentorships, "mentor_state", bson.D{{Key: "mentorId", Value: 1}, {Key: "state", Value: 1}}, false},
	{colMentors, "active_id", bson.D{{Key: "active", Value: 1}, {Key: "_id", Value: 1}}, false},
}

// EnsureIndexes brings stored documents to the shape the indexes need, then
// creates the indexes that are missing. It is safe to call at every start
// and from several processes.
func (d *DB) EnsureIndexes(ctx context.Context) error {
	if err := d.migrateConventions(ctx); err != nil {
		return err
	}
	if err := d.migrateUsers(ctx); err != nil {
		return err
	}
	if err := d.migrateBeneficiaries(ctx); err != nil {
		return err
	}
	if err := d.migrateBatches(ctx); err != nil {
		return err
	}
	if err := d.migrateMentorPlaces(ctx); err != nil {
		return err
	}
	if err := d.migrateHosts(ctx); err != nil {
		return err
	}
	if err := d.migrateSituations(ctx); err != nil {
		return err
	}
	if err := d.migrateProgrammes(ctx); err != nil {
		return err
	}
	if err := d.migrateExits(ctx); err != nil {
		return err
	}
	return d.ensure(ctx, append(append([]index(nil), indexes...), workIndexes...))
}

func (d *DB) ensure(ctx context.Context, list []index) error {
	for _, ix := range list {
		m := mongo.IndexModel{Keys: ix.keys, Options: options.Index().SetName(ix.name)}
		if ix.unique {
			m.Options.SetUnique(true)
		}
		if _, err := d.col(ix.collection).Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("create index %s.%s: %w", ix.collection, ix.name, err)
		}
	}
	return nil
}

// translate turns a driver error into an apperr code: no documents is
// NotFound, a duplicate key is Conflict, a deadline or a network failure is
// Unavailable. The message is a sentence for people; what names the
// operation in the wrapped cause, for the logs.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return apperr.Wrap(apperr.NotFound, fmt.Errorf("%s: %w", what, err), "No such record.").FR("Cet enregistrement n'existe pas.")
	case mongo.IsDuplicateKeyError(err), uniqueOnUpdate(err):
		return apperr.Wrap(apperr.Conflict, fmt.Errorf("%s: %w", what, err), "A record with the same identity exists already.").
			FR("Un enregistrement de même identité existe déjà.")
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled), mongo.IsTimeout(err), mongo.IsNetworkError(err):
		return apperr.Wrap(apperr.Unavailable, fmt.Errorf("%s: %w", what, err), "The database did not answer in time.").
			FR("La base de données n'a pas répondu à temps.")
	default:
		return fmt.Errorf("%s: %w", what, err)
	}
}

// uniqueOnUpdate recognises a unique index refusing an update on the
// embedded store: FerretDB's SQLite backend answers it as an internal
// error naming the constraint, where MongoDB answers a duplicate key.
func uniqueOnUpdate(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && strings.Contains(ce.Message, "UNIQUE constraint failed")
}

// Page positions are opaque to clients: the last id, base64url encoded.

func encodeCursor(id string) string {
	if id == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(id))
}

// DecodeCursor returns the id a cursor stands for, or apperr.Invalid.
func DecodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 || len(b) > 64 {
		return "", apperr.Invalidf([]apperr.FieldError{{Pointer: "cursor", Detail: "The cursor is not one this API gave.",
			DetailFR: "Ce curseur n'a pas été donné par cette API.", Tag: "cursor"}}, "The cursor is not valid.").FR("Le curseur n'est pas valide.")
	}
	return string(b), nil
}

// page runs a paged find ordered by _id and returns the documents and the next cursor.
func page[T any](ctx context.Context, c *mongo.Collection, filter bson.D, after string, limit int, idOf func(T) string, what string) ([]T, string, error) {
	id, err := DecodeCursor(after)
	if err != nil {
		return nil, "", err
	}
	if id != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: id}}})
	}
	if limit <= 0 {
		limit = 50
	}
	cur, err := c.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit+1)))
	if err != nil {
		return nil, "", translate(err, what)
	}
	var docs []T
	if err := cur.All(ctx, &docs); err != nil {
		return nil, "", translate(err, what)
	}
	next := ""
	if len(docs) > limit {
		docs = docs[:limit]
		next = encodeCursor(idOf(docs[limit-1]))
	}
	return docs, next, nil
}

// replaceVersioned replaces the document with id (scoped by scope) if its
// stored version is prev; otherwise it tells NotFound from PreconditionFailed.
func replaceVersioned(ctx context.Context, c *mongo.Collection, scope bson.D, id string, prev int64, doc any, what string) error {
	filter := append(bson.D{{Key: "_id", Value: id}}, scope...)
	guarded := append(filter, bson.E{Key: "version", Value: prev})
	res, err := c.ReplaceOne(ctx, guarded, doc)
	if err != nil {
		return translate(err, what)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	n, err := c.CountDocuments(ctx, filter)
	if err != nil {
		return translate(err, what)
	}
	if n == 0 {
		return apperr.Wrap(apperr.NotFound, fmt.Errorf("%s: not found", what), "No such record.").FR("Cet enregistrement n'existe pas.")
	}
	return apperr.Stale()
}

// findAll runs a find and converts every document read with conv; what
// names the operation in errors.
func findAll[D, T any](ctx context.Context, c *mongo.Collection, filter bson.D, conv func(D) T, what string, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return nil, translate(err, what)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, translate(err, what)
	}
	out := make([]T, len(docs))
	for i, x := range docs {
		out[i] = conv(x)
	}
	return out, nil
}
