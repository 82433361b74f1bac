package analytics

import (
	"context"
	"database/sql"
	"fmt"

	"fazhi"
)

// CompareFilter selects a ranking: one indicator, one year, a scope.
type CompareFilter struct {
	Year      int
	Indicator string
	Scope
}

// Ranked is one bureau of a ranking. Value is not valid for a bureau in
// scope that has no confirmed figure for the year: it is listed, unranked.
type Ranked struct {
	Org    fazhi.Org
	Value  sql.NullFloat64
	Method fazhi.Method
	Prev   sql.NullFloat64 // the previous year's confirmed value
	Rank   int             // 1 = best by the indicator's polarity; 0 when not reported
}

// Comparison ranks the bureaus of a scope for one indicator and year.
type Comparison struct {
	Rows      []Ranked        // reported bureaus best first, then those missing
	Median    sql.NullFloat64 // median of the reported values
	Reporters int
}

// Compare ranks the bureaus of a scope by their confirmed value of one
// indicator in one year; a lower-is-better indicator ranks its lowest value
// first, a neutral one its highest (a size, not a merit). Ties share a rank.
// Bureaus without a figure come last, unranked.
func (w *Warehouse) Compare(ctx context.Context, f CompareFilter) (Comparison, error) {
	var out Comparison
	ind, ok := w.catalog.Indicator(f.Indicator)
	if !ok {
		return out, fazhi.Errorf(fazhi.EINVALID, "没有代码为 %q 的指标", f.Indicator)
	}
	args := append(f.Scope.args(), f.Indicator, f.Year, f.Year-1, f.Year, f.Year-1, ind.Polarity)
	rows, err := w.db.QueryContext(ctx, scopeCTE+`,
		v AS (
			SELECT c.org_code, c.year, c.value, c.method
			FROM current_figures c
			WHERE c.indicator_code = ? AND c.year IN (?, ?) AND c.org_code IN (SELECT code FROM scope)
		),
		cur AS (SELECT * FROM v WHERE year = ?),
		prev AS (SELECT * FROM v WHERE year = ?)
		SELECT s.code, s.full_name, s.region, s.bureau_type, cur.value, coalesce(cur.method, ''), prev.value,
			CASE WHEN cur.value IS NOT NULL THEN rank() OVER (PARTITION BY cur.value IS NULL
				ORDER BY CASE WHEN ? = 'lower' THEN cur.value ELSE -cur.value END) ELSE 0 END AS rnk,
			median(cur.value) OVER (), count(cur.value) OVER ()
		FROM scope s LEFT JOIN cur ON cur.org_code = s.code LEFT JOIN prev ON prev.org_code = s.code
		ORDER BY cur.value IS NULL, rnk, s.code`, args...)
	if err != nil {
		return out, fmt.Errorf("compare %s in %d: %w", f.Indicator, f.Year, err)
	}
	defer rows.Close()
	for rows.Next() {
		r := Ranked{Org: fazhi.Org{Kind: fazhi.OrgBureau}}
		if err := rows.Scan(&r.Org.Code, &r.Org.FullName, &r.Org.Region, &r.Org.BureauType, &r.Value, &r.Method,
			&r.Prev, &r.Rank, &out.Median, &out.Reporters); err != nil {
			return out, fmt.Errorf("scan ranking: %w", err)
		}
		out.Rows = append(out.Rows, r)
	}
	return out, rows.Err()
}
