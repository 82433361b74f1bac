package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// appendTemp creates (or replaces) a temporary table of this connection and
// bulk-appends rows to it with the Appender: fill calls add once per row,
// in column order, so that a caller streams its rows without first
// building them all as [][]driver.Value (a million-row import would hold
// them twice). Temporary tables are private to the connection and vanish
// with it, so a crash mid-load leaves nothing.
func appendTemp(ctx context.Context, conn *sql.Conn, table, columns string, fill func(add func(row ...driver.Value) error) error) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+table+` (`+columns+`)`); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", table)
		if err != nil {
			return err
		}
		n := 0
		add := func(row ...driver.Value) error {
			n++
			if err := app.AppendRow(row...); err != nil {
				return fmt.Errorf("append row %d: %w", n, err)
			}
			return nil
		}
		if err := fill(add); err != nil {
			app.Close()
			return err
		}
		return app.Close()
	})
}
