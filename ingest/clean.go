package ingest

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// lineKind classifies a line of the report.
type lineKind int

const (
	lineBody   lineKind = iota // report prose: figures come from here
	lineChrome                 // page chrome: breadcrumbs, 来源/发布时间, footers
	lineSource                 // "# source: URL (notes)" header of a saved page
)

// line is one line of the normalised text, in norm byte offsets.
type line struct {
	kind       lineKind
	start, end int
}

var (
	sourceLine = regexp.MustCompile(`^#\s*source\s*:`)

	// Breadcrumbs and navigation bars; each holds one of breadcrumbHints.
	breadcrumbHints = newLiteralSet("位置", "首页", ">>")
	breadcrumb      = regexp.MustCompile(`当前位置|您的位置|所在位置|所在的位置|现在的位置|当前的位置|^首页\s*[>›»]|>>|[>›»]\s*首页`)

	// Metadata fields of the page: a line starting with one of them, or
	// holding two, is chrome. The publish date is still read from them.
	fieldStart = regexp.MustCompile(`^[【\[]?(?:信息来源|文章来源|来源|发布时间|发布日期|成文日期|日期|时间|更新时间|生成日期|索引号|组配分类|发布机构|主题分类|主题词|名称|文号|访问量|浏览次数|浏览量|点击数|点击量|阅读数|阅读量|字体|字号|作者|编辑|责任编辑|分类|审核|来源单位)\s*[::]`)
	fieldAny   = regexp.MustCompile(`(?:来源|发布时间|发布日期|访问量|浏览次数|点击数|字体|字号|索引号|发布机构|更新时间)\s*[::]?`)

	// Footers, sharing widgets and the date widget of the page header. All
	// but two are anchored at the start of the line, which a regular
	// expression tries at one position only; the two others are literals.
	footer         = regexp.MustCompile(`^(?:分享|分享到|分享文章到|打印|打印本页|关闭|关闭窗口|回到顶部|返回顶部|扫一扫|点击收藏|收藏|加入收藏|TOP|上一篇|下一篇|相关链接|相关文章|版权所有|主办单位|承办单位|网站标识码|网站地图|联系我们|今天是|【大\s*中\s*小】|\[大\s*中\s*小\]|\(此件.{0,8}\)|-+$|\s*(?:TOP\s*)?打印\s*关闭)`)
	footerAnywhere = newLiteralSet("ICP备", "扫一扫在手机")

	// A line that only lists site names ("中国政府网 重庆市人民政府网").
	siteNames = regexp.MustCompile(`^(?:[\p{Han}]{2,14}网\s*)+$`)
)

// maxChromeLine is the byte length above which a line is never chrome.
const maxChromeLine = 400

// chromeHints are words of which every chrome line holds one; lines without
// any skip the regular expressions below.
var chromeHints = newLiteralSet("位置", "首页", ">", "›", "»", "|", "来源", "时间", "日期", "索引", "分类", "机构",
	"名称", "文号", "访问", "浏览", "点击", "阅读", "字体", "字号", "作者", "编辑", "审核", "分享", "打印", "关闭",
	"顶部", "扫一扫", "收藏", "TOP", "上一篇", "下一篇", "链接", "版权", "主办", "承办", "标识", "ICP", "地图",
	"联系", "今天是", "【", "[", "(此件", "-")

func hasChromeHint(s string) bool {
	return strings.HasSuffix(s, "网") || chromeHints.contains(s)
}

func isFooter(s string) bool {
	return footer.MatchString(s) || footerAnywhere.contains(s)
}

// classifyLine tells chrome from prose. The line is folded and trimmed.
func classifyLine(s string) lineKind {
	switch {
	case s == "":
		return lineBody
	case sourceLine.MatchString(s):
		return lineSource
	case len(s) > maxChromeLine, !hasChromeHint(s):
		return lineBody // chrome lines are short and hold one of the hints
	case breadcrumbHints.contains(s) && breadcrumb.MatchString(s), isFooter(s), siteNames.MatchString(s):
		return lineChrome
	case fieldStart.MatchString(s):
		return lineChrome
	case strings.Count(s, "|") >= 2 && utf8.RuneCountInString(s) < 120:
		return lineChrome
	}
	if utf8.RuneCountInString(s) < 120 && len(fieldAny.FindAllStringIndex(s, 3)) >= 2 {
		return lineChrome
	}
	return lineBody
}

// normalize folds the decoded text for matching, cuts spam and junk out of
// it and splits it into classified lines. Every cut is reported with its
// original offsets so that a reviewer sees exactly what was dropped.
func (r *Report) normalize() {
	src := r.Text
	folded, foldedPos := foldText(src)
	spam, junk, counters := spamSpans(folded), junkSpans(folded), collectionChrome(folded)
	// Most reports hold none: then the folded text is the norm text.
	r.norm, r.normPos = folded, foldedPos
	if cuts := mergeSpans(slices.Concat(spam, junk, counters)); len(cuts) > 0 {
		r.norm, r.normPos = cutSpans(folded, foldedPos, cuts)
	}

	report := func(kind string, spans []span) {
		for _, s := range spans {
			ta := int(foldedPos[s.start])
			tb := textEnd(src, int(foldedPos[s.end-1]))
			r.addRemoval(kind, ta, tb)
		}
	}
	report(RemovedSpam, spam)
	report(RemovedJunk, junk)
	report(RemovedChrome, counters)

	r.lines = r.lines[:0]
	for start := 0; start <= len(r.norm); {
		end := strings.IndexByte(r.norm[start:], '\n')
		if end < 0 {
			end = len(r.norm)
		} else {
			end += start
		}
		content := strings.TrimSpace(r.norm[start:end])
		kind := classifyLine(content)
		r.lines = append(r.lines, line{kind: kind, start: start, end: end})
		if kind == lineChrome && content != "" {
			a, b := trimSpan(r.norm, start, end)
			ta, tb := r.normToText(a, b)
			r.addRemoval(RemovedChrome, ta, tb)
		}
		start = end + 1
	}
	sortRemovals(r.Removed)
}

// cutSpans returns s without the sorted, disjoint cuts, and the positions
// of the bytes kept.
func cutSpans(s string, pos []int32, cuts []span) (string, []int32) {
	var kept strings.Builder
	kept.Grow(len(s))
	keptPos := make([]int32, 0, len(s))
	next := 0
	for _, c := range cuts {
		kept.WriteString(s[next:c.start])
		keptPos = append(keptPos, pos[next:c.start]...)
		next = c.end
	}
	kept.WriteString(s[next:])
	keptPos = append(keptPos, pos[next:]...)
	return kept.String(), keptPos
}

// textEnd is the end of the character that starts at byte i of s.
func textEnd(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

// trimSpan shrinks [a, b) of s past leading and trailing white space.
func trimSpan(s string, a, b int) (int, int) {
	for a < b && isSpaceByte(s[a]) {
		a++
	}
	for b > a && isSpaceByte(s[b-1]) {
		b--
	}
	for a < b && strings.HasPrefix(s[a:b], "\u3000") {
		a += 3
	}
	return a, b
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'
}
