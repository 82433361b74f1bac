package dashboards

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"

	"fazhi"
)

// excelMaxRows is the most data rows a sheet takes (Excel's limit less the
// header); an export that reaches it says so on its 筛选条件 sheet.
const excelMaxRows = 1_048_575

// WriteXLSX writes an export as a workbook that opens cleanly in Excel and
// WPS: one sheet per table with its header frozen, an autofilter, number
// formats and column widths; a 图表 sheet of native charts; a 指标说明
// sheet (the catalogue entries used), and a 筛选条件 sheet (the filters,
// notes and when it was made). Tables are streamed (excelize StreamWriter
// for the sheet, rows of our own: see excelrows.go), except the small ones
// that are colour-scaled.
func WriteXLSX(ctx context.Context, w io.Writer, x *Export) error {
	f := excelize.NewFile()
	defer f.Close()
	xw, err := newXLSXWriter(f, x)
	if err != nil {
		return fmt.Errorf("excel %s: %w", x.View, err)
	}
	f.SetZipWriter(xw.zipWriter)
	if err := fillPipelined(ctx, x, xw); err != nil {
		return fmt.Errorf("excel %s: %w", x.View, err)
	}
	if err := xw.finish(); err != nil {
		return fmt.Errorf("excel %s: %w", x.View, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("excel %s: write: %w", x.View, err)
	}
	return nil
}

// rowChunk is encoded rows of one table on their way to be deflated.
type rowChunk struct {
	table int
	b     []byte
}

// chunkSize is how many bytes of encoded rows travel together.
const chunkSize = 64 << 10

// fillPipelined runs the export's Fill (the query, its scanning and the
// encoding of rows) in this goroutine while another deflates the encoded
// rows, so that a large export costs the slower of the two rather than
// their sum.
func fillPipelined(ctx context.Context, x *Export, xw *xlsxWriter) error {
	chunks := make(chan rowChunk, 8)
	free := make(chan []byte, 10)
	written := make(chan error, 1)
	go func() {
		var err error
		for c := range chunks {
			if err == nil {
				err = xw.sheets[c.table].data.write(c.b)
			}
			select {
			case free <- c.b[:0]:
			default:
			}
		}
		written <- err
	}()
	xw.send = func(i int, b []byte) ([]byte, error) {
		select {
		case chunks <- rowChunk{i, b}:
		case <-ctx.Done():
			return b[:0], ctx.Err()
		}
		select {
		case b = <-free:
		default:
			b = make([]byte, 0, chunkSize+chunkSize/4)
		}
		return b, nil
	}
	failed := x.Fill(ctx, xw)
	for i, sw := range xw.sheets {
		if failed == nil && len(sw.pending) > 0 {
			_, failed = xw.send(i, sw.pending)
		}
		sw.pending = nil
	}
	close(chunks)
	if err := <-written; failed == nil {
		failed = err
	}
	for _, sw := range xw.sheets {
		if sw.data != nil && failed == nil {
			failed = sw.data.flush()
		}
	}
	return failed
}

// zipWriter zips the workbook as excelize writes it, deflating at the
// fastest level with klauspost/compress's flate (already a dependency
// through DuckDB's Arrow support; compressing had been a third of the time
// of a hundred-thousand-row export at the standard library's default
// level), and splicing the streamed sheets' rows into their parts.
func (xw *xlsxWriter) zipWriter(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	sz := &spliceZip{Writer: zw, parts: map[string]*sheetRows{}}
	for _, sw := range xw.sheets {
		if sw.data != nil {
			sz.parts[sw.data.path] = sw.data
		}
	}
	return sz
}

// xlsxWriter is the Sink of WriteXLSX.
type xlsxWriter struct {
	f      *excelize.File
	x      *Export
	sheets []*sheetWriter
	styles map[Format]int
	header int
	wrap   int
	full   bool // a table reached Excel's row limit
	// send hands a table's encoded rows over to be deflated and returns
	// an empty buffer for more.
	send func(table int, b []byte) ([]byte, error)
}

type sheetWriter struct {
	t       Table
	name    string
	stream  *excelize.StreamWriter // nil for an in-memory table
	rows    int                    // data rows written
	buf     []any                  // cells of an in-memory table's row
	enc     *rowEncoder            // a streamed table's rows …
	pending []byte                 // … being encoded …
	data    *sheetRows             // … and deflated
}

func newXLSXWriter(f *excelize.File, x *Export) (*xlsxWriter, error) {
	xw := &xlsxWriter{f: f, x: x, styles: map[Format]int{}}
	if err := xw.makeStyles(); err != nil {
		return nil, err
	}
	f.SetDocProps(&excelize.DocProperties{Title: x.Title, Creator: "法治指标看板", Language: "zh-CN",
		Created: time.Now().UTC().Format(time.RFC3339)})
	used := map[string]bool{}
	for i, t := range x.Tables {
		name := sheetName(t.Sheet, used)
		var err error
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		sw := &sheetWriter{t: t, name: name}
		if !t.ColorScale {
			if sw.stream, err = f.NewStreamWriter(name); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
			if sw.data, err = newSheetRows(); err != nil {
				return nil, err
			}
			sw.enc = newRowEncoder(xw, len(t.Columns))
		}
		if err := xw.startSheet(sw); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		xw.sheets = append(xw.sheets, sw)
	}
	// A new workbook's sheet N is at xl/worksheets/sheetN.xml; spliceZip
	// fails the export if a streamed sheet's part is not found there.
	ids := map[string]int{}
	for id, name := range f.GetSheetMap() {
		ids[name] = id
	}
	for _, sw := range xw.sheets {
		if sw.data != nil {
			sw.data.path = fmt.Sprintf("xl/worksheets/sheet%d.xml", ids[sw.name])
		}
	}
	return xw, nil
}

func (xw *xlsxWriter) makeStyles() error {
	var err error
	xw.header, err = xw.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}},
	})
	if err != nil {
		return err
	}
	if xw.wrap, err = xw.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return err
	}
	formats := map[Format]string{
		FormatInt:      "#,##0",
		FormatDecimal:  "#,##0.##",
		FormatPercent:  "0.0%",
		FormatPoints:   `+0.0" 个百分点";-0.0" 个百分点";0.0" 个百分点"`,
		FormatWanYuan:  `#,##0.00" 万元"`,
		FormatScore:    "0.0",
		FormatYear:     "0",
		FormatDateTime: "yyyy-mm-dd hh:mm",
	}
	for fm, code := range formats {
		code := code
		id, err := xw.f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return err
		}
		xw.styles[fm] = id
	}
	return nil
}

