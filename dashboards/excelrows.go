package dashboards

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"

	"fazhi"
)

// Data rows of streamed sheets are written by this file rather than by
// excelize's StreamWriter.SetRow, which costs about 180 allocations and
// several passes over each text (XML escaping into a new string, a regular
// expression for _xHHHH_ escapes, a UTF-16 count) per row of the 数据来源
// sheet: 85% of a hundred-thousand-row export. excelize still writes
// everything else of such a sheet — column widths, the frozen header row,
// the table (autofilter) and its relationships — and our rows are spliced
// into its worksheet part as the workbook is zipped (see spliceZip).
//
// Rows are encoded as SpreadsheetML beside the query and deflated by
// another goroutine as they come, so that when the workbook is written the
// rows are already compressed: their deflate stream is joined to those of
// the part's beginning and end (each ends on a byte boundary after a sync
// flush, and a decoder's window spans them all) and their CRC-32 combined.

// sheetRows holds the deflated data rows of a streamed sheet.
type sheetRows struct {
	path  string        // the sheet's part in the package
	z     bytes.Buffer  // raw deflate of the rows, ending with a sync flush
	fw    *flate.Writer // into z
	crc   uint32        // CRC-32 of the rows from a zero register (see crcJoin)
	size  int64         // uncompressed bytes
	ready bool          // fw flushed
}

func newSheetRows() (*sheetRows, error) {
	r := &sheetRows{crc: ^uint32(0)}
	var err error
	r.fw, err = flate.NewWriter(&r.z, flate.BestSpeed)
	return r, err
}

// write deflates encoded rows. Only the writing goroutine calls it.
func (r *sheetRows) write(p []byte) error {
	r.crc = crc32.Update(r.crc, crc32.IEEETable, p)
	r.size += int64(len(p))
	_, err := r.fw.Write(p)
	return err
}

// flush ends the rows' deflate stream on a byte boundary without a final block.
func (r *sheetRows) flush() error {
	r.ready = true
	return r.fw.Flush()
}

// crcJoin is the CRC-32 of a‖b from a's CRC and b's register after b was
// fed from a zero register (crc32.Update(0xffffffff, b), whose result is
// the register complemented): CRC-32 is affine, so a's register moved on
// by len(b) zero bytes, xor b's zero-start register, is the register
// after a‖b.
func crcJoin(crcA uint32, zeroB uint32, lenB int64) uint32 {
	var zeros [32 << 10]byte
	for lenB > 0 {
		n := min(lenB, int64(len(zeros)))
		crcA = crc32.Update(crcA, crc32.IEEETable, zeros[:n])
		lenB -= n
	}
	return ^(crcA ^ zeroB)
}

// rowEncoder turns a table's cells into SpreadsheetML <row> elements.
type rowEncoder struct {
	cols   []string // column letters: A, B, …
	styles map[Format]int
	wrap   int
	num    []byte
}

func newRowEncoder(xw *xlsxWriter, ncols int) *rowEncoder {
	e := &rowEncoder{styles: xw.styles, wrap: xw.wrap}
	for i := range ncols {
		e.cols = append(e.cols, columnLetters(i+1))
	}
	return e
}

