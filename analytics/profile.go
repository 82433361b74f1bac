package analytics

import (
	"context"
	"fmt"
	"time"

	"fazhi"
)

// OrgPoint is one confirmed figure of a bureau.
type OrgPoint struct {
	Indicator string
	Year      int
	Value     float64
	Method    fazhi.Method
}

// OrgSeries returns every confirmed figure of one bureau, by indicator
// (catalogue order) and year.
func (w *Warehouse) OrgSeries(ctx context.Context, org string) ([]OrgPoint, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT c.indicator_code, c.year, c.value, c.method
		FROM current_figures c JOIN indicators i ON i.code = c.indicator_code
		WHERE c.org_code = ?
		ORDER BY i.position, c.year`, org)
	if err != nil {
		return nil, fmt.Errorf("series of %s: %w", org, err)
	}
	defer rows.Close()
	var out []OrgPoint
	for rows.Next() {
		var p OrgPoint
		if err := rows.Scan(&p.Indicator, &p.Year, &p.Value, &p.Method); err != nil {
			return nil, fmt.Errorf("scan series: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PeerRank places a bureau among the bureaus of its type (every 教育局) for
// one indicator and year.
type PeerRank struct {
	Rank   int     // 1 = best by polarity (largest first for neutral indicators)
	Of     int     // bureaus of the type that reported the indicator
	Median float64 // their median
}

// PeerRanks ranks a bureau among the bureaus of its bureau type, for every
// indicator it reported in a year. A bureau without a type has no peers.
func (w *Warehouse) PeerRanks(ctx context.Context, org string, year int) (map[string]PeerRank, error) {
	rows, err := w.db.QueryContext(ctx, `WITH peers AS (
			SELECT p.code FROM orgs p JOIN orgs o ON o.code = ?
			WHERE p.kind = 'bureau' AND p.bureau_type = o.bureau_type AND coalesce(o.bureau_type, '') <> ''
		),
		v AS (
			SELECT c.org_code, c.indicator_code, c.value, i.polarity
			FROM current_figures c JOIN indicators i ON i.code = c.indicator_code
			WHERE c.year = ? AND c.org_code IN (SELECT code FROM peers)
		),
		r AS (
			SELECT org_code, indicator_code,
				rank() OVER (PARTITION BY indicator_code ORDER BY CASE WHEN polarity = 'lower' THEN value ELSE -value END) AS rnk,
				count(*) OVER (PARTITION BY indicator_code) AS n,
				median(value) OVER (PARTITION BY indicator_code) AS med
			FROM v
		)
		SELECT indicator_code, rnk, n, med FROM r WHERE org_code = ?`, org, year, org)
	if err != nil {
		return nil, fmt.Errorf("peer ranks of %s in %d: %w", org, year, err)
	}
	defer rows.Close()
	out := map[string]PeerRank{}
	for rows.Next() {
		var ind string
		var r PeerRank
		if err := rows.Scan(&ind, &r.Rank, &r.Of, &r.Median); err != nil {
			return nil, fmt.Errorf("scan peer rank: %w", err)
		}
		out[ind] = r
	}
	return out, rows.Err()
}

// SourceUse is a source a bureau's figures come from.
type SourceUse struct {
	ID, FileName, Title string
	Figures, Counting   int // figures stored; of those, figures that count
	FirstYear, LastYear int
	AddedAt             time.Time
}

// OrgSources lists the sources of a bureau's stored figures, newest first.
func (w *Warehouse) OrgSources(ctx context.Context, org string) ([]SourceUse, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT s.id, s.file_name, coalesce(s.title, ''), count(*),
			count(c.org_code), min(o.year), max(o.year), s.added_at
		FROM observations o JOIN sources s ON s.id = o.source_id
		LEFT JOIN current_figures c USING (org_code, year, indicator_code, source_id)
		WHERE o.org_code = ?
		GROUP BY s.id, s.file_name, s.title, s.added_at
		ORDER BY max(o.year) DESC, s.added_at DESC`, org)
	if err != nil {
		return nil, fmt.Errorf("sources of %s: %w", org, err)
	}
	defer rows.Close()
	var out []SourceUse
	for rows.Next() {
		var s SourceUse
		if err := rows.Scan(&s.ID, &s.FileName, &s.Title, &s.Figures, &s.Counting, &s.FirstYear, &s.LastYear, &s.AddedAt); err != nil {
			return nil, fmt.Errorf("scan source use: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// BatchUse is a batch that brought figures of a bureau.
type BatchUse struct {
	fazhi.Batch
	Figures int // figures of this bureau last written by the batch
}

// OrgBatches lists the batches that last wrote a bureau's figures, newest first.
func (w *Warehouse) OrgBatches(ctx context.Context, org string) ([]BatchUse, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT b.id, b.created_by, b.created_at, b.method, b.status,
			coalesce(b.note, ''), b.total, b.new, b.updated, b.unchanged, count(*)
		FROM observations o JOIN batches b ON b.id = o.batch_id
		WHERE o.org_code = ?
		GROUP BY ALL ORDER BY b.created_at DESC`, org)
	if err != nil {
		return nil, fmt.Errorf("batches of %s: %w", org, err)
	}
	defer rows.Close()
	var out []BatchUse
	for rows.Next() {
		var b BatchUse
		if err := rows.Scan(&b.ID, &b.CreatedBy, &b.CreatedAt, &b.Method, &b.Status, &b.Note,
			&b.Total, &b.New, &b.Updated, &b.Unchanged, &b.Figures); err != nil {
			return nil, fmt.Errorf("scan batch use: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
