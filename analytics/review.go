package analytics

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fazhi"
)

// Review actions.
const (
	ActionAccept  = "accept"  // the figure is right as read
	ActionCorrect = "correct" // the analyst fixes value, indicator, year or org, then accepts
	ActionReject  = "reject"  // not a figure to keep
	ActionReopen  = "reopen"  // back to pending
)

// Decision is an analyst's verdict on one or more extracted figures.
type Decision struct {
	Action    string
	FigureIDs []int64
	Who       string
	// Correction, for ActionCorrect on a single figure; empty fields keep
	// the figure's (or its document's) own.
	Value     *float64
	Unit      string
	Indicator string
	Year      int
	Org       string
}

// Review applies a decision in one transaction: the figures' status, the
// confirmed observations they become (or stop being), and a record of each
// change with who, when, before and after. Only confirmed figures reach
// the dashboards. It returns how many figures changed.
func (w *Warehouse) Review(ctx context.Context, d Decision) (int, error) {
	if d.Who == "" {
		return 0, fazhi.Errorf(fazhi.EINVALID, "审核人未知")
	}
	if len(d.FigureIDs) == 0 {
		return 0, fazhi.Errorf(fazhi.EINVALID, "没有选择要审核的数据")
	}
	switch d.Action {
	case ActionAccept, ActionReject, ActionReopen:
	case ActionCorrect:
		if len(d.FigureIDs) != 1 {
			return 0, fazhi.Errorf(fazhi.EINVALID, "更正一次只能针对一条数据")
		}
	default:
		return 0, fazhi.Errorf(fazhi.EINVALID, "未知的审核操作 %q", d.Action)
	}
	w.loadMu.Lock() // review writes observations: one writer at a time
	defer w.loadMu.Unlock()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("review: %w", err)
	}
	defer tx.Rollback()

	ids := make([]string, len(d.FigureIDs))
	for i, id := range d.FigureIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	figs, err := queryExtracted(ctx, tx, `WHERE list_contains(?::BIGINT[], id) ORDER BY id`, d.FigureIDs)
	if err != nil {
		return 0, fmt.Errorf("review: %w", err)
	}
	if len(figs) != len(d.FigureIDs) {
		return 0, fazhi.Errorf(fazhi.ENOTFOUND, "部分数据不存在：%s", strings.Join(ids, ", "))
	}
	now := time.Now()
	var touched []figureKey
	for _, f := range figs {
		before := f
		after, keys, err := w.decide(ctx, tx, f, d, now)
		if err != nil {
			return 0, fmt.Errorf("review figure %d: %w", f.ID, err)
		}
		touched = append(touched, keys...)
		if err := recordDecision(ctx, tx, f.ID, d.Action, d.Who, now, before, after); err != nil {
			return 0, err
		}
	}
	if err := refreshCurrentFor(ctx, tx, touched); err != nil {
		return 0, fmt.Errorf("review: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("review: commit: %w", err)
	}
	w.changed()
	return len(figs), nil
}

