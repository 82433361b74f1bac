package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"fazhi"
)

// Document is a published report read by the extractor.
type Document struct {
	SourceID    string
	FileName    string
	Title       string
	PublishDate string
	Region      string // as the report states it
	Bureau      string
	BureauType  string
	OrgCode     string // the org it is filed under; "" until known
	OrgName     string
	Year        int // 0 until known
	Encoding    string
	MetaJSON    string // the extractor's metadata with evidence spans
	RemovedJSON string // spans of spam and chrome left out of matching
	BatchID     string
	CreatedBy   string
	CreatedAt   time.Time
	// Figures by review status.
	Pending, Confirmed, Rejected int
}

// ExtractedFigure is one figure of a document in the review queue.
type ExtractedFigure struct {
	ID         int64
	SourceID   string
	Seq        int
	Indicator  string // "" while uncatalogued
	Label      string
	Value      float64
	Unit       string
	Qualifier  string
	Number     string // as written
	Quote      string
	Start, End int // byte span of Quote in the original file
	Sentence   string
	Confidence float64
	Status     fazhi.Status
	OrgCode    string // an analyst's assignment, overriding the document's
	Year       int
	DecidedBy  string
	DecidedAt  sql.NullTime
}

// DocumentLoad is one report to store with the figures read from it.
type DocumentLoad struct {
	Source  fazhi.Source
	Doc     Document
	Figures []ExtractedFigure
}

