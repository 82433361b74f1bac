package analytics

import (
	"context"
	"database/sql"
	"fmt"

	"fazhi"
)

// Coverage states of a (bureau, indicator) for a year.
const (
	CoverageReported = "reported" // a confirmed figure counts
	CoveragePending  = "pending"  // only figures waiting for review
	CoverageMissing  = "missing"  // nothing (or only rejected figures)
)

// BureauCoverage is what one bureau reported for a year.
type BureauCoverage struct {
	Org fazhi.Org
	// Status maps indicator codes to CoverageReported or CoveragePending;
	// an indicator not in the map is missing.
	Status            map[string]string
	Reported, Pending int
}

// StatusOf is the coverage state of one indicator.
func (b BureauCoverage) StatusOf(indicator string) string {
	if s, ok := b.Status[indicator]; ok {
		return s
	}
	return CoverageMissing
}

// Silent is true for a bureau with no figure at all for the year, not even
// a pending one.
func (b BureauCoverage) Silent() bool { return b.Reported+b.Pending == 0 }

// Coverage says, for every bureau of a scope, which catalogue indicators it
// reported for a year, which wait for review and which are missing.
// Bureaus are ordered by region and code.
func (w *Warehouse) Coverage(ctx context.Context, year int, s Scope) ([]BureauCoverage, error) {
	args := append(s.args(), year)
	rows, err := w.db.QueryContext(ctx, scopeCTE+`,
		st AS (
			SELECT o.org_code, o.indicator_code, bool_or(o.status = 'confirmed') AS confirmed
			FROM observations o SEMI JOIN scope s ON s.code = o.org_code
			WHERE o.year = ? AND o.status IN ('confirmed', 'pending')
			GROUP BY ALL
		)
		SELECT s.code, s.full_name, s.region, s.bureau_type, st.indicator_code, st.confirmed
		FROM scope s LEFT JOIN st ON st.org_code = s.code
		ORDER BY s.region, s.code`, args...)
	if err != nil {
		return nil, fmt.Errorf("coverage of %d: %w", year, err)
	}
	defer rows.Close()
	var out []BureauCoverage
	for rows.Next() {
		var o fazhi.Org
		var ind sql.NullString
		var confirmed sql.NullBool
		if err := rows.Scan(&o.Code, &o.FullName, &o.Region, &o.BureauType, &ind, &confirmed); err != nil {
			return nil, fmt.Errorf("scan coverage: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].Org.Code != o.Code {
			o.Kind = fazhi.OrgBureau
			out = append(out, BureauCoverage{Org: o, Status: map[string]string{}})
		}
		b := &out[len(out)-1]
		if !ind.Valid {
			continue
		}
		if confirmed.Bool {
			b.Status[ind.String] = CoverageReported
			b.Reported++
		} else {
			b.Status[ind.String] = CoveragePending
			b.Pending++
		}
	}
	return out, rows.Err()
}
