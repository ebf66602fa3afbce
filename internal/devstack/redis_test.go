package devstack_test

import (
	"context"
	"net"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/parcours-emploi/parcours/internal/devstack"
)

func TestRedisAnswersPing(t *testing.T) {
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fixed := free.Addr().String()
	free.Close()

	tests := []struct {
		name string
		opts []devstack.RedisOption
		addr string // expected address, "" for any
	}{
		{name: "free port"},
		{name: "fixed address", opts: []devstack.RedisOption{devstack.WithRedisAddr(fixed)}, addr: fixed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := devstack.StartRedis(quietLogger(), tt.opts...)
			if err != nil {
				t.Fatalf("StartRedis: %v", err)
			}
			defer r.Close()
			if tt.addr != "" && r.Addr() != tt.addr {
				t.Errorf("Addr = %q, want %q", r.Addr(), tt.addr)
			}
			c := redis.NewClient(&redis.Options{Addr: r.Addr()})
			defer c.Close()
			got, err := c.Ping(context.Background()).Result()
			if err != nil {
				t.Fatalf("PING: %v", err)
			}
			if got != "PONG" {
				t.Errorf("PING = %q, want PONG", got)
			}
		})
	}
}

func TestRedisStopsAnsweringAfterClose(t *testing.T) {
	r, err := devstack.StartRedis(quietLogger())
	if err != nil {
		t.Fatalf("StartRedis: %v", err)
	}
	addr := r.Addr()
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	if err := c.Ping(context.Background()).Err(); err == nil {
		t.Error("PING after Close succeeded, want an error")
	}
}
