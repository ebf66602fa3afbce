package mongodb

import (
	"context"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/proposals"
)

var _ batches.Store = (*DB)(nil)

// Collections of matching batches.
const (
	colBatches   = "matching_batches"
	colInstances = "matching_instances"
)

// batchIndexes back the sweeper's query and the instance chunks' order.
var batchIndexes = []index{
	{colBatches, "status_enqueued_created", bson.D{{Key: "status", Value: 1}, {Key: "enqueuedAt", Value: 1}, {Key: "createdAt", Value: 1}}, false},
	{colBatches, "org_id", bson.D{{Key: "organisationId", Value: 1}, {Key: "_id", Value: 1}}, false},
	{colInstances, "batch_chunk", bson.D{{Key: "batchId", Value: 1}, {Key: "n", Value: 1}}, true},
	{colBatches, "active_slot_unique", bson.D{{Key: "activeSlot", Value: 1}}, true},
}

// batchDoc is a batch as stored. EnqueuedAt is always present (null until
// enqueued) so the sweeper can find the batches without it.
type batchDoc struct {
	ID              string         `bson:"_id"`
	OrganisationID  string         `bson:"organisationId"`
	Kind            proposals.Kind `bson:"kind"`
	Scope           scopePart      `bson:"scope"`
	MinScore        float64        `bson:"minScore"`
	Status          batches.Status `bson:"status"`
	CreatedBy       string         `bson:"createdBy"`
	CreatedAt       time.Time      `bson:"createdAt"`
	EnqueuedAt      *time.Time     `bson:"enqueuedAt"`
	StartedAt       *time.Time     `bson:"startedAt,omitempty"`
	FinishedAt      *time.Time     `bson:"finishedAt,omitempty"`
	Attempts        int            `bson:"attempts"`
	Progress        progressPart   `bson:"progress"`
	Counts          countsPart     `bson:"counts"`
	Objective       int64          `bson:"objective"`
	Durations       durationsPart  `bson:"durations"`
	WeightsVersion  string         `bson:"weightsVersion,omitempty"`
	TaxonomyVersion string         `bson:"taxonomyVersion,omitempty"`
	Error           string         `bson:"error,omitempty"`
	// ActiveSlot is organisation|kind while the batch is queued or running,
	// and its own id after: a unique index keeps one batch of a kind under
	// way per organisation.
	ActiveSlot string `bson:"activeSlot"`
}

func activeSlot(b batches.Batch) string {
	if b.Status == batches.Queued || b.Status == batches.Running {
		return b.OrganisationID + "|" + string(b.Kind)
	}
	return "id:" + b.ID
}

func toBatchDoc(b batches.Batch) batchDoc {
	return batchDoc{
		ID: b.ID, OrganisationID: b.OrganisationID, Kind: b.Kind, Scope: scopePart(b.Scope), MinScore: b.MinScore,
		Status: b.Status, CreatedBy: b.CreatedBy, CreatedAt: b.CreatedAt, EnqueuedAt: b.EnqueuedAt,
		StartedAt: b.StartedAt, FinishedAt: b.FinishedAt, Attempts: b.Attempts, Progress: progressPart(b.Progress),
		Counts: countsPart(b.Counts), Objective: b.Objective, Durations: durationsPart(b.Durations),
		WeightsVersion: b.WeightsVersion, TaxonomyVersion: b.TaxonomyVersion, Error: b.Error, ActiveSlot: activeSlot(b),
	}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toBatch(d batchDoc) batches.Batch {
	return batches.Batch{
		ID: d.ID, OrganisationID: d.OrganisationID, Kind: d.Kind, Scope: batches.Scope(d.Scope), MinScore: d.MinScore,
		Status: d.Status, CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt.UTC(), EnqueuedAt: utcPtr(d.EnqueuedAt),
		StartedAt: utcPtr(d.StartedAt), FinishedAt: utcPtr(d.FinishedAt), Attempts: d.Attempts, Progress: batches.Progress(d.Progress),
		Counts: batches.Counts(d.Counts), Objective: d.Objective, Durations: batches.Durations(d.Durations),
		WeightsVersion: d.WeightsVersion, TaxonomyVersion: d.TaxonomyVersion, Error: d.Error,
	}
}

// Batches returns org's latest batches, newest first.
func (d *DB) Batches(ctx context.Context, org string, limit int) ([]batches.Batch, error) {
	return findAll(ctx, d.col(colBatches), bson.D{{Key: "organisationId", Value: org}}, toBatch, "list batches",
		options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit)))
}

