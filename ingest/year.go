package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	// closingTail follows 现将 and a year in the formula that ends an
	// opening paragraph: "现将2025年工作情况总结如下", "现将2023年度法治政府
	// 建设情况报告如下".
	closingTail = regexp.MustCompile(`^\s*年度?[^。;\n]{0,30}?(?:报告|总结|汇报)(?:如下|于后)`)
	// reportNameTail follows the year in the report's name in its own text:
	// "…2023年度法治政府建设情况报告". A plan (工作要点, 规划) is not a report.
	reportNameTail = regexp.MustCompile(`^\s*年度?\s*[\p{Han}]{0,12}?法治政府建设(?:工作)?(?:情况|工作)?(?:的)?(?:年度)?(?:报告|总结)`)
	// selfTail follows a year that opens a sentence whose subject is the
	// reporting unit: "…。2021年,我局查办…", "2020年局领导及全体机关干部…".
	selfTail = regexp.MustCompile(`^\s*年(?:度|以来)?\s*[,、]?\s*(?:我|本|全局|局|委|院|全体|机关|全[区县市镇乡])`)
	// futureHints after the subject make the year a plan: "2022年,我局将…".
	futureHints = newLiteralSet("将", "拟", "计划", "打算", "力争", "预计")
)

// statedYear is the year the report states outside its title and opening
// line: in the closing formula of the opening paragraph, in its own name,
// or as the year its unit did things. Dates (2021年3月), ranges
// (2018-2020年), deadlines (截至2022年) and documents in 《》 are not the
// report's year; neither is a year of plans (2022年,我局将…). Among the
// sentences that open with the unit's deeds the latest year is the one
// reported on; earlier ones look back.
func (r *Report) statedYear() (year string, a, b int, src string, ok bool) {
	type hit struct {
		y    int
		a, b int
	}
	var closing, named, self *hit
	for _, ln := range r.lines {
		if ln.kind != lineBody || ln.start == ln.end {
			continue
		}
		s := r.norm[ln.start:ln.end]
		// A byte scan for the years is far cheaper than three regular
		// expressions over every line.
		for i := 0; i+4 < len(s); i++ {
			if !isYearAt(s, i) {
				continue
			}
			tail := s[i+4:]
			if !strings.HasPrefix(strings.TrimLeft(tail, " "), "年") {
				i += 3
				continue
			}
			y, _ := strconv.Atoi(s[i : i+4])
			h := &hit{y, ln.start + i, ln.start + i + 4}
			before := strings.TrimRight(s[:i], " ")
			switch {
			case closing == nil && strings.HasSuffix(before, "现将") && closingTail.MatchString(tail):
				closing = h
			case named == nil && standsAlone(s, i) && !inBookTitle(s, i) && reportNameTail.MatchString(tail):
				named = h
			case opensSentence(before) && (self == nil || y > self.y):
				if loc := selfTail.FindStringIndex(tail); loc != nil {
					rest := tail[loc[1]:min(len(tail), loc[1]+24)]
					if cut := strings.IndexAny(rest, ",。;"); cut >= 0 {
						rest = rest[:cut]
					}
					if !futureHints.contains(rest) {
						self = h
					}
				}
			}
			i += 3
		}
	}
	for _, h := range []*hit{closing, named, self} {
		if h != nil {
			return strconv.Itoa(h.y), h.a, h.b, SourceBody, true
		}
	}
	return "", 0, 0, "", false
}

// isYearAt says whether s holds a year of four digits, 19xx or 20xx, at
// byte i that is not part of a longer number.
func isYearAt(s string, i int) bool {
	if s[i] != '1' && s[i] != '2' || i > 0 && isDigitByte(s[i-1]) || s[i:i+2] != "19" && s[i:i+2] != "20" {
		return false
	}
	return isDigitByte(s[i+2]) && isDigitByte(s[i+3]) && (i+4 == len(s) || !isDigitByte(s[i+4]))
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// opensSentence says whether text ending in before is the end of a
// sentence, or nothing.
func opensSentence(before string) bool {
	if before == "" {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune("。;!?", last)
}

// standsAlone says whether the year at byte i of s is not the end of a
// range or deadline: 2018-2020年, 2018至2020年, 截至2022年.
func standsAlone(s string, i int) bool {
	prev, size := utf8.DecodeLastRuneInString(s[:i])
	if size == 0 {
		return true
	}
	return !strings.ContainsRune("-—~～至到0123456789", prev)
}

// inBookTitle says whether byte i of s is inside 《…》.
func inBookTitle(s string, i int) bool {
	open := strings.LastIndex(s[:i], "《")
	return open >= 0 && !strings.Contains(s[open:i], "》")
}
