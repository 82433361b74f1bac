package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// workbook is an uploaded .xlsx whose zip structure passed checkZip.
type workbook struct {
	name   string
	zip    *zip.Reader
	sheets map[string]string // sheet name → part path, e.g. xl/worksheets/sheet1.xml
	file   *excelize.File
}

// maxZipEntries bounds the parts of a workbook; a real one has a few dozen.
const maxZipEntries = 10_000

// openWorkbook checks the zip before anything is inflated — the number of
// parts, their declared uncompressed sizes and compression ratios — then
// opens it with excelize under the same size limit.
func openWorkbook(c *collector, data []byte) (*workbook, error) {
	name := c.up.Source.FileName
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fileError(name, "不是有效的 .xlsx 工作簿（%v）", err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, fileError(name, "工作簿包含 %d 个部件，超过上限 %d，拒绝读取", len(zr.File), maxZipEntries)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(c.lim.MaxUnzipped) {
			return nil, fileError(name, "工作簿解压后超过 %s 的上限，疑似压缩炸弹，拒绝读取", sizeLabel(c.lim.MaxUnzipped))
		}
		// Small parts compress well legitimately; a large part with an
		// extreme ratio is a bomb.
		if f.UncompressedSize64 > 1<<20 && f.UncompressedSize64 > uint64(c.lim.MaxRatio)*max(f.CompressedSize64, 1) {
			return nil, fileError(name, "工作簿部件 %s 的压缩比超过 %d:1，疑似压缩炸弹，拒绝读取", f.Name, c.lim.MaxRatio)
		}
	}
	wb := &workbook{name: name, zip: zr}
	if wb.sheets, err = sheetParts(zr); err != nil {
		return nil, fileError(name, "不是有效的 .xlsx 工作簿（%v）", err)
	}
	// Sheets over 4 MB unzipped are spooled to a temporary file and streamed
	// from there by Rows(), so a 100,000-row sheet never sits in memory whole.
	wb.file, err = excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: c.lim.MaxUnzipped, UnzipXMLSizeLimit: 4 << 20})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(err.Error(), "password") {
			return nil, fileError(name, "无法打开工作簿（%v）：如设置了打开密码，请取消后再上传", err)
		}
		return nil, fileError(name, "无法打开工作簿（%v）", err)
	}
	return wb, nil
}

func (wb *workbook) Close() error { return wb.file.Close() }

// sheetParts maps sheet names to their parts through xl/workbook.xml and
// its relationships, which excelize does not expose.
func sheetParts(zr *zip.Reader) (map[string]string, error) {
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(zr, "xl/workbook.xml", &book); err != nil {
		return nil, err
	}
	if err := decodePart(zr, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range book.Sheets {
		out[s.Name] = targets[s.RID]
	}
	return out, nil
}

func decodePart(zr *zip.Reader, name string, v any) error {
	f, err := zr.Open(name)
	if err != nil {
		return fmt.Errorf("缺少 %s", name)
	}
	defer f.Close()
	if err := xml.NewDecoder(f).Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// hasFormula reports whether a sheet part holds a formula element: <f>,
// <f …>, <f/> or a prefixed <x:f>. A byte scan, far cheaper than parsing
// the XML of a large sheet.
func hasFormula(raw []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(raw[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		name := i // the element's local name starts here, or after a prefix
		k := i
		for k < len(raw) && isNameByte(raw[k]) {
			k++
		}
		if k < len(raw) && raw[k] == ':' {
			name = k + 1
			for k = name; k < len(raw) && isNameByte(raw[k]); k++ {
			}
		}
		if k == name+1 && raw[name] == 'f' && k < len(raw) && strings.IndexByte(" \t\r\n>/", raw[k]) >= 0 {
			return true
		}
	}
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// formulaCell returns the first cell of a sheet that holds a formula, or ""
// when none does. A streamed byte scan rules most sheets out without
// holding the sheet in memory; only a sheet that has one is parsed to name
// the cell.
func (wb *workbook) formulaCell(sheet string) (string, error) {
	part := wb.sheets[sheet]
	f, err := wb.zip.Open(part)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", part, err)
	}
	found, err := streamHasFormula(f)
	f.Close()
	if err != nil {
		return "", fmt.Errorf("read %s: %w", part, err)
	}
	if !found {
		return "", nil
	}
	if f, err = wb.zip.Open(part); err != nil {
		return "", fmt.Errorf("open %s: %w", part, err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var cell string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return "", nil
		} else if err != nil {
			return "", fmt.Errorf("read %s: %w", part, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "c":
				for _, a := range se.Attr {
					if a.Name.Local == "r" {
						cell = a.Value
					}
				}
			case "f":
				return cell, nil
			}
		}
	}
}

// streamHasFormula is hasFormula over a stream, read in chunks. A tag cut
// by a chunk's end is carried to the next chunk whole: only its first few
// bytes decide, so a carry of maxTagHead bytes is enough.
func streamHasFormula(r io.Reader) (bool, error) {
	const maxTagHead = 64
	buf := make([]byte, 64<<10)
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:])
		data := buf[:carry+n]
		more := err == nil
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return false, err
		}
		end := len(data)
		if k := bytes.LastIndexByte(data, '<'); more && k >= 0 && len(data)-k < maxTagHead {
			end = k
		}
		if hasFormula(data[:end]) {
			return true, nil
		}
		if !more {
			return false, nil
		}
		carry = copy(buf, data[end:])
	}
}

