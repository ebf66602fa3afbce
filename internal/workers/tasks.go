// Package workers runs Parcours' background work on Asynq: matching batches,
// daily outcome measurement and housekeeping. It holds the task types and
// payloads, their handlers, the periodic schedule, and a client that
// implements the "enqueue" side the domain needs (batches.Enqueuer).
//
// Every handler is idempotent: batches write proposals once per (batch,
// seeker, opening), measurements once per (enrolment, horizon, version).
// Malformed payloads wrap asynq.SkipRetry; other failures are retried.
package workers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parcours-emploi/parcours/batches"

	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/civil"
)

// Task types.
const (
	TypeBatch   = "matching:batch"
	TypeMeasure = "outcomes:measure"
	TypeExpire  = "jobs:expire"
	TypeRemind  = "mentoring:remind"
	TypeSweep   = "matching:sweep"
	TypeEmail   = "notify:email"
	// TypeAnnounce tells people what the records say happened and nobody
	// told them yet (a crash between a change and its e-mail).
	TypeAnnounce = "notify:announce"
	// TypeDigest sends the daily summaries of those who chose one.
	TypeDigest = "notify:digest"
	// TypeFairness raises the week's fairness alerts to the coordinators.
	TypeFairness = "fairness:watch"
)

// BatchPayload names the batch to run; the batch itself is in MongoDB.
type BatchPayload struct {
	BatchID string `json:"batchId"`
}

// EmailPayload names the message to send; the message is in MongoDB.
type EmailPayload struct {
	MessageID string `json:"messageId"`
}

// NewEmailTask returns the task of message id. Its task id names the
// message, so queuing a message twice leaves one task.
func NewEmailTask(id string) (*asynq.Task, []asynq.Option, error) {
	if id == "" {
		return nil, nil, errors.New("new email task: no message id")
	}
	b, err := json.Marshal(EmailPayload{MessageID: id})
	if err != nil {
		return nil, nil, err
	}
	return asynq.NewTask(TypeEmail, b), []asynq.Option{asynq.TaskID("email:" + id), asynq.MaxRetry(10), asynq.Timeout(time.Minute)}, nil
}

// MeasurePayload may name the day to measure for; empty means the day the
// task runs (the handler's clock).
type MeasurePayload struct {
	Date civil.Date `json:"date,omitempty"`
}

// NewBatchTask returns the task of batch id. Its task id is the batch id,
// so enqueuing a batch twice leaves one task.
func NewBatchTask(id string) (*asynq.Task, []asynq.Option, error) {
	if id == "" {
		return nil, nil, errors.New("new batch task: no batch id")
	}
	b, err := json.Marshal(BatchPayload{BatchID: id})
	if err != nil {
		return nil, nil, err
	}
	return asynq.NewTask(TypeBatch, b), []asynq.Option{asynq.TaskID(id), asynq.MaxRetry(10), asynq.Timeout(BatchTimeout)}, nil
}

// BatchTimeout bounds one attempt of a batch.
const BatchTimeout = batches.Timeout

// decode reads a payload strictly; a bad one is not worth retrying.
func decode(t *asynq.Task, v any) error {
	if err := json.Unmarshal(t.Payload(), v); err != nil {
		return fmt.Errorf("%s: malformed payload: %v: %w", t.Type(), err, asynq.SkipRetry)
	}
	return nil
}

// Client enqueues tasks. It implements batches.Enqueuer and notify.Queue.
type Client struct {
	c      *asynq.Client
	queue  string
	Logger *slog.Logger
}

// NewClient returns a client enqueuing on queue ("" is "default").
func NewClient(r asynq.RedisConnOpt, queue string, log *slog.Logger) *Client {
	if queue == "" {
		queue = "default"
	}
	if log == nil {
		log = slog.Default()
	}
	return &Client{c: asynq.NewClient(r), queue: queue, Logger: log}
}

// Close closes the connection.
func (c *Client) Close() error { return c.c.Close() }

// EnqueueBatch puts batch id on the queue; it is a no-op if it is there
// already (or ran and is retained).
func (c *Client) EnqueueBatch(ctx context.Context, id string) error {
	t, opts, err := NewBatchTask(id)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, EnqueueTimeout)
	defer cancel()
	_, err = c.c.EnqueueContext(ctx, t, append(opts, asynq.Queue(c.queue))...)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	return err
}

// EnqueueTimeout bounds one enqueue: a queue that does not answer must not
// hold an API request (the batch is recorded; the sweeper enqueues it).
const EnqueueTimeout = 2 * time.Second

// EnqueueMessage puts message id on the queue; it is a no-op if it is there
// already.
func (c *Client) EnqueueMessage(ctx context.Context, id string) error {
	t, opts, err := NewEmailTask(id)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, EnqueueTimeout)
	defer cancel()
	_, err = c.c.EnqueueContext(ctx, t, append(opts, asynq.Queue(c.queue))...)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	return err
}
