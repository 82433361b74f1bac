package analytics

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

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
	dicts, err := stage(ctx, conn, l.Observations)
	if err != nil {
		return b, fmt.Errorf("load batch %s: stage: %w", b.ID, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.stage_raw; DROP TABLE IF EXISTS temp.stage_observations`)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return b, fmt.Errorf("load batch %s: %w", b.ID, err)
	}
	defer tx.Rollback()
	if err := merge(ctx, tx, &b, l, dicts); err != nil {
		return b, fmt.Errorf("load batch %s: %w", b.ID, err)
	}
	if l.DryRun || b.New+b.Updated == 0 {
		b.ID = ""
		return b, nil // rolled back by the deferred Rollback
	}
	if err := tx.Commit(); err != nil {
		return b, fmt.Errorf("load batch %s: commit: %w", b.ID, err)
	}
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

// stage bulk-appends observations to temp.stage_raw, dictionary-encoded:
// the strings that repeat from row to row (org, indicator, source, unit,
// qualifier, status, method) are kept once in a dictionary and each row
// carries their indexes; only quote, location and note travel as strings.
// The Appender makes a cgo call per string, so this stages about three
// times faster than appending every column as text; decodeStaged joins the
// dictionaries back, inside the transaction.
func stage(ctx context.Context, conn *sql.Conn, obs []fazhi.Observation) (*dictionaries, error) {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE stage_raw (
		seq INTEGER, org INTEGER, year INTEGER, ind INTEGER, src INTEGER, value DOUBLE,
		unit INTEGER, qual INTEGER, status INTEGER, method INTEGER,
		quote VARCHAR, location VARCHAR, note VARCHAR)`); err != nil {
		return nil, err
	}
	d := newDictionaries()
	err := conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "stage_raw")
		if err != nil {
			return err
		}
		for i, o := range obs {
			if err := app.AppendRow(int32(i+1), d.org.id(o.OrgCode), int32(o.Year), d.ind.id(o.IndicatorCode),
				d.src.id(o.SourceID), o.Value, d.unit.id(o.Unit), d.qual.id(o.Qualifier),
				d.status.id(string(o.Status)), d.method.id(string(o.Method)), o.Quote, o.Location, o.Note); err != nil {
				app.Close()
				return fmt.Errorf("append observation %d: %w", i+1, err)
			}
		}
		return app.Close()
	})
	return d, err
}

// dict numbers distinct strings from 1, in order of first appearance.
type dict struct {
	index map[string]int32
	vals  []string
	last  string // rows come in runs of one org or source: skip the map then
	lastI int32
}

func (d *dict) id(s string) int32 {
	if d.lastI != 0 && s == d.last {
		return d.lastI
	}
	i, ok := d.index[s]
	if !ok {
		d.vals = append(d.vals, s)
		i = int32(len(d.vals))
		d.index[s] = i
	}
	d.last, d.lastI = s, i
	return i
}

// dictionaries are the dictionaries of one staged batch.
type dictionaries struct{ org, ind, src, unit, qual, status, method dict }

func newDictionaries() *dictionaries {
	d := &dictionaries{}
	for _, x := range []*dict{&d.org, &d.ind, &d.src, &d.unit, &d.qual, &d.status, &d.method} {
		x.index = map[string]int32{}
	}
	return d
}

