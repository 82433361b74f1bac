package analytics

import (
	"context"
	"fmt"
	"time"

	"fazhi"
)

// Figure is a stored observation with everything needed to trace it: the
// source document or file, the batch that loaded it, who and when.
type Figure struct {
	fazhi.Observation
	OrgName     string
	SourceFile  string
	SourceTitle string
	SourceURL   string
	LoadedBy    string
	LoadedAt    time.Time
	// Counts is true for the figure that counts for its (org, year,
	// indicator) under the rule of current_observations.
	Counts bool
}

// FigureFilter selects figures; empty fields match everything.
type FigureFilter struct {
	Org       string
	Year      int
	Indicator string
	Limit     int // default 500
	// HideUnconfirmed leaves out pending and rejected figures, except those
	// of UnconfirmedOrgs: a viewer sees only what counts, a reporter also
	// its own org's figures under review.
	HideUnconfirmed bool
	UnconfirmedOrgs []string
}

// Figures lists stored figures with their provenance, those that count first.
func (w *Warehouse) Figures(ctx context.Context, f FigureFilter) ([]Figure, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	rows, err := w.db.QueryContext(ctx, `
		SELECT o.org_code, o.year, o.indicator_code, o.value, o.unit, o.qualifier, o.status, o.method,
			o.source_id, o.batch_id, o.quote, o.location, o.note,
			g.full_name, s.file_name, coalesce(s.title, ''), coalesce(s.url, ''),
			coalesce(b.created_by, ''), coalesce(b.created_at, o.updated_at),
			c.org_code IS NOT NULL
		FROM observations o
		JOIN orgs g ON g.code = o.org_code
		JOIN sources s ON s.id = o.source_id
		LEFT JOIN batches b ON b.id = o.batch_id
		LEFT JOIN current_observations c USING (org_code, year, indicator_code, source_id)
		WHERE (? = '' OR o.org_code = ?) AND (? = 0 OR o.year = ?) AND (? = '' OR o.indicator_code = ?)
		AND (o.status = 'confirmed' OR NOT ? OR list_contains(?::VARCHAR[], o.org_code))
		ORDER BY o.org_code, o.year DESC, o.indicator_code, c.org_code IS NULL, o.updated_at DESC
		LIMIT ?`, f.Org, f.Org, f.Year, f.Year, f.Indicator, f.Indicator, f.HideUnconfirmed, strs(f.UnconfirmedOrgs), f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list figures %+v: %w", f, err)
	}
	defer rows.Close()
	var out []Figure
	for rows.Next() {
		var x Figure
		o := &x.Observation
		if err := rows.Scan(&o.OrgCode, &o.Year, &o.IndicatorCode, &o.Value, &o.Unit, &o.Qualifier, &o.Status,
			&o.Method, &o.SourceID, &o.BatchID, &o.Quote, &o.Location, &o.Note,
			&x.OrgName, &x.SourceFile, &x.SourceTitle, &x.SourceURL, &x.LoadedBy, &x.LoadedAt, &x.Counts); err != nil {
			return nil, fmt.Errorf("scan figure: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
