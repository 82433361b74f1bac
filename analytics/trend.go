package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"fazhi"
)

// TrendPoint is a bureau's confirmed value in one year and the value of the
// year before, when that year was reported: a change is only ever computed
// between consecutive years, never across a gap.
type TrendPoint struct {
	Year   int
	Value  float64
	Method fazhi.Method
	Prev   sql.NullFloat64
}

// Change is the change against the previous year, absolute and in per cent
// (the latter not valid when the previous value is zero or absent).
func (p TrendPoint) Change() (abs, pct sql.NullFloat64) {
	if !p.Prev.Valid {
		return abs, pct
	}
	abs = sql.NullFloat64{Float64: p.Value - p.Prev.Float64, Valid: true}
	if p.Prev.Float64 != 0 {
		pct = sql.NullFloat64{Float64: 100 * (p.Value - p.Prev.Float64) / math.Abs(p.Prev.Float64), Valid: true}
	}
	return abs, pct
}

// TrendLine is one bureau's series, ascending by year; missing years are
// absent.
type TrendLine struct {
	Org    fazhi.Org
	Points []TrendPoint
}

// At is the line's point of year, if it has one.
func (l TrendLine) At(year int) (TrendPoint, bool) {
	for _, pt := range l.Points {
		if pt.Year == year {
			return pt, true
		}
	}
	return TrendPoint{}, false
}

// CAGR is the compound annual growth rate in per cent between the first
// and the last reported year, over the number of calendar years between
// them (gaps in between do not shorten it). Not valid with fewer than two
// years or a first or last value that is not positive.
func (l TrendLine) CAGR() sql.NullFloat64 {
	if len(l.Points) < 2 {
		return sql.NullFloat64{}
	}
	first, last := l.Points[0], l.Points[len(l.Points)-1]
	if first.Value <= 0 || last.Value <= 0 {
		return sql.NullFloat64{}
	}
	years := float64(last.Year - first.Year)
	return sql.NullFloat64{Float64: 100 * (math.Pow(last.Value/first.Value, 1/years) - 1), Valid: true}
}

// Trend returns the confirmed series of one indicator for each bureau of a
// scope that reported it, ordered by region and code.
func (w *Warehouse) Trend(ctx context.Context, indicator string, s Scope) ([]TrendLine, error) {
	if _, ok := w.catalog.Indicator(indicator); !ok {
		return nil, fazhi.Errorf(fazhi.EINVALID, "没有代码为 %q 的指标", indicator)
	}
	args := append(s.args(), indicator)
	rows, err := w.db.QueryContext(ctx, scopeCTE+`,
		v AS (
			SELECT c.org_code, c.year, c.value, c.method
			FROM current_figures c
			WHERE c.indicator_code = ? AND c.org_code IN (SELECT code FROM scope)
		)
		SELECT s.code, s.full_name, s.region, s.bureau_type, v.year, v.value, v.method, p.value
		FROM v JOIN scope s ON s.code = v.org_code
		LEFT JOIN v p ON p.org_code = v.org_code AND p.year = v.year - 1
		ORDER BY s.region, s.code, v.year`, args...)
	if err != nil {
		return nil, fmt.Errorf("trend of %s: %w", indicator, err)
	}
	defer rows.Close()
	var out []TrendLine
	for rows.Next() {
		var o fazhi.Org
		var p TrendPoint
		if err := rows.Scan(&o.Code, &o.FullName, &o.Region, &o.BureauType, &p.Year, &p.Value, &p.Method, &p.Prev); err != nil {
			return nil, fmt.Errorf("scan trend: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].Org.Code != o.Code {
			o.Kind = fazhi.OrgBureau
			out = append(out, TrendLine{Org: o})
		}
		out[len(out)-1].Points = append(out[len(out)-1].Points, p)
	}
	return out, rows.Err()
}
