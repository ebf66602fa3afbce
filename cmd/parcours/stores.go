package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/parcours-emploi/parcours/internal/devstack"
	"github.com/parcours-emploi/parcours/internal/mongodb"
)

// stores are the open connections of a process.
type stores struct {
	DB       *mongodb.DB
	RedisURL string
	Redis    *redis.Client
	// SMTPURL is the mail server; SMTP is the embedded one of dev, if any.
	SMTPURL  string
	SMTP     *devstack.SMTP
	Embedded bool
	// EmbeddedRedis is set when the queue lives in this process's memory:
	// its tasks do not survive a restart.
	EmbeddedRedis bool
	closers       []func() error
}

// openStores connects to MongoDB and Redis, starting embedded ones where the
// configuration names none; in dev, an embedded SMTP server too when no
// SMTP_URL is given.
func openStores(ctx context.Context, cfg config, log *slog.Logger, dev bool) (_ *stores, err error) {
	s := &stores{RedisURL: cfg.RedisURL, SMTPURL: cfg.SMTPURL}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	uri := cfg.MongoURI
	if uri == "" {
		dir := filepath.Join(cfg.DataDir, "mongo")
		m, err := devstack.StartMongo(ctx, dir, log)
		if err != nil {
			return nil, fmt.Errorf("start embedded mongodb: %w", err)
		}
		s.closers = append(s.closers, m.Close)
		uri, s.Embedded = m.URI(), true
	}
	s.DB, err = mongodb.Open(ctx, uri, cfg.MongoDatabase)
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return s.DB.Close(ctx)
	})
	if err := s.DB.EnsureIndexes(ctx); err != nil {
		return nil, err
	}
	if s.RedisURL == "" {
		r, err := devstack.StartRedis(log)
		if err != nil {
			return nil, err
		}
		s.closers = append(s.closers, r.Close)
		s.RedisURL, s.Embedded, s.EmbeddedRedis = "redis://"+r.Addr(), true, true
	}
	if s.Redis, err = redisClient(s.RedisURL); err != nil {
		return nil, err
	}
	s.closers = append(s.closers, s.Redis.Close)
	if s.SMTPURL == "" && dev {
		m, err := devstack.StartSMTP(log)
		if err != nil {
			return nil, err
		}
		s.closers = append(s.closers, m.Close)
		s.SMTP, s.SMTPURL = m, m.URL()+"?tls=none"
	}
	return s, nil
}

// Close closes in reverse order of opening.
func (s *stores) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		_ = s.closers[i]()
	}
	s.closers = nil
}

// redisClient connects to REDIS_URL as the workers do (asynq's parser):
// redis:// or rediss:// to one server, redis-sentinel:// to the master a
// set of Sentinels names, so a failover moves every process along.
func redisClient(url string) (*redis.Client, error) {
	o, err := asynq.ParseRedisURI(url)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	switch o := o.(type) {
	case asynq.RedisClientOpt:
		return redis.NewClient(&redis.Options{Addr: o.Addr, Username: o.Username, Password: o.Password, DB: o.DB, TLSConfig: o.TLSConfig}), nil
	case asynq.RedisFailoverClientOpt:
		return redis.NewFailoverClient(&redis.FailoverOptions{MasterName: o.MasterName, SentinelAddrs: o.SentinelAddrs,
			SentinelPassword: o.SentinelPassword, Username: o.Username, Password: o.Password, DB: o.DB, TLSConfig: o.TLSConfig}), nil
	}
	return nil, fmt.Errorf("REDIS_URL: %q is not a redis://, rediss:// or redis-sentinel:// URL", url)
}
