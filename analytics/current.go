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

// refreshCurrent brings current_figures (migration 4) up to date, inside a
// batch's transaction, for every (org, year, indicator) the batch adds or
// changes. It reads the integer-staged rows (see decodeStaged) and sorts
// their keys in two:
//
//   - a key whose only change is one new confirmed figure, and that has no
//     figure that counts yet, now counts that figure: it is inserted as it
//     is, without ranking anything. A first load of a year's or a bureau's
//     figures — a million of them for a history import — is all such keys.
//   - any other key (a changed figure, whose status may have changed too; a
//     second confirmed figure beside one that counts; several in one batch)
//     is recomputed by the rule from every stored figure of the key.
//
// A key whose new figures are all pending or rejected keeps what counts.
func refreshCurrent(ctx context.Context, tx *sql.Tx, d *dictionaries) error {
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE refresh_plan AS
		SELECT d_org.v AS org_code, k.year, d_ind.v AS indicator_code, d_org.rank AS org_rank, d_ind.rank AS ind_rank,
			k.updated = 0 AND k.confirmed_new = 1 AND c.org_code IS NULL AS first,
			k.value, k.kind, k.src
		FROM (SELECT org, year, ind, count(*) FILTER (WHERE effect = 'updated') AS updated,
				count(*) FILTER (WHERE counts) AS confirmed_new,
				-- the one new confirmed figure, when there is one
				max(value) FILTER (WHERE counts) AS value, max(kind) FILTER (WHERE counts) AS kind,
				max(src) FILTER (WHERE counts) AS src
			FROM (SELECT *, effect = 'new' AND list_contains($1::INTEGER[], kind) AS counts
				FROM temp.stage_effects WHERE effect <> 'unchanged')
			GROUP BY org, year, ind) k
		JOIN temp.d_org ON d_org.i = k.org JOIN temp.d_ind ON d_ind.i = k.ind
		LEFT JOIN current_figures c ON c.org_code = d_org.v AND c.year = k.year AND c.indicator_code = d_ind.v
		WHERE k.updated > 0 OR k.confirmed_new > 0`, d.confirmedKinds()); err != nil {
		return fmt.Errorf("refresh current figures: plan: %w", err)
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.refresh_plan`)
	// Sorted by the ranks of the codes: the same order as by the codes
	// (see migration 4), at the cost of sorting integers.
	if _, err := tx.ExecContext(ctx, `INSERT INTO current_figures
		SELECT p.indicator_code, p.year, p.org_code, p.value, d_kind.method, d_src.v
		FROM temp.refresh_plan p JOIN temp.d_kind ON d_kind.i = p.kind JOIN temp.d_src ON d_src.i = p.src
		WHERE p.first
		ORDER BY p.year, p.ind_rank, p.org_rank`); err != nil {
		return fmt.Errorf("refresh current figures: first figures: %w", err)
	}
	return refreshCurrentKeys(ctx, tx, `SELECT org_code, year, indicator_code FROM temp.refresh_plan WHERE NOT first`)
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
	// Both statements scan their whole table, even for no keys at all.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM temp.refresh_keys`).Scan(&n); err != nil {
		return fmt.Errorf("refresh current figures: %w", err)
	}
	if n == 0 {
		return nil
	}
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