// StoreDocuments stores reports and their figures as pending review, all in
// one batch and one transaction. A report already stored (same sha256) is
// skipped and counted as unchanged. Known label mappings are applied to
// uncatalogued figures. The batch is not recorded when nothing is new.
func (w *Warehouse) StoreDocuments(ctx context.Context, b fazhi.Batch, docs []DocumentLoad) (fazhi.Batch, error) {
	if b.ID == "" {
		b.ID = newBatchID()
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = time.Now()
	}
	b.Method, b.Status = fazhi.MethodExtracted, fazhi.BatchLoaded
	if b.CreatedBy == "" {
		return b, fazhi.Errorf(fazhi.EINVALID, "batch %s: who loads it is not known", b.ID)
	}
	w.loadMu.Lock()
	defer w.loadMu.Unlock()

	stored, err := w.storedDocuments(ctx, docs)
	if err != nil {
		return b, fmt.Errorf("store documents: %w", err)
	}
	var fresh []DocumentLoad
	for _, d := range docs {
		if stored[d.Source.ID] {
			b.Unchanged += len(d.Figures)
		} else {
			fresh = append(fresh, d)
			stored[d.Source.ID] = true // the same file twice in one run
		}
		b.Total += len(d.Figures)
	}
	if len(fresh) == 0 {
		b.ID = ""
		return b, nil
	}

	conn, err := w.db.Conn(ctx)
	if err != nil {
		return b, fmt.Errorf("store documents: %w", err)
	}
	defer conn.Close()
	var n int
	for _, d := range fresh {
		n += len(d.Figures)
	}
	fill := func(add func(row ...driver.Value) error) error {
		for _, d := range fresh {
			for i, f := range d.Figures {
				if err := add(d.Source.ID, int32(i+1), f.Indicator, f.Label, f.Value, f.Unit,
					f.Qualifier, f.Number, f.Quote, int32(f.Start), int32(f.End), f.Sentence, f.Confidence); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := appendTemp(ctx, conn, "stage_figures", `source_id VARCHAR, seq INTEGER, indicator VARCHAR, label VARCHAR,
		value DOUBLE, unit VARCHAR, qualifier VARCHAR, number VARCHAR, quote VARCHAR, start_byte INTEGER,
		end_byte INTEGER, sentence VARCHAR, confidence DOUBLE`, fill); err != nil {
		return b, fmt.Errorf("store documents: stage figures: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.stage_figures`)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return b, fmt.Errorf("store documents: %w", err)
	}
	defer tx.Rollback()
	sources := make([]fazhi.Source, len(fresh))
	docRows := make([][]any, len(fresh))
	for i, d := range fresh {
		sources[i] = d.Source
		var year any
		if d.Doc.Year != 0 {
			year = int32(d.Doc.Year)
		}
		docRows[i] = []any{d.Source.ID, d.Doc.Region, d.Doc.Bureau, d.Doc.BureauType, nullIfEmpty(d.Doc.OrgCode), year,
			d.Doc.Encoding, nullIfEmpty(d.Doc.MetaJSON), nullIfEmpty(d.Doc.RemovedJSON), b.ID, b.CreatedBy, b.CreatedAt}
	}
	if err := insertSources(ctx, tx, sources); err != nil {
		return b, fmt.Errorf("store documents: %w", err)
	}
	if err := insertRows(ctx, tx, "INSERT", "documents", []string{"source_id", "region", "bureau", "bureau_type",
		"org_code", "year", "encoding", "meta", "removed", "batch_id", "created_by", "created_at"}, docRows, ""); err != nil {
		return b, fmt.Errorf("store documents: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO extracted_figures (source_id, seq, indicator, label, value, unit,
			qualifier, number, quote, start_byte, end_byte, sentence, confidence)
		SELECT s.source_id, s.seq, coalesce(nullif(s.indicator, ''), m.indicator), s.label, s.value, s.unit,
			s.qualifier, s.number, s.quote, s.start_byte, s.end_byte, s.sentence, s.confidence
		FROM temp.stage_figures s LEFT JOIN label_mappings m ON m.label = s.label
		ORDER BY s.source_id, s.seq`); err != nil {
		return b, fmt.Errorf("store documents: figures: %w", err)
	}
	b.New = n
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches
		(id, created_by, created_at, method, status, note, total, new, updated, unchanged)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.CreatedBy, b.CreatedAt, string(b.Method), b.Status, b.Note, b.Total, b.New, b.Updated, b.Unchanged); err != nil {
		return b, fmt.Errorf("store documents: record batch: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return b, fmt.Errorf("store documents: commit: %w", err)
	}
	return b, nil
}

// storedDocuments tells which of docs are stored already.
// StoredDocuments tells which of docs are stored already (by sha256): a
// dry run says which reports a real run would skip.
func (w *Warehouse) StoredDocuments(ctx context.Context, docs []DocumentLoad) (map[string]bool, error) {
	return w.storedDocuments(ctx, docs)
}

func (w *Warehouse) storedDocuments(ctx context.Context, docs []DocumentLoad) (map[string]bool, error) {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.Source.ID
	}
	rows, err := w.db.QueryContext(ctx, `SELECT source_id FROM documents WHERE list_contains(?::VARCHAR[], source_id)`, strs(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

const documentSelect = `SELECT d.source_id, s.file_name, coalesce(s.title, ''), coalesce(strftime(s.publish_date, '%Y-%m-%d'), ''),
	d.region, d.bureau, d.bureau_type, coalesce(d.org_code, ''), coalesce(o.full_name, ''), coalesce(d.year, 0),
	d.encoding, coalesce(d.meta::VARCHAR, ''), coalesce(d.removed::VARCHAR, ''), d.batch_id, d.created_by, d.created_at,
	count(f.id) FILTER (WHERE f.status = 'pending'), count(f.id) FILTER (WHERE f.status = 'confirmed'),
	count(f.id) FILTER (WHERE f.status = 'rejected')
FROM documents d
JOIN sources s ON s.id = d.source_id
LEFT JOIN orgs o ON o.code = d.org_code
LEFT JOIN extracted_figures f ON f.source_id = d.source_id`

func scanDocument(s scanner) (Document, error) {
	var d Document
	err := s.Scan(&d.SourceID, &d.FileName, &d.Title, &d.PublishDate, &d.Region, &d.Bureau, &d.BureauType, &d.OrgCode,
		&d.OrgName, &d.Year, &d.Encoding, &d.MetaJSON, &d.RemovedJSON, &d.BatchID, &d.CreatedBy, &d.CreatedAt,
		&d.Pending, &d.Confirmed, &d.Rejected)
	return d, err
}

// Documents lists stored reports, those with figures waiting first.
func (w *Warehouse) Documents(ctx context.Context) ([]Document, error) {
	rows, err := w.db.QueryContext(ctx, documentSelect+` GROUP BY ALL
		ORDER BY count(f.id) FILTER (WHERE f.status = 'pending') = 0, d.created_at DESC, s.file_name`)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, fmt.Errorf("scan document: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Document returns one report with its figures in text order.
func (w *Warehouse) Document(ctx context.Context, id string) (Document, []ExtractedFigure, error) {
	d, err := scanDocument(w.db.QueryRowContext(ctx, documentSelect+` WHERE d.source_id = ? GROUP BY ALL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil, fazhi.Errorf(fazhi.ENOTFOUND, "没有编号为 %s 的报告", id)
	} else if err != nil {
		return d, nil, fmt.Errorf("find document %s: %w", id, err)
	}
	figs, err := w.extractedFigures(ctx, `WHERE source_id = ? ORDER BY start_byte, seq`, id)
	return d, figs, err
}

func (w *Warehouse) extractedFigures(ctx context.Context, where string, args ...any) ([]ExtractedFigure, error) {
	return queryExtracted(ctx, w.db, where, args...)
}

func queryExtracted(ctx context.Context, q querier, where string, args ...any) ([]ExtractedFigure, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, source_id, seq, coalesce(indicator, ''), label, value, unit, qualifier,
		number, quote, start_byte, end_byte, sentence, confidence, status, coalesce(org_code, ''), coalesce(year, 0),
		coalesce(decided_by, ''), decided_at
		FROM extracted_figures `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list extracted figures: %w", err)
	}
	defer rows.Close()
	var out []ExtractedFigure
	for rows.Next() {
		var f ExtractedFigure
		if err := rows.Scan(&f.ID, &f.SourceID, &f.Seq, &f.Indicator, &f.Label, &f.Value, &f.Unit, &f.Qualifier,
			&f.Number, &f.Quote, &f.Start, &f.End, &f.Sentence, &f.Confidence, &f.Status, &f.OrgCode, &f.Year,
			&f.DecidedBy, &f.DecidedAt); err != nil {
			return nil, fmt.Errorf("scan extracted figure: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ResolveReportOrg finds the org a report is about from what its text says:
// the region (张家港市) and the reporting unit as written (市教育局, 区卫生健康委)
// or its bureau type (教育, 卫健). A 政府 report belongs to the region itself.
// It returns "" when no org, or more than one, fits: the analyst then
// files the report by hand, nothing is guessed.
func (w *Warehouse) ResolveReportOrg(ctx context.Context, region, bureau, bureauType string) (string, error) {
	if region == "" {
		return "", nil
	}
	orgs, err := w.Orgs(ctx, "")
	if err != nil {
		return "", fmt.Errorf("resolve report org: %w", err)
	}
	short := strings.TrimLeft(bureau, "市区县")
	var byName, byType []string
	for _, o := range orgs {
		// Only a report of the government itself, not of a zone or town
		// the extractor also types 政府, belongs to the region.
		if bureauType == "政府" && strings.Contains(bureau, "政府") && o.Kind != fazhi.OrgBureau && o.FullName == region {
			return o.Code, nil
		}
		if o.Kind != fazhi.OrgBureau || o.Region != region {
			continue
		}
		if short != "" && (o.Name == short || o.FullName == region+short || strings.HasPrefix(o.Name, short) || strings.HasPrefix(short, o.Name)) {
			byName = append(byName, o.Code)
		}
		if bureauType != "" && o.BureauType == bureauType {
			byType = append(byType, o.Code)
		}
	}
	switch {
	case len(byName) == 1:
		return byName[0], nil
	case len(byName) == 0 && len(byType) == 1:
		return byType[0], nil
	}
	return "", nil
}
