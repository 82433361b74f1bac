package dashboards

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// WriteCSV writes one table of an export as CSV: UTF-8 with a byte order
// mark, so that Excel opens Chinese correctly, a header of Chinese labels,
// numbers as plain numbers (per cent values as 95.0, in the unit the header
// names) and text neutralised against formula injection.
func WriteCSV(ctx context.Context, w io.Writer, x *Export, table int) error {
	t := x.Tables[table]
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = neutralise(c.Label)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	sink := &csvSink{table: table, t: t, cw: cw, rec: make([]string, len(t.Columns))}
	if err := x.Fill(ctx, sink); err != nil {
		return fmt.Errorf("csv %s: %w", x.View, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

type csvSink struct {
	table int
	t     Table
	cw    *csv.Writer
	rec   []string
}

func (s *csvSink) Wants(i int) bool { return i == s.table }

func (s *csvSink) Row(i int, cells ...any) error {
	if i != s.table {
		return nil
	}
	for j := range s.rec {
		s.rec[j] = ""
		if j < len(cells) {
			s.rec[j] = textCell(cells[j], s.t.Columns[j].Format)
		}
	}
	return s.cw.Write(s.rec)
}

// textCell writes a cell for CSV: numbers in full precision without
// separators, text neutralised.
func textCell(v any, f Format) string {
	v, f = plain(v, f)
	switch v := v.(type) {
	case string:
		return neutralise(v)
	case float64:
		if f == FormatPercent || f == FormatPoints || f == FormatScore {
			return strconv.FormatFloat(v, 'f', 2, 64) // derived figures: two decimals are plenty
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// WriteJSON writes an export as JSON: the view, its filters and notes, and
// each table that is not bulk with its columns and rows as objects keyed by
// column key. Missing values are null, numbers are numbers (per cent values
// as 95.0). Tables are filled one at a time and streamed.
func WriteJSON(ctx context.Context, w io.Writer, x *Export) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	head := struct {
		View    string   `json:"view"`
		Title   string   `json:"title"`
		Filters []Filter `json:"filters"`
		Notes   []string `json:"notes,omitempty"`
		Sample  bool     `json:"sample"`
	}{x.View, x.Title, x.Filters, x.Notes, x.Sample}
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	bw.Write(b[:len(b)-1])
	bw.WriteString(`,"tables":[`)
	first := true
	for i, t := range x.Tables {
		if t.Bulk {
			continue
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		cols := make([]map[string]string, len(t.Columns))
		for j, c := range t.Columns {
			cols[j] = map[string]string{"key": c.Key, "label": c.Label}
		}
		meta, _ := json.Marshal(map[string]any{"key": t.Key, "name": t.Sheet, "columns": cols})
		bw.Write(meta[:len(meta)-1])
		bw.WriteString(`,"rows":[`)
		sink := &jsonSink{table: i, t: t, w: bw, first: true}
		if err := x.Fill(ctx, sink); err != nil {
			return fmt.Errorf("json %s: %w", x.View, err)
		}
		if sink.err != nil {
			return sink.err
		}
		bw.WriteString("]}")
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

type jsonSink struct {
	table int
	t     Table
	w     *bufio.Writer
	first bool
	err   error
}

func (s *jsonSink) Wants(i int) bool { return i == s.table }

func (s *jsonSink) Row(i int, cells ...any) error {
	if i != s.table {
		return nil
	}
	if !s.first {
		s.w.WriteByte(',')
	}
	s.first = false
	s.w.WriteByte('{')
	for j, c := range s.t.Columns {
		if j > 0 {
			s.w.WriteByte(',')
		}
		k, _ := json.Marshal(c.Key)
		s.w.Write(k)
		s.w.WriteByte(':')
		var v any
		if j < len(cells) {
			v, _ = plain(cells[j], c.Format)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		s.w.Write(b)
	}
	s.w.WriteByte('}')
	return nil
}
