package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"fazhi"
)

// stage bulk-appends observations to temp.stage_raw, dictionary-encoded:
// the strings that repeat from row to row are kept once in a dictionary
// and each row carries their numbers — org, indicator (whose unit is the
// catalogue's, see checkLoad), source, and the kind of figure (qualifier,
// status, method); only quote, location and note travel as strings. The
// Appender makes a cgo call per string and an allocation per value, so this
// stages several times faster than appending every column as text;
// decodeStaged joins the dictionaries back, inside the transaction.
func stage(ctx context.Context, conn *sql.Conn, obs []fazhi.Observation) (*dictionaries, error) {
	d := newDictionaries()
	err := appendTemp(ctx, conn, "stage_raw", `seq INTEGER, org INTEGER, year INTEGER, ind INTEGER, src INTEGER,
		kind INTEGER, value DOUBLE, quote VARCHAR, location VARCHAR, note VARCHAR`,
		func(add func(row ...driver.Value) error) error {
			row := make([]driver.Value, 10) // one row's values, reused: a million rows make no garbage slices
			for i, o := range obs {
				ind := d.ind.id(o.IndicatorCode)
				if int(ind) > len(d.indUnit) {
					d.indUnit = append(d.indUnit, o.Unit)
				}
				row[0], row[1], row[2], row[3], row[4] = int32(i+1), d.org.id(o.OrgCode), int32(o.Year), ind, d.src.id(o.SourceID)
				row[5], row[6], row[7], row[8], row[9] = d.kind(o), o.Value, o.Quote, o.Location, o.Note
				if err := add(row...); err != nil {
					return fmt.Errorf("observation %d: %w", i+1, err)
				}
			}
			return nil
		})
	return d, err
}

// dict numbers distinct values from 1, in order of first appearance.
type dict[K comparable] struct {
	index map[K]int32
	vals  []K
	last  K // rows come in runs of one org, source or kind: skip the map then
	lastI int32
}

func (d *dict[K]) id(v K) int32 {
	if d.lastI != 0 && v == d.last {
		return d.lastI
	}
	if d.index == nil {
		d.index = map[K]int32{}
	}
	i, ok := d.index[v]
	if !ok {
		d.vals = append(d.vals, v)
		i = int32(len(d.vals))
		d.index[v] = i
	}
	d.last, d.lastI = v, i
	return i
}

// figureKind is what, besides its value, says how a figure stands.
type figureKind struct {
	qualifier string
	status    fazhi.Status
	method    fazhi.Method
}

// dictionaries are the dictionaries of one staged batch.
type dictionaries struct {
	org, ind, src dict[string]
	indUnit       []string // the unit of each indicator, by number - 1
	kinds         dict[figureKind]
}

func newDictionaries() *dictionaries { return &dictionaries{} }

// kind numbers an observation's kind from 1.
func (d *dictionaries) kind(o fazhi.Observation) int32 {
	return d.kinds.id(figureKind{o.Qualifier, o.Status, o.Method})
}

// confirmedKinds lists the numbers of the confirmed kinds: the figures that
// may count.
func (d *dictionaries) confirmedKinds() []int32 {
	return d.kindsWhere(func(k figureKind) bool { return k.status == fazhi.StatusConfirmed })
}

// kindsWhere lists the numbers of the kinds for which keep is true.
func (d *dictionaries) kindsWhere(keep func(figureKind) bool) []int32 {
	out := []int32{}
	for i, k := range d.kinds.vals {
		if keep(k) {
			out = append(out, int32(i+1))
		}
	}
	return out
}

// decodedColumns turn the integer-staged rows r back into a figure's
// columns, joined to the dictionaries.
const decodedColumns = `d_org.v AS org_code, r.year, d_ind.v AS indicator_code, d_src.v AS source_id, r.value,
	d_ind.unit AS unit, d_kind.qualifier, d_kind.status, d_kind.method, r.quote, r.location, r.note`

const dictJoins = `JOIN temp.d_org ON d_org.i = r.org JOIN temp.d_ind ON d_ind.i = r.ind
	JOIN temp.d_src ON d_src.i = r.src JOIN temp.d_kind ON d_kind.i = r.kind`

