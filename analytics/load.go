package analytics

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"fazhi"
)

// Load is everything one batch brings: its sources, the orgs it introduces
// and its observations. It lands whole or not at all.
type Load struct {
	Batch        fazhi.Batch // CreatedBy, Method and Note are read; the rest is filled in
	Sources      []fazhi.Source
	Orgs         []fazhi.Org
	Observations []fazhi.Observation
	// DryRun computes the summary a real load would give and stores nothing.
	DryRun bool
}

// LoadBatch stores a batch atomically: observations are bulk-appended to a
// temporary staging table, checked there, then merged into observations in
// one transaction together with the batch, its sources and orgs: changed
// figures are updated in place, new ones inserted. A batch
// that would change nothing is not recorded: the returned Batch has no ID
// and counts every observation as unchanged.
func (w *Warehouse) LoadBatch(ctx context.Context, l Load) (fazhi.Batch, error) {
	b := l.Batch
	if b.ID == "" {
		b.ID = newBatchID()
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = time.Now()
	}
	if b.CreatedBy == "" {
		return b, fazhi.Errorf(fazhi.EINVALID, "batch %s: who loads it is not known", b.ID)
	}
	b.Status = fazhi.BatchLoaded
	b.Total = len(l.Observations)
	// Batches are serialised: the merge below relies on being the only
	// writer of observations to keep (org, year, indicator, source) unique.
	w.loadMu.Lock()
	defer w.loadMu.Unlock()
	if err := w.checkLoad(l); err != nil {
		return b, fmt.Errorf("load batch %s: %w", b.ID, err)
	}

	conn, err := w.db.Conn(ctx)
	if err != nil {
		return b, fmt.Errorf("load batch %s: %w", b.ID, err)
	}
	defer conn.Close()
	if err := stage(ctx, conn, l.Observations); err != nil {
		return b, fmt.Errorf("load batch %s: stage: %w", b.ID, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.stage_observations`)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return b, fmt.Errorf("load batch %s: %w", b.ID, err)
	}
	defer tx.Rollback()
	if err := merge(ctx, tx, &b, l); err != nil {
		return b, fmt.Errorf("load batch %s: %w", b.ID, err)
	}
	if l.DryRun || b.New+b.Updated == 0 {
		b.ID = ""
		return b, nil // rolled back by the deferred Rollback
	}
	if err := tx.Commit(); err != nil {
		return b, fmt.Errorf("load batch %s: commit: %w", b.ID, err)
	}
	w.changed()
	return b, nil
}

// checkLoad refuses what the schema would refuse, with messages a user can act on.
func (w *Warehouse) checkLoad(l Load) error {
	switch l.Batch.Method {
	case fazhi.MethodUpload, fazhi.MethodExtracted, fazhi.MethodManual, fazhi.MethodSample:
	default:
		return fazhi.Errorf(fazhi.EINVALID, "unknown method %q", l.Batch.Method)
	}
	for i, o := range l.Observations {
		where := o.Location
		if where == "" {
			where = fmt.Sprintf("observation %d", i+1)
		}
		ind, ok := w.catalog.Indicator(o.IndicatorCode)
		if !ok {
			return fazhi.Errorf(fazhi.EINVALID, "%s: unknown indicator %q", where, o.IndicatorCode)
		}
		// Figures are stored in the catalogue's unit so that sums and
		// comparisons never mix 元 and 万元; readers convert before loading.
		if o.Unit != ind.Unit {
			return fazhi.Errorf(fazhi.EINVALID, "%s: %s is measured in %s, not %q", where, ind.Code, ind.Unit, o.Unit)
		}
		if o.Year < 1949 || o.Year > 2100 {
			return fazhi.Errorf(fazhi.EINVALID, "%s: year %d out of range", where, o.Year)
		}
		if o.SourceID == "" || o.OrgCode == "" {
			return fazhi.Errorf(fazhi.EINVALID, "%s: no org or source", where)
		}
		switch o.Status {
		case fazhi.StatusConfirmed, fazhi.StatusPending, fazhi.StatusRejected:
		default:
			return fazhi.Errorf(fazhi.EINVALID, "%s: unknown status %q", where, o.Status)
		}
	}
	return nil
}

// stage bulk-appends observations to a temporary table of this connection.
func stage(ctx context.Context, conn *sql.Conn, obs []fazhi.Observation) error {
	rows := make([][]driver.Value, len(obs))
	for i, o := range obs {
		rows[i] = []driver.Value{int32(i + 1), o.OrgCode, int32(o.Year), o.IndicatorCode, o.SourceID,
			o.Value, o.Unit, o.Qualifier, string(o.Status), string(o.Method), o.Quote, o.Location, o.Note}
	}
	return appendTemp(ctx, conn, "stage_observations", `seq INTEGER, org_code VARCHAR, year INTEGER,
		indicator_code VARCHAR, source_id VARCHAR, value DOUBLE, unit VARCHAR, qualifier VARCHAR, status VARCHAR,
		method VARCHAR, quote VARCHAR, location VARCHAR, note VARCHAR`, rows)
}

// merge runs inside the batch's transaction: integrity checks against the
// stored orgs and sources, the new/updated/unchanged counts, then the writes.
func merge(ctx context.Context, tx *sql.Tx, b *fazhi.Batch, l Load) error {
	if err := upsertOrgs(ctx, tx, l.Orgs); err != nil {
		return err
	}
	if err := insertSources(ctx, tx, l.Sources); err != nil {
		return err
	}
	if err := refuseStaged(ctx, tx, `SELECT s.location, s.seq, s.org_code, count(*) OVER (PARTITION BY s.org_code, s.year, s.indicator_code, s.source_id) AS n
		FROM temp.stage_observations s QUALIFY n > 1 ORDER BY s.seq LIMIT 1`,
		"%s: the same figure (org %s) appears more than once in this batch"); err != nil {
		return err
	}
	if err := refuseStaged(ctx, tx, `SELECT s.location, s.seq, s.org_code, 0 FROM temp.stage_observations s
		ANTI JOIN orgs o ON o.code = s.org_code ORDER BY s.seq LIMIT 1`, "%s: unknown org %q"); err != nil {
		return err
	}
	if err := refuseStaged(ctx, tx, `SELECT s.location, s.seq, s.source_id, 0 FROM temp.stage_observations s
		ANTI JOIN sources src ON src.id = s.source_id ORDER BY s.seq LIMIT 1`, "%s: unknown source %q"); err != nil {
		return err
	}

	// Classify each staged figure against what is stored under the same key.
	if err := tx.QueryRowContext(ctx, `SELECT
			count(*) FILTER (WHERE o.org_code IS NULL),
			count(*) FILTER (WHERE o.org_code IS NOT NULL AND NOT `+sameFigure+`),
			count(*) FILTER (WHERE o.org_code IS NOT NULL AND `+sameFigure+`)
		FROM temp.stage_observations s LEFT JOIN observations o USING (org_code, year, indicator_code, source_id)`).
		Scan(&b.New, &b.Updated, &b.Unchanged); err != nil {
		return fmt.Errorf("compare with stored figures: %w", err)
	}
	if b.New+b.Updated == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE observations o SET value = s.value, unit = s.unit, qualifier = s.qualifier,
			status = s.status, method = s.method, batch_id = ?, quote = s.quote, location = s.location, note = s.note, updated_at = ?
		FROM temp.stage_observations s
		WHERE o.org_code = s.org_code AND o.year = s.year AND o.indicator_code = s.indicator_code AND o.source_id = s.source_id
		AND NOT `+sameFigure, b.ID, b.CreatedAt); err != nil {
		return fmt.Errorf("update observations: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO observations
		(org_code, year, indicator_code, source_id, value, unit, qualifier, status, method, batch_id, quote, location, note, updated_at)
		SELECT s.org_code, s.year, s.indicator_code, s.source_id, s.value, s.unit, s.qualifier, s.status, s.method, ?,
			s.quote, s.location, s.note, ?
		FROM temp.stage_observations s ANTI JOIN observations o USING (org_code, year, indicator_code, source_id)`, b.ID, b.CreatedAt); err != nil {
		return fmt.Errorf("write observations: %w", err)
	}
	if err := refreshCurrent(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches
		(id, created_by, created_at, method, status, note, total, new, updated, unchanged)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.CreatedBy, b.CreatedAt, string(b.Method), b.Status, b.Note, b.Total, b.New, b.Updated, b.Unchanged); err != nil {
		return fmt.Errorf("record batch: %w", err)
	}
	return nil
}

// sameFigure is true when a staged figure (s) equals the stored one (o).
const sameFigure = `(s.value = o.value AND s.unit = o.unit AND s.qualifier = o.qualifier
	AND s.status = o.status AND s.method = o.method AND s.quote = o.quote)`

// refuseStaged runs a query returning (location, seq, detail, _) of the
// first offending staged row, and turns it into a user-facing error.
func refuseStaged(ctx context.Context, tx *sql.Tx, query, format string) error {
	var location, detail string
	var seq, n int
	err := tx.QueryRowContext(ctx, query).Scan(&location, &seq, &detail, &n)
	if err == sql.ErrNoRows {
		return nil
	} else if err != nil {
		return fmt.Errorf("check staged figures: %w", err)
	}
	if location == "" {
		location = fmt.Sprintf("observation %d", seq)
	}
	return fazhi.Errorf(fazhi.EINVALID, format, location, detail)
}

// insertSources stores the batch's sources; a source already stored (same
// sha256) is kept as it is.
func insertSources(ctx context.Context, ex execer, sources []fazhi.Source) error {
	rows := make([][]any, 0, len(sources))
	for _, s := range sources {
		if len(s.ID) != 64 || strings.Trim(s.ID, "0123456789abcdef") != "" {
			return fazhi.Errorf(fazhi.EINVALID, "source %s: id must be a hex sha256", s.FileName)
		}
		added := s.AddedAt
		if added.IsZero() {
			added = time.Now()
		}
		var date any
		if s.PublishDate != "" {
			date = s.PublishDate
		}
		rows = append(rows, []any{s.ID, s.FileName, nullIfEmpty(s.Title), nullIfEmpty(s.Publisher), date,
			nullIfEmpty(s.URL), nullIfEmpty(s.MediaType), s.Size, s.Content, added})
	}
	cols := []string{"id", "file_name", "title", "publisher", "publish_date", "url", "media_type", "size", "content", "added_at"}
	return insertRows(ctx, ex, "INSERT", "sources", cols, rows, "ON CONFLICT (id) DO NOTHING")
}

// newBatchID is sortable by time and unique: b-20060102T150405-<random>.
func newBatchID() string {
	var r [4]byte
	rand.Read(r[:])
	return "b-" + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(r[:])
}
