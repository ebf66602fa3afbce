package devstack

import (
	"fmt"
	"log/slog"

	"github.com/alicebob/miniredis/v2"
)

// Redis is an in-process Redis-compatible server (miniredis). Its data lives
// in memory only and is lost when it stops.
type Redis struct {
	srv *miniredis.Miniredis
}

// RedisOption configures StartRedis.
type RedisOption func(*redisConfig)

type redisConfig struct {
	addr string
}

// WithRedisAddr makes the server listen on addr (host:port) instead of a free
// port of 127.0.0.1.
func WithRedisAddr(addr string) RedisOption {
	return func(c *redisConfig) { c.addr = addr }
}

// StartRedis starts the server, on a free port of 127.0.0.1 unless
// WithRedisAddr says otherwise. A nil logger means slog.Default().
func StartRedis(logger *slog.Logger, opts ...RedisOption) (*Redis, error) {
	if logger == nil {
		logger = slog.Default()
	}
	cfg := redisConfig{addr: "127.0.0.1:0"}
	for _, o := range opts {
		o(&cfg)
	}
	srv := miniredis.NewMiniRedis()
	if err := srv.StartAddr(cfg.addr); err != nil {
		return nil, fmt.Errorf("start embedded redis on %s: %w", cfg.addr, err)
	}
	logger.Warn("DEV MODE: in-process Redis-compatible server (miniredis), data in memory only, not for production",
		slog.String("addr", srv.Addr()))
	return &Redis{srv: srv}, nil
}

// Addr is the host:port clients connect to.
func (r *Redis) Addr() string { return r.srv.Addr() }

// Close stops the server and closes its connections.
func (r *Redis) Close() error {
	r.srv.Close()
	return nil
}
