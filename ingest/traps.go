package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A number is a trap, not a figure, when it is an ordinal (第五届), part of
// a code (G20), a bound of a range (1-4年级, 2018-2019), an article (作为一项
// 工作) or has no unit at all: years, dates with or without 年月日
// (2019129日, 202025), document numbers (〔2019〕153号, 令第289号), times,
// list numbers and a number cut off by the end of a truncated text all fall
// in that last group. Slogans, quoted names and document titles are
// skipped before, in lineFigures.

// listContinuation is the end of "…18项、申请材料": an enumeration whose next
// item lost its unit to a truncated text.
var listContinuation = regexp.MustCompile(`\d(?:项|件|个|名|人|次|条|份)、[\p{Han}]{2,8}$`)

const rangeMarks = "-—~～至到"

var rangeMarkSet = newRuneBits(rangeMarks)

func (r *Report) isTrap(ln line, f *rawFigure, isLast bool) bool {
	before := strings.TrimRight(r.norm[ln.start:f.numA], " \t")
	prev := trailingRune(before)
	switch {
	case prev == '第':
		return true
	case prev < utf8.RuneSelf && (prev >= 'a' && prev <= 'z' || prev >= 'A' && prev <= 'Z' || prev == '/' || prev == '#'):
		return true
	case rangeMarkSet.has(prev):
		p2 := trailingRune(strings.TrimSuffix(before, string(prev)))
		if p2 >= '0' && p2 <= '9' || isChineseNumeral(p2) {
			return true
		}
	}
	after := r.norm[f.b:ln.end]
	if next := leadingRune(after); rangeMarkSet.has(next) && f.unit == "" {
		return true
	}
	if f.unit == "" {
		// Only an enumeration item at the very end of a cut-off text may
		// keep a number whose unit was lost; "我局原有11" may not.
		if isLast && strings.TrimSpace(after) == "" && !f.chinese && listContinuation.MatchString(before) {
			f.conf = -0.3
			return false
		}
		return true
	}
	if f.bareOne && f.qualifier == "" && (suffixOf(before, articleVerbs...) != "" || strings.Contains("支种套批本张", f.unit)) {
		return true // 作为一项工作, 构建一支队伍, 一本账, 一张网: an article or a slogan, not a count
	}
	return false
}
