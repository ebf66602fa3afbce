package devstack_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/parcours-emploi/parcours/internal/devstack"
)

// Asynq, the queue Parcours runs on Redis, works on the embedded server:
// enqueue, process, and a unique task refused while the first is pending.
func TestAsynqRunsOnTheEmbeddedRedis(t *testing.T) {
	r, err := devstack.StartRedis(quietLogger())
	if err != nil {
		t.Fatalf("StartRedis: %v", err)
	}
	defer r.Close()
	opt := asynq.RedisClientOpt{Addr: r.Addr()}

	client := asynq.NewClient(opt)
	defer client.Close()
	if _, err := client.Enqueue(asynq.NewTask("devstack:probe", []byte("hello")), asynq.Unique(time.Minute)); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	_, err = client.Enqueue(asynq.NewTask("devstack:probe", []byte("hello")), asynq.Unique(time.Minute))
	if err == nil {
		t.Error("second unique enqueue succeeded, want asynq.ErrDuplicateTask")
	}

	got := make(chan string, 1)
	srv := asynq.NewServer(opt, asynq.Config{Concurrency: 1, Logger: nopLogger{}, LogLevel: asynq.FatalLevel})
	mux := asynq.NewServeMux()
	mux.HandleFunc("devstack:probe", func(_ context.Context, task *asynq.Task) error {
		got <- string(task.Payload())
		return nil
	})
	if err := srv.Start(mux); err != nil {
		t.Fatalf("start asynq server: %v", err)
	}
	defer srv.Shutdown()
	select {
	case payload := <-got:
		if payload != "hello" {
			t.Errorf("payload = %q, want %q", payload, "hello")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("task not processed within 30s")
	}
}

type nopLogger struct{}

func (nopLogger) Debug(...any) {}
func (nopLogger) Info(...any)  {}
func (nopLogger) Warn(...any)  {}
func (nopLogger) Error(...any) {}
func (nopLogger) Fatal(...any) {}
