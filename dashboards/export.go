package dashboards

import (
	"context"
	"database/sql"
	"math"
	"strings"
	"time"

	"fazhi"
	"fazhi/analytics"
)

// Format says how a column's numbers are written in Excel, CSV and JSON.
type Format int

const (
	FormatText     Format = iota
	FormatInt             // thousands: 1,234
	FormatDecimal         // 1,234.56
	FormatPercent         // a value in per cent (95.0), shown as 95.0%
	FormatPoints          // a change of a rate in percentage points: +2.5 个百分点
	FormatWanYuan         // an amount in 万元: 1,234.50 万元
	FormatScore           // a 0–100 score: 87.5
	FormatYear            // a year or a rank: 2024, never 2,024
	FormatDateTime        // a time.Time: a date in Excel, "2006-01-02 15:04" in CSV and JSON
)

// unitFormat is the format of an indicator's values.
func unitFormat(unit string) Format {
	switch unit {
	case "%":
		return FormatPercent
	case "万元", "亿元", "元":
		return FormatWanYuan
	}
	return FormatInt
}

// changeFormat is the format of a change of an indicator's value.
func changeFormat(unit string) Format {
	if unit == "%" {
		return FormatPoints
	}
	return unitFormat(unit)
}

// Column is a column of an exported table. Key names it in JSON and CSV
// APIs; Label is its Chinese header.
type Column struct {
	Key    string
	Label  string
	Format Format
	Width  float64 // in Excel character widths; 0 picks one from the format
}

// Cell overrides a column's format for one value: tables that list several
// indicators in one column format each row by its unit.
type Cell struct {
	Value  any
	Format Format
}

// ChartKind is the type of a native Excel chart.
type ChartKind int

const (
	ChartBar   ChartKind = iota // horizontal bars: rankings
	ChartCol                    // vertical columns
	ChartLine                   // lines over years
	ChartRadar                  // area scores
)

// SheetChart is a native Excel chart drawn from a table: categories from
// one column, one series per value column, over the first Rows rows.
type SheetChart struct {
	Title      string
	Kind       ChartKind
	Categories int   // column index of the category labels
	Series     []int // column indexes of the series
	Rows       int   // rows charted (0: all, at most 200)
}

// Table is one sheet of an export: a main view table, a heatmap, the
// figures behind the view.
type Table struct {
	Key     string // ASCII name for ?table= and JSON
	Sheet   string // Chinese sheet name (at most 31 characters)
	Columns []Column
	Chart   *SheetChart
	// ColorScale colours the numeric cells from column ColorFrom on with a
	// red–yellow–green scale over 0–100 (heatmaps). Such a table is held in
	// memory to be formatted; others are streamed.
	ColorScale bool
	ColorFrom  int
	// Bulk tables (the figures behind a view) are left out of JSON, which
	// lists the view itself; they are in Excel and by ?table= in CSV.
	Bulk bool
}

// Sink receives the rows of an export's tables, by table index. Wants tells
// a filler which tables are asked for, so that it skips queries for others.
// A sink may keep the cells slice: a filler passes a new one for each row.
type Sink interface {
	Wants(table int) bool
	Row(table int, cells ...any) error
}

// Export is a view as data: its tables and what a reader needs to trust
// them — the filters used, the catalogue entries, the sources.
type Export struct {
	View       string // compare, index, trend, org, coverage, overview, figures
	Title      string
	FileName   string // without extension; Chinese is fine
	Filters    []Filter
	Notes      []string // how the view computes what it shows
	Sample     bool
	Indicators []fazhi.Indicator
	Tables     []Table
	// Fill writes the rows of the wanted tables, in table order within
	// each table; rows of different tables may interleave.
	Fill func(ctx context.Context, s Sink) error
}

// Filter is one filter of a view as a reader sees it.
type Filter struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"` // the value as given in the URL
	Text  string `json:"text"`  // what it means: a name rather than a code
}

// TableIndex finds a table by key, -1 when none.
func (x *Export) TableIndex(key string) int {
	for i, t := range x.Tables {
		if t.Key == key {
			return i
		}
	}
	return -1
}

