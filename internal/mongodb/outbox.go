package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/notify"
)

var _ notify.Outbox = (*DB)(nil)

const colOutbox = "outbox"

var outboxIndexes = []index{
	{colOutbox, "state_created", bson.D{{Key: "state", Value: 1}, {Key: "createdAt", Value: 1}}, false},
}

// messageDoc is a message as stored; its id is the event's.
type messageDoc struct {
	ID        string            `bson:"_id"`
	Kind      string            `bson:"kind"`
	UserID    string            `bson:"userId,omitempty"`
	To        string            `bson:"to"`
	Name      string            `bson:"name,omitempty"`
	Lang      string            `bson:"lang,omitempty"`
	Data      map[string]string `bson:"data,omitempty"`
	State     string            `bson:"state"`
	Attempts  int               `bson:"attempts"`
	Error     string            `bson:"error,omitempty"`
	CreatedAt time.Time         `bson:"createdAt"`
	ClaimedAt *time.Time        `bson:"claimedAt,omitempty"`
	SentAt    *time.Time        `bson:"sentAt,omitempty"`
}

func toMessage(d messageDoc) notify.Message {
	return notify.Message{ID: d.ID, Kind: notify.Kind(d.Kind), UserID: d.UserID, To: d.To, Name: d.Name, Lang: access.Lang(d.Lang),
		Data: d.Data, State: notify.State(d.State), Attempts: d.Attempts, Error: d.Error, CreatedAt: d.CreatedAt.UTC(),
		ClaimedAt: utcPtr(d.ClaimedAt), SentAt: utcPtr(d.SentAt)}
}

// RecordMessage inserts m unless its event was recorded already.
func (d *DB) RecordMessage(ctx context.Context, m notify.Message) (bool, error) {
	_, err := d.col(colOutbox).InsertOne(ctx, messageDoc{ID: m.ID, Kind: string(m.Kind), UserID: m.UserID, To: m.To, Name: m.Name,
		Lang: string(m.Lang), Data: m.Data, State: string(m.State), CreatedAt: m.CreatedAt})
	if isDuplicate(err) {
		return false, nil
	}
	return err == nil, translate(err, "record message "+m.ID)
}

// Message returns the message id.
func (d *DB) Message(ctx context.Context, id string) (notify.Message, error) {
	var doc messageDoc
	if err := d.col(colOutbox).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
		return notify.Message{}, translate(err, "find message "+id)
	}
	return toMessage(doc), nil
}

// ClaimMessage moves a queued (or stale sending) message to sending.
func (d *DB) ClaimMessage(ctx context.Context, id string, at, staleBefore time.Time) (notify.Message, error) {
	filter := bson.D{{Key: "_id", Value: id}, {Key: "$or", Value: bson.A{
		bson.D{{Key: "state", Value: string(notify.Queued)}},
		bson.D{{Key: "state", Value: string(notify.Sending)}, {Key: "claimedAt", Value: bson.D{{Key: "$lt", Value: staleBefore}}}},
	}}}
	var doc messageDoc
	err := d.col(colOutbox).FindOneAndUpdate(ctx, filter,
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: string(notify.Sending)}, {Key: "claimedAt", Value: at}}},
			{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&doc)
	if err == nil {
		return toMessage(doc), nil
	}
	cur, ferr := d.Message(ctx, id)
	if ferr != nil {
		return notify.Message{}, ferr
	}
	return notify.Message{}, apperr.Conflictf("The message is %s.", cur.State).FR("Le message est à l'état %s.", cur.State).WithExtra(apperr.CurrentState, string(cur.State))
}

// MarkSent records the message sent and clears its secret data.
func (d *DB) MarkSent(ctx context.Context, id string, at time.Time, clear []string) error {
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: string(notify.Sent)}, {Key: "sentAt", Value: at}}}}
	if len(clear) > 0 {
		unset := bson.D{}
		for _, k := range clear {
			unset = append(unset, bson.E{Key: "data." + k, Value: ""})
		}
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	_, err := d.col(colOutbox).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, update)
	return translate(err, "mark message "+id+" sent")
}

// ReleaseMessage puts a message back after a failed send.
func (d *DB) ReleaseMessage(ctx context.Context, id string, state notify.State, reason string) error {
	_, err := d.col(colOutbox).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "state", Value: string(notify.Sending)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: string(state)}, {Key: "error", Value: reason}}}})
	return translate(err, "release message "+id)
}

// PendingMessages returns the messages recorded and not sent for long.
func (d *DB) PendingMessages(ctx context.Context, createdBefore, staleBefore time.Time, limit int) ([]notify.Message, error) {
	filter := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "state", Value: string(notify.Queued)}, {Key: "createdAt", Value: bson.D{{Key: "$lt", Value: createdBefore}}}},
		bson.D{{Key: "state", Value: string(notify.Sending)}, {Key: "claimedAt", Value: bson.D{{Key: "$lt", Value: staleBefore}}}},
	}}}
	return findAll(ctx, d.col(colOutbox), filter, toMessage, "list pending messages",
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

// HeldMessages returns the messages held for a daily summary, oldest first.
func (d *DB) HeldMessages(ctx context.Context, limit int) ([]notify.Message, error) {
	return findAll(ctx, d.col(colOutbox), bson.D{{Key: "state", Value: string(notify.Held)}}, toMessage, "list held messages",
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

// MarkDigested records held messages gone out in the summary digest.
func (d *DB) MarkDigested(ctx context.Context, ids []string, digest string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := d.col(colOutbox).UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}, {Key: "state", Value: string(notify.Held)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: string(notify.Digested)}, {Key: "error", Value: "in " + digest}}}})
	return translate(err, "mark messages digested")
}
