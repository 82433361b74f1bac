package analytics

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
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
	// Review flags new and changed figures that are more than ten times, or
	// less than a tenth of, the same org's figure of the previous year.
	Review bool
}

// LoadBatch stores a batch atomically: observations are bulk-appended to a
// temporary staging table, checked there, then merged into observations in
// one transaction together with the batch, its sources and orgs: changed
// figures are updated in place, their old values kept in
// observation_history; new ones are inserted. A batch that would change
// nothing is not recorded: the returned Batch has no ID and counts every
// observation as unchanged.
//
// A figure is identified by (org, year, indicator, source), except an
// upload's: a bureau's upload replaces its earlier upload of the same
// (org, year, indicator), whatever the file, so that a corrected workbook
// updates the figures of the first one instead of standing beside them.
func (w *Warehouse) LoadBatch(ctx context.Context, l Load) (fazhi.Batch, error) {
	b, _, err := w.load(ctx, l)
	return b, err
}

// load is LoadBatch, also returning the first flags raised (see Load.Review).
func (w *Warehouse) load(ctx context.Context, l Load) (fazhi.Batch, []Flag, error) {
	b := l.Batch
	if b.ID == "" {
		b.ID = newBatchID()
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = time.Now()
	}
	if b.CreatedBy == "" {
		return b, nil, fazhi.Errorf(fazhi.EINVALID, "batch %s: who loads it is not known", b.ID)
	}
	b.Status = fazhi.BatchLoaded
	b.Total = len(l.Observations)
	if len(l.Sources) == 1 {
		b.SourceID, b.FileName = l.Sources[0].ID, l.Sources[0].FileName
	}
	// Batches are serialised: the merge below relies on being the only
	// writer of observations to keep figures unique.
	w.loadMu.Lock()
	defer w.loadMu.Unlock()
	if err := w.checkLoad(l); err != nil {
		return b, nil, fmt.Errorf("load batch %s: %w", b.ID, err)
	}

	conn, err := w.db.Conn(ctx)
	if err != nil {
		return b, nil, fmt.Errorf("load batch %s: %w", b.ID, err)
	}
	defer conn.Close()
	dicts, err := stage(ctx, conn, l.Observations)
	if err != nil {
		return b, nil, fmt.Errorf("load batch %s: stage: %w", b.ID, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), dropStaged)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return b, nil, fmt.Errorf("load batch %s: %w", b.ID, err)
	}
	defer tx.Rollback()
	flags, err := merge(ctx, tx, &b, l, dicts)
	if err != nil {
		return b, nil, fmt.Errorf("load batch %s: %w", b.ID, err)
	}
	if l.DryRun || b.New+b.Updated == 0 {
		b.ID = ""
		for i := range flags {
			flags[i].BatchID = ""
		}
		return b, flags, nil // rolled back by the deferred Rollback
	}
	if err := tx.Commit(); err != nil {
		return b, nil, fmt.Errorf("load batch %s: commit: %w", b.ID, err)
	}
	w.changed()
	return b, flags, nil
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