// startSheet sets widths, freezes the header and writes it.
func (xw *xlsxWriter) startSheet(sw *sheetWriter) error {
	header := make([]any, len(sw.t.Columns))
	for i, c := range sw.t.Columns {
		header[i] = excelize.Cell{StyleID: xw.header, Value: c.Label}
		width := columnWidth(c)
		if sw.stream != nil {
			if err := sw.stream.SetColWidth(i+1, i+1, width); err != nil {
				return err
			}
		} else {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := xw.f.SetColWidth(sw.name, col, col, width); err != nil {
				return err
			}
		}
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}
	if sw.stream != nil {
		if err := sw.stream.SetPanes(panes); err != nil {
			return err
		}
		return sw.stream.SetRow("A1", header, excelize.RowOpts{Height: 30})
	}
	if err := xw.f.SetPanes(sw.name, panes); err != nil {
		return err
	}
	if err := xw.f.SetSheetRow(sw.name, "A1", &header); err != nil {
		return err
	}
	return xw.f.SetRowHeight(sw.name, 1, 30)
}

func columnWidth(c Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	w := 12.0
	if c.Format == FormatText {
		w = 16
	}
	// CJK characters take two widths.
	label := float64(utf8.RuneCountInString(c.Label))*2 + 2
	return min(max(w, label), 60)
}

func (xw *xlsxWriter) Wants(i int) bool { return i >= 0 && i < len(xw.sheets) }

// Row writes the next row of table i: a streamed table's is encoded and,
// by the chunk, handed over to be deflated; an in-memory table's goes into
// the workbook.
func (xw *xlsxWriter) Row(i int, cells ...any) error {
	sw := xw.sheets[i]
	if sw.rows >= excelMaxRows {
		xw.full = true
		return nil
	}
	sw.rows++
	if sw.data != nil {
		if sw.pending == nil {
			sw.pending = make([]byte, 0, chunkSize+chunkSize/4)
		}
		sw.pending = sw.enc.appendRow(sw.pending, &sw.t, sw.rows+1, cells)
		if len(sw.pending) < chunkSize {
			return nil
		}
		var err error
		sw.pending, err = xw.send(i, sw.pending)
		return err
	}
	if cap(sw.buf) < len(cells) {
		sw.buf = make([]any, len(cells))
	}
	row := xw.cellValues(i, cells, sw.buf[:len(cells)])
	cell, _ := excelize.CoordinatesToCellName(1, sw.rows+1)
	return xw.f.SetSheetRow(sw.name, cell, &row)
}

