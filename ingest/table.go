package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"fazhi"
)

// column is a field of a long table: one row per figure.
type column int

const (
	colOrg column = iota // org code (or full name)
	colOrgName
	colRegion
	colYear
	colIndicator // indicator code (or name)
	colIndicatorName
	colValue
	colUnit
	colNote
	colSource
	ncols
)

// columnNames are the headers each column is known by, normalised (see
// normHeader). 单位 alone is the org, as in every Chinese form; the unit of
// measure is 计量单位.
var columnNames = map[column][]string{
	colOrg:           {"org", "orgcode", "单位编码", "单位代码", "机构编码", "机构代码"},
	colOrgName:       {"orgname", "单位", "单位名称", "单位全称", "填报单位", "机构", "机构名称", "部门", "部门名称"},
	colRegion:        {"region", "地区", "所属地区", "区县", "市县", "行政区划"},
	colYear:          {"year", "年度", "年份", "年"},
	colIndicator:     {"indicator", "indicatorcode", "指标", "指标代码", "指标编码"},
	colIndicatorName: {"indicatorname", "指标名称"},
	colValue:         {"value", "数值", "填报数值", "值", "数据", "数量"},
	colUnit:          {"unit", "计量单位"},
	colNote:          {"note", "notes", "comment", "备注", "说明"},
	colSource:        {"source", "数据来源", "来源"},
}

var headerIndex = func() map[string]column {
	m := map[string]column{}
	for col, names := range columnNames {
		for _, n := range names {
			m[n] = col
		}
	}
	return m
}()

// normHeader folds what people vary in headers: case, full-width forms,
// spaces, _ and -, a BOM, a required-field *, and a trailing (…) or （…）.
func normHeader(h string) string {
	h = strings.ToLower(narrow(strings.TrimPrefix(h, "\ufeff")))
	if i := strings.IndexAny(h, "("); i > 0 {
		h = h[:i]
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '_' || r == '-' || r == '*' || r == '\t' {
			return -1
		}
		return r
	}, strings.TrimSpace(h))
}

// layout is where each column stands in a long table's rows (-1: absent).
type layout [ncols]int

// tableLayout reads a header row. It fails when a required column is
// missing or a column appears twice; unknown headers are returned to be
// mentioned, not refused.
func tableLayout(header []string) (layout, []string, error) {
	var l layout
	for i := range l {
		l[i] = -1
	}
	var unknown []string
	for i, h := range header {
		if strings.TrimSpace(h) == "" {
			continue
		}
		col, ok := headerIndex[normHeader(h)]
		if !ok {
			unknown = append(unknown, strings.TrimSpace(h))
			continue
		}
		if l[col] >= 0 {
			return l, nil, fmt.Errorf("“%s”和“%s”是同一列，只能保留一个", header[l[col]], h)
		}
		l[col] = i
	}
	var missing []string
	if l[colOrg] < 0 && l[colOrgName] < 0 {
		missing = append(missing, "单位编码或单位名称（org / org_name）")
	}
	if l[colYear] < 0 {
		missing = append(missing, "年度（year）")
	}
	if l[colIndicator] < 0 && l[colIndicatorName] < 0 {
		missing = append(missing, "指标（indicator）")
	}
	if l[colValue] < 0 {
		missing = append(missing, "数值（value）")
	}
	if len(missing) > 0 {
		return l, unknown, fmt.Errorf("缺少列：%s。长表每行一个数值，列为：单位编码或单位名称（可加“地区”）、年度、指标、数值，可选计量单位、备注、数据来源", strings.Join(missing, "、"))
	}
	return l, unknown, nil
}

// rowPos places a long-table row: a line of a text file, or a row of a sheet.
type rowPos struct {
	line  int
	sheet string
	row   int
}

// problem places a problem at a column of the row.
func (c *collector) problem(pos rowPos, l layout, col column, reason string) fazhi.Problem {
	p := fazhi.Problem{File: c.up.Source.FileName, Line: pos.line, Reason: reason}
	if pos.sheet != "" {
		p.Line, p.Sheet = 0, pos.sheet
		if l[col] >= 0 {
			p.Cell, _ = excelize.CoordinatesToCellName(l[col]+1, pos.row)
		} else {
			p.Cell = fmt.Sprintf("%d", pos.row) // the row, when the column is absent
		}
	}
	return p
}

// tableRow reads one row of a long table.
func (c *collector) tableRow(cells []string, l layout, pos rowPos) {
	get := func(col column) string {
		if i := l[col]; i >= 0 && i < len(cells) {
			return strings.TrimSpace(cells[i])
		}
		return ""
	}
	blank := true
	for _, cell := range cells {
		if strings.TrimSpace(cell) != "" {
			blank = false
			break
		}
	}
	if blank {
		return
	}
	c.startRow()
	for col := column(0); col < ncols; col++ {
		// Bytes bound runes: count runes only for a cell that may be too long.
		if v := get(col); len(v) <= c.lim.MaxCellChars {
			continue
		} else if n := utf8.RuneCountInString(v); n > c.lim.MaxCellChars {
			c.refuse(c.problem(pos, l, col, fmt.Sprintf("单元格有 %d 个字符，超过上限 %d", n, c.lim.MaxCellChars)))
			return
		}
	}
	var ref fazhi.OrgRef
	switch org, name, region := get(colOrg), get(colOrgName), get(colRegion); {
	case org != "":
		ref.Code = org
	case name != "" && region != "":
		ref.Region, ref.Name = region, name
	case name != "":
		ref.FullName = name
	default:
		c.refuse(c.problem(pos, l, colOrgName, "没有填写单位"))
	}
	year, err := parseYear(get(colYear), c.lim)
	if err != nil {
		c.refuse(c.problem(pos, l, colYear, err.Error()))
	}
	indText, indCol := get(colIndicator), colIndicator
	if indText == "" {
		indText, indCol = get(colIndicatorName), colIndicatorName
	}
	var ind fazhi.Indicator
	if indText == "" {
		c.refuse(c.problem(pos, l, indCol, "没有填写指标"))
	} else if ind, err = c.indicator(indText); err != nil {
		c.refuse(c.problem(pos, l, indCol, err.Error()))
	}
	text := get(colValue)
	var value float64
	switch {
	case text == "":
		c.refuse(c.problem(pos, l, colValue, "没有填写数值"))
	case ind.Code != "":
		if value, err = figure(ind, text, get(colUnit)); err != nil {
			c.refuse(c.problem(pos, l, colValue, err.Error()))
		}
	}
	if c.bad {
		return
	}
	loc := "line " + strconv.Itoa(pos.line)
	if pos.sheet != "" {
		cell, _ := excelize.CoordinatesToCellName(l[colValue]+1, pos.row)
		loc = pos.sheet + "!" + cell
	}
	c.add(ref, fazhi.Observation{Year: year, IndicatorCode: ind.Code, Value: value, Unit: ind.Unit,
		Quote: text, Location: loc, Note: joinNote(get(colNote), get(colSource))})
}
