// Package ids makes record identifiers: a short prefix naming the kind of
// record, then 26 characters that sort by creation time (48-bit milliseconds,
// 80 random bits, Crockford base32), so pages ordered by id are stable and
// follow creation order.
package ids

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

var (
	mu       sync.Mutex
	lastMs   uint64
	lastRand [10]byte
)

// New returns a fresh id such as "ben_01jd5x…". Ids made in the same
// millisecond by this process still increase.
func New(prefix string) string {
	return NewAt(prefix, time.Now())
}

// NewAt returns a fresh id for the instant t.
func NewAt(prefix string, t time.Time) string {
	ms := uint64(t.UnixMilli())
	var r [10]byte
	mu.Lock()
	if ms <= lastMs {
		ms = lastMs
		r = lastRand
		for i := len(r) - 1; i >= 0; i-- { // increment
			r[i]++
			if r[i] != 0 {
				break
			}
		}
	} else {
		_, _ = rand.Read(r[:])
	}
	lastMs, lastRand = ms, r
	mu.Unlock()

	var b [16]byte
	binary.BigEndian.PutUint64(b[0:8], ms<<16)
	copy(b[6:], r[:])
	// 128 bits -> 26 base32 characters (first holds 3 bits).
	out := make([]byte, 0, len(prefix)+1+26)
	out = append(out, prefix...)
	out = append(out, '_')
	hi := binary.BigEndian.Uint64(b[0:8])
	lo := binary.BigEndian.Uint64(b[8:16])
	for i := 25; i >= 0; i-- {
		shift := uint(i * 5)
		var v uint64
		switch {
		case shift >= 64:
			v = hi >> (shift - 64)
		case shift+5 > 64:
			v = lo>>shift | hi<<(64-shift)
		default:
			v = lo >> shift
		}
		out = append(out, alphabet[v&31])
	}
	return string(out)
}
