package analytics

import (
	"context"
	"fmt"
	"math"

	"fazhi"
)

// Normalisations put indicators of different units on one 0–100 scale.
const (
	// NormMinMax scores 100 × (v − worst) / (best − worst) within the group.
	NormMinMax = "minmax"
	// NormPercentile scores the share of the other bureaus of the group that
	// a bureau does at least as well as, × 100.
	NormPercentile = "percentile"
)

// NormLabel is the Chinese name of a normalisation.
func NormLabel(norm string) string {
	if norm == NormPercentile {
		return "百分位"
	}
	return "最小—最大"
}

// ScoreFilter selects the figures to normalise: one year, a scope, and
// optionally some indicators (all scored ones when empty).
type ScoreFilter struct {
	Year       int
	Norm       string // NormMinMax (default) or NormPercentile
	Indicators []string
	Scope
}

// Score is a bureau's confirmed value of an indicator and its normalised
// score, NaN when it cannot be compared (only one bureau of the group
// reported the indicator).
type Score struct {
	Value float64
	Score float64
}

// ScoreMatrix holds the normalised scores of a group of bureaus:
// Cells[org][indicator]. A bureau that did not report an indicator has no
// cell: missing is never zero.
type ScoreMatrix struct {
	Year  int
	Norm  string
	Cells map[string]map[string]Score
}

// Scores normalises, per indicator, the confirmed values of the bureaus of
// a scope for one year, respecting polarity: the best value scores 100
// whether it is the highest (higher is better) or the lowest (lower is
// better). Neutral indicators are volumes, not merits, and are not scored.
// When every bureau has the same value, all score 100.
func (w *Warehouse) Scores(ctx context.Context, f ScoreFilter) (ScoreMatrix, error) {
	if f.Norm == "" {
		f.Norm = NormMinMax
	}
	m := ScoreMatrix{Year: f.Year, Norm: f.Norm, Cells: map[string]map[string]Score{}}
	if f.Norm != NormMinMax && f.Norm != NormPercentile {
		return m, fazhi.Errorf(fazhi.EINVALID, "标准化方法 %q 无效（可选 minmax、percentile）", f.Norm)
	}
	args := append(f.Scope.args(), f.Year, strs(f.Indicators), strs(f.Indicators), f.Norm)
	rows, err := w.db.QueryContext(ctx, scopeCTE+`,
		v AS (
			SELECT c.org_code, c.indicator_code, c.value,
				CASE WHEN i.polarity = 'lower' THEN -c.value ELSE c.value END AS good
			FROM current_figures c JOIN indicators i ON i.code = c.indicator_code
			WHERE c.year = ? AND c.org_code IN (SELECT code FROM scope)
			AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], c.indicator_code))
			AND i.polarity <> 'neutral'
		)
		SELECT org_code, indicator_code, value,
			CASE WHEN count(*) OVER ind < 2 THEN NULL
				WHEN ? = 'percentile' THEN
					100 * (round(cume_dist() OVER (PARTITION BY indicator_code ORDER BY good) * count(*) OVER ind) - 1)
						/ (count(*) OVER ind - 1)
				WHEN max(good) OVER ind = min(good) OVER ind THEN 100
				ELSE 100 * (good - min(good) OVER ind) / (max(good) OVER ind - min(good) OVER ind)
			END
		FROM v
		WINDOW ind AS (PARTITION BY indicator_code)`, args...)
	if err != nil {
		return m, fmt.Errorf("score indicators of %d: %w", f.Year, err)
	}
	defer rows.Close()
	for rows.Next() {
		var org, ind string
		var s Score
		var score *float64
		if err := rows.Scan(&org, &ind, &s.Value, &score); err != nil {
			return m, fmt.Errorf("scan score: %w", err)
		}
		s.Score = math.NaN()
		if score != nil {
			s.Score = *score
		}
		if m.Cells[org] == nil {
			m.Cells[org] = map[string]Score{}
		}
		m.Cells[org][ind] = s
	}
	return m, rows.Err()
}

// Scored lists the indicators of the catalogue that score (higher or lower
// is better), in catalogue order.
func Scored(cat *fazhi.Catalog) []fazhi.Indicator {
	var out []fazhi.Indicator
	for _, ind := range cat.Indicators {
		if ind.Polarity != fazhi.PolarityNeutral {
			out = append(out, ind)
		}
	}
	return out
}
