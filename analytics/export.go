package analytics

import (
	"context"
	"fmt"
)

// figureColumns are the columns scanFigure reads, from observations o
// (with a boolean column "counts"), orgs g, sources s and batches b.
const figureColumns = `o.org_code, o.year, o.indicator_code, o.value, o.unit, o.qualifier, o.status, o.method,
	o.source_id, o.batch_id, o.quote, o.location, o.note,
	g.full_name, s.file_name, coalesce(s.title, ''), coalesce(s.url, ''),
	coalesce(b.created_by, ''), coalesce(b.created_at, o.updated_at), o.counts`

func scanFigure(sc scanner) (Figure, error) {
	var x Figure
	o := &x.Observation
	err := sc.Scan(&o.OrgCode, &o.Year, &o.IndicatorCode, &o.Value, &o.Unit, &o.Qualifier, &o.Status,
		&o.Method, &o.SourceID, &o.BatchID, &o.Quote, &o.Location, &o.Note,
		&x.OrgName, &x.SourceFile, &x.SourceTitle, &x.SourceURL, &x.LoadedBy, &x.LoadedAt, &x.Counts)
	return x, err
}

// EachFigure streams the stored figures matching f (every status unless
// f.HideUnconfirmed, with their provenance and whether each counts) to fn, in the order of Figures,
// without holding them in memory: exports of hundreds of thousands of rows
// go this way. f.Limit, when set, caps the rows.
func (w *Warehouse) EachFigure(ctx context.Context, f FigureFilter, fn func(Figure) error) error {
	limit := int64(f.Limit)
	if limit <= 0 {
		limit = 1 << 62
	}
	// Whether a figure counts is read from current_figures, filtered the
	// same way: cheaper than ranking every candidate again.
	rows, err := w.db.QueryContext(ctx, `WITH o AS (
			SELECT o.*, c.org_code IS NOT NULL AS counts
			FROM observations o
			LEFT JOIN (SELECT org_code, year, indicator_code, source_id FROM current_figures
				WHERE (? = '' OR org_code = ?) AND (? = 0 OR year = ?) AND (? = '' OR indicator_code = ?)) c
				USING (org_code, year, indicator_code, source_id)
			WHERE (? = '' OR o.org_code = ?) AND (? = 0 OR o.year = ?) AND (? = '' OR o.indicator_code = ?)
			AND (o.status = 'confirmed' OR NOT ? OR list_contains(?::VARCHAR[], o.org_code))
		)
		SELECT `+figureColumns+`
		FROM o JOIN orgs g ON g.code = o.org_code
		JOIN sources s ON s.id = o.source_id
		LEFT JOIN batches b ON b.id = o.batch_id
		ORDER BY o.org_code, o.year DESC, o.indicator_code, NOT o.counts, o.updated_at DESC
		LIMIT ?`, f.Org, f.Org, f.Year, f.Year, f.Indicator, f.Indicator,
		f.Org, f.Org, f.Year, f.Year, f.Indicator, f.Indicator, f.HideUnconfirmed, strs(f.UnconfirmedOrgs), limit)
	if err != nil {
		return fmt.Errorf("export figures %+v: %w", f, err)
	}
	return eachFigure(rows, fn)
}

// ProvenanceFilter selects the figures that count behind a view.
type ProvenanceFilter struct {
	Scope
	Years      []int    // all years when empty
	Indicators []string // all indicators when empty
}

// EachProvenance streams the figures that count for the bureaus, years and
// indicators of a view, each with its source, quote, location, method and
// batch: what a view's numbers rest on. Ordered by bureau, year, indicator.
func (w *Warehouse) EachProvenance(ctx context.Context, f ProvenanceFilter, fn func(Figure) error) error {
	args := append(f.Scope.args(), int32s(f.Years), int32s(f.Years), strs(f.Indicators), strs(f.Indicators))
	rows, err := w.db.QueryContext(ctx, scopeCTE+`,
		o AS (
			SELECT c.*, true AS counts FROM `+current(`org_code IN (SELECT code FROM scope)
				AND (len(?::INTEGER[]) = 0 OR list_contains(?::INTEGER[], year))
				AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], indicator_code))`)+` c
		)
		SELECT `+figureColumns+`
		FROM o JOIN orgs g ON g.code = o.org_code
		JOIN sources s ON s.id = o.source_id
		LEFT JOIN batches b ON b.id = o.batch_id
		JOIN indicators i ON i.code = o.indicator_code
		ORDER BY g.parent_code, o.org_code, o.year DESC, i.position`, args...)
	if err != nil {
		return fmt.Errorf("provenance of %+v: %w", f, err)
	}
	return eachFigure(rows, fn)
}

type rowsScanner interface {
	scanner
	Next() bool
	Err() error
	Close() error
}

func eachFigure(rows rowsScanner, fn func(Figure) error) error {
	defer rows.Close()
	for rows.Next() {
		x, err := scanFigure(rows)
		if err != nil {
			return fmt.Errorf("scan figure: %w", err)
		}
		if err := fn(x); err != nil {
			return err
		}
	}
	return rows.Err()
}
