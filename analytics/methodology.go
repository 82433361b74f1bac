package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi"
)

// Methodology is a named, versioned set of composite-index weights and the
// normalisation they apply to. Weights not listed are 1, so the built-in
// default (ID 0) is equal weights.
type Methodology struct {
	ID        int       `json:"id"`
	Name      string    `json:"name"`
	Version   int       `json:"version"`
	Norm      string    `json:"normalisation"`
	Note      string    `json:"note,omitempty"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Areas and Indicators map codes to weights (0–100); absent means 1.
	Areas      map[string]float64 `json:"area_weights,omitempty"`
	Indicators map[string]float64 `json:"indicator_weights,omitempty"`
}

// DefaultMethodology is the built-in one: equal weights, min–max.
func DefaultMethodology() Methodology {
	return Methodology{Name: "等权重（内置）", Version: 1, Norm: NormMinMax}
}

// Label names the methodology and its version, as rankings cite it.
func (m Methodology) Label() string { return fmt.Sprintf("%s v%d", m.Name, m.Version) }

// AreaWeight is the weight of an area (1 when not set).
func (m Methodology) AreaWeight(code string) float64 {
	if w, ok := m.Areas[code]; ok {
		return w
	}
	return 1
}

// IndicatorWeight is the weight of an indicator within its area (1 when not set).
func (m Methodology) IndicatorWeight(code string) float64 {
	if w, ok := m.Indicators[code]; ok {
		return w
	}
	return 1
}

// validate refuses what a user could get wrong, saying what.
func (m Methodology) validate(cat *fazhi.Catalog) error {
	name := strings.TrimSpace(m.Name)
	switch {
	case name == "":
		return fazhi.Errorf(fazhi.EINVALID, "请填写方法名称")
	case utf8.RuneCountInString(name) > 60:
		return fazhi.Errorf(fazhi.EINVALID, "方法名称不能超过 60 个字")
	case m.Norm != NormMinMax && m.Norm != NormPercentile:
		return fazhi.Errorf(fazhi.EINVALID, "标准化方法 %q 无效", m.Norm)
	case utf8.RuneCountInString(m.Note) > 1000:
		return fazhi.Errorf(fazhi.EINVALID, "说明不能超过 1000 个字")
	}
	check := func(what, code string, w float64) error {
		if math.IsNaN(w) || w < 0 || w > 100 {
			return fazhi.Errorf(fazhi.EINVALID, "%s %s 的权重须在 0 到 100 之间", what, code)
		}
		return nil
	}
	for code, w := range m.Areas {
		if _, ok := cat.Area(code); !ok {
			return fazhi.Errorf(fazhi.EINVALID, "没有代码为 %q 的领域", code)
		}
		if err := check("领域", code, w); err != nil {
			return err
		}
	}
	for code, w := range m.Indicators {
		ind, ok := cat.Indicator(code)
		if !ok {
			return fazhi.Errorf(fazhi.EINVALID, "没有代码为 %q 的指标", code)
		}
		if ind.Polarity == fazhi.PolarityNeutral {
			return fazhi.Errorf(fazhi.EINVALID, "%s 是中性指标，不参与评分，不能设权重", ind.Name)
		}
		if err := check("指标", code, w); err != nil {
			return err
		}
	}
	var total float64
	for _, a := range cat.Areas {
		total += m.AreaWeight(a.Code)
	}
	if total == 0 {
		return fazhi.Errorf(fazhi.EINVALID, "领域权重不能全部为 0")
	}
	return nil
}

// SaveMethodology stores m as the next version of its name and returns it
// with its ID, version and time.
func (w *Warehouse) SaveMethodology(ctx context.Context, m Methodology) (Methodology, error) {
	m.Name = strings.TrimSpace(m.Name)
	if m.CreatedBy == "" {
		m.CreatedBy = "未署名"
	}
	if err := m.validate(w.catalog); err != nil {
		return m, err
	}
	m.CreatedAt = time.Now()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return m, fmt.Errorf("save methodology %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `INSERT INTO methodologies (name, version, normalisation, note, created_by, created_at)
		SELECT ?, coalesce(max(version), 0) + 1, ?, ?, ?, ? FROM methodologies WHERE name = ?
		RETURNING id, version`, m.Name, m.Norm, m.Note, m.CreatedBy, m.CreatedAt, m.Name).Scan(&m.ID, &m.Version); err != nil {
		return m, fmt.Errorf("save methodology %s: %w", m.Name, err)
	}
	var rows [][]any
	for code, wt := range m.Areas {
		rows = append(rows, []any{m.ID, "area", code, wt})
	}
	for code, wt := range m.Indicators {
		rows = append(rows, []any{m.ID, "indicator", code, wt})
	}
	if err := insertRows(ctx, tx, "INSERT", "methodology_weights", []string{"methodology_id", "kind", "code", "weight"}, rows, ""); err != nil {
		return m, fmt.Errorf("save methodology %s: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return m, fmt.Errorf("save methodology %s: %w", m.Name, err)
	}
	return m, nil
}

// Methodology loads a saved methodology; ID 0 is the built-in default.
func (w *Warehouse) Methodology(ctx context.Context, id int) (Methodology, error) {
	if id == 0 {
		return DefaultMethodology(), nil
	}
	m := Methodology{ID: id}
	err := w.db.QueryRowContext(ctx, `SELECT name, version, normalisation, note, created_by, created_at
		FROM methodologies WHERE id = ?`, id).Scan(&m.Name, &m.Version, &m.Norm, &m.Note, &m.CreatedBy, &m.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fazhi.Errorf(fazhi.ENOTFOUND, "没有编号为 %d 的计分方法", id)
	} else if err != nil {
		return m, fmt.Errorf("find methodology %d: %w", id, err)
	}
	rows, err := w.db.QueryContext(ctx, `SELECT kind, code, weight FROM methodology_weights WHERE methodology_id = ?`, id)
	if err != nil {
		return m, fmt.Errorf("weights of methodology %d: %w", id, err)
	}
	defer rows.Close()
	m.Areas, m.Indicators = map[string]float64{}, map[string]float64{}
	for rows.Next() {
		var kind, code string
		var wt float64
		if err := rows.Scan(&kind, &code, &wt); err != nil {
			return m, fmt.Errorf("scan weight: %w", err)
		}
		if kind == "area" {
			m.Areas[code] = wt
		} else {
			m.Indicators[code] = wt
		}
	}
	return m, rows.Err()
}

// Methodologies lists the saved methodologies, newest first, without weights.
func (w *Warehouse) Methodologies(ctx context.Context) ([]Methodology, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT id, name, version, normalisation, note, created_by, created_at
		FROM methodologies ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list methodologies: %w", err)
	}
	defer rows.Close()
	var out []Methodology
	for rows.Next() {
		var m Methodology
		if err := rows.Scan(&m.ID, &m.Name, &m.Version, &m.Norm, &m.Note, &m.CreatedBy, &m.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan methodology: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
