package ingest

import (
	"math"
	"strings"
	"unicode/utf8"

	"fazhi"
)

// Figure is one quantity a report states.
//
// Value convention: multipliers are applied and the unit is the unit as
// written without them, so 2.2万元 is Value 22000, Unit 元 and 30余万人 is
// 300000 人 with Qualifier 余. Number keeps the number as written (2.2万,
// 30余万, 四) for review.
type Figure struct {
	File       string  `json:"file"`
	Region     string  `json:"region"`
	Bureau     string  `json:"bureau"`
	BureauType string  `json:"bureau_type,omitempty"`
	Year       int     `json:"year"`
	Indicator  string  `json:"indicator"` // catalogue code, or "" when no indicator fits
	Label      string  `json:"label"`     // what is counted, in simplified characters: a noun phrase, or for people who did something its verb phrase (持有执法证人员参加换证考试)
	Value      float64 `json:"value"`
	Unit       string  `json:"unit"`
	Qualifier  string  `json:"qualifier"` // 余, 多, 约, 近, 超过, 不少于, 逾, 达, 以上, 左右
	Number     string  `json:"number"`    // the number as written (folded)
	Quote      string  `json:"quote"`     // original text of [Start, End)
	Start      int     `json:"start"`     // byte offsets in the original file
	End        int     `json:"end"`
	Sentence   string  `json:"sentence"`
	Confidence float64 `json:"confidence"`
}

// preQualifiers come before a number, longest first.
var preQualifiers = []string{"不少于", "不低于", "超过", "多于", "高于", "达到", "约", "近", "逾", "超", "达"}

// postQualifiers come after the number or its unit.
var postQualifiers = []string{"以上", "左右", "余", "多"}

// delimiters end a clause for labels and indicator context.
const clauseDelims = ",;。!?:;\n"

// rawFigure is a figure in norm coordinates before it is dressed up.
type rawFigure struct {
	a, b      int // quote span: qualifier, number, unit
	numA      int // start of the number itself
	value     float64
	unit      string
	qualifier string
	number    string
	chinese   bool
	bareOne   bool // the numeral is a lone 一 or 两
	zero      bool // a zero form: 零撤改, 未制定规范性文件
	indicator string
	label     string
	conf      float64
}

// ExtractFigures returns every figure stated in the report's prose, in text
// order. cat supplies the indicators that figures are matched to; nil uses
// fazhi.DefaultCatalog().
func ExtractFigures(r *Report, cat *fazhi.Catalog) []Figure {
	if r == nil {
		return nil
	}
	if cat == nil {
		cat = fazhi.DefaultCatalog()
	}
	matcher := indicatorMatcherFor(cat)
	lastLine := r.lastProseLine()
	var out []Figure
	for li, ln := range r.lines {
		if ln.kind != lineBody || ln.start == ln.end {
			continue
		}
		raws := r.lineFigures(ln, li == lastLine)
		raws = append(raws, r.zeroFigures(ln, matcher)...)
		sortRaw(raws)
		prevEnd := ln.start
		var did *peopleDid // the last count of people that said what they did
		befores := make([]string, len(raws))
		for i := range raws {
			f := &raws[i]
			if f.indicator == "" { // zero forms come with theirs
				ctx := r.context(ln, f, prevEnd)
				befores[i] = ctx.before
				f.indicator = matcher.match(ctx, f.unit)
				f.label = label(f, ctx)
				if unitClass(f.unit) == "people" {
					next := ln.end
					if i+1 < len(raws) {
						next = max(f.b, raws[i+1].a)
					}
					did = r.readPeople(f, ctx, next, did, matcher)
				} else if f.unit != "%" {
					did = nil // another count: a new subject
				}
			}
			prevEnd = f.b
		}
		r.sentenceLabels(ln, raws, befores)
		for i := range raws {
			out = append(out, r.dress(ln, &raws[i]))
		}
	}
	return out
}

// lastProseLine is the index of the last non-empty line: a text cut off
// there may end in the middle of a number.
func (r *Report) lastProseLine() int {
	for i := len(r.lines) - 1; i >= 0; i-- {
		if a, b := trimSpan(r.norm, r.lines[i].start, r.lines[i].end); a < b {
			return i
		}
	}
	return -1
}

// lineFigures scans one prose line for numbers and keeps those that state a
// quantity.
func (r *Report) lineFigures(ln line, isLast bool) []rawFigure {
	s := r.norm
	var out []rawFigure
	bookDepth := 0 // inside 《…》 or <…>: a document title
	quoteEnd := -1 // end of a short quoted phrase: a slogan or a name
	idiomSpans := idioms.findAll(s[ln.start:ln.end])
	for i := ln.start; i < ln.end; {
		ch, size := utf8.DecodeRuneInString(s[i:])
		switch ch {
		case '《', '<':
			bookDepth++
		case '》', '>':
			bookDepth = max(0, bookDepth-1)
		case '“', '"', '「', '‘':
			if i >= quoteEnd {
				quoteEnd = shortQuoteEnd(s[:ln.end], i+size, ch)
			}
		}
		if !startsNumber(s, ch, i, ln.start) {
			i += size
			continue
		}
		f, next, ok := r.readNumber(ln, i)
		for len(idiomSpans) > 0 && idiomSpans[0][1] <= i-ln.start {
			idiomSpans = idiomSpans[1:] // spans are in order: drop those passed
		}
		inIdiom := len(idiomSpans) > 0 && idiomSpans[0][0] <= i-ln.start
		if ok && bookDepth == 0 && i >= quoteEnd && !inIdiom && !r.isTrap(ln, &f, isLast) {
			out = append(out, f)
		}
		i = max(next, i+size)
	}
	return out
}

