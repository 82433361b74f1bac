package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// readJSON reads an array of observation objects, or an object whose
// "observations" holds one. Keys are the long table's headers (org, year,
// indicator, value, unit, note …, in English or Chinese); values are
// numbers or strings. Problems are placed by line.
func readJSON(c *collector, data []byte) error {
	name := c.up.Source.FileName
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	lines := lineCounter{data: data, line: 1}
	syntax := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fileError(name, "第 %d 行不是有效的 JSON（%v）", lines.at(se.Offset), err)
		}
		return fileError(name, "不是有效的 JSON（%v）", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return syntax(err)
	}
	if tok == json.Delim('{') {
		found := false
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return syntax(err)
			}
			if key == "observations" {
				found = true
				break
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return syntax(err)
			}
		}
		if !found {
			return fileError(name, `JSON 对象中没有 "observations" 数组`)
		}
		if tok, err = dec.Token(); err != nil {
			return syntax(err)
		}
	}
	if tok != json.Delim('[') {
		return fileError(name, `JSON 应为数组，或含 "observations" 数组的对象`)
	}
	unknown := map[string]bool{}
	var l layout
	for i := range l {
		l[i] = int(i)
	}
	for dec.More() {
		line := lines.at(nextValue(data, dec.InputOffset()))
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return fileError(name, "第 %d 行：数组的每一项都应是对象（{…}）", line)
			}
			return syntax(err)
		}
		if c.up.Rows >= c.lim.MaxRows {
			return fileError(name, "数据超过 %d 条的上限：请分成几个文件上传", c.lim.MaxRows)
		}
		cells := make([]string, ncols)
		var bad []string
		for k, v := range obj {
			col, ok := headerIndex[normHeader(k)]
			if !ok {
				unknown[k] = true
				continue
			}
			switch v := v.(type) {
			case nil:
			case string:
				cells[col] = v
			case json.Number:
				cells[col] = v.String()
			default:
				bad = append(bad, k)
			}
		}
		if len(bad) > 0 {
			c.startRow()
			c.refuse(c.problem(rowPos{line: line}, l, colValue, fmt.Sprintf("字段 %s 的值应是数字或文字", strings.Join(bad, "、"))))
			continue
		}
		if blankRecord(cells) {
			c.startRow()
			c.refuse(c.problem(rowPos{line: line}, l, colValue, "空对象"))
			continue
		}
		c.tableRow(cells, l, rowPos{line: line})
	}
	if _, err := dec.Token(); err != nil {
		return syntax(err)
	}
	if len(unknown) > 0 {
		keys := make([]string, 0, len(unknown))
		for k := range unknown {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		c.notice("未识别的字段已忽略：%s", strings.Join(keys, "、"))
	}
	return nil
}

// nextValue skips the whitespace and comma after offset, to where the next
// array element begins.
func nextValue(data []byte, offset int64) int64 {
	for offset < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[offset]) >= 0 {
		offset++
	}
	return offset
}

// lineCounter turns increasing byte offsets into line numbers.
type lineCounter struct {
	data []byte
	off  int64
	line int
}

func (lc *lineCounter) at(offset int64) int {
	if offset < lc.off { // an error's offset may step back: count afresh
		lc.off, lc.line = 0, 1
	}
	offset = min(offset, int64(len(lc.data)))
	lc.line += bytes.Count(lc.data[lc.off:offset], []byte("\n"))
	lc.off = offset
	return lc.line
}