// decodeStaged classifies the staged rows against the stored figures they
// would replace (see LoadBatch for which one that is). Only the rows that
// meet a stored figure are written down, in temp.stage_match: effect
// unchanged or updated, and the stored figure's source as old_source_id;
// every other row is new. A first load of a year's figures matches nothing,
// so classifying it copies nothing.
//
// Two views read the staged rows through it: stage_effects keeps the
// integers and adds effect and old_source_id; stage_observations decodes
// them through the dictionaries (temp tables here) into a figure's columns.
// The decoded strings (a 64-character source id on every row…) are never
// materialised for a million rows: the inserts read them from the view.
func decodeStaged(ctx context.Context, tx *sql.Tx, d *dictionaries) error {
	list := `unnest(range(1, len(?::VARCHAR[]) + 1))::INTEGER AS i`
	// An org's and an indicator's rank in the order of their codes let a
	// million rows be sorted by code as integers (see refreshCurrent).
	ranked := func(cols string) string {
		return `*, row_number() OVER (ORDER BY v) AS rank FROM (SELECT ` + cols + `)`
	}
	tables := []struct {
		name, cols string
		args       []any
	}{
		{"d_org", ranked(`unnest(?::VARCHAR[]) AS v, ` + list), []any{strs(d.org.vals), strs(d.org.vals)}},
		{"d_ind", ranked(`unnest(?::VARCHAR[]) AS v, unnest(?::VARCHAR[]) AS unit, ` + list), []any{strs(d.ind.vals), strs(d.indUnit), strs(d.ind.vals)}},
		{"d_src", `unnest(?::VARCHAR[]) AS v, ` + list, []any{strs(d.src.vals), strs(d.src.vals)}},
	}
	var quals, statuses, methods []string
	for _, k := range d.kinds.vals {
		quals, statuses, methods = append(quals, k.qualifier), append(statuses, string(k.status)), append(methods, string(k.method))
	}
	tables = append(tables, struct {
		name, cols string
		args       []any
	}{"d_kind", `unnest(?::VARCHAR[]) AS qualifier, unnest(?::VARCHAR[]) AS status, unnest(?::VARCHAR[]) AS method, ` + list,
		[]any{strs(quals), strs(statuses), strs(methods), strs(quals)}})
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+t.name+` AS SELECT `+t.cols, t.args...); err != nil {
			return fmt.Errorf("dictionary %s: %w", t.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE stage_match AS
		SELECT r.seq, CASE WHEN `+sameFigure+` THEN 'unchanged' ELSE 'updated' END AS effect,
			o.source_id AS old_source_id
		FROM temp.stage_raw r `+dictJoins+`
		-- An upload matches the stored upload of its (org, year, indicator),
		-- whatever the file; other figures match their own source. Written
		-- as equalities only: with a CASE in the condition DuckDB falls back
		-- to a nested-loop join (60 s for 100,000 figures already stored).
		JOIN observations o ON o.org_code = d_org.v AND o.year = r.year AND o.indicator_code = d_ind.v
			AND (CASE WHEN o.method = 'upload' THEN '' ELSE o.source_id END)
			  = (CASE WHEN d_kind.method = 'upload' THEN '' ELSE d_src.v END)`); err != nil {
		return fmt.Errorf("classify staged figures: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP VIEW stage_effects AS
		SELECT r.*, coalesce(m.effect, 'new') AS effect, m.old_source_id
		FROM temp.stage_raw r LEFT JOIN temp.stage_match m ON m.seq = r.seq`); err != nil {
		return fmt.Errorf("classify staged figures: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP VIEW stage_observations AS
		SELECT r.seq, `+decodedColumns+`, r.effect, r.old_source_id
		FROM temp.stage_effects r `+dictJoins); err != nil {
		return fmt.Errorf("decode staged figures: %w", err)
	}
	return nil
}

// dropStaged removes a batch's temporary tables from its connection.
const dropStaged = `DROP VIEW IF EXISTS temp.stage_observations; DROP VIEW IF EXISTS temp.stage_effects;
	DROP TABLE IF EXISTS temp.stage_match;
	DROP TABLE IF EXISTS temp.stage_raw; DROP TABLE IF EXISTS temp.d_org; DROP TABLE IF EXISTS temp.d_ind;
	DROP TABLE IF EXISTS temp.d_src; DROP TABLE IF EXISTS temp.d_kind`

// sameFigure is true when a staged figure (in decodeStaged) equals the
// stored one (o). The source and location may differ: the same figure
// restated in another file, or another row, changes nothing.
const sameFigure = `(r.value = o.value AND d_ind.unit = o.unit AND d_kind.qualifier = o.qualifier
	AND d_kind.status = o.status AND d_kind.method = o.method AND r.quote = o.quote)`
