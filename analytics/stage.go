package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"

	"fazhi"
)

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

// stageDicts are the dictionaries of a staged batch, as temp tables
// (i, v) in the order of dictionaries' fields.
var stageDicts = []string{"d_org", "d_ind", "d_src", "d_unit", "d_qual", "d_status", "d_method"}

// decodedColumns turn the integer-staged rows r back into a figure's
// columns, joined to the dictionaries.
const decodedColumns = `d_org.v AS org_code, r.year, d_ind.v AS indicator_code, d_src.v AS source_id, r.value,
	d_unit.v AS unit, d_qual.v AS qualifier, d_status.v AS status, d_method.v AS method, r.quote, r.location, r.note`

const dictJoins = `JOIN temp.d_org ON d_org.i = r.org JOIN temp.d_ind ON d_ind.i = r.ind
	JOIN temp.d_src ON d_src.i = r.src JOIN temp.d_unit ON d_unit.i = r.unit JOIN temp.d_qual ON d_qual.i = r.qual
	JOIN temp.d_status ON d_status.i = r.status JOIN temp.d_method ON d_method.i = r.method`

// decodeStaged classifies each staged row against the stored figure it
// would replace (see LoadBatch for which one that is) — effect new, updated
// or unchanged, and the stored figure's source as old_source_id — into
// temp.stage_classified, which keeps the integers; stage_observations is a
// view that decodes them through the dictionaries (temp tables here). The
// decoded strings (a 64-character source id on every row…) are never
// materialised for a million rows: the inserts read them from the view.
//
// With review, each row also gets staged_previous: the value the batch
// states for the same org, indicator and source a year earlier, found by
// joining the integer columns (see flagJumps).
func decodeStaged(ctx context.Context, tx *sql.Tx, d *dictionaries, review bool) error {
	vals := [][]string{d.org.vals, d.ind.vals, d.src.vals, d.unit.vals, d.qual.vals, d.status.vals, d.method.vals}
	for i, name := range stageDicts {
		if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+name+` AS
			SELECT unnest(l) AS v, unnest(range(1, len(l) + 1))::INTEGER AS i FROM (SELECT ?::VARCHAR[] AS l)`, strs(vals[i])); err != nil {
			return fmt.Errorf("dictionary %s: %w", name, err)
		}
	}
	previous, previousJoin := "NULL::DOUBLE", ""
	if review {
		// A batch states a figure of a source once (checkStaged), so this
		// finds at most one row.
		previous = "p.value"
		previousJoin = fmt.Sprintf(`LEFT JOIN temp.stage_raw p ON p.org = r.org AND p.ind = r.ind AND p.src = r.src
			AND p.year = r.year - 1 AND p.status = %d`, d.status.index[string(fazhi.StatusConfirmed)])
	}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE stage_classified AS
		SELECT r.*,
			CASE WHEN o.org_code IS NULL THEN 'new' WHEN `+sameFigure+` THEN 'unchanged' ELSE 'updated' END AS effect,
			o.source_id AS old_source_id, `+previous+` AS staged_previous
		FROM temp.stage_raw r `+dictJoins+`
		LEFT JOIN observations o ON o.org_code = d_org.v AND o.year = r.year AND o.indicator_code = d_ind.v
			AND CASE WHEN d_method.v = 'upload' THEN o.method = 'upload' ELSE o.source_id = d_src.v END
		`+previousJoin); err != nil {
		return fmt.Errorf("classify staged figures: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE temp.stage_raw`); err != nil {
		return fmt.Errorf("drop staged integers: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP VIEW stage_observations AS
		SELECT r.seq, `+decodedColumns+`, r.effect, r.old_source_id, r.staged_previous
		FROM temp.stage_classified r `+dictJoins); err != nil {
		return fmt.Errorf("decode staged figures: %w", err)
	}
	return nil
}

// dropStaged removes a batch's temporary tables from its connection.
const dropStaged = `DROP VIEW IF EXISTS temp.stage_observations; DROP TABLE IF EXISTS temp.stage_classified;
	DROP TABLE IF EXISTS temp.stage_raw; DROP TABLE IF EXISTS temp.d_org; DROP TABLE IF EXISTS temp.d_ind;
	DROP TABLE IF EXISTS temp.d_src; DROP TABLE IF EXISTS temp.d_unit; DROP TABLE IF EXISTS temp.d_qual;
	DROP TABLE IF EXISTS temp.d_status; DROP TABLE IF EXISTS temp.d_method`

// sameFigure is true when a staged figure (in decodeStaged) equals the
// stored one (o). The source and location may differ: the same figure
// restated in another file, or another row, changes nothing.
const sameFigure = `(r.value = o.value AND d_unit.v = o.unit AND d_qual.v = o.qualifier
	AND d_status.v = o.status AND d_method.v = o.method AND r.quote = o.quote)`
