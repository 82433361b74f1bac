package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"fazhi"
)

// readCSV reads a long table from CSV (or TSV): one header row, then one
// figure per row.
func readCSV(c *collector, data []byte) error {
	name := c.up.Source.FileName
	text, enc, err := decodeCSV(data)
	if err != nil {
		return fileError(name, "%v", err)
	}
	if enc != "UTF-8" {
		c.notice("按 %s 编码读取", enc)
	}
	// A line is a row: size the slices once instead of growing them by
	// doubling, which for a million rows would hold twice the memory.
	lines := min(strings.Count(text, "\n")+1, c.lim.MaxRows)
	c.up.Observations = make([]fazhi.Observation, 0, lines)
	c.up.OrgOf = make([]int32, 0, lines)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delimiter(text)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var l layout
	header := false
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fileError(name, "第 %d 行无法读取（%v）：请检查引号是否成对", pe.StartLine, pe.Err)
		} else if err != nil {
			return fileError(name, "%v", err)
		}
		line, _ := r.FieldPos(0)
		if !header {
			if blankRecord(rec) {
				continue
			}
			var unknown []string
			if l, unknown, err = tableLayout(rec); err != nil {
				return fileError(name, "第 %d 行（表头）%v", line, err)
			}
			if len(unknown) > 0 {
				c.notice("未识别的列已忽略：%s", strings.Join(unknown, "、"))
			}
			header = true
			continue
		}
		if c.up.Rows >= c.lim.MaxRows {
			return fileError(name, "数据超过 %d 行的上限：请分成几个文件上传", c.lim.MaxRows)
		}
		c.tableRow(rec, l, rowPos{line: line})
	}
	if !header {
		return fileError(name, "没有表头行")
	}
	return nil
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// decodeCSV returns the text of a CSV file and the encoding it was in:
// UTF-8 (a BOM is dropped), UTF-16 with a BOM (Excel's “Unicode text”), or
// else GB18030, which is what Excel and WPS on a Chinese Windows save as
// “CSV” — GB18030 is a superset of GBK and GB2312.
func decodeCSV(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", "", errors.New("UTF-16 编码有误，无法读取")
		}
		return string(out), "UTF-16", nil
	}
	if utf8.Valid(data) {
		return string(data), "UTF-8", nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) {
		return "", "", errors.New("既不是 UTF-8 也不是 GB18030（GBK）编码的文本，无法读取：请另存为“CSV UTF-8”")
	}
	return string(out), "GB18030", nil
}

// delimiter guesses the field separator from the header line: a comma, or a
// tab (TSV, Excel's “Unicode text”), or a semicolon (European Excel).
func delimiter(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	best, n := ',', strings.Count(line, ",")
	for _, d := range []rune{'\t', ';'} {
		if k := strings.Count(line, string(d)); k > n {
			best, n = d, k
		}
	}
	return best
}
