package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	// closingYear is the formula that ends an opening paragraph: "现将2025年
	// 工作情况总结如下", "现将2023年度法治政府建设情况报告如下".
	closingYear = regexp.MustCompile(`现将\s*((?:19|20)\d{2})\s*年度?[^。;\n]{0,30}?(?:报告|总结|汇报)(?:如下|于后)`)
	// reportNameYear is the report named in its own text: "…2023年度法治政府
	// 建设情况报告". A plan (工作要点, 规划) is not a report.
	reportNameYear = regexp.MustCompile(`((?:19|20)\d{2})\s*年度?\s*(?:[\p{Han}]{0,12}?)法治政府建设(?:工作)?(?:情况|工作)?(?:的)?(?:年度)?(?:报告|总结)`)
	// selfYear is a sentence that opens with a year and the reporting
	// unit as its subject: "…。2021年,我局查办…", "2020年局领导及全体机关干部…".
	selfYear = regexp.MustCompile(`(?:^|[。;!?])\s*((?:19|20)\d{2})\s*年(?:度|以来)?\s*[,、]?\s*(?:我|本|全局|局|委|院|全体|机关|全[区县市镇乡])`)
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
		if !strings.Contains(s, "年") {
			continue
		}
		if closing == nil {
			if loc := closingYear.FindStringSubmatchIndex(s); loc != nil {
				y, _ := strconv.Atoi(s[loc[2]:loc[3]])
				closing = &hit{y, ln.start + loc[2], ln.start + loc[3]}
			}
		}
		if named == nil {
			for _, loc := range reportNameYear.FindAllStringSubmatchIndex(s, -1) {
				if !standsAlone(s, loc[2]) || inBookTitle(s, loc[2]) {
					continue
				}
				y, _ := strconv.Atoi(s[loc[2]:loc[3]])
				named = &hit{y, ln.start + loc[2], ln.start + loc[3]}
				break
			}
		}
		for _, loc := range selfYear.FindAllStringSubmatchIndex(s, -1) {
			rest := s[loc[1]:min(len(s), loc[1]+24)]
			if cut := strings.IndexAny(rest, ",。;"); cut >= 0 {
				rest = rest[:cut]
			}
			if futureHints.contains(rest) {
				continue
			}
			y, _ := strconv.Atoi(s[loc[2]:loc[3]])
			if self == nil || y > self.y {
				self = &hit{y, ln.start + loc[2], ln.start + loc[3]}
			}
		}
	}
	for _, h := range []*hit{closing, named, self} {
		if h != nil {
			return strconv.Itoa(h.y), h.a, h.b, SourceBody, true
		}
	}
	return "", 0, 0, "", false
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
