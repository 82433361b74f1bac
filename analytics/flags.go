package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"fazhi"
)

// Flag is a stored figure flagged for review: more than ten times, or less
// than a tenth of, the same org's figure of the previous year.
type Flag struct {
	BatchID   string    `json:"batch,omitempty"`
	OrgCode   string    `json:"org"`
	OrgName   string    `json:"org_name,omitempty"`
	Year      int       `json:"year"`
	Indicator string    `json:"indicator"`
	Value     float64   `json:"value"`
	Previous  float64   `json:"previous"` // the previous year's figure
	Location  string    `json:"location,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Ratio is the value over the previous year's.
func (f Flag) Ratio() float64 { return f.Value / f.Previous }

// jumpFactor is how far from last year's figure a value may move before it
// is flagged for review.
const jumpFactor = 10

// flagJumps records, inside the batch's transaction, the flags of the
// batch's new and changed figures. The previous year's figure is the one
// this batch states for the same source, else the one that counts now
// (current_figures, not yet refreshed: before the batch); years without
// one, or with zero, raise no flag. It returns the count and the first
// flags.
func flagJumps(ctx context.Context, tx *sql.Tx, b fazhi.Batch, d *dictionaries) (int, []Flag, error) {
	// Compared as integers; only the flagged rows are decoded.
	if _, err := tx.ExecContext(ctx, `INSERT INTO review_flags
		WITH stored AS (
			SELECT d_org.i AS org, d_ind.i AS ind, c.year, c.value
			FROM current_figures c JOIN temp.d_org ON d_org.v = c.org_code JOIN temp.d_ind ON d_ind.v = c.indicator_code
		), compared AS (
			-- A batch states a figure of a source once (checkStaged), so
			-- the staged previous year is at most one row.
			SELECT r.seq, r.value, coalesce(p.value, c.value) AS previous
			FROM temp.stage_effects r
			LEFT JOIN temp.stage_raw p ON p.org = r.org AND p.ind = r.ind AND p.src = r.src
				AND p.year = r.year - 1 AND list_contains(?::INTEGER[], p.kind)
			LEFT JOIN stored c ON c.org = r.org AND c.ind = r.ind AND c.year = r.year - 1
			WHERE r.effect <> 'unchanged'
		)
		SELECT ?, d_org.v, r.year, d_ind.v, d_src.v, r.value, j.previous, r.location, ?
		FROM compared j JOIN temp.stage_raw r ON r.seq = j.seq
		JOIN temp.d_org ON d_org.i = r.org JOIN temp.d_ind ON d_ind.i = r.ind JOIN temp.d_src ON d_src.i = r.src
		WHERE j.previous > 0 AND (j.value > ? * j.previous OR j.value < j.previous / ?)`,
		d.confirmedKinds(), b.ID, b.CreatedAt, jumpFactor, jumpFactor); err != nil {
		return 0, nil, fmt.Errorf("flag figures for review: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM review_flags WHERE batch_id = ?`, b.ID).Scan(&n); err != nil {
		return 0, nil, fmt.Errorf("count flags: %w", err)
	}
	flags, err := queryFlags(ctx, tx, FlagFilter{BatchID: b.ID, Limit: maxListedFlags})
	return n, flags, err
}

// maxListedFlags bounds the flags an import summary lists.
const maxListedFlags = 200

// FlagFilter selects flags; empty fields match everything.
type FlagFilter struct {
	BatchID   string
	CreatedBy string // flags of this user's batches (a reporter sees its own)
	Limit     int    // default 200
}

// Flags lists figures flagged for review, newest batch first, of batches
// still loaded.
func (w *Warehouse) Flags(ctx context.Context, f FlagFilter) ([]Flag, error) {
	return queryFlags(ctx, w.db, f)
}

func queryFlags(ctx context.Context, q querier, f FlagFilter) ([]Flag, error) {
	if f.Limit <= 0 {
		f.Limit = maxListedFlags
	}
	rows, err := q.QueryContext(ctx, `SELECT r.batch_id, r.org_code, coalesce(g.full_name, r.org_code), r.year,
			r.indicator_code, r.value, r.previous_value, r.location, r.created_at
		FROM review_flags r LEFT JOIN orgs g ON g.code = r.org_code
		WHERE (? = '' OR r.batch_id = ?)
		AND (? = '' OR r.batch_id IN (SELECT id FROM batches WHERE created_by = ?))
		ORDER BY r.created_at DESC, r.org_code, r.year, r.indicator_code
		LIMIT ?`, f.BatchID, f.BatchID, f.CreatedBy, f.CreatedBy, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list flags: %w", err)
	}
	defer rows.Close()
	var out []Flag
	for rows.Next() {
		var x Flag
		if err := rows.Scan(&x.BatchID, &x.OrgCode, &x.OrgName, &x.Year, &x.Indicator, &x.Value, &x.Previous,
			&x.Location, &x.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan flag: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
