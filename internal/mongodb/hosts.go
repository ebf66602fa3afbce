package mongodb

import (
	"context"
	"regexp"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
)

var _ jobs.HostStore = (*DB)(nil)

const colHosts = "hosts"

// hostIndexes: one host per SIRET in an organisation's directory, and its
// conventions by host.
var hostIndexes = []index{
	{colHosts, "org_siret_unique", bson.D{{Key: "organisationId", Value: 1}, {Key: "siret", Value: 1}}, true},
	{colHosts, "org_search", bson.D{{Key: "organisationId", Value: 1}, {Key: "searchKeys", Value: 1}}, false},
	{colConventions, "org_host_start", bson.D{{Key: "organisationId", Value: 1}, {Key: "hostId", Value: 1}, {Key: "start", Value: 1}}, false},
}

// hostDoc is a host; its id is the organisation's and the SIRET.
type hostDoc struct {
	ID             string    `bson:"_id"`
	OrganisationID string    `bson:"organisationId"`
	SIRET          string    `bson:"siret"`
	Name           string    `bson:"name"`
	Address        string    `bson:"address"`
	Department     string    `bson:"department"`
	NAF            string    `bson:"naf"`
	Tutor          tutorPart `bson:"tutor"`
	Notes          string    `bson:"notes"`
	// SearchKeys are the folded words of the name, and the SIRET.
	SearchKeys []string  `bson:"searchKeys"`
	CreatedAt  time.Time `bson:"createdAt"`
	UpdatedAt  time.Time `bson:"updatedAt"`
	Version    int64     `bson:"version"`
}

type tutorPart struct {
	Name  string `bson:"name"`
	Role  string `bson:"role"`
	Email string `bson:"email"`
	Phone string `bson:"phone"`
}

func hostSearchKeys(h jobs.Host) []string {
	keys := []string{h.SIRET}
	f := pathways.Fold(h.Name)
	keys = append(keys, strings.Fields(f)...)
	if f != "" {
		keys = append(keys, f)
	}
	return keys
}

// CreateHost inserts h.
func (d *DB) CreateHost(ctx context.Context, h jobs.Host) error {
	doc := hostDoc{ID: h.OrganisationID + ":" + h.SIRET, OrganisationID: h.OrganisationID, SIRET: h.SIRET, Name: h.Name,
		Address: h.Address, Department: h.Department, NAF: h.NAF, Tutor: tutorPart(h.Tutor), Notes: h.Notes,
		SearchKeys: hostSearchKeys(h), CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt, Version: h.Version}
	_, err := d.col(colHosts).InsertOne(ctx, doc)
	if isDuplicate(err) {
		return apperr.Wrap(apperr.Conflict, err, "The host exists already.").FR("La structure d'accueil existe déjà.")
	}
	return translate(err, "insert host "+h.SIRET)
}

func toHost(d hostDoc) jobs.Host {
	return jobs.Host{OrganisationID: d.OrganisationID, SIRET: d.SIRET, Name: d.Name, Address: d.Address, Department: d.Department,
		NAF: d.NAF, Tutor: jobs.Tutor(d.Tutor), Notes: d.Notes, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version}
}

// Host returns org's host of this SIRET.
func (d *DB) Host(ctx context.Context, org, siret string) (jobs.Host, error) {
	var doc hostDoc
	if err := d.col(colHosts).FindOne(ctx, bson.D{{Key: "_id", Value: org + ":" + siret}, {Key: "organisationId", Value: org}}).Decode(&doc); err != nil {
		return jobs.Host{}, translate(err, "find host "+siret)
	}
	return toHost(doc), nil
}

// Hosts returns a page of org's hosts found by the start of their name's
// words or of their SIRET.
func (d *DB) Hosts(ctx context.Context, org, q, after string, limit int) ([]jobs.Host, string, error) {
	filter := bson.D{{Key: "organisationId", Value: org}}
	if f := pathways.Fold(q); f != "" {
		if digits, ok := digitsOnly(q); ok {
			f = digits
		}
		filter = append(filter, bson.E{Key: "searchKeys", Value: bson.D{{Key: "$regex", Value: "^" + regexp.QuoteMeta(f)}}})
	}
	docs, next, err := page(ctx, d.col(colHosts), filter, after, limit, func(d hostDoc) string { return d.ID }, "list hosts")
	if err != nil {
		return nil, "", err
	}
	out := make([]jobs.Host, len(docs))
	for i, x := range docs {
		out[i] = toHost(x)
	}
	return out, next, nil
}

// digitsOnly keeps the digits of a SIRET typed with spaces; ok is false
// for anything with letters.
func digitsOnly(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// HostConventions returns org's conventions with the host.
func (d *DB) HostConventions(ctx context.Context, org, hostID string) ([]jobs.Convention, error) {
	return d.conventions(ctx, bson.D{{Key: "organisationId", Value: org}, {Key: "hostId", Value: hostID}})
}

// migrateHosts gives the PMSMP placements and conventions recorded before
// hosts had a SIRET the SIRET their host was written with ("siret-…",
// "SIRET 732 829 320 00074"), so the PMSMP rules count them per SIRET; a
// host written as a name alone stays as it is.
func (d *DB) migrateHosts(ctx context.Context) error {
	for _, m := range []struct {
		col, field string
	}{{colOpportunities, "pmsmp.hostId"}, {colConventions, "hostId"}} {
		c := d.col(m.col)
		cur, err := c.Find(ctx, bson.D{{Key: m.field, Value: bson.D{{Key: "$regex", Value: "[^0-9]"}}}})
		if err != nil {
			return translate(err, "find hosts to migrate in "+m.col)
		}
		var docs []struct {
			ID     any    `bson:"_id"`
			HostID string `bson:"hostId"`
			PMSMP  struct {
				HostID string `bson:"hostId"`
			} `bson:"pmsmp"`
		}
		if err := cur.All(ctx, &docs); err != nil {
			return translate(err, "find hosts to migrate in "+m.col)
		}
		for _, doc := range docs {
			host := doc.HostID
			if m.col == colOpportunities {
				host = doc.PMSMP.HostID
			}
			siret, ok := jobs.SIRETIn(host)
			if !ok {
				continue
			}
			if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: doc.ID}, {Key: m.field, Value: host}},
				bson.D{{Key: "$set", Value: bson.D{{Key: m.field, Value: siret}}}}); err != nil {
				return translate(err, "migrate a host in "+m.col)
			}
		}
	}
	return nil
}
