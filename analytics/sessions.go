package analytics

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"fazhi"
)

// Session lifetimes: a session ends after SessionIdle without a request,
// and SessionMaxAge after sign-in whatever happens.
const (
	SessionIdle   = 2 * time.Hour
	SessionMaxAge = 12 * time.Hour
	// touchEvery bounds how often a session's last_seen is written: at
	// most once a minute, not on every request.
	touchEvery = time.Minute
)

// Session is a signed-in browser.
type Session struct {
	User      fazhi.User
	CSRF      string // the synchronizer token its forms and API calls must carry
	CreatedAt time.Time
	LastSeen  time.Time
}

// RandomToken is 32 random bytes, base64url: the value of a cookie, a CSRF
// token or an API token.
func RandomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// tokenHash is what is stored of a session or API token: its sha256. The
// tokens are 256 random bits, so a fast hash is enough.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession signs a user in from address. It returns the token for the
// cookie; only its hash is stored. Sessions past their lifetime are
// removed on the way.
func (w *Warehouse) CreateSession(ctx context.Context, u fazhi.User, address string) (string, Session, error) {
	token := RandomToken()
	now := time.Now()
	s := Session{User: u, CSRF: RandomToken(), CreatedAt: now, LastSeen: now}
	w.authMu.Lock()
	defer w.authMu.Unlock()
	if _, err := w.db.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen < ? OR created_at < ?`,
		now.Add(-SessionIdle), now.Add(-SessionMaxAge)); err != nil {
		return "", s, fmt.Errorf("remove expired sessions: %w", err)
	}
	if _, err := w.db.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen, address)
		VALUES (?, ?, ?, ?, ?, ?)`, tokenHash(token), u.ID, s.CSRF, now, now, address); err != nil {
		return "", s, fmt.Errorf("create session for %s: %w", u.Name, err)
	}
	return token, s, nil
}

// Session finds the live session of a cookie's token at time now, and
// records that it was seen. An unknown, expired or disabled user's
// session is ENOTFOUND.
func (w *Warehouse) Session(ctx context.Context, token string, now time.Time) (Session, error) {
	var s Session
	if token == "" || len(token) > 128 {
		return s, fazhi.Errorf(fazhi.ENOTFOUND, "未登录")
	}
	id := tokenHash(token)
	row := w.db.QueryRowContext(ctx, `SELECT `+userSelect+`, s.csrf_token, s.created_at, s.last_seen
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND NOT u.disabled`, id)
	var err error
	s.User, err = scanUserAnd(row, &s.CSRF, &s.CreatedAt, &s.LastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fazhi.Errorf(fazhi.ENOTFOUND, "未登录")
	} else if err != nil {
		return s, fmt.Errorf("find session: %w", err)
	}
	if now.Sub(s.LastSeen) > SessionIdle || now.Sub(s.CreatedAt) > SessionMaxAge {
		w.authMu.Lock()
		defer w.authMu.Unlock()
		if _, err := w.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, id); err != nil {
			return s, fmt.Errorf("end expired session: %w", err)
		}
		return Session{}, fazhi.Errorf(fazhi.ENOTFOUND, "登录已过期，请重新登录")
	}
	if now.Sub(s.LastSeen) >= touchEvery {
		w.authMu.Lock() // requests of one session at once would conflict on its row
		defer w.authMu.Unlock()
		if _, err := w.db.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id_hash = ? AND last_seen < ?`,
			now, id, now); err != nil {
			return s, fmt.Errorf("touch session: %w", err)
		}
		s.LastSeen = now
	}
	return s, nil
}

// DeleteSession signs a session out.
func (w *Warehouse) DeleteSession(ctx context.Context, token string) error {
	w.authMu.Lock()
	defer w.authMu.Unlock()
	if _, err := w.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, tokenHash(token)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// apiTokenPrefix marks fazhi API tokens, so that a leaked one is
// recognisable in logs and by secret scanners.
const apiTokenPrefix = "fzt_"

// CreateToken makes an API token for a user's scripts. The token is
// returned once; only its hash is stored.
func (w *Warehouse) CreateToken(ctx context.Context, name, label string) (string, error) {
	u, err := w.User(ctx, name)
	if err != nil {
		return "", err
	}
	if u.Disabled {
		return "", fazhi.Errorf(fazhi.EINVALID, "用户 %s 已停用", name)
	}
	token := apiTokenPrefix + RandomToken()
	w.authMu.Lock()
	defer w.authMu.Unlock()
	if _, err := w.db.ExecContext(ctx, `INSERT INTO api_tokens (id_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)`,
		tokenHash(token), u.ID, strings.TrimSpace(label), time.Now()); err != nil {
		return "", fmt.Errorf("create token for %s: %w", name, err)
	}
	return token, nil
}

// TokenUser finds the enabled user an API token belongs to.
func (w *Warehouse) TokenUser(ctx context.Context, token string) (fazhi.User, error) {
	if !strings.HasPrefix(token, apiTokenPrefix) || len(token) > 128 {
		return fazhi.User{}, fazhi.Errorf(fazhi.ENOTFOUND, "API 令牌无效")
	}
	id := tokenHash(token)
	var lastUsed sql.NullTime
	row := w.db.QueryRowContext(ctx, `SELECT `+userSelect+`, t.last_used FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.id_hash = ? AND t.revoked_at IS NULL AND NOT u.disabled`, id)
	u, err := scanUserAnd(row, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fazhi.Errorf(fazhi.ENOTFOUND, "API 令牌无效或已撤销")
	} else if err != nil {
		return u, fmt.Errorf("find token: %w", err)
	}
	if now := time.Now(); !lastUsed.Valid || now.Sub(lastUsed.Time) >= touchEvery {
		w.authMu.Lock()
		defer w.authMu.Unlock()
		if _, err := w.db.ExecContext(ctx, `UPDATE api_tokens SET last_used = ? WHERE id_hash = ?`, now, id); err != nil {
			return u, fmt.Errorf("touch token: %w", err)
		}
	}
	return u, nil
}

// RevokeTokens revokes every API token of a user and says how many.
func (w *Warehouse) RevokeTokens(ctx context.Context, name string) (int, error) {
	u, err := w.User(ctx, name)
	if err != nil {
		return 0, err
	}
	w.authMu.Lock()
	defer w.authMu.Unlock()
	res, err := w.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`,
		time.Now(), u.ID)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens of %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
