package analytics

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"fazhi"
)

// Synthetic describes a generated warehouse for benchmarks and load tests:
// Regions districts under one province, each with Bureaus bureaus (one of
// each of Bureaus bureau types), reporting the first Indicators catalogue
// indicators for Years years from FirstYear. About 2% of figures are
// missing and 2% pending, like real reporting.
type Synthetic struct {
	Regions, Bureaus, Years, Indicators int
	FirstYear                           int
}

// LoadSynthetic fills an empty warehouse with generated figures (method
// sample, so every page labels them 示例数据) in one INSERT … SELECT: about
// a million rows a second, which the Appender path of LoadBatch cannot
// match for a 3.7-million-row benchmark dataset. Rows are written year by
// year, region by region, the order in which yearly uploads would arrive.
// It returns the number of observations written.
func (w *Warehouse) LoadSynthetic(ctx context.Context, s Synthetic) (int64, error) {
	if s.FirstYear == 0 {
		s.FirstYear = 2015
	}
	if s.Indicators > len(w.catalog.Indicators) || s.Regions <= 0 || s.Bureaus <= 0 || s.Years <= 0 {
		return 0, fazhi.Errorf(fazhi.EINVALID, "synthetic dataset %+v: sizes out of range", s)
	}
	desc := fmt.Sprintf("fazhi synthetic benchmark data %+v: every value is generated.\n", s)
	sum := sha256.Sum256([]byte(desc))
	srcID := hex.EncodeToString(sum[:])
	batch := "b-synthetic-" + srcID[:8]
	now := time.Now()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("synthetic data: %w", err)
	}
	defer tx.Rollback()
	steps := []struct {
		what  string
		query string
		args  []any
	}{
		{"province", `INSERT INTO orgs VALUES ('S00', '测试省', '测试省', 'province', NULL, NULL)`, nil},
		{"regions", `INSERT INTO orgs SELECT printf('S00R%04d', r), printf('测试%04d区', r), printf('测试%04d区', r),
			'district', 'S00', NULL FROM range(?) t(r)`, []any{s.Regions}},
		{"bureaus", `INSERT INTO orgs SELECT printf('S00R%04d-B%02d', r, b), printf('第%02d局', b),
			printf('测试%04d区第%02d局', r, b), 'bureau', printf('S00R%04d', r), printf('类型%02d', b)
			FROM range(?) t(r), range(?) u(b)`, []any{s.Regions, s.Bureaus}},
		{"source", `INSERT INTO sources (id, file_name, title, size, content, added_at) VALUES (?, 'synthetic.txt', '合成基准数据（程序生成）', ?, ?, ?)`,
			[]any{srcID, len(desc), []byte(desc), now}},
		{"batch", `INSERT INTO batches (id, created_by, created_at, method, status, note, total, new, updated, unchanged)
			VALUES (?, 'benchmark', ?, 'sample', 'loaded', '合成基准数据', 0, 0, 0, 0)`, []any{batch, now}},
		{"observations", `INSERT INTO observations
			SELECT printf('S00R%04d-B%02d', r, b), ? + y, i.code, ?,
				CASE WHEN i.kind = 'rate' THEN 40 + (h % 600) / 10.0 ELSE (h % 2000) * (1 + b % 5) END,
				i.unit, '', CASE WHEN h % 50 = 7 THEN 'pending' ELSE 'confirmed' END, 'sample', ?,
				printf('%s %d', i.name, h % 2000), printf('line %d', h % 100000), '', ?
			FROM range(?) ty(y), range(?) tr(r), range(?) tb(b),
				(SELECT code, unit, kind, name, position FROM indicators ORDER BY position LIMIT ?) i,
				LATERAL (SELECT hash(y, r, b, i.code) AS h)
			WHERE h % 50 <> 3
			ORDER BY y, r, b, i.position`,
			[]any{s.FirstYear, srcID, batch, now, s.Years, s.Regions, s.Bureaus, s.Indicators}},
	}
	var n int64
	for _, st := range steps {
		res, err := tx.ExecContext(ctx, st.query, st.args...)
		if err != nil {
			return 0, fmt.Errorf("synthetic %s: %w", st.what, err)
		}
		n, _ = res.RowsAffected()
	}
	// Every (org, year, indicator) has one figure here, so the figures that
	// count are simply the confirmed ones: no need for the rule's window.
	if _, err := tx.ExecContext(ctx, `INSERT INTO current_figures
		SELECT indicator_code, year, org_code, value, method, source_id FROM observations
		WHERE status = 'confirmed' AND batch_id = ? ORDER BY year, indicator_code, org_code`, batch); err != nil {
		return 0, fmt.Errorf("synthetic current figures: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("synthetic data: %w", err)
	}
	w.changed()
	return n, nil
}