// decodeStaged turns stage_raw back into full rows (stage_observations),
// joining each dictionary, bound as a list, on its 1-based index.
func decodeStaged(ctx context.Context, tx *sql.Tx, d *dictionaries) error {
	dictCTE := func(name string) string {
		return name + ` AS (SELECT unnest(l) AS v, unnest(range(1, len(l) + 1)) AS i FROM (SELECT ?::VARCHAR[] AS l))`
	}
	names := []string{"d_org", "d_ind", "d_src", "d_unit", "d_qual", "d_status", "d_method"}
	ctes := make([]string, len(names))
	for i, n := range names {
		ctes[i] = dictCTE(n)
	}
	_, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE stage_observations AS
		WITH `+strings.Join(ctes, ", ")+`
		SELECT r.seq, d_org.v AS org_code, r.year, d_ind.v AS indicator_code, d_src.v AS source_id, r.value,
			d_unit.v AS unit, d_qual.v AS qualifier, d_status.v AS status, d_method.v AS method,
			r.quote, r.location, r.note,
			CASE WHEN o.org_code IS NULL THEN 'new' WHEN `+sameFigure+` THEN 'unchanged' ELSE 'updated' END AS effect
		FROM temp.stage_raw r
		JOIN d_org ON d_org.i = r.org JOIN d_ind ON d_ind.i = r.ind JOIN d_src ON d_src.i = r.src
		JOIN d_unit ON d_unit.i = r.unit JOIN d_qual ON d_qual.i = r.qual
		JOIN d_status ON d_status.i = r.status JOIN d_method ON d_method.i = r.method
		LEFT JOIN observations o ON o.org_code = d_org.v AND o.year = r.year
			AND o.indicator_code = d_ind.v AND o.source_id = d_src.v`,
		strs(d.org.vals), strs(d.ind.vals), strs(d.src.vals), strs(d.unit.vals), strs(d.qual.vals),
		strs(d.status.vals), strs(d.method.vals))
	if err != nil {
		return fmt.Errorf("decode staged figures: %w", err)
	}
	return nil
}

// merge runs inside the batch's transaction: integrity checks against the
// stored orgs and sources, the new/updated/unchanged counts, then the writes.
func merge(ctx context.Context, tx *sql.Tx, b *fazhi.Batch, l Load, d *dictionaries) error {
	if err := upsertOrgs(ctx, tx, l.Orgs); err != nil {
		return err
	}
	if err := insertSources(ctx, tx, l.Sources); err != nil {
		return err
	}
	if err := checkStaged(ctx, tx, l.Observations, d); err != nil {
		return err
	}
	if err := decodeStaged(ctx, tx, d); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE effect = 'new'),
			count(*) FILTER (WHERE effect = 'updated'), count(*) FILTER (WHERE effect = 'unchanged')
		FROM temp.stage_observations`).Scan(&b.New, &b.Updated, &b.Unchanged); err != nil {
		return fmt.Errorf("compare with stored figures: %w", err)
	}
	if b.New+b.Updated == 0 {
		return nil
	}
	if b.Updated > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE observations o SET value = s.value, unit = s.unit, qualifier = s.qualifier,
				status = s.status, method = s.method, batch_id = ?, quote = s.quote, location = s.location, note = s.note, updated_at = ?
			FROM temp.stage_observations s
			WHERE s.effect = 'updated' AND o.org_code = s.org_code AND o.year = s.year
			AND o.indicator_code = s.indicator_code AND o.source_id = s.source_id`, b.ID, b.CreatedAt); err != nil {
			return fmt.Errorf("update observations: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO observations
		(org_code, year, indicator_code, source_id, value, unit, qualifier, status, method, batch_id, quote, location, note, updated_at)
		SELECT org_code, year, indicator_code, source_id, value, unit, qualifier, status, method, ?, quote, location, note, ?
		FROM temp.stage_observations WHERE effect = 'new'`, b.ID, b.CreatedAt); err != nil {
		return fmt.Errorf("write observations: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches
		(id, created_by, created_at, method, status, note, total, new, updated, unchanged)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.CreatedBy, b.CreatedAt, string(b.Method), b.Status, b.Note, b.Total, b.New, b.Updated, b.Unchanged); err != nil {
		return fmt.Errorf("record batch: %w", err)
	}
	return nil
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
	var seq int
	err = tx.QueryRowContext(ctx, `SELECT max(seq) FROM temp.stage_raw GROUP BY org, year, ind, src
		HAVING count(*) > 1 ORDER BY 1 LIMIT 1`).Scan(&seq)
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

// sameFigure is true when a staged figure (decoded in decodeStaged) equals
// the stored one (o).
const sameFigure = `(r.value = o.value AND d_unit.v = o.unit AND d_qual.v = o.qualifier
	AND d_status.v = o.status AND d_method.v = o.method AND r.quote = o.quote)`

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
