package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/parcours-emploi/parcours/app"
)

// config is read from the environment, once, in run.
type config struct {
	Addr          string // PARCOURS_ADDR
	MongoURI      string // MONGODB_URI; empty: embedded FerretDB
	MongoDatabase string // MONGODB_DATABASE
	RedisURL      string // REDIS_URL; empty: embedded Redis-compatible server
	DataDir       string // PARCOURS_DATA_DIR
	LogLevel      slog.Level
	RateLimit     int // PARCOURS_RATE_LIMIT, requests per key and minute
}

func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Addr:          orDefault(getenv("PARCOURS_ADDR"), ":8080"),
		MongoURI:      getenv("MONGODB_URI"),
		MongoDatabase: orDefault(getenv("MONGODB_DATABASE"), "parcours"),
		RedisURL:      getenv("REDIS_URL"),
		DataDir:       orDefault(getenv("PARCOURS_DATA_DIR"), "./data"),
		RateLimit:     600,
	}
	if err := c.LogLevel.UnmarshalText([]byte(orDefault(getenv("PARCOURS_LOG_LEVEL"), "info"))); err != nil {
		return c, fmt.Errorf("PARCOURS_LOG_LEVEL: %w", err)
	}
	if v := getenv("PARCOURS_RATE_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("PARCOURS_RATE_LIMIT must be a positive whole number, not %q", v)
		}
		c.RateLimit = n
	}
	return c, nil
}

// settings are the rules' parameters the services are built with.
func (c config) settings() app.Settings {
	return app.Settings{}
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

// logAttrs lists the configuration for the start-up log, secrets masked.
func (c config) logAttrs() []any {
	mongo, redis := "embedded FerretDB", "embedded Redis-compatible server"
	if c.MongoURI != "" {
		mongo = maskURL(c.MongoURI)
	}
	if c.RedisURL != "" {
		redis = maskURL(c.RedisURL)
	}
	return []any{"addr", c.Addr, "mongodb", mongo, "database", c.MongoDatabase, "redis", redis,
		"dataDir", c.DataDir, "logLevel", c.LogLevel.String(), "rateLimitPerMinute", c.RateLimit}
}

// maskURL hides the password of a connection URL.
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	s := u.String()
	return strings.Replace(s, "xxxxx", "*****", 1)
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
