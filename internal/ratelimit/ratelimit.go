// Package ratelimit counts requests per key in Redis, so that every API
// instance behind a load balancer shares one budget per key: a fixed
// window that starts with a key's first request, counted and timed by one
// atomic script.
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// hit increments the window's count, starts its clock on the first hit,
// and returns the count and the milliseconds left.
var hit = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`)

// Redis counts in a Redis server.
type Redis struct {
	Client *redis.Client
	// Prefix names the counters' keys ("parcours:rl:" when empty).
	Prefix string
}

// Hit counts one request of key in the current window of the given length
// and returns how many the window holds and when it ends.
func (r *Redis) Hit(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	prefix := r.Prefix
	if prefix == "" {
		prefix = "parcours:rl:"
	}
	res, err := hit.Run(ctx, r.Client, []string{prefix + key}, window.Milliseconds()).Int64Slice()
	if err != nil {
		return 0, 0, fmt.Errorf("count a request of %s: %w", key, err)
	}
	if len(res) != 2 {
		return 0, 0, fmt.Errorf("count a request of %s: unexpected answer %v", key, res)
	}
	return res[0], time.Duration(res[1]) * time.Millisecond, nil
}
