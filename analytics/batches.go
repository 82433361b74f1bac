package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"fazhi"
)

const batchSelect = `b.id, b.created_by, b.created_at, b.method, b.status, coalesce(b.note, ''), b.total, b.new,
	b.updated, b.unchanged, coalesce(b.flagged, 0), coalesce(b.file_source_id, ''), coalesce(s.file_name, ''),
	coalesce(b.rolled_back_by, ''), b.rolled_back_at`

func scanBatch(sc scanner) (fazhi.Batch, error) {
	var b fazhi.Batch
	var at sql.NullTime
	err := sc.Scan(&b.ID, &b.CreatedBy, &b.CreatedAt, &b.Method, &b.Status, &b.Note, &b.Total, &b.New,
		&b.Updated, &b.Unchanged, &b.Flagged, &b.SourceID, &b.FileName, &b.RolledBackBy, &at)
	if at.Valid {
		b.RolledBackAt = &at.Time
	}
	return b, err
}

// BatchFilter selects batches; empty fields match everything.
type BatchFilter struct {
	Method    fazhi.Method
	CreatedBy string // one user's batches (a reporter sees its own)
	Limit     int    // default 100
}

// Batches lists batches, newest first.
func (w *Warehouse) Batches(ctx context.Context, f BatchFilter) ([]fazhi.Batch, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := w.db.QueryContext(ctx, `SELECT `+batchSelect+`
		FROM batches b LEFT JOIN sources s ON s.id = b.file_source_id
		WHERE (? = '' OR b.method = ?) AND (? = '' OR b.created_by = ?)
		ORDER BY b.created_at DESC, b.id DESC LIMIT ?`, string(f.Method), string(f.Method), f.CreatedBy, f.CreatedBy, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	defer rows.Close()
	var out []fazhi.Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, fmt.Errorf("scan batch: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Batch finds one batch.
func (w *Warehouse) Batch(ctx context.Context, id string) (fazhi.Batch, error) {
	b, err := scanBatch(w.db.QueryRowContext(ctx, `SELECT `+batchSelect+`
		FROM batches b LEFT JOIN sources s ON s.id = b.file_source_id WHERE b.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return b, fazhi.Errorf(fazhi.ENOTFOUND, "没有编号为 %s 的导入批次", id)
	} else if err != nil {
		return b, fmt.Errorf("find batch %s: %w", id, err)
	}
	return b, nil
}

// Change is one stored figure a batch changed: what it was and what the
// batch made it.
type Change struct {
	BatchID   string       `json:"batch"`
	OrgCode   string       `json:"org"`
	OrgName   string       `json:"org_name"`
	Year      int          `json:"year"`
	Indicator string       `json:"indicator"`
	Unit      string       `json:"unit"`
	Old       float64      `json:"old"`
	New       float64      `json:"new"`
	OldMethod fazhi.Method `json:"old_method"`
	OldFile   string       `json:"old_file"`
	OldBatch  string       `json:"old_batch"`
	ChangedBy string       `json:"changed_by"`
	ChangedAt time.Time    `json:"changed_at"`
}

// Changes lists the figures a batch changed, with their old values.
func (w *Warehouse) Changes(ctx context.Context, batchID string, limit int) ([]Change, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := w.db.QueryContext(ctx, `SELECT h.batch_id, h.org_code, coalesce(g.full_name, h.org_code), h.year,
			h.indicator_code, h.old_unit, h.old_value, h.new_value, h.old_method, coalesce(s.file_name, ''),
			h.old_batch_id, h.changed_by, h.changed_at
		FROM observation_history h
		LEFT JOIN orgs g ON g.code = h.org_code
		LEFT JOIN sources s ON s.id = h.old_source_id
		WHERE h.batch_id = ?
		ORDER BY h.org_code, h.year, h.indicator_code LIMIT ?`, batchID, limit)
	if err != nil {
		return nil, fmt.Errorf("list changes of %s: %w", batchID, err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.BatchID, &c.OrgCode, &c.OrgName, &c.Year, &c.Indicator, &c.Unit, &c.Old, &c.New,
			&c.OldMethod, &c.OldFile, &c.OldBatch, &c.ChangedBy, &c.ChangedAt); err != nil {
			return nil, fmt.Errorf("scan change: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Rollback undoes a batch: figures it changed get their old values back
// from observation_history, figures it added are removed, its review flags
// dropped, and the batch is marked rolled back by who. The file it came from
// stays stored. A batch whose figures a later, still loaded batch changed
// again cannot be rolled back before that one: its values would be lost.
func (w *Warehouse) Rollback(ctx context.Context, id, who string) (fazhi.Batch, error) {
	if who == "" {
		return fazhi.Batch{}, fazhi.Errorf(fazhi.EINVALID, "roll back %s: who does it is not known", id)
	}
	w.loadMu.Lock()
	defer w.loadMu.Unlock()
	b, err := w.Batch(ctx, id)
	if err != nil {
		return b, err
	}
	if b.Status == fazhi.BatchRolledBack {
		return b, fazhi.Errorf(fazhi.ECONFLICT, "批次 %s 已于 %s 由 %s 撤销", id, b.RolledBackAt.Local().Format("2006-01-02 15:04"), b.RolledBackBy)
	}
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return b, fmt.Errorf("roll back %s: %w", id, err)
	}
	defer tx.Rollback()
	// A report batch's figures are decided one by one on the review pages;
	// removing its confirmed figures here would leave the review queue
	// saying they were accepted.
	var reports int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE batch_id = ?`, id).Scan(&reports); err != nil {
		return b, fmt.Errorf("roll back %s: %w", id, err)
	} else if reports > 0 {
		return b, fazhi.Errorf(fazhi.ECONFLICT, "批次 %s 是报告批次（%d 份报告）：其中的数据请在审核页面驳回，不能整批撤销", id, reports)
	}
	var later string
	err = tx.QueryRowContext(ctx, `SELECT h.batch_id FROM observation_history h JOIN batches l ON l.id = h.batch_id
		WHERE h.old_batch_id = ? AND h.batch_id <> ? AND l.status = 'loaded'
		ORDER BY l.created_at DESC LIMIT 1`, id, id).Scan(&later)
	if err == nil {
		return b, fazhi.Errorf(fazhi.ECONFLICT, "批次 %s 之后，批次 %s 又修改了其中的数值：请先撤销批次 %s", id, later, later)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("roll back %s: check later batches: %w", id, err)
	}
	// The figures the batch touched, before they are removed or restored:
	// current_figures is refreshed for exactly these keys below.
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE rollback_keys AS
		SELECT org_code, year, indicator_code FROM observations WHERE batch_id = $1
		UNION SELECT org_code, year, indicator_code FROM observation_history WHERE batch_id = $1`, id); err != nil {
		return b, fmt.Errorf("roll back %s: find touched figures: %w", id, err)
	}
	now := time.Now()
	steps := []struct {
		what, query string
		args        []any
	}{
		{"remove added figures", `DELETE FROM observations o WHERE o.batch_id = $1 AND NOT EXISTS (
			SELECT 1 FROM observation_history h WHERE h.batch_id = $1 AND h.org_code = o.org_code
			AND h.year = o.year AND h.indicator_code = o.indicator_code AND h.new_source_id = o.source_id)`, []any{id}},
		{"restore changed figures", `UPDATE observations o SET source_id = h.old_source_id, value = h.old_value,
				unit = h.old_unit, qualifier = h.old_qualifier, status = h.old_status, method = h.old_method,
				batch_id = h.old_batch_id, quote = h.old_quote, location = h.old_location, note = h.old_note,
				updated_at = h.old_updated_at
			FROM observation_history h
			WHERE h.batch_id = $1 AND o.batch_id = $1 AND o.org_code = h.org_code AND o.year = h.year
			AND o.indicator_code = h.indicator_code AND o.source_id = h.new_source_id`, []any{id}},
		{"drop flags", `DELETE FROM review_flags WHERE batch_id = $1`, []any{id}},
		{"mark batch", `UPDATE batches SET status = 'rolled_back', rolled_back_by = $2, rolled_back_at = $3 WHERE id = $1`,
			[]any{id, who, now}},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
			return b, fmt.Errorf("roll back %s: %s: %w", id, st.what, err)
		}
	}
	if err := refreshCurrentKeys(ctx, tx, `SELECT org_code, year, indicator_code FROM temp.rollback_keys`); err != nil {
		return b, fmt.Errorf("roll back %s: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE temp.rollback_keys`); err != nil {
		return b, fmt.Errorf("roll back %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return b, fmt.Errorf("roll back %s: commit: %w", id, err)
	}
	w.changed()
	b.Status, b.RolledBackBy, b.RolledBackAt = fazhi.BatchRolledBack, who, &now
	return b, nil
}

// BatchFile returns the file a batch was loaded from, with its bytes.
func (w *Warehouse) BatchFile(ctx context.Context, id string) (fazhi.Source, error) {
	b, err := w.Batch(ctx, id)
	if err != nil {
		return fazhi.Source{}, err
	}
	if b.SourceID == "" {
		return fazhi.Source{}, fazhi.Errorf(fazhi.ENOTFOUND, "批次 %s 不是由单个文件导入的，没有原始文件", id)
	}
	return w.Source(ctx, b.SourceID)
}
