package mongodb

import (
	"context"
	"encoding/json"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/internal/suggest"
)

var _ suggest.SnapshotStore = (*DB)(nil)

const colSuggestions = "suggestions"

// suggestionDoc is the latest suggestions of one beneficiary and kind. The
// result is kept as JSON: it is an explanation record, read back whole.
type suggestionDoc struct {
	ID             string    `bson:"_id"` // beneficiary/kind
	OrganisationID string    `bson:"organisationId"`
	BeneficiaryID  string    `bson:"beneficiaryId"`
	Kind           string    `bson:"kind"`
	ComputedAt     time.Time `bson:"computedAt"`
	Result         string    `bson:"result"`
}

// SaveSuggestions replaces the snapshot of r's beneficiary and kind.
func (d *DB) SaveSuggestions(ctx context.Context, org string, r suggest.Result) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	doc := suggestionDoc{ID: r.BeneficiaryID + "/" + r.Kind, OrganisationID: org, BeneficiaryID: r.BeneficiaryID, Kind: r.Kind, ComputedAt: r.ComputedAt, Result: string(raw)}
	_, err = d.col(colSuggestions).ReplaceOne(ctx, bson.D{{Key: "_id", Value: doc.ID}}, doc, options.Replace().SetUpsert(true))
	return translate(err, "save suggestions of "+r.BeneficiaryID)
}

// Suggestions returns the latest snapshot of a beneficiary's suggestions of a kind.
func (d *DB) Suggestions(ctx context.Context, org, beneficiaryID, kind string) (suggest.Result, error) {
	var doc suggestionDoc
	err := d.col(colSuggestions).FindOne(ctx, bson.D{{Key: "_id", Value: beneficiaryID + "/" + kind}, {Key: "organisationId", Value: org}}).Decode(&doc)
	if err != nil {
		return suggest.Result{}, translate(err, "find suggestions of "+beneficiaryID)
	}
	var r suggest.Result
	err = json.Unmarshal([]byte(doc.Result), &r)
	return r, err
}
