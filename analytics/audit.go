package analytics

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"
)

// Audit outcomes.
const (
	AuditOK     = "ok"     // the change was made
	AuditDenied = "denied" // refused: not signed in, no permission, bad CSRF token, too many attempts
	AuditFailed = "failed" // attempted and refused for its content (wrong password, invalid input) or an error
)

// AuditEvent is one entry of the audit log: who did or tried what, when,
// from where, and how it went.
type AuditEvent struct {
	ID        int64
	At        time.Time
	Actor     string // user name; for a failed login the name tried; "" when anonymous
	Role      string
	Action    string // e.g. login, upload_reports, review, user_add
	Target    string // what it acted on: a user name, a document id
	Outcome   string // AuditOK, AuditDenied, AuditFailed
	Status    int    // HTTP status, 0 for the CLI
	Detail    string // never a password or token
	Address   string // client address, or "cli"
	RequestID string
}

// Audit appends an event to the audit log. The log is append-only: this
// package has no statement that changes or removes an entry.
func (w *Warehouse) Audit(ctx context.Context, e AuditEvent) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if e.Action == "" || e.Outcome == "" {
		return fmt.Errorf("audit: event without action or outcome: %+v", e)
	}
	// Hostile input can reach actor, target and detail: keep them bounded.
	_, err := w.db.ExecContext(context.WithoutCancel(ctx), `INSERT INTO audit_log
		(occurred_at, actor, role, action, target, outcome, status, detail, address, request_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.At, clip(e.Actor, 128), e.Role, e.Action, clip(e.Target, 256),
		e.Outcome, e.Status, clip(e.Detail, 2000), clip(e.Address, 64), clip(e.RequestID, 64))
	if err != nil {
		return fmt.Errorf("audit %s by %s: %w", e.Action, e.Actor, err)
	}
	return nil
}

// AuditFilter selects audit entries, newest first; empty fields match all.
type AuditFilter struct {
	Actor  string
	Action string
	Before int64 // entries with a smaller id: the next page
	Limit  int   // default 200
}

// AuditLog lists audit entries, newest first.
func (w *Warehouse) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	rows, err := w.db.QueryContext(ctx, `SELECT id, occurred_at, actor, role, action, target, outcome, status, detail, address, request_id
		FROM audit_log
		WHERE (? = '' OR actor = ?) AND (? = '' OR action = ?) AND (? = 0 OR id < ?)
		ORDER BY id DESC LIMIT ?`, f.Actor, f.Actor, f.Action, f.Action, f.Before, f.Before, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		var e AuditEvent
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Role, &e.Action, &e.Target, &e.Outcome, &e.Status, &e.Detail,
			&e.Address, &e.RequestID); err != nil {
			return nil, fmt.Errorf("scan audit entry: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// clip bounds a string to n runes, keeping it valid UTF-8.
func clip(s string, n int) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // replaces invalid bytes with U+FFFD
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
