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
// current_figures (migration 3) for every (org, year, indicator) the batch
// staged: the figure that counts may now come from the batch, or, when the
// batch changed a figure's status, from another source, or be none.
func refreshCurrent(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM current_figures c USING temp.stage_observations s
		WHERE c.org_code = s.org_code AND c.year = s.year AND c.indicator_code = s.indicator_code`); err != nil {
		return fmt.Errorf("refresh current figures: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO current_figures
		SELECT o.indicator_code, o.year, o.org_code, o.value, o.method, o.source_id
		FROM observations o
		SEMI JOIN (SELECT DISTINCT org_code, year, indicator_code FROM temp.stage_observations) k
			USING (org_code, year, indicator_code)
		WHERE o.status = 'confirmed'
		QUALIFY row_number() OVER (PARTITION BY o.org_code, o.year, o.indicator_code ORDER BY `+currentOrder+`) = 1
		ORDER BY o.year, o.indicator_code, o.org_code`); err != nil {
		return fmt.Errorf("refresh current figures: %w", err)
	}
	return nil
}
