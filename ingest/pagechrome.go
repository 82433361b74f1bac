package ingest

import (
	"regexp"
	"strings"
)

// Essay and collection sites (范文网) put a counter of the collection and
// its page into the title line: "司法局2022年度法治政府建设工作报告-23篇(第26/40页)".
// It is chrome: 23篇 counts the site's reports, not the report's work.
var (
	pageCounter = regexp.MustCompile(`(?:\s*[-_—–|]\s*\d{1,4}\s*篇)?\s*\(\s*第\s*\d{1,4}\s*(?:/\s*\d{1,4}\s*)?页\s*\)\s*$`)
	setCounter  = regexp.MustCompile(`\s*[-_—–|]\s*\d{1,4}\s*篇\s*$`)
	// reportWords: a line that names a report; only there a bare "-23篇"
	// at the end of the line is a collection counter.
	reportWords = newLiteralSet("报告", "总结", "汇报", "范文")
)

// maxTitleLine is the byte length above which a line is never a title.
const maxTitleLine = 300

// collectionChrome finds those counters at the end of short lines of
// folded. It looks only at line ends: a search for 篇 through the whole
// text would cost more than the scan for newlines.
func collectionChrome(folded string) []span {
	var out []span
	for start := 0; start < len(folded); {
		end := strings.IndexByte(folded[start:], '\n')
		if end < 0 {
			end = len(folded)
		} else {
			end += start
		}
		ln := strings.TrimRight(folded[start:end], " \t\r")
		if len(ln) <= maxTitleLine && (strings.HasSuffix(ln, "页)") || strings.HasSuffix(ln, "篇")) {
			loc := pageCounter.FindStringIndex(ln)
			if loc == nil && reportWords.contains(ln) {
				loc = setCounter.FindStringIndex(ln)
			}
			if loc != nil && loc[0] > 0 {
				out = append(out, span{start + loc[0], start + loc[1]})
			}
		}
		start = end + 1
	}
	return out
}
