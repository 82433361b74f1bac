package api

import (
	"sync"
	"time"
)

// limiter is a token bucket per key (a client address, a user name):
// each key may spend burst tokens, refilled at burst per period. Only
// failures spend a token, so a user who signs in right is never slowed.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxLimiterKeys bounds the memory an attacker trying many names or
// addresses can make us hold; full buckets are forgotten first.
const maxLimiterKeys = 10000

func newLimiter(burst int, period time.Duration) *limiter {
	return &limiter{burst: float64(burst), perSec: float64(burst) / period.Seconds(),
		buckets: map[string]*bucket{}, now: time.Now}
}

// refill brings a key's bucket up to date and returns it, or nil for a
// key that has a full bucket.
func (l *limiter) refill(key string) *bucket {
	b := l.buckets[key]
	if b == nil {
		return nil
	}
	now := l.now()
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.perSec)
	b.at = now
	if b.tokens >= l.burst {
		delete(l.buckets, key)
		return nil
	}
	return b
}

// allow is true while the key has a token left.
func (l *limiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key)
	return b == nil || b.tokens >= 1
}

// fail spends one of the key's tokens.
func (l *limiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key)
	if b == nil {
		if len(l.buckets) >= maxLimiterKeys {
			for k := range l.buckets {
				l.refill(k) // forgets the keys whose buckets are full again
			}
			for k := range l.buckets {
				if len(l.buckets) < maxLimiterKeys {
					break
				}
				delete(l.buckets, k) // still too many: forget some, at random
			}
		}
		b = &bucket{tokens: l.burst, at: l.now()}
		l.buckets[key] = b
	}
	b.tokens = max(0, b.tokens-1)
}
