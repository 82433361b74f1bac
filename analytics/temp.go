package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// appendTemp creates (or replaces) a temporary table of this connection and
// bulk-appends rows to it with the Appender. Temporary tables are private
// to the connection and vanish with it, so a crash mid-load leaves nothing.
func appendTemp(ctx context.Context, conn *sql.Conn, table, columns string, rows [][]driver.Value) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+table+` (`+columns+`)`); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", table)
		if err != nil {
			return err
		}
		for i, row := range rows {
			if err := app.AppendRow(row...); err != nil {
				app.Close()
				return fmt.Errorf("append row %d: %w", i+1, err)
			}
		}
		return app.Close()
	})
}
