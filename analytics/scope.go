package analytics

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"fazhi"
)

// Scope selects the bureaus a view compares: those below a region (at any
// depth of the hierarchy), those of one bureau type (every 教育局), or an
// explicit list of codes. Empty fields select everything; fields combine
// with AND.
type Scope struct {
	Region     string   // org code of a province, city or district
	BureauType string   // e.g. 教育
	Orgs       []string // bureau codes
}

// scopeCTE defines the CTE "scope" (code, full_name, region, bureau_type) of
// the bureaus a Scope selects; the region hierarchy is walked with a
// recursive CTE so that a province finds the bureaus of its districts. It
// takes the arguments of Scope.args, and is followed by ", next AS (…)".
const scopeCTE = `WITH RECURSIVE below(code) AS (
	SELECT code FROM orgs WHERE code = ?
	UNION ALL
	SELECT o.code FROM orgs o JOIN below b ON o.parent_code = b.code
),
scope AS (
	SELECT o.code, o.full_name, coalesce(p.full_name, '') AS region, coalesce(o.bureau_type, '') AS bureau_type
	FROM orgs o LEFT JOIN orgs p ON p.code = o.parent_code
	WHERE o.kind = 'bureau'
	AND (? = '' OR o.code IN (SELECT code FROM below))
	AND (? = '' OR o.bureau_type = ?)
	AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], o.code))
)`

func (s Scope) args() []any {
	return []any{s.Region, s.Region, s.BureauType, s.BureauType, strs(s.Orgs), strs(s.Orgs)}
}

// Bureaus lists the bureaus of a scope, ordered by region and code.
func (w *Warehouse) Bureaus(ctx context.Context, s Scope) ([]fazhi.Org, error) {
	rows, err := w.db.QueryContext(ctx, scopeCTE+`
		SELECT `+orgSelect+`
		FROM scope s JOIN orgs o ON o.code = s.code LEFT JOIN orgs p ON p.code = o.parent_code
		ORDER BY o.parent_code, o.code`, s.args()...)
	if err != nil {
		return nil, fmt.Errorf("list bureaus of %+v: %w", s, err)
	}
	defer rows.Close()
	var out []fazhi.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("scan bureau: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// BureauTypes lists the bureau types present, for filter menus.
func (w *Warehouse) BureauTypes(ctx context.Context) ([]string, error) {
	return w.strings(ctx, `SELECT DISTINCT bureau_type FROM orgs
		WHERE kind = 'bureau' AND coalesce(bureau_type, '') <> '' ORDER BY bureau_type`)
}

// Regions lists the orgs that have bureaus below them (provinces, cities,
// districts), for filter menus, ordered by code.
func (w *Warehouse) Regions(ctx context.Context) ([]fazhi.Org, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT `+orgSelect+`
		FROM orgs o LEFT JOIN orgs p ON p.code = o.parent_code
		WHERE o.kind <> 'bureau' ORDER BY o.code`)
	if err != nil {
		return nil, fmt.Errorf("list regions: %w", err)
	}
	defer rows.Close()
	var out []fazhi.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("scan region: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (w *Warehouse) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := w.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// yearsCache keeps the years with confirmed figures until observations
// change: every page asks for them (the year menu, the default year), and
// on millions of figures the scan costs more than the rest of a page.
type yearsCache struct {
	mu    sync.Mutex
	key   uint64
	years []int
}

// Years lists the years with confirmed figures, ascending, recomputed only
// after a write to observations (see changed).
func (w *Warehouse) Years(ctx context.Context) ([]int, error) {
	key := w.generation.Load()
	c := &w.years
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key == key && c.years != nil {
		return slices.Clone(c.years), nil
	}
	rows, err := w.db.QueryContext(ctx, `SELECT DISTINCT year FROM observations WHERE status = 'confirmed' ORDER BY year`)
	if err != nil {
		return nil, fmt.Errorf("list years: %w", err)
	}
	defer rows.Close()
	out := []int{}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("scan year: %w", err)
		}
		out = append(out, y)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.key, c.years = key, out
	return slices.Clone(out), nil
}

// HasSample is true when any confirmed figure is generated sample data, so
// that pages say so (示例数据).
func (w *Warehouse) HasSample(ctx context.Context) (bool, error) {
	var b bool
	err := w.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM observations WHERE method = 'sample' AND status = 'confirmed')`).Scan(&b)
	if err != nil {
		return false, fmt.Errorf("look for sample data: %w", err)
	}
	return b, nil
}