// cellValues turns a row's cells into what excelize writes, into out:
// numbers with their format's style, text neutralised, empty text as no
// cell (rowEncoder.appendRow does the same for streamed tables).
func (xw *xlsxWriter) cellValues(i int, cells, out []any) []any {
	cols := xw.sheets[i].t.Columns
	for j, v := range cells {
		var fm Format
		if j < len(cols) {
			fm = cols[j].Format
		}
		if t, ok := v.(time.Time); ok && fm == FormatDateTime && !t.IsZero() {
			out[j] = excelize.Cell{StyleID: xw.styles[fm], Value: excelTime(t)}
			continue
		}
		v, fm = plain(v, fm)
		switch v := v.(type) {
		case nil:
			out[j] = nil
		case string:
			switch {
			case v == "":
				out[j] = nil // no cell at all: cheaper, and the same to a reader
			case len(v) > 40 && utf8.RuneCountInString(v) > 40:
				out[j] = excelize.Cell{StyleID: xw.wrap, Value: neutralise(v)}
			default:
				out[j] = neutralise(v)
			}
		case float64:
			if fm == FormatPercent {
				v /= 100 // Excel's % format multiplies by 100
			}
			out[j] = excelize.Cell{StyleID: xw.styles[fm], Value: v}
		}
	}
	return out
}

// excelTime is t as an Excel serial date in t's own time zone.
func excelTime(t time.Time) float64 {
	_, offset := t.Zone()
	return float64(t.Unix()+int64(offset))/86400 + 25569
}

// finish adds tables (autofilters), colour scales, charts and the
// explanatory sheets, then flushes the streams.
func (xw *xlsxWriter) finish() error {
	for i, sw := range xw.sheets {
		last, _ := excelize.CoordinatesToCellName(len(sw.t.Columns), sw.rows+1)
		if sw.stream != nil {
			if sw.rows > 0 {
				if err := sw.stream.AddTable(&excelize.Table{Range: "A1:" + last, Name: fmt.Sprintf("T%d_%s", i+1, sw.t.Key),
					StyleName: "TableStyleLight1"}); err != nil {
					return fmt.Errorf("sheet %s: %w", sw.name, err)
				}
			}
			if err := sw.stream.Flush(); err != nil {
				return fmt.Errorf("sheet %s: %w", sw.name, err)
			}
			continue
		}
		if err := xw.f.AutoFilter(sw.name, "A1:"+last, nil); err != nil {
			return fmt.Errorf("sheet %s: %w", sw.name, err)
		}
		if sw.t.ColorScale && sw.rows > 0 && sw.t.ColorFrom < len(sw.t.Columns) {
			from, _ := excelize.CoordinatesToCellName(sw.t.ColorFrom+1, 2)
			if err := xw.f.SetConditionalFormat(sw.name, from+":"+last, []excelize.ConditionalFormatOptions{{
				Type: "3_color_scale", Criteria: "=", MinType: "num", MinValue: "0", MidType: "num", MidValue: "50",
				MaxType: "num", MaxValue: "100", MinColor: "#F8696B", MidColor: "#FFEB84", MaxColor: "#63BE7B"}}); err != nil {
				return fmt.Errorf("sheet %s: %w", sw.name, err)
			}
		}
	}
	if err := xw.addCharts(); err != nil {
		return err
	}
	if err := xw.addCatalogue(); err != nil {
		return err
	}
	if err := xw.addFilters(); err != nil {
		return err
	}
	xw.f.SetActiveSheet(0)
	return nil
}

// noVary keeps one colour per series, as the page's charts have.
var noVary = false

// addCharts draws each table's chart on a 图表 sheet, one below another.
func (xw *xlsxWriter) addCharts() error {
	const sheet = "图表"
	top := 1
	for _, sw := range xw.sheets {
		c := sw.t.Chart
		if c == nil || sw.rows == 0 {
			continue
		}
		if top == 1 {
			if _, err := xw.f.NewSheet(sheet); err != nil {
				return err
			}
		}
		rows := sw.rows
		if c.Rows > 0 && c.Rows < rows {
			rows = c.Rows
		}
		rows = min(rows, 200)
		ref := func(col, row int) string {
			cell, _ := excelize.CoordinatesToCellName(col+1, row, true)
			return "'" + sw.name + "'!" + cell
		}
		chart := &excelize.Chart{
			Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title}}},
			Legend:       excelize.ChartLegend{Position: "bottom"},
			Dimension:    excelize.ChartDimension{Width: 960, Height: uint(max(360, min(1600, 60+rows*22)))},
			Format:       excelize.GraphicOptions{AltText: c.Title},
			ShowBlanksAs: "gap", // a missing year is a gap, never a zero
			VaryColors:   &noVary,
		}
		switch c.Kind {
		case ChartBar:
			chart.Type = excelize.Bar
			chart.YAxis.ReverseOrder = false
			chart.XAxis.ReverseOrder = true // first row on top
		case ChartCol:
			chart.Type = excelize.Col
		case ChartLine:
			chart.Type = excelize.Line
			chart.Dimension.Height = 480
		case ChartRadar:
			chart.Type = excelize.Radar
			chart.Dimension.Height = 520
		}
		for _, s := range c.Series {
			chart.Series = append(chart.Series, excelize.ChartSeries{
				Name: ref(s, 1), Categories: ref(c.Categories, 2) + ":" + strings.TrimPrefix(ref(c.Categories, rows+1), "'"+sw.name+"'!"),
				Values: ref(s, 2) + ":" + strings.TrimPrefix(ref(s, rows+1), "'"+sw.name+"'!"),
			})
		}
		cell := fmt.Sprintf("A%d", top)
		if err := xw.f.AddChart(sheet, cell, chart); err != nil {
			return fmt.Errorf("chart %s: %w", c.Title, err)
		}
		top += int(chart.Dimension.Height)/20 + 2
	}
	return nil
}