// neutralise keeps a spreadsheet from reading text as a formula: text that
// starts with =, +, -, @ (or a tab or carriage return, which some
// spreadsheets skip before one) gets a leading apostrophe, as a person
// typing it into Excel would. Numbers are never passed through here.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// plain reduces a cell to nil, string, float64 or bool, with its format.
func plain(v any, f Format) (any, Format) {
	if c, ok := v.(Cell); ok {
		v, f = c.Value, c.Format
	}
	switch x := v.(type) {
	case nil:
		return nil, f
	case string:
		return x, FormatText
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, f
		}
		return x, f
	case int:
		return float64(x), f
	case int64:
		return float64(x), f
	case sql.NullFloat64:
		if !x.Valid {
			return nil, f
		}
		return plain(x.Float64, f)
	case bool:
		if x {
			return "是", FormatText
		}
		return "否", FormatText
	case time.Time:
		if x.IsZero() {
			return nil, FormatText
		}
		return x.Format("2006-01-02 15:04"), FormatText
	case fazhi.Method:
		return x.Label(), FormatText
	case fazhi.Status:
		return x.Label(), FormatText
	}
	return nil, f
}

// provenanceColumns are the columns of a 数据来源 sheet: each figure that
// counts in the view, with where it was stated and how it was loaded.
var provenanceColumns = []Column{
	{Key: "org", Label: "单位编码", Width: 16},
	{Key: "org_name", Label: "单位", Width: 26},
	{Key: "year", Label: "年度", Format: FormatYear, Width: 8},
	{Key: "indicator", Label: "指标代码", Width: 24},
	{Key: "indicator_name", Label: "指标", Width: 26},
	{Key: "value", Label: "数值", Format: FormatDecimal, Width: 14},
	{Key: "unit", Label: "单位（计量）", Width: 10},
	{Key: "qualifier", Label: "原文限定词", Width: 10},
	{Key: "quote", Label: "原文", Width: 50},
	{Key: "location", Label: "位置", Width: 14},
	{Key: "source_title", Label: "来源文件标题", Width: 36},
	{Key: "source_file", Label: "来源文件", Width: 28},
	{Key: "source_sha256", Label: "来源文件 SHA-256", Width: 20},
	{Key: "method", Label: "方式", Width: 10},
	{Key: "status", Label: "状态", Width: 8},
	{Key: "batch", Label: "批次", Width: 30},
	{Key: "loaded_by", Label: "录入人", Width: 14},
	{Key: "loaded_at", Label: "录入时间", Format: FormatDateTime, Width: 17},
	{Key: "note", Label: "备注", Width: 30},
}

func provenanceTable() Table {
	return Table{Key: "sources", Sheet: "数据来源", Columns: provenanceColumns, Bulk: true}
}

// provenanceRow is a figure as a row of provenanceColumns; the value is
// formatted by its own unit.
func provenanceRow(cat *fazhi.Catalog, f analytics.Figure) []any {
	ind, _ := cat.Indicator(f.IndicatorCode)
	// Room for one more cell: the figures export adds whether it counts.
	row := make([]any, 0, len(provenanceColumns)+1)
	return append(row, f.OrgCode, f.OrgName, f.Year, f.IndicatorCode, ind.Name,
		Cell{f.Value, unitFormat(f.Unit)}, f.Unit, f.Qualifier, f.Quote, f.Location, f.SourceTitle, f.SourceFile,
		f.SourceID, f.Method, f.Status, f.BatchID, f.LoadedBy, f.LoadedAt, f.Note)
}

// fillProvenance streams the figures behind a view into table i.
func fillProvenance(ctx context.Context, w *analytics.Warehouse, s Sink, i int, f analytics.ProvenanceFilter) error {
	if !s.Wants(i) {
		return nil
	}
	cat := w.Catalog()
	return w.EachProvenance(ctx, f, func(fig analytics.Figure) error {
		return s.Row(i, provenanceRow(cat, fig)...)
	})
}