func columnLetters(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// appendRow appends data row number row (1-based, the header being 1) with
// the conversions of cellValues: numbers with their format's style, text
// neutralised and long text wrapped, empty text as no cell.
func (e *rowEncoder) appendRow(b []byte, t *Table, row int, cells []any) []byte {
	b = append(b, `<row r="`...)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, `">`...)
	for j, v := range cells {
		if j >= len(e.cols) {
			e.cols = append(e.cols, columnLetters(j+1))
		}
		var fm Format
		if j < len(t.Columns) {
			fm = t.Columns[j].Format
		}
		if c, ok := v.(Cell); ok {
			v, fm = c.Value, c.Format
		}
		// The cases of plain, without boxing its results again.
		switch v := v.(type) {
		case string:
			b = e.appendString(b, j, row, v)
		case float64:
			b = e.appendFloat(b, j, row, fm, v)
		case int:
			b = e.appendFloat(b, j, row, fm, float64(v))
		case int64:
			b = e.appendFloat(b, j, row, fm, float64(v))
		case sql.NullFloat64:
			if v.Valid {
				b = e.appendFloat(b, j, row, fm, v.Float64)
			}
		case bool:
			yes := "否"
			if v {
				yes = "是"
			}
			b = e.appendString(b, j, row, yes)
		case time.Time:
			switch {
			case v.IsZero():
			case fm == FormatDateTime:
				b = e.appendNumber(b, j, row, e.styles[fm], excelTime(v))
			default:
				b = e.appendString(b, j, row, v.Format("2006-01-02 15:04"))
			}
		case fazhi.Method:
			b = e.appendString(b, j, row, v.Label())
		case fazhi.Status:
			b = e.appendString(b, j, row, v.Label())
		}
	}
	return append(b, `</row>`...)
}

// appendString writes text neutralised, long text wrapped, and empty text
// as no cell.
func (e *rowEncoder) appendString(b []byte, col, row int, s string) []byte {
	if s == "" {
		return b
	}
	s = neutralise(s)
	style := 0
	if len(s) > 40 && utf8.RuneCountInString(s) > 40 {
		style = e.wrap
	}
	return e.appendText(b, col, row, style, s)
}

// appendFloat writes a number with its format's style, a per cent as a
// fraction (Excel's % format multiplies by 100), and NaN or ±Inf as no cell.
func (e *rowEncoder) appendFloat(b []byte, col, row int, fm Format, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return b
	}
	if fm == FormatPercent {
		v /= 100
	}
	return e.appendNumber(b, col, row, e.styles[fm], v)
}

