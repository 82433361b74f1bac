package analytics

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