// decide applies d to one figure inside tx and returns the figure after,
// with the keys of the observations it removed or wrote.
func (w *Warehouse) decide(ctx context.Context, tx *sql.Tx, f ExtractedFigure, d Decision, now time.Time) (ExtractedFigure, []figureKey, error) {
	// Whatever the figure was, it no longer stands as an observation until
	// the decision below says so again.
	var keys []figureKey
	rows, err := tx.QueryContext(ctx, `DELETE FROM observations WHERE source_id = ? AND location = ?
		AND batch_id = (SELECT batch_id FROM documents WHERE source_id = ?)
		RETURNING org_code, year, indicator_code`, f.SourceID, spanLocation(f), f.SourceID)
	if err != nil {
		return f, nil, err
	}
	for rows.Next() {
		var k figureKey
		if err := rows.Scan(&k.org, &k.year, &k.indicator); err != nil {
			rows.Close()
			return f, nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	f, key, err := w.apply(ctx, tx, f, d, now)
	if key != nil {
		keys = append(keys, *key)
	}
	return f, keys, err
}

// apply writes the decision's outcome: the figure's new status and, for an
// accepted or corrected figure, its observation (whose key it returns).
func (w *Warehouse) apply(ctx context.Context, tx *sql.Tx, f ExtractedFigure, d Decision, now time.Time) (ExtractedFigure, *figureKey, error) {
	switch d.Action {
	case ActionReject, ActionReopen:
		f.Status = fazhi.StatusRejected
		if d.Action == ActionReopen {
			f.Status = fazhi.StatusPending
		}
		_, err := tx.ExecContext(ctx, `UPDATE extracted_figures SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
			string(f.Status), d.Who, now, f.ID)
		return f, nil, err
	}

	method := fazhi.MethodExtracted
	if d.Action == ActionCorrect {
		method = fazhi.MethodManual // a value an analyst typed, no longer the text's reading
		if d.Value != nil {
			f.Value = *d.Value
			if d.Unit != "" {
				f.Unit = d.Unit
			}
		}
		if d.Indicator != "" {
			f.Indicator = d.Indicator
		}
		if d.Year != 0 {
			f.Year = d.Year
		}
		if d.Org != "" {
			f.OrgCode = d.Org
		}
	}
	var docOrg sql.NullString
	var docYear sql.NullInt32
	var batch string
	if err := tx.QueryRowContext(ctx, `SELECT org_code, year, batch_id FROM documents WHERE source_id = ?`, f.SourceID).
		Scan(&docOrg, &docYear, &batch); err != nil {
		return f, nil, fmt.Errorf("find document: %w", err)
	}
	org, year := f.OrgCode, f.Year
	if org == "" {
		org = docOrg.String
	}
	if year == 0 {
		year = int(docYear.Int32)
	}
	ind, ok := w.catalog.Indicator(f.Indicator)
	switch {
	case !ok:
		return f, nil, fazhi.Errorf(fazhi.EINVALID, "数据 #%d（%s）尚未对应指标：请更正并选择指标，或先为标签“%s”指定指标", f.ID, f.Quote, f.Label)
	case org == "":
		return f, nil, fazhi.Errorf(fazhi.EINVALID, "数据 #%d：报告的填报单位未确定，请先为报告指定单位", f.ID)
	case year < 1949 || year > 2100:
		return f, nil, fazhi.Errorf(fazhi.EINVALID, "数据 #%d：报告年度未确定，请先为报告指定年度", f.ID)
	}
	value, ok := fazhi.ConvertUnit(f.Value, f.Unit, ind.Unit)
	if !ok {
		return f, nil, fazhi.Errorf(fazhi.EINVALID, "数据 #%d：单位“%s”不能换算为指标“%s”的单位“%s”，请更正", f.ID, f.Unit, ind.Name, ind.Unit)
	}
	if ind.Kind == fazhi.KindRate && (value < 0 || value > 100) {
		return f, nil, fazhi.Errorf(fazhi.EINVALID, "数据 #%d：比率 %v%% 不在 0–100 之间", f.ID, value)
	}
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM observations WHERE org_code = ? AND year = ?
		AND indicator_code = ? AND source_id = ?`, org, year, ind.Code, f.SourceID).Scan(&exists); err != nil {
		return f, nil, err
	}
	if exists > 0 {
		return f, nil, fazhi.Errorf(fazhi.ECONFLICT, "数据 #%d：该报告已有一条已确认的“%s”%d 年数据；同一来源每个指标只保留一个数值，请先驳回另一条", f.ID, ind.Name, year)
	}
	var orgKnown int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM orgs WHERE code = ?`, org).Scan(&orgKnown); err != nil {
		return f, nil, err
	}
	if orgKnown == 0 {
		return f, nil, fazhi.Errorf(fazhi.EINVALID, "数据 #%d：单位编码 %s 不存在", f.ID, org)
	}
	f.Status = fazhi.StatusConfirmed
	note := "审核：" + d.Who + " " + now.Format("2006-01-02 15:04")
	if _, err := tx.ExecContext(ctx, `INSERT INTO observations (org_code, year, indicator_code, source_id, value, unit,
			qualifier, status, method, batch_id, quote, location, note, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'confirmed', ?, ?, ?, ?, ?, ?)`,
		org, year, ind.Code, f.SourceID, value, ind.Unit, f.Qualifier, string(method), batch, f.Quote,
		spanLocation(f), note, now); err != nil {
		return f, nil, fmt.Errorf("write observation: %w", err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE extracted_figures SET status = 'confirmed', indicator = ?, value = ?, unit = ?,
		org_code = ?, year = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
		ind.Code, f.Value, f.Unit, nullIfEmpty(f.OrgCode), nullIfZero(f.Year), d.Who, now, f.ID)
	return f, &figureKey{org, year, ind.Code}, err
}

// spanLocation is the observation location of an extracted figure.
func spanLocation(f ExtractedFigure) string { return fmt.Sprintf("%d-%d", f.Start, f.End) }

func nullIfZero(n int) any {
	if n == 0 {
		return nil
	}
	return int32(n)
}

// recordDecision appends to review_decisions.
func recordDecision(ctx context.Context, ex execer, id int64, action, who string, at time.Time, before, after any) error {
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	if _, err := ex.ExecContext(ctx, `INSERT INTO review_decisions (figure_id, action, decided_by, decided_at, before, after)
		VALUES (?, ?, ?, ?, ?, ?)`, id, action, who, at, string(b), string(a)); err != nil {
		return fmt.Errorf("record decision on figure %d: %w", id, err)
	}
	return nil
}

// MapLabel maps an uncatalogued label to an indicator once: the mapping is
// kept for documents still to come, and applied now to every pending figure
// with that label. It returns how many figures it mapped.
func (w *Warehouse) MapLabel(ctx context.Context, label, indicator, who string) (int, error) {
	if _, ok := w.catalog.Indicator(indicator); !ok {
		return 0, fazhi.Errorf(fazhi.EINVALID, "没有代码为 %q 的指标", indicator)
	}
	if strings.TrimSpace(label) == "" || who == "" {
		return 0, fazhi.Errorf(fazhi.EINVALID, "标签和操作人不能为空")
	}
	w.loadMu.Lock()
	defer w.loadMu.Unlock()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("map label: %w", err)
	}
	defer tx.Rollback()
	now := time.Now()
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO label_mappings (label, indicator, created_by, created_at)
		VALUES (?, ?, ?, ?)`, label, indicator, who, now); err != nil {
		return 0, fmt.Errorf("map label: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO review_decisions (figure_id, action, decided_by, decided_at, before, after)
		SELECT id, 'map_label', ?, ?, json_object('indicator', indicator, 'label', label), json_object('indicator', ?, 'label', label)
		FROM extracted_figures WHERE label = ? AND indicator IS NULL AND status = 'pending'`, who, now, indicator, label); err != nil {
		return 0, fmt.Errorf("map label: record: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE extracted_figures SET indicator = ?
		WHERE label = ? AND indicator IS NULL AND status = 'pending'`, indicator, label)
	if err != nil {
		return 0, fmt.Errorf("map label: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), tx.Commit()
}

// AssignDocument files a report under an org and year, when the text did
// not say (or said wrongly); figures accepted later use them.
func (w *Warehouse) AssignDocument(ctx context.Context, sourceID, org string, year int, who string) error {
	if year < 1949 || year > 2100 {
		return fazhi.Errorf(fazhi.EINVALID, "年度 %d 无效", year)
	}
	if _, err := w.Org(ctx, org); err != nil {
		return err
	}
	w.loadMu.Lock()
	defer w.loadMu.Unlock()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("assign document: %w", err)
	}
	defer tx.Rollback()
	var before struct {
		Org  sql.NullString
		Year sql.NullInt32
	}
	if err := tx.QueryRowContext(ctx, `SELECT org_code, year FROM documents WHERE source_id = ?`, sourceID).
		Scan(&before.Org, &before.Year); err == sql.ErrNoRows {
		return fazhi.Errorf(fazhi.ENOTFOUND, "没有编号为 %s 的报告", sourceID)
	} else if err != nil {
		return fmt.Errorf("assign document: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET org_code = ?, year = ? WHERE source_id = ?`, org, year, sourceID); err != nil {
		return fmt.Errorf("assign document: %w", err)
	}
	now := time.Now()
	if err := recordDecision(ctx, tx, 0, "assign", who, now,
		map[string]any{"source": sourceID, "org": before.Org.String, "year": before.Year.Int32},
		map[string]any{"source": sourceID, "org": org, "year": year}); err != nil {
		return err
	}
	return tx.Commit()
}

// LabelMappings lists the labels analysts have mapped.
func (w *Warehouse) LabelMappings(ctx context.Context) (map[string]string, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT label, indicator FROM label_mappings`)
	if err != nil {
		return nil, fmt.Errorf("list label mappings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var l, i string
		if err := rows.Scan(&l, &i); err != nil {
			return nil, err
		}
		out[l] = i
	}
	return out, rows.Err()
}

// ReviewRecord is one recorded decision.
type ReviewRecord struct {
	FigureID      int64
	Action        string
	Who           string
	At            time.Time
	Before, After string // JSON
}

// Decisions lists the decisions on a figure, oldest first.
func (w *Warehouse) Decisions(ctx context.Context, figureID int64) ([]ReviewRecord, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT figure_id, action, decided_by, decided_at, coalesce(before::VARCHAR, ''),
		coalesce(after::VARCHAR, '') FROM review_decisions WHERE figure_id = ? ORDER BY decided_at, rowid`, figureID)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	defer rows.Close()
	var out []ReviewRecord
	for rows.Next() {
		var r ReviewRecord
		if err := rows.Scan(&r.FigureID, &r.Action, &r.Who, &r.At, &r.Before, &r.After); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
