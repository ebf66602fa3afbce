package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

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
	// PublicURL is the console's address as people reach it
	// (PARCOURS_PUBLIC_URL); empty: http://localhost and the port listened on.
	PublicURL string
	// SMTPURL is the mail server (SMTP_URL); empty in dev: an embedded one.
	SMTPURL  string
	MailFrom string // PARCOURS_MAIL_FROM
	// StaffIdle and MentorIdle are how long console sessions last unused
	// (PARCOURS_SESSION_IDLE, PARCOURS_MENTOR_SESSION).
	StaffIdle, MentorIdle time.Duration
}

func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Addr:          orDefault(getenv("PARCOURS_ADDR"), ":8080"),
		MongoURI:      getenv("MONGODB_URI"),
		MongoDatabase: orDefault(getenv("MONGODB_DATABASE"), "parcours"),
		RedisURL:      getenv("REDIS_URL"),
		DataDir:       orDefault(getenv("PARCOURS_DATA_DIR"), "./data"),
		RateLimit:     600,
		PublicURL:     strings.TrimRight(getenv("PARCOURS_PUBLIC_URL"), "/"),
		SMTPURL:       getenv("SMTP_URL"),
		MailFrom:      orDefault(getenv("PARCOURS_MAIL_FROM"), "Parcours <ne-pas-repondre@parcours.localhost>"),
		StaffIdle:     30 * time.Minute,
		MentorIdle:    30 * 24 * time.Hour,
	}
	for name, d := range map[string]*time.Duration{"PARCOURS_SESSION_IDLE": &c.StaffIdle, "PARCOURS_MENTOR_SESSION": &c.MentorIdle} {
		if v := getenv(name); v != "" {
			x, err := time.ParseDuration(v)
			if err != nil || x < time.Minute {
				return c, fmt.Errorf("%s must be a duration of a minute or more (30m, 720h), not %q", name, v)
			}
			*d = x
		}
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
	return app.Settings{StaffIdle: c.StaffIdle, MentorIdle: c.MentorIdle}
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

// logAttrs lists the configuration for the start-up log, secrets masked.
func (c config) logAttrs() []any {
	mongo, redis, smtp := "embedded FerretDB", "embedded Redis-compatible server", "embedded SMTP server (dev)"
	if c.MongoURI != "" {
		mongo = maskURL(c.MongoURI)
	}
	if c.RedisURL != "" {
		redis = maskURL(c.RedisURL)
	}
	if c.SMTPURL != "" {
		smtp = maskURL(c.SMTPURL)
	}
	return []any{"addr", c.Addr, "mongodb", mongo, "database", c.MongoDatabase, "redis", redis,
		"dataDir", c.DataDir, "logLevel", c.LogLevel.String(), "rateLimitPerMinute", c.RateLimit,
		"smtp", smtp, "publicURL", c.PublicURL, "staffSessionIdle", c.StaffIdle.String(), "mentorSession", c.MentorIdle.String()}
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
