package testenv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	claimKeyPrefix = "parcours:test:db:"
	claimTTL       = time.Minute
)

// renewScript extends a claim only while it still holds our token.
var renewScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`)

// releaseScript deletes a claim only while it still holds our token.
var releaseScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

// redisClaim is a database number of a shared Redis held by this process.
type redisClaim struct {
	admin *redis.Client // database 0, where the claims live
	key   string
	token string
	db    *redis.Client // the claimed database
	opts  RedisOptions
	url   string

	stop chan struct{}
	wg   sync.WaitGroup
}

// claimRedisDB claims the first free database of pool on the Redis of
// rawURL, flushes it and keeps the claim alive until release. It waits up to
// wait for a database to become free.
func claimRedisDB(ctx context.Context, rawURL string, pool []int, wait time.Duration) (*redisClaim, error) {
	base, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	adminOpts := *base
	adminOpts.DB = 0
	admin := redis.NewClient(&adminOpts)

	host, _ := os.Hostname()
	c := &redisClaim{
		admin: admin,
		token: fmt.Sprintf("%s:%d:%s", host, os.Getpid(), randomHex(4)),
		stop:  make(chan struct{}),
	}
	n, err := c.claim(ctx, pool, wait)
	if err != nil {
		admin.Close()
		return nil, err
	}

	dbOpts := *base
	dbOpts.DB = n
	c.db = redis.NewClient(&dbOpts)
	if err := c.db.FlushDB(ctx).Err(); err != nil {
		c.release()
		return nil, fmt.Errorf("flush claimed redis db %d: %w", n, err)
	}
	c.opts = RedisOptions{Addr: base.Addr, Username: base.Username, Password: base.Password, DB: n}
	c.url = withDB(rawURL, n)

	c.wg.Add(1)
	go c.renew()
	return c, nil
}

func (c *redisClaim) claim(ctx context.Context, pool []int, wait time.Duration) (int, error) {
	deadline := time.Now().Add(wait)
	for {
		for _, n := range pool {
			key := claimKeyPrefix + strconv.Itoa(n)
			ok, err := c.admin.SetNX(ctx, key, c.token, claimTTL).Result()
			if err != nil {
				return 0, fmt.Errorf("claim redis db %d: %w", n, err)
			}
			if ok {
				c.key = key
				return n, nil
			}
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("claim a redis db: all of %v stayed claimed for %s", pool, wait)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// renew extends the claim until release.
func (c *redisClaim) renew() {
	defer c.wg.Done()
	tick := time.NewTicker(claimTTL / 3)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = renewScript.Run(ctx, c.admin, []string{c.key}, c.token, claimTTL.Milliseconds()).Err()
			cancel()
		}
	}
}

// release flushes the database if the claim is still ours, then gives the
// claim back and closes the clients.
func (c *redisClaim) release() {
	close(c.stop)
	c.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if c.db != nil {
		if owner, err := c.admin.Get(ctx, c.key).Result(); err == nil && owner == c.token {
			_ = c.db.FlushDB(ctx).Err()
		}
		c.db.Close()
	}
	_ = releaseScript.Run(ctx, c.admin, []string{c.key}, c.token).Err()
	c.admin.Close()
}

// parsePool reads PARCOURS_TEST_REDIS_DBS: "" for 1-15, a range "3-9" or a
// list "3,5,7". Database 0 holds the claims and cannot be in the pool.
func parsePool(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = "1-15"
	}
	var pool []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		from, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("PARCOURS_TEST_REDIS_DBS %q: %w", s, err)
		}
		to := from
		if isRange {
			if to, err = strconv.Atoi(hi); err != nil {
				return nil, fmt.Errorf("PARCOURS_TEST_REDIS_DBS %q: %w", s, err)
			}
		}
		if from < 1 || to < from {
			return nil, fmt.Errorf("PARCOURS_TEST_REDIS_DBS %q: %q is not a range of databases from 1 up", s, part)
		}
		for n := from; n <= to; n++ {
			pool = append(pool, n)
		}
	}
	if len(pool) == 0 {
		return nil, errors.New("PARCOURS_TEST_REDIS_DBS names no database")
	}
	return pool, nil
}

// withDB returns rawURL with its path naming database n.
func withDB(rawURL string, n int) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL // already parsed by redis.ParseURL, cannot happen
	}
	u.Path = "/" + strconv.Itoa(n)
	u.RawPath = ""
	q := u.Query()
	if q.Has("db") {
		q.Set("db", strconv.Itoa(n))
		u.RawQuery = q.Encode()
	}
	return u.String()
}
