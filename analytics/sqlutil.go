package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// execer is what *sql.DB, *sql.Conn and *sql.Tx share.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// querier is a *sql.DB or a *sql.Tx, for queries that run in or out of a
// transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// insertRows writes small reference rows (catalogue, orgs, sources) with one
// multi-row statement per chunk. Observations never go this way: they are
// bulk-loaded through the Appender (see load.go).
func insertRows(ctx context.Context, ex execer, verb, table string, cols []string, rows [][]any, suffix string) error {
	const chunk = 200
	for start := 0; start < len(rows); start += chunk {
		end := min(start+chunk, len(rows))
		var b strings.Builder
		fmt.Fprintf(&b, "%s INTO %s (%s) VALUES ", verb, table, strings.Join(cols, ", "))
		tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		args := make([]any, 0, (end-start)*len(cols))
		for i, row := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = append(args, row...)
		}
		b.WriteString(" ")
		b.WriteString(suffix)
		if _, err := ex.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// nullIfEmpty stores "" as NULL for optional columns.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