// shortQuoteEnd returns where a quoted phrase that opens before from ends,
// if it is short enough to be a name or slogan (“三聚两先一名市”,
// “十一个坚持”); otherwise -1.
func shortQuoteEnd(s string, from int, open rune) int {
	closeQuote := map[rune]string{'“': "”", '"': "\"", '「': "」", '‘': "’"}[open]
	// A short phrase closes within 16 characters: look no further.
	end := strings.Index(s[from:min(len(s), from+16*4+len(closeQuote))], closeQuote)
	if end < 0 || utf8.RuneCountInString(s[from:from+end]) > 16 {
		return -1
	}
	return from + end + len(closeQuote)
}

// startsNumber says whether a number starts with ch at i: a digit or a
// Chinese numeral not continuing a previous one.
func startsNumber(s string, ch rune, i, lineStart int) bool {
	isDigit := ch >= '0' && ch <= '9'
	if !isDigit && !isChineseNumeral(ch) && !strings.HasPrefix(s[i:], "百分之") {
		return false
	}
	if i > lineStart {
		prev, _ := utf8.DecodeLastRuneInString(s[lineStart:i])
		if prev >= '0' && prev <= '9' || prev == '.' || isChineseNumeral(prev) && !isDigit {
			return false
		}
	}
	return true
}

// readNumber parses the number at i with its qualifiers, multiplier and
// unit. next is where scanning resumes.
func (r *Report) readNumber(ln line, i int) (f rawFigure, next int, ok bool) {
	s := r.norm[:ln.end]
	j := i
	percentPrefix := strings.HasPrefix(s[j:], "百分之")
	if percentPrefix {
		j += len("百分之")
	}
	numStart := j
	if j >= len(s) {
		return f, j, false // 百分之 at the end of a line
	}
	var core string
	if c := s[j]; c >= '0' && c <= '9' {
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ',' && isThousands(s, j) || s[j] == '.' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9') {
			j++
		}
		core = s[numStart:j]
	} else {
		for j < len(s) {
			ch, size := utf8.DecodeRuneInString(s[j:])
			if !isChineseNumeral(ch) {
				break
			}
			j += size
		}
		core = s[numStart:j]
		f.chinese = true
	}
	next = j
	if core == "" {
		return f, next, false
	}
	f.a, f.numA = i, numStart
	if f.chinese {
		first := leadingRune(core)
		if strings.ContainsRune("百千万亿佰仟零〇", first) && !percentPrefix {
			return f, next, false // 千方百计, 万众一心, 零 is a zero form
		}
	}

	// Qualifier and multiplier: 30余万, 二十余, 1万余, 2.2万.
	exp := 0
	if q := prefixOf(s[j:], "余", "多"); q != "" {
		f.qualifier = q
		j += len(q)
	}
	if m := prefixOf(s[j:], "万", "亿"); m != "" && (!f.chinese || f.qualifier != "") {
		exp = map[string]int{"万": 4, "亿": 8}[m]
		j += len(m)
		if f.qualifier == "" {
			if q := prefixOf(s[j:], "余", "多"); q != "" {
				f.qualifier = q
				j += len(q)
			}
		}
	}
	f.number = s[numStart:j]

	// Value.
	if f.chinese {
		v, valid := ParseChineseNumber(core)
		if !valid {
			return f, next, false
		}
		f.value = v * math.Pow10(exp)
		f.bareOne = core == "一" || core == "两"
	} else {
		v, valid := parseArabic(core, exp)
		if !valid {
			return f, next, false
		}
		f.value = v
	}

	// Unit, possibly after a space ("32 件"), then 以上 / 左右.
	k := j
	for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
		k++
	}
	if percentPrefix {
		f.unit = "%"
	} else if u := unitAt(s[k:]); u != "" {
		f.unit = u
		j = k + len(u)
	} else if !f.chinese && (strings.HasPrefix(s[k:], "%") || strings.HasPrefix(s[k:], "％")) {
		f.unit = "%"
		j = k + 1
	}
	if f.unit != "" && f.qualifier == "" {
		if q := prefixOf(s[j:], "以上", "左右", "余", "多"); q != "" {
			f.qualifier = q
			j += len(q)
		}
	}
	if f.qualifier == "左右" {
		f.qualifier = "约"
	}

	// A qualifier in front: 近3000人, 超过100家.
	if q := suffixOf(s[ln.start:i], preQualifiers...); q != "" && f.qualifier == "" {
		f.qualifier = q
		f.a = i - len(q)
	}
	f.b = j
	return f, max(next, j), true
}

// isThousands accepts a comma followed by exactly three digits.
func isThousands(s string, j int) bool {
	for k := j + 1; k <= j+3; k++ {
		if k >= len(s) || s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return j+4 >= len(s) || s[j+4] < '0' || s[j+4] > '9'
}

func prefixOf(s string, options ...string) string {
	for _, o := range options {
		if strings.HasPrefix(s, o) {
			return o
		}
	}
	return ""
}

func suffixOf(s string, options ...string) string {
	for _, o := range options {
		if strings.HasSuffix(s, o) {
			return o
		}
	}
	return ""
}