// CreateBatch inserts b.
func (d *DB) CreateBatch(ctx context.Context, b batches.Batch) error {
	_, err := d.col(colBatches).InsertOne(ctx, toBatchDoc(b))
	if isDuplicate(err) {
		return apperr.Wrap(apperr.Conflict, err, "A batch of this kind is already under way for your organisation; wait for it to finish.").
			FR("Un calcul de ce type est déjà en cours pour votre organisation ; attendez qu'il se termine.")
	}
	return translate(err, "insert batch "+b.ID)
}

// migrateBatches gives the batches recorded before the active slot theirs:
// their own id, so the unique index can be made whatever they hold.
func (d *DB) migrateBatches(ctx context.Context) error {
	c := d.col(colBatches)
	cur, err := c.Find(ctx, bson.D{{Key: "activeSlot", Value: bson.D{{Key: "$exists", Value: false}}}}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return translate(err, "find batches to migrate")
	}
	var ids []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return translate(err, "find batches to migrate")
	}
	for _, x := range ids {
		if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: x.ID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "activeSlot", Value: "id:" + x.ID}}}}); err != nil {
			return translate(err, "migrate batch "+x.ID)
		}
	}
	return nil
}

// Batch returns org's batch id.
func (d *DB) Batch(ctx context.Context, org, id string) (batches.Batch, error) {
	return d.findBatch(ctx, bson.D{{Key: "_id", Value: id}, {Key: "organisationId", Value: org}}, id)
}

// BatchByID returns batch id of any organisation.
func (d *DB) BatchByID(ctx context.Context, id string) (batches.Batch, error) {
	return d.findBatch(ctx, bson.D{{Key: "_id", Value: id}}, id)
}

func (d *DB) findBatch(ctx context.Context, filter bson.D, id string) (batches.Batch, error) {
	var doc batchDoc
	if err := d.col(colBatches).FindOne(ctx, filter).Decode(&doc); err != nil {
		return batches.Batch{}, translate(err, "find batch "+id)
	}
	return toBatch(doc), nil
}

// MarkEnqueued sets enqueuedAt once.
func (d *DB) MarkEnqueued(ctx context.Context, id string, at time.Time) error {
	_, err := d.col(colBatches).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "enqueuedAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "enqueuedAt", Value: at.UTC()}}}})
	return translate(err, "mark batch "+id+" enqueued")
}

// StartBatch moves a queued or running batch to running and counts the attempt.
func (d *DB) StartBatch(ctx context.Context, id string, at time.Time) (batches.Batch, error) {
	var doc batchDoc
	err := d.col(colBatches).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{batches.Queued, batches.Running}}}}},
		bson.D{
			{Key: "$set", Value: bson.D{{Key: "status", Value: batches.Running}, {Key: "startedAt", Value: at.UTC()}, {Key: "error", Value: ""}}},
			{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}},
		},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&doc)
	if err == nil {
		return toBatch(doc), nil
	}
	b, ferr := d.BatchByID(ctx, id)
	if ferr != nil {
		return batches.Batch{}, ferr
	}
	if b.Status != batches.Queued && b.Status != batches.Running {
		return b, apperr.Conflictf("The batch is %s.", b.Status).FR("Le lot est %s.", b.Status.French()).WithExtra("currentState", string(b.Status))
	}
	return batches.Batch{}, translate(err, "start batch "+id)
}

// RecordProgress stores a running batch's progress; written never goes down.
func (d *DB) RecordProgress(ctx context.Context, id string, p batches.Progress) error {
	_, err := d.col(colBatches).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "status", Value: batches.Running}},
		bson.D{
			{Key: "$set", Value: bson.D{{Key: "progress.phase", Value: p.Phase}, {Key: "progress.total", Value: p.Total}}},
			{Key: "$max", Value: bson.D{{Key: "progress.written", Value: p.Written}}},
		})
	return translate(err, "record progress of batch "+id)
}