// addCatalogue writes the 指标说明 sheet: every indicator the view uses.
func (xw *xlsxWriter) addCatalogue() error {
	const sheet = "指标说明"
	if _, err := xw.f.NewSheet(sheet); err != nil {
		return err
	}
	cat := fazhi.DefaultCatalog()
	header := []any{"指标代码", "指标", "英文名", "领域", "计量单位", "类型", "方向", "汇总方法", "别名（报告与表格中的其他写法）"}
	widths := []float64{28, 30, 34, 20, 10, 8, 10, 40, 40}
	rows := [][]any{header}
	for _, ind := range xw.x.Indicators {
		area, _ := cat.Area(ind.Area)
		kind := map[string]string{fazhi.KindCount: "数量", fazhi.KindRate: "比率", fazhi.KindAmount: "金额"}[ind.Kind]
		agg := "各单位求和"
		if ind.Aggregate == fazhi.AggregateRatio {
			num, _ := cat.Indicator(ind.Numerator)
			den, _ := cat.Indicator(ind.Denominator)
			agg = fmt.Sprintf("比率 = Σ%s ÷ Σ%s × 100%%（不对比率求平均）", num.Name, den.Name)
		}
		rows = append(rows, []any{ind.Code, ind.Name, ind.NameEn, area.Name, ind.Unit, kind, ind.PolarityLabel(), agg,
			strings.Join(ind.Aliases, "、")})
	}
	return xw.plainSheet(sheet, rows, widths)
}

// addFilters writes the 筛选条件 sheet: what was asked, how it was computed, when.
func (xw *xlsxWriter) addFilters() error {
	const sheet = "筛选条件"
	if _, err := xw.f.NewSheet(sheet); err != nil {
		return err
	}
	x := xw.x
	rows := [][]any{{"项目", "内容"}, {"视图", x.Title}}
	for _, fl := range x.Filters {
		v := fl.Text
		if v == "" {
			v = fl.Value
		}
		if v == "" {
			v = "（全部）"
		}
		rows = append(rows, []any{fl.Label, v})
	}
	rows = append(rows, []any{"生成时间", time.Now().Format("2006-01-02 15:04:05")},
		[]any{"计数规则", "只计入已确认的数值；同一单位、年度、指标有多个来源时，按“人工录入 > 填报上传 > 报告抽取 > 示例数据”、再按最新载入取值。待审核的数值不计入。"})
	for _, n := range x.Notes {
		rows = append(rows, []any{"说明", n})
	}
	if x.Sample {
		rows = append(rows, []any{"示例数据", "本表含程序生成的演示数据（方式为“示例数据”），不是真实统计。"})
	}
	if xw.full {
		rows = append(rows, []any{"注意", fmt.Sprintf("数据超过 Excel 单表上限，仅导出前 %d 行；请缩小筛选范围。", excelMaxRows)})
	}
	return xw.plainSheet(sheet, rows, []float64{16, 100})
}

// plainSheet writes a small sheet with a frozen, filterable header.
func (xw *xlsxWriter) plainSheet(sheet string, rows [][]any, widths []float64) error {
	f := xw.f
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	for i, r := range rows {
		for j := range r {
			if s, ok := r[j].(string); ok {
				r[j] = neutralise(s)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
	if err := f.SetCellStyle(sheet, "A1", last, xw.header); err != nil {
		return err
	}
	if len(rows) > 1 {
		end, _ := excelize.CoordinatesToCellName(len(rows[0]), len(rows))
		if err := f.SetCellStyle(sheet, "A2", end, xw.wrap); err != nil {
			return err
		}
		if err := f.AutoFilter(sheet, "A1:"+end, nil); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// sheetName makes a valid, unique sheet name: at most 31 characters, none
// of []:*?/\.
func sheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > 28 {
		name = string([]rune(name)[:28])
	}
	base := name
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	used[name] = true
	return name
}
