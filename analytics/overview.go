package analytics

import (
	"context"
	"database/sql"
	"fmt"

	"fazhi"
)

// Summary describes what the warehouse holds, for page headers.
type Summary struct {
	Bureaus      int   // bureaus with at least one confirmed figure
	Years        []int // years with confirmed figures, ascending
	Observations int   // confirmed figures
	Pending      int   // figures waiting for review
	SampleShare  float64
	LatestYear   int
}

// HasSample is true when any figure shown is generated sample data.
func (s Summary) HasSample() bool { return s.SampleShare > 0 }

// Summary counts what the dashboards can show.
func (w *Warehouse) Summary(ctx context.Context) (Summary, error) {
	var s Summary
	err := w.db.QueryRowContext(ctx, `SELECT
			count(DISTINCT org_code) FILTER (WHERE status = 'confirmed'),
			count(*) FILTER (WHERE status = 'confirmed'),
			count(*) FILTER (WHERE status = 'pending'),
			coalesce(avg(CASE WHEN method = 'sample' THEN 1.0 ELSE 0.0 END) FILTER (WHERE status = 'confirmed'), 0)
		FROM observations`).Scan(&s.Bureaus, &s.Observations, &s.Pending, &s.SampleShare)
	if err != nil {
		return s, fmt.Errorf("summarise warehouse: %w", err)
	}
	rows, err := w.db.QueryContext(ctx, `SELECT DISTINCT year FROM observations WHERE status = 'confirmed' ORDER BY year`)
	if err != nil {
		return s, fmt.Errorf("list years: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return s, fmt.Errorf("scan year: %w", err)
		}
		s.Years = append(s.Years, y)
	}
	if n := len(s.Years); n > 0 {
		s.LatestYear = s.Years[n-1]
	}
	return s, rows.Err()
}

// Aggregate is an indicator's value over all bureaus for one year.
type Aggregate struct {
	Indicator string
	Year      int
	Value     sql.NullFloat64 // sum, or a rate recomputed from summed parts
	Reporters int             // bureaus that reported the indicator itself
}

// Aggregates returns, for each catalogue indicator, its aggregate over
// bureaus in each of the given years. Counts and amounts are summed; a rate
// is 100 × Σnumerator / Σdenominator over the bureaus that reported both,
// never an average of rates.
func (w *Warehouse) Aggregates(ctx context.Context, years ...int) (map[string]map[int]Aggregate, error) {
	out := map[string]map[int]Aggregate{}
	if len(years) == 0 {
		return out, nil
	}
	put := func(a Aggregate) {
		if out[a.Indicator] == nil {
			out[a.Indicator] = map[int]Aggregate{}
		}
		out[a.Indicator][a.Year] = a
	}
	rows, err := w.db.QueryContext(ctx, `
		WITH cur AS (
			SELECT c.org_code, c.year, c.indicator_code, c.value
			FROM current_observations c JOIN orgs o ON o.code = c.org_code AND o.kind = 'bureau'
			WHERE list_contains(?::INTEGER[], c.year)
		),
		sums AS (
			SELECT indicator_code, year, sum(value) AS total, count(*) AS reporters FROM cur GROUP BY ALL
		),
		ratios AS (
			SELECT i.code AS indicator_code, n.year, 100 * sum(n.value) / nullif(sum(d.value), 0) AS rate
			FROM indicators i
			JOIN cur n ON n.indicator_code = i.numerator
			JOIN cur d ON d.indicator_code = i.denominator AND d.org_code = n.org_code AND d.year = n.year
			WHERE i.kind = 'rate'
			GROUP BY ALL
		)
		SELECT i.code, s.year, CASE WHEN i.kind = 'rate' THEN r.rate ELSE s.total END, s.reporters
		FROM indicators i
		JOIN sums s ON s.indicator_code = i.code
		LEFT JOIN ratios r ON r.indicator_code = i.code AND r.year = s.year`, int32s(years))
	if err != nil {
		return nil, fmt.Errorf("aggregate indicators for %v: %w", years, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Aggregate
		if err := rows.Scan(&a.Indicator, &a.Year, &a.Value, &a.Reporters); err != nil {
			return nil, fmt.Errorf("scan aggregate: %w", err)
		}
		put(a)
	}
	return out, rows.Err()
}

// Point is one bureau's confirmed value of an indicator in one year.
type Point struct {
	OrgCode string
	Year    int
	Value   float64
	Method  fazhi.Method
}

// Series returns the confirmed values of an indicator for every bureau
// (or only those in orgs, when given), ordered by org and year. Missing
// years are simply absent: callers draw gaps, never zeros.
func (w *Warehouse) Series(ctx context.Context, indicator string, orgs ...string) ([]Point, error) {
	rows, err := w.db.QueryContext(ctx, `
		SELECT c.org_code, c.year, c.value, c.method
		FROM current_observations c JOIN orgs o ON o.code = c.org_code AND o.kind = 'bureau'
		WHERE c.indicator_code = ? AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], c.org_code))
		ORDER BY c.org_code, c.year`, indicator, strs(orgs), strs(orgs))
	if err != nil {
		return nil, fmt.Errorf("series of %s: %w", indicator, err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var p Point
		if err := rows.Scan(&p.OrgCode, &p.Year, &p.Value, &p.Method); err != nil {
			return nil, fmt.Errorf("scan point: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// IsEmpty is true for a warehouse that has never loaded a batch.
func (w *Warehouse) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := w.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM batches) + (SELECT count(*) FROM observations)`).Scan(&n); err != nil {
		return false, fmt.Errorf("check for data: %w", err)
	}
	return n == 0, nil
}