// FinishBatch stores the final state of a running batch.
func (d *DB) FinishBatch(ctx context.Context, b batches.Batch) error {
	res, err := d.col(colBatches).ReplaceOne(ctx,
		bson.D{{Key: "_id", Value: b.ID}, {Key: "status", Value: batches.Running}}, toBatchDoc(b))
	if err != nil {
		return translate(err, "finish batch "+b.ID)
	}
	if res.MatchedCount == 0 {
		return apperr.Conflictf("The batch %s is not running.", b.ID).FR("Le lot %s n'est pas en cours.", b.ID)
	}
	return nil
}

// UnqueuedBatches returns queued batches never enqueued, oldest first.
func (d *DB) UnqueuedBatches(ctx context.Context, createdBefore time.Time, limit int) ([]batches.Batch, error) {
	return d.batches(ctx, bson.D{{Key: "status", Value: batches.Queued}, {Key: "enqueuedAt", Value: nil},
		{Key: "createdAt", Value: bson.D{{Key: "$lte", Value: createdBefore.UTC()}}}}, limit)
}

// StaleBatches returns queued batches enqueued long ago and running ones
// started long ago, oldest first.
func (d *DB) StaleBatches(ctx context.Context, enqueuedBefore, startedBefore time.Time, limit int) ([]batches.Batch, error) {
	var out []batches.Batch
	for _, f := range []bson.D{
		{{Key: "status", Value: batches.Queued}, {Key: "enqueuedAt", Value: bson.D{{Key: "$lt", Value: enqueuedBefore.UTC()}}}},
		{{Key: "status", Value: batches.Running}, {Key: "startedAt", Value: bson.D{{Key: "$lt", Value: startedBefore.UTC()}}}},
	} {
		list, err := d.batches(ctx, f, limit)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

func (d *DB) batches(ctx context.Context, filter bson.D, limit int) ([]batches.Batch, error) {
	return findAll(ctx, d.col(colBatches), filter, toBatch, "list batches",
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

// instanceChunk is how many bytes of DIMACS text one document holds, well
// under the 16 MiB document limit.
const instanceChunk = 4 << 20

type instanceDoc struct {
	ID      string `bson:"_id"`
	BatchID string `bson:"batchId"`
	N       int    `bson:"n"`
	Of      int    `bson:"of"`
	Data    []byte `bson:"data"`
}

// SaveInstance stores the DIMACS text in chunks, replacing an earlier
// attempt's (upserts by chunk id, then drops chunks beyond the new count).
func (d *DB) SaveInstance(ctx context.Context, id string, dimacs []byte) error {
	c := d.col(colInstances)
	of := (len(dimacs) + instanceChunk - 1) / instanceChunk
	if of == 0 {
		of = 1
	}
	for n := 0; n < of; n++ {
		lo, hi := n*instanceChunk, min((n+1)*instanceChunk, len(dimacs))
		doc := instanceDoc{ID: fmt.Sprintf("%s#%d", id, n), BatchID: id, N: n, Of: of, Data: dimacs[lo:hi]}
		if _, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: doc.ID}}, doc, options.Replace().SetUpsert(true)); err != nil {
			return translate(err, "save instance of batch "+id)
		}
	}
	_, err := c.DeleteMany(ctx, bson.D{{Key: "batchId", Value: id}, {Key: "n", Value: bson.D{{Key: "$gte", Value: of}}}})
	return translate(err, "save instance of batch "+id)
}

// WriteInstance writes the stored DIMACS text to w.
func (d *DB) WriteInstance(ctx context.Context, id string, w io.Writer) error {
	cur, err := d.col(colInstances).Find(ctx, bson.D{{Key: "batchId", Value: id}}, options.Find().SetSort(bson.D{{Key: "n", Value: 1}}))
	if err != nil {
		return translate(err, "read instance of batch "+id)
	}
	defer cur.Close(ctx)
	n := 0
	for cur.Next(ctx) {
		var doc instanceDoc
		if err := cur.Decode(&doc); err != nil {
			return translate(err, "read instance of batch "+id)
		}
		if doc.N != n {
			return fmt.Errorf("instance of batch %s: chunk %d missing", id, n)
		}
		if _, err := w.Write(doc.Data); err != nil {
			return err
		}
		n++
	}
	if err := cur.Err(); err != nil {
		return translate(err, "read instance of batch "+id)
	}
	if n == 0 {
		return apperr.NotFoundf("The batch has not built its instance yet.").FR("Le lot n'a pas encore construit son instance.")
	}
	return nil
}