// merge runs inside the batch's transaction: integrity checks against the
// stored orgs and sources, the new/updated/unchanged counts, review flags,
// then the writes.
func merge(ctx context.Context, tx *sql.Tx, b *fazhi.Batch, l Load, d *dictionaries) ([]Flag, error) {
	if err := upsertOrgs(ctx, tx, l.Orgs); err != nil {
		return nil, err
	}
	if err := insertSources(ctx, tx, l.Sources); err != nil {
		return nil, err
	}
	if err := checkStaged(ctx, tx, l.Observations, d); err != nil {
		return nil, err
	}
	if err := decodeStaged(ctx, tx, d); err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM temp.stage_raw) - count(*),
			count(*) FILTER (WHERE effect = 'updated'), count(*) FILTER (WHERE effect = 'unchanged')
		FROM temp.stage_match`).Scan(&b.New, &b.Updated, &b.Unchanged); err != nil {
		return nil, fmt.Errorf("compare with stored figures: %w", err)
	}
	if b.New+b.Updated == 0 {
		return nil, nil
	}
	var flags []Flag
	if l.Review {
		var err error
		if b.Flagged, flags, err = flagJumps(ctx, tx, *b, d); err != nil {
			return nil, err
		}
	}
	if b.Updated > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO observation_history
			SELECT ?, o.org_code, o.year, o.indicator_code, o.source_id, o.value, o.unit, o.qualifier, o.status,
				o.method, o.batch_id, o.quote, o.location, o.note, o.updated_at, s.source_id, s.value, ?, ?
			FROM temp.stage_observations s JOIN observations o ON o.org_code = s.org_code AND o.year = s.year
				AND o.indicator_code = s.indicator_code AND o.source_id = s.old_source_id
			WHERE s.effect = 'updated'`, b.ID, b.CreatedBy, b.CreatedAt); err != nil {
			return nil, fmt.Errorf("keep history: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE observations o SET source_id = s.source_id, value = s.value,
				unit = s.unit, qualifier = s.qualifier, status = s.status, method = s.method, batch_id = ?,
				quote = s.quote, location = s.location, note = s.note, updated_at = ?
			FROM temp.stage_observations s
			WHERE s.effect = 'updated' AND o.org_code = s.org_code AND o.year = s.year
			AND o.indicator_code = s.indicator_code AND o.source_id = s.old_source_id`, b.ID, b.CreatedAt); err != nil {
			return nil, fmt.Errorf("update observations: %w", err)
		}
	}
	// In the file's order: an ordered insert is appended batch by batch
	// into whole row groups, where an unordered one gives each thread a
	// row group of its own, which for a batch smaller than one (122,880
	// rows) is held in memory, half empty, until the commit: twice the
	// memory for a 100,000-row workbook.
	if _, err := tx.ExecContext(ctx, `INSERT INTO observations
		(org_code, year, indicator_code, source_id, value, unit, qualifier, status, method, batch_id, quote, location, note, updated_at)
		SELECT org_code, year, indicator_code, source_id, value, unit, qualifier, status, method, ?, quote, location, note, ?
		FROM temp.stage_observations WHERE effect = 'new' ORDER BY seq`, b.ID, b.CreatedAt); err != nil {
		return nil, fmt.Errorf("write observations: %w", err)
	}
	if err := refreshCurrent(ctx, tx, d); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches
		(id, created_by, created_at, method, status, note, total, new, updated, unchanged, file_source_id, flagged)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.CreatedBy, b.CreatedAt, string(b.Method), b.Status, b.Note, b.Total, b.New, b.Updated, b.Unchanged,
		nullIfEmpty(b.SourceID), b.Flagged); err != nil {
		return nil, fmt.Errorf("record batch: %w", err)
	}
	return flags, nil
}

// checkStaged refuses a batch that names an org or source the warehouse
// does not hold, or states a figure twice. The org and source checks run on
// the dictionaries (a few distinct values), the duplicate check on the
// integer-encoded rows; the offending observation is named by its location.
func checkStaged(ctx context.Context, tx *sql.Tx, obs []fazhi.Observation, d *dictionaries) error {
	var missing string
	err := tx.QueryRowContext(ctx, `SELECT v FROM (SELECT unnest(?::VARCHAR[]) AS v) ANTI JOIN orgs ON orgs.code = v LIMIT 1`,
		strs(d.org.vals)).Scan(&missing)
	if err == nil {
		i := slices.IndexFunc(obs, func(o fazhi.Observation) bool { return o.OrgCode == missing })
		return fazhi.Errorf(fazhi.EINVALID, "%s: unknown org %q", where(obs, i), missing)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check orgs: %w", err)
	}
	err = tx.QueryRowContext(ctx, `SELECT v FROM (SELECT unnest(?::VARCHAR[]) AS v) ANTI JOIN sources ON sources.id = v LIMIT 1`,
		strs(d.src.vals)).Scan(&missing)
	if err == nil {
		i := slices.IndexFunc(obs, func(o fazhi.Observation) bool { return o.SourceID == missing })
		return fazhi.Errorf(fazhi.EINVALID, "%s: unknown source %q", where(obs, i), missing)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check sources: %w", err)
	}
	// An upload's figure is one per (org, year, indicator), whatever the file.
	var seq int
	err = tx.QueryRowContext(ctx, `SELECT max(seq) FROM temp.stage_raw
		GROUP BY org, year, ind, CASE WHEN list_contains(?::INTEGER[], kind) THEN 0 ELSE src END
		HAVING count(*) > 1 ORDER BY 1 LIMIT 1`,
		d.kindsWhere(func(k figureKind) bool { return k.method == fazhi.MethodUpload })).Scan(&seq)
	if err == nil {
		return fazhi.Errorf(fazhi.EINVALID, "%s: the same figure (org %s) appears more than once in this batch",
			where(obs, seq-1), obs[seq-1].OrgCode)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check duplicates: %w", err)
	}
	return nil
}

// where names observation i for a message: its location, or its number.
func where(obs []fazhi.Observation, i int) string {
	if i >= 0 && i < len(obs) && obs[i].Location != "" {
		return obs[i].Location
	}
	return fmt.Sprintf("observation %d", i+1)
}

// insertSources stores the batch's sources; a source already stored (same
// sha256) is kept as it is. Stored ids are looked up first rather than
// skipped with ON CONFLICT, which costs a second per 40 MB file in DuckDB;
// batches are serialised, so none can be added in between.
func insertSources(ctx context.Context, tx *sql.Tx, sources []fazhi.Source) error {
	ids := make([]string, 0, len(sources))
	for _, s := range sources {
		if len(s.ID) != 64 || strings.Trim(s.ID, "0123456789abcdef") != "" {
			return fazhi.Errorf(fazhi.EINVALID, "source %s: id must be a hex sha256", s.FileName)
		}
		ids = append(ids, s.ID)
	}
	stored := map[string]bool{}
	rs, err := tx.QueryContext(ctx, `SELECT id FROM sources WHERE list_contains(?::VARCHAR[], id)`, strs(ids))
	if err != nil {
		return fmt.Errorf("find stored sources: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id string
		if err := rs.Scan(&id); err != nil {
			return fmt.Errorf("find stored sources: %w", err)
		}
		stored[id] = true
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("find stored sources: %w", err)
	}
	rows := make([][]any, 0, len(sources))
	for _, s := range sources {
		if stored[s.ID] {
			continue
		}
		stored[s.ID] = true // a source listed twice is stored once
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
	return insertRows(ctx, tx, "INSERT", "sources", cols, rows, "")
}

// newBatchID is sortable by time and unique: b-20060102T150405-<random>.
func newBatchID() string {
	var r [4]byte
	rand.Read(r[:])
	return "b-" + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(r[:])
}