func (e *rowEncoder) appendRef(b []byte, col, row, style int) []byte {
	b = append(b, `<c r="`...)
	b = append(b, e.cols[col]...)
	b = strconv.AppendInt(b, int64(row), 10)
	if style != 0 {
		b = append(b, `" s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
	}
	return append(b, '"')
}

func (e *rowEncoder) appendNumber(b []byte, col, row, style int, v float64) []byte {
	b = e.appendRef(b, col, row, style)
	b = append(b, `><v>`...)
	b = strconv.AppendFloat(b, v, 'f', -1, 64)
	return append(b, `</v></c>`...)
}

func (e *rowEncoder) appendText(b []byte, col, row, style int, s string) []byte {
	b = e.appendRef(b, col, row, style)
	b = append(b, ` t="inlineStr"><is><t`...)
	if first, last := s[0], s[len(s)-1]; isXMLSpace(first) || isXMLSpace(last) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	b = appendCellText(b, s)
	return append(b, `</t></is></c>`...)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// maxCellChars is the most UTF-16 code units Excel keeps in a cell.
const maxCellChars = 32767

// appendCellText appends s as the text of a cell: cut to Excel's limit,
// literal _xHHHH_ escaped as Excel expects (_x005F_xHHHH_), then escaped
// for XML, characters XML cannot hold becoming U+FFFD — what excelize does
// for text, in one pass without allocating.
func appendCellText(b []byte, s string) []byte {
	if len(s) > maxCellChars {
		s = cutUTF16(s, maxCellChars)
	}
	// Text that is valid UTF-8 without U+FFC0–U+FFFF (which include the
	// non-characters U+FFFE and U+FFFF) needs no look at its multi-byte
	// characters: most of a Chinese export.
	checkRunes := !utf8.ValidString(s) || strings.Contains(s, "\xef\xbf")
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if !textSpecial[c] || c >= utf8.RuneSelf && !checkRunes {
			i++
			continue
		}
		var esc string
		size := 1
		switch {
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '&':
			esc = "&amp;"
		case c == '\r':
			esc = "&#xD;"
		case c == '_':
			if isBstrEscape(s[i:]) {
				esc = "_x005F_"
			}
		case c < 0x20:
			esc = "\uFFFD"
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			b = append(b, s[start:i]...)
			b = append(b, esc...)
			start = i + size
		}
		i += size
	}
	return append(b, s[start:]...)
}

// textSpecial marks the bytes appendCellText looks at: XML's specials,
// control characters but tab and line feed, the underscore of _xHHHH_, and
// the bytes of multi-byte characters.
var textSpecial = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c < 0x20 && c != '\t' && c != '\n' || c >= utf8.RuneSelf ||
			c == '<' || c == '>' || c == '&' || c == '_'
	}
	return t
}()

// isBstrEscape tells whether s starts with _xHHHH_, which Excel would read
// as the character U+HHHH.
func isBstrEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// cutUTF16 cuts s to at most n UTF-16 code units, on a character boundary.
func cutUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > n {
			return s[:i]
		}
		units += u
	}
	return s
}

// sheetDataEnd is where a worksheet part's rows end.
var sheetDataEnd = []byte("</sheetData>")

// errNotSpliced says a streamed sheet's part was not found when zipping.
var errNotSpliced = errors.New("rows of a streamed sheet not written: its part was not in the package")

// spliceZip is the zip writer of WriteXLSX: a streamed sheet's part, as
// excelize writes it, is held until complete, then written raw as three
// deflate streams joined — its beginning up to </sheetData>, the rows
// deflated as they were encoded, and its end.
type spliceZip struct {
	*zip.Writer
	parts   map[string]*sheetRows // by part name
	held    *sheetRows            // the part being written by excelize …
	part    bytes.Buffer          // … and what it wrote
	spliced int
}

func (z *spliceZip) Create(name string) (io.Writer, error) {
	if err := z.splice(); err != nil {
		return nil, err
	}
	if rows, ok := z.parts[name]; ok {
		z.held = rows
		z.part.Reset()
		return &z.part, nil
	}
	return z.Writer.Create(name)
}

func (z *spliceZip) Close() error {
	if err := z.splice(); err != nil {
		return err
	}
	if z.spliced != len(z.parts) {
		return errNotSpliced
	}
	return z.Writer.Close()
}

// splice writes the held part with its rows.
func (z *spliceZip) splice() error {
	rows := z.held
	if rows == nil {
		return nil
	}
	z.held = nil
	if !rows.ready {
		return fmt.Errorf("%s: rows not flushed", rows.path)
	}
	part := z.part.Bytes()
	cut := bytes.Index(part, sheetDataEnd)
	if cut < 0 {
		return fmt.Errorf("%s: no </sheetData> in the worksheet", rows.path)
	}
	head, tail := part[:cut], part[cut:]
	var zhead, ztail bytes.Buffer
	fw, err := flate.NewWriter(&zhead, flate.BestSpeed)
	if err != nil {
		return err
	}
	_, _ = fw.Write(head)
	if err := fw.Flush(); err != nil {
		return err
	}
	fw.Reset(&ztail)
	_, _ = fw.Write(tail)
	if err := fw.Close(); err != nil {
		return err
	}
	crc := crcJoin(crc32.ChecksumIEEE(head), rows.crc, rows.size)
	w, err := z.Writer.CreateRaw(&zip.FileHeader{
		Name:               rows.path,
		Method:             zip.Deflate,
		CRC32:              crc32.Update(crc, crc32.IEEETable, tail),
		CompressedSize64:   uint64(zhead.Len() + rows.z.Len() + ztail.Len()),
		UncompressedSize64: uint64(int64(len(part)) + rows.size),
	})
	if err != nil {
		return err
	}
	for _, b := range [][]byte{zhead.Bytes(), rows.z.Bytes(), ztail.Bytes()} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	rows.z = bytes.Buffer{} // let it go
	z.spliced++
	return nil
}