// sheetRowsHint is the number of rows a sheet's <dimension ref="A1:F1000">
// states, read from the head of its part; 0 when it states none. It only
// sizes memory: the rows themselves are counted as they are read.
func (wb *workbook) sheetRowsHint(sheet string) int {
	f, err := wb.zip.Open(wb.sheets[sheet])
	if err != nil {
		return 0
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	m := dimensionRef.FindSubmatch(head[:n])
	if m == nil {
		return 0
	}
	rows, _ := strconv.Atoi(string(m[1]))
	return rows
}

var dimensionRef = regexp.MustCompile(`<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d{1,9})"`)

// refuseFormulas fails when a sheet that is read holds a formula: a figure
// must be a value a person vouches for, not a calculation whose cached
// result may be stale.
func (wb *workbook) refuseFormulas(sheet string) error {
	cell, err := wb.formulaCell(sheet)
	if err != nil {
		return fileError(wb.name, "%v", err)
	}
	if cell != "" {
		return fileError(wb.name, "%s!%s 是公式：数值必须直接填写，不能用公式。请复制这些单元格后“选择性粘贴 → 数值”，再上传", sheet, cell)
	}
	return nil
}

// readWorkbook reads a filled template, or else a long table from the
// first sheet with a recognisable header.
func readWorkbook(c *collector, data []byte) error {
	wb, err := openWorkbook(c, data)
	if err != nil {
		return err
	}
	defer wb.Close()
	if meta, err := readTemplateMeta(wb); err != nil {
		return err
	} else if meta != nil {
		c.up.Format, c.up.Template = FormatTemplate, meta
		return readTemplate(c, wb, *meta)
	}
	c.up.Format = FormatSheet
	var why []string
	for _, sheet := range wb.file.GetSheetList() {
		if visible, _ := wb.file.GetSheetVisible(sheet); !visible {
			continue
		}
		found, headerErr, err := readSheetTable(c, wb, sheet)
		if found || err != nil {
			return err
		}
		if headerErr != nil {
			why = append(why, fmt.Sprintf("工作表“%s”：%v", sheet, headerErr))
		} else {
			why = append(why, fmt.Sprintf("工作表“%s”前 %d 行中没有表头", sheet, headerSearchRows))
		}
	}
	return fileError(wb.name, "既不是系统下载的填报模板，也没有找到长表的表头（%s）。长表每行一个数值，"+
		"表头为：单位编码或单位名称（可加“地区”）、年度、指标、数值，可选计量单位、备注、数据来源",
		strings.Join(why, "；"))
}

// headerSearchRows is how far down a sheet a long table's header may start
// (a title may stand above it).
const headerSearchRows = 10

// readSheetTable reads a long table from one sheet, streaming its rows. It
// reports whether the sheet had a header, and else why the likeliest row
// was not one.
func readSheetTable(c *collector, wb *workbook, sheet string) (found bool, headerErr, err error) {
	rows, err := wb.file.Rows(sheet)
	if err != nil {
		return false, nil, fileError(wb.name, "无法读取工作表“%s”（%v）", sheet, err)
	}
	defer rows.Close()
	var l layout
	header, n, best := false, 0, -1
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return header, nil, fileError(wb.name, "工作表“%s”第 %d 行无法读取（%v）", sheet, n, err)
		}
		if !header {
			if n > headerSearchRows {
				return false, headerErr, nil
			}
			if blankRecord(cells) {
				continue
			}
			lay, unknown, err := tableLayout(cells)
			if err != nil {
				// The row with the most known headers is the one meant as a header.
				if known := countKnown(cells); known > best {
					best, headerErr = known, fmt.Errorf("第 %d 行%v", n, err)
				}
				continue
			}
			l = lay
			// Only now that the sheet is known to be read: refuse formulas.
			if err := wb.refuseFormulas(sheet); err != nil {
				return true, nil, err
			}
			if len(unknown) > 0 {
				c.notice("未识别的列已忽略：%s", strings.Join(unknown, "、"))
			}
			header = true
			// Size the rows once instead of growing them by doubling, which
			// for 100,000 rows would hold twice the memory.
			if hint := min(wb.sheetRowsHint(sheet)-n, c.lim.MaxSheetRows); hint > 0 {
				c.up.Observations = slices.Grow(c.up.Observations, hint)
				c.up.OrgOf = slices.Grow(c.up.OrgOf, hint)
			}
			continue
		}
		if c.up.Rows >= c.lim.MaxSheetRows {
			return true, nil, fileError(wb.name, "工作表“%s”数据超过 %d 行的上限：请分成几个文件上传", sheet, c.lim.MaxSheetRows)
		}
		c.tableRow(cells, l, rowPos{sheet: sheet, row: n})
	}
	if err := rows.Error(); err != nil {
		return header, nil, fileError(wb.name, "工作表“%s”无法读取（%v）", sheet, err)
	}
	return header, headerErr, nil
}

func countKnown(cells []string) int {
	n := 0
	for _, h := range cells {
		if _, ok := headerIndex[normHeader(h)]; ok {
			n++
		}
	}
	return n
}
