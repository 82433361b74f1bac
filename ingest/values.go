package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"fazhi"
)

// parseNumber reads a figure as people type it in a sheet: full-width
// digits, thousands separators and a trailing % are accepted; words,
// units, qualifiers and formulas are not (a figure must be a plain value).
func parseNumber(text string) (v float64, percent bool, err error) {
	s := strings.TrimSpace(narrow(text))
	s = strings.ReplaceAll(s, ",", "")
	s = strings.ReplaceAll(s, " ", "")
	if strings.HasSuffix(s, "%") {
		percent, s = true, strings.TrimSuffix(s, "%")
	}
	if s == "" {
		return 0, false, fmt.Errorf("“%s”不是数字", text)
	}
	if s[0] == '=' {
		return 0, false, fmt.Errorf("“%s”是公式：数值必须直接填写，不能用公式", text)
	}
	for _, r := range s { // ParseFloat also reads hex, inf and nan: refuse them
		if !strings.ContainsRune("0123456789.-+eE", r) {
			return 0, false, fmt.Errorf("“%s”不是数字：数值单元格只能填数字，不带单位、文字或公式", text)
		}
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false, fmt.Errorf("“%s”不是有效的数字", text)
	}
	return v, percent, nil
}

// narrow folds full-width letters, digits and signs (１２３，４５６％) to
// ASCII; plain ASCII, the common case, is returned as it is.
func narrow(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return width.Narrow.String(s)
		}
	}
	return s
}

// parseYear reads 2024, 2024年 or 2024.0 (a number cell) and checks the range.
func parseYear(text string, lim Limits) (int, error) {
	s := strings.TrimSpace(narrow(text))
	s = strings.TrimSuffix(strings.TrimSuffix(s, "年度"), "年")
	s = strings.TrimSuffix(s, ".0")
	y, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("年度“%s”不是年份（应填如 2024）", text)
	}
	if y < lim.MinYear || y > lim.MaxYear {
		return 0, fmt.Errorf("年度 %d 超出允许范围 %d–%d", y, lim.MinYear, lim.MaxYear)
	}
	return y, nil
}

// normUnit folds full-width forms and spaces out of a unit.
func normUnit(u string) string {
	return strings.ReplaceAll(strings.TrimSpace(narrow(u)), " ", "")
}

// figure turns a value cell's text (and the unit written beside it, if
// any) into a value in the catalogue's unit, checked against what the
// indicator can be: a rate 0–100, a count a non-negative integer, an amount
// non-negative.
func figure(ind fazhi.Indicator, text, unit string) (float64, error) {
	v, percent, err := parseNumber(text)
	if err != nil {
		return 0, err
	}
	unit = normUnit(unit)
	if percent {
		if ind.Unit != "%" {
			return 0, fmt.Errorf("“%s”是%s（%s），不是比率，不应带 %%", text, ind.Name, ind.Unit)
		}
		if unit != "" && unit != "%" {
			return 0, fmt.Errorf("“%s”带 %%，但计量单位填的是“%s”", text, unit)
		}
		unit = "%"
	}
	conv, ok := fazhi.ConvertUnit(v, unit, ind.Unit)
	if !ok {
		return 0, fmt.Errorf("计量单位“%s”不能换算为%s的单位“%s”", unit, ind.Name, ind.Unit)
	}
	// Conversions such as 1.2 万人次 → 12000 人次 leave float noise.
	if r := math.Round(conv); unit != ind.Unit && math.Abs(conv-r) < 1e-9*math.Max(1, math.Abs(conv)) {
		conv = r
	}
	switch ind.Kind {
	case fazhi.KindRate:
		if conv < 0 || conv > 100 {
			return 0, fmt.Errorf("%s应在 0–100 之间（填百分数，如 95.5 表示 95.5%%），不能是 %s", ind.Name, text)
		}
	case fazhi.KindCount:
		if conv < 0 || conv != math.Trunc(conv) {
			return 0, fmt.Errorf("%s是计数，应为非负整数，不能是 %s", ind.Name, text)
		}
	default:
		if conv < 0 {
			return 0, fmt.Errorf("%s不能为负数", ind.Name)
		}
	}
	return conv, nil
}
