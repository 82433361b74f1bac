package analytics

import (
	"context"
	"database/sql"
	"fmt"
)

// currentOrder is the rule of the current_observations view (migration 1):
// among confirmed figures of an (org, year, indicator), an analyst's manual
// entry before a bureau's upload before an extracted figure before sample
// data, then the most recently loaded, then the source id.
const currentOrder = `CASE method WHEN 'manual' THEN 1 WHEN 'upload' THEN 2 WHEN 'extracted' THEN 3 ELSE 4 END,
	updated_at DESC, source_id`

// currentOrderO is currentOrder on observations aliased o, for joins.
const currentOrderO = `CASE o.method WHEN 'manual' THEN 1 WHEN 'upload' THEN 2 WHEN 'extracted' THEN 3 ELSE 4 END,
	o.updated_at DESC, o.source_id`

// current is current_observations restricted by where, a condition on its
// partition keys (org_code, year, indicator_code) only, so that the result
// is the same as filtering the view. The filter is applied before the
// window: DuckDB does not push it through the view's QUALIFY, and on a
// warehouse of millions of figures ranking every one of them for each page
// costs hundreds of milliseconds.
func current(where string) string {
	return `(SELECT * FROM observations WHERE status = 'confirmed' AND (` + where + `)
		QUALIFY row_number() OVER (PARTITION BY org_code, year, indicator_code ORDER BY ` + currentOrder + `) = 1)`
}

// refreshCurrent recomputes, inside a batch's transaction, the rows of
// current_figures (migration 4) for every (org, year, indicator) the batch
// adds or changes: the figure that counts may now come from the batch, or,
// when the batch changed a figure's status, from another source, or be
// none. It reads the integer-staged rows (see decodeStaged) and decodes
// only the distinct keys.
func refreshCurrent(ctx context.Context, tx *sql.Tx) error {
	return refreshCurrentKeys(ctx, tx, `SELECT DISTINCT d_org.v AS org_code, r.year, d_ind.v AS indicator_code
		FROM temp.stage_classified r JOIN temp.d_org ON d_org.i = r.org JOIN temp.d_ind ON d_ind.i = r.ind
		WHERE r.effect <> 'unchanged'`)
}

// refreshCurrentFor does the same for the keys of figures changed one by
// one (a review decision, a rollback): every writer of observations keeps
// current_figures equal to current_observations in its own transaction.
func refreshCurrentFor(ctx context.Context, tx *sql.Tx, keys []figureKey) error {
	if len(keys) == 0 {
		return nil
	}
	orgs, years, inds := make([]string, len(keys)), make([]int32, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		orgs[i], years[i], inds[i] = k.org, int32(k.year), k.indicator
	}
	return refreshCurrentKeys(ctx, tx, `SELECT unnest(?::VARCHAR[]) AS org_code, unnest(?::INTEGER[]) AS year,
		unnest(?::VARCHAR[]) AS indicator_code`, orgs, years, inds)
}

// figureKey is what current_figures keeps one row per.
type figureKey struct {
	org       string
	year      int
	indicator string
}

// refreshCurrentKeys recomputes current_figures for the keys keysSQL selects
// (columns org_code, year, indicator_code).
func refreshCurrentKeys(ctx context.Context, tx *sql.Tx, keysSQL string, args ...any) error {
	// The keys are computed once into a temporary table of the transaction's
	// connection: both statements below join on them.
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE refresh_keys AS `+keysSQL, args...); err != nil {
		return fmt.Errorf("refresh current figures: %w", err)
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.refresh_keys`)
	if _, err := tx.ExecContext(ctx, `DELETE FROM current_figures c USING temp.refresh_keys s
		WHERE c.org_code = s.org_code AND c.year = s.year AND c.indicator_code = s.indicator_code`); err != nil {
		return fmt.Errorf("refresh current figures: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO current_figures
		SELECT o.indicator_code, o.year, o.org_code, o.value, o.method, o.source_id
		FROM observations o
		JOIN temp.refresh_keys s ON s.org_code = o.org_code AND s.year = o.year AND s.indicator_code = o.indicator_code
		WHERE o.status = 'confirmed'
		QUALIFY row_number() OVER (PARTITION BY o.org_code, o.year, o.indicator_code ORDER BY `+currentOrderO+`) = 1
		ORDER BY o.year, o.indicator_code, o.org_code`); err != nil {
		return fmt.Errorf("refresh current figures: %w", err)
	}
	return nil
}

// CurrentDrift compares current_figures with the current_observations rule
// it materialises: rows it has that the rule does not give (extra), and
// rows the rule gives that it lacks (missing). Both are zero unless a
// writer forgot to refresh it; integrity checks and tests ask.
func (w *Warehouse) CurrentDrift(ctx context.Context) (extra, missing int, err error) {
	cols := `indicator_code, year, org_code, value, method, source_id`
	err = w.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM (SELECT `+cols+` FROM current_figures EXCEPT ALL SELECT `+cols+` FROM current_observations)),
		(SELECT count(*) FROM (SELECT `+cols+` FROM current_observations EXCEPT ALL SELECT `+cols+` FROM current_figures))`).
		Scan(&extra, &missing)
	if err != nil {
		return 0, 0, fmt.Errorf("compare current figures with the rule: %w", err)
	}
	return extra, missing, nil
}
