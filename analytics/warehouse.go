// Package analytics is the DuckDB warehouse: its schema as ordered
// migrations, atomic batch loading, and every query the dashboards ask. It is
// the only package that speaks SQL.
package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"fazhi"
)

// Warehouse is an open DuckDB file with the fazhi schema.
type Warehouse struct {
	db      *sql.DB
	path    string
	catalog *fazhi.Catalog
	loadMu  sync.Mutex // one batch at a time (see LoadBatch)
	authMu  sync.Mutex // accounts, sessions, tokens: their checks and writes (see users.go)
	years   yearsCache // see Years
	// generation counts committed writes to observations. This process
	// is the file's only writer, so caches keyed by it are never stale.
	generation atomic.Uint64
}

// Open opens (creating it and its folder when missing) the DuckDB file at
// path, applies pending migrations and syncs the indicator catalogue. Only
// one process can hold a DuckDB file for writing: if another one does, Open
// says so instead of returning DuckDB's lock error.
func Open(ctx context.Context, path string, cat *fazhi.Catalog) (*Warehouse, error) {
	if path == "" {
		return nil, fazhi.Errorf(fazhi.EINVALID, "no database path given")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database folder %s: %w", dir, err)
		}
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, openError(path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	w := &Warehouse{db: db, path: path, catalog: cat}
	if err := w.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := w.syncCatalog(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sync catalogue into %s: %w", path, err)
	}
	return w, nil
}

// Close checkpoints and closes the file.
func (w *Warehouse) Close() error {
	if _, err := w.db.Exec("CHECKPOINT"); err != nil {
		w.db.Close()
		return fmt.Errorf("checkpoint %s: %w", w.path, err)
	}
	return w.db.Close()
}

// Path is the database file.
func (w *Warehouse) Path() string { return w.path }

// Catalog is the indicator catalogue the warehouse was opened with.
func (w *Warehouse) Catalog() *fazhi.Catalog { return w.catalog }

// Ping checks that the database answers a query.
func (w *Warehouse) Ping(ctx context.Context) error {
	var one int
	if err := w.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping %s: %w", w.path, err)
	}
	return nil
}

var lockHolder = regexp.MustCompile(`\(PID (\d+)\)`)

// openError turns DuckDB's lock error into one that tells the user what to
// do: only one process may hold the file for writing.
func openError(path string, err error) error {
	msg := err.Error()
	if !strings.Contains(msg, "Could not set lock") {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	holder := "another fazhi process"
	if m := lockHolder.FindStringSubmatch(msg); m != nil {
		holder += " (PID " + m[1] + ")"
	}
	return fazhi.Errorf(fazhi.ECONFLICT, "database %s is held by %s, probably `fazhi serve`: "+
		"stop it first, or send the data through the running server's API", path, holder)
}

// changed marks a committed write to observations.
func (w *Warehouse) changed() { w.generation.Add(1) }
