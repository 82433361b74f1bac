package analytics

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1
// lane), about 30 ms on one core. They are stored with each hash, so
// they can be raised later without invalidating existing passwords.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// hashing bounds how many hashes run at once, so that a burst of logins
// cannot exhaust memory (each takes argonMemory).
var hashing = make(chan struct{}, 4)

// hashPassword returns an argon2id hash in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>.
func hashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	hashing <- struct{}{}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	<-hashing
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// checkPassword is true when pw matches the PHC-encoded hash.
func checkPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("password hash: not argon2id")
	}
	var version int
	var mem, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("password hash: version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &passes, &threads); err != nil ||
		mem == 0 || mem > 1<<20 || passes == 0 || passes > 16 || threads == 0 {
		return false, fmt.Errorf("password hash: parameters %q", parts[3])
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("password hash: salt: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("password hash: key: %v", err)
	}
	hashing <- struct{}{}
	got := argon2.IDKey([]byte(pw), salt, passes, mem, threads, uint32(len(want)))
	<-hashing
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// decoyHash is checked against when a login names no (enabled) user, so
// that the answer takes as long as for a wrong password and does not tell
// which names exist.
var decoyHash = sync.OnceValue(func() string {
	h, err := hashPassword("decoy password that matches nothing")
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return h
})
