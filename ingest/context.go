package ingest

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// figureContext is the text around a figure that may name what it counts:
// the clause before the number (from the previous figure on, so that
// "行政许可23项、公共服务3项" gives 公共服务 to the second) and the noun
// phrase after the unit ("8名持有执法证人员").
type figureContext struct {
	before, after, joined string
}

// maxSentence bounds how far a sentence reaches from its figure.
const maxSentence = 600

// sentenceEnds close a sentence for Figure.Sentence.
const sentenceEnds = "。!?;;\n"

// afterLabelStops end the noun phrase after a measure word.
var afterLabelStops = []string{"进行", "参加", "被", "荣获", "获得", "获", "为", "在", "实行", "对", "向", "(", "“", "\""}

// labelTrimPrefixes and labelTrimSuffixes are function words around the
// noun phrase before a number.
var (
	labelTrimPrefixes = []string{"全年共", "全年", "其中", "共有", "另有", "累计", "先后", "分别", "现", "另", "共", "有", "对", "将", "为"}
	labelTrimSuffixes = []string{"分别为", "均为", "共计", "合计", "总计", "累计", "达到", "共", "达", "计", "等", "的", "有", "约", "近", "超过", "逾", "以上"}
	// labelCuts end the part of a long clause that is not the noun phrase
	// ("我局共|承办行政诉讼案件", "为被申请人的|行政复议案件").
	labelCuts = []string{"共", "的", "了", "在", "和", "中", "将", "把", "召开", "开展", "组织", "办理", "完成", "处理", "实施"}
)

var clauseDelimSet, sentenceEndSet = newRuneBits(clauseDelims), newRuneBits(sentenceEnds)

func isClauseDelim(r rune) bool { return clauseDelimSet.has(r) }

// context gathers the figure's context within its clause.
func (r *Report) context(ln line, f *rawFigure, prevEnd int) figureContext {
	start := max(prevEnd, ln.start)
	if i := strings.LastIndexAny(r.norm[start:f.a], clauseDelims); i >= 0 {
		_, size := utf8.DecodeRuneInString(r.norm[start+i:])
		start += i + size
	}
	before := r.norm[start:f.a]
	end := f.b
	for end < ln.end {
		ch, size := utf8.DecodeRuneInString(r.norm[end:])
		if isClauseDelim(ch) || ch == '、' || ch >= '0' && ch <= '9' || end-f.b > 60 {
			break
		}
		end += size
	}
	after := r.norm[f.b:end]
	return figureContext{before: before, after: after, joined: before + after}
}

// label is a short noun phrase naming what the figure counts.
func label(f *rawFigure, ctx figureContext) string {
	before := beforeLabel(ctx)
	after := ""
	if f.unit != "%" && f.unit != "元" && f.unit != "倍" && f.unit != "" {
		after = strings.TrimLeft(strings.TrimPrefix(ctx.after, "的"), " ")
		for _, stop := range afterLabelStops {
			if i := strings.Index(after, stop); i >= 0 {
				after = after[:i]
			}
		}
		after = trimLabel(after)
	}
	// Chinese puts the counted noun after the measure word (8名持有执法证
	// 人员); only when the clause ends with the unit is it the phrase before
	// (行政复议案件4件,).
	if after != "" && utf8.RuneCountInString(after) >= 2 {
		return firstRunes(after, 14)
	}
	return lastRunes(before, 14)
}

// beforeLabel is the noun phrase nearest the number in the clause before
// it, from the last item of a list on.
func beforeLabel(ctx figureContext) string {
	before := ctx.before
	if i := strings.LastIndex(before, "、"); i >= 0 {
		before = before[i+len("、"):]
	}
	return trimLabel(cutLabel(before))
}

// cutLabel keeps the part of the clause after the last function word or
// general verb, the noun phrase nearest the number, if it has two or more
// characters.
func cutLabel(s string) string {
	// Text before the last digit is a date or another figure.
	if i := strings.LastIndexAny(s, "0123456789"); i >= 0 {
		s = strings.TrimLeft(s[i+1:], "年度月日号 ")
	}
	lex := lexicon()
	for {
		best := -1
		cut := ""
		for _, c := range labelCuts {
			i := strings.LastIndex(s, c)
			if i <= best {
				continue
			}
			rest := utf8.RuneCountInString(s[i+len(c):])
			single := utf8.RuneCountInString(c) == 1
			switch {
			case single && rest < 2, !single && rest < 4:
				continue
			case single:
				// 公共服务 and 集中学法 hold 共 and 中 inside a word.
				prev, next := trailingRune(s[:i]), leadingRune(s[i+len(c):])
				if lex.has(string(prev)+c) || lex.has(c+string(next)) {
					continue
				}
			}
			best, cut = i, c
		}
		if best < 0 {
			return s
		}
		s = s[best+len(cut):]
	}
}

func trimLabel(s string) string {
	// Keep the side of an unmatched quote or bracket that holds the label.
	for _, pair := range [][2]string{{"“", "”"}, {"《", "》"}, {"(", ")"}} {
		if i := strings.LastIndex(s, pair[1]); i >= 0 && !strings.Contains(s[:i], pair[0]) {
			s = s[i+len(pair[1]):]
		}
		if i := strings.LastIndex(s, pair[0]); i >= 0 && !strings.Contains(s[i:], pair[1]) {
			s = s[:i]
		}
	}
	s = strings.Trim(s, " \t“”\"《》<>()「」‘’")
	for changed := true; changed; {
		changed = false
		if p := prefixOf(s, labelTrimPrefixes...); p != "" && len(p) < len(s) {
			s, changed = s[len(p):], true
		}
		if q := suffixOf(s, labelTrimSuffixes...); q != "" && len(q) < len(s) {
			s, changed = s[:len(s)-len(q)], true
		}
		s = strings.Trim(s, " \t“”\"《》<>()「」‘’")
	}
	if strings.ContainsAny(s, "0123456789") || !strings.ContainsFunc(s, isHan) {
		return ""
	}
	return s
}

func lastRunes(s string, n int) string {
	for i := len(s); i > 0; {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		if n--; n == 0 {
			return s[i:]
		}
	}
	return s
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// zeroVerbs may stand between 未/无 and the indicator: 未发生行政诉讼.
var zeroVerbs = []string{"发生", "出现", "制定", "出台", "收到", "发现", "受理", "办理", "有"}

// zeroFigures finds figures stated as zero: 零撤改, 零败诉, 未制定规范性文件,
// 无行政复议案件, 无行政败诉. Only a phrase right after the negation that ends
// in a catalogue term counts (see matchZero), so 零跑腿, 无违规审批 or
// 未发生规范性文件被撤销 state no zero of an indicator.
func (r *Report) zeroFigures(ln line, m *indicatorMatcher) []rawFigure {
	var out []rawFigure
	s := r.norm[:ln.end]
	for i := ln.start; i < ln.end; {
		ch, size := utf8.DecodeRuneInString(s[i:])
		j := i + size
		switch {
		case ch == '零':
			prev, _ := utf8.DecodeLastRuneInString(s[ln.start:i])
			next, _ := utf8.DecodeRuneInString(s[j:])
			if isChineseNumeral(prev) || isChineseNumeral(next) || prev >= '0' && prev <= '9' {
				i = j
				continue
			}
		case ch == '未' || ch == '无':
			if v := prefixOf(s[j:], zeroVerbs...); v != "" {
				j += len(v)
			}
		default:
			i = j
			continue
		}
		if t, n, ok := m.matchZero(s[j:]); ok {
			label := s[j : j+n]
			label = label[len(prefixOf(label, zeroQuantifiers...)):]
			out = append(out, rawFigure{
				a: i, b: j + n, numA: i, unit: t.unit, number: "0",
				indicator: t.code, label: label, conf: 0.65, zero: true,
			})
		}
		i = j
	}
	return out
}

func sortRaw(fs []rawFigure) {
	slices.SortStableFunc(fs, func(a, b rawFigure) int { return cmp.Compare(a.a, b.a) })
}

// dress turns a raw figure into a Figure with original offsets and quote.
func (r *Report) dress(ln line, f *rawFigure) Figure {
	start, end := r.origSpan(f.a, f.b)
	// A sentence ends at 。!?; or the line; a run-on line is cut at
	// maxSentence bytes each side so that long lines stay linear.
	sa, sb := f.a, f.b
	for sa > ln.start && f.a-sa < maxSentence {
		ch, size := utf8.DecodeLastRuneInString(r.norm[:sa])
		if sentenceEndSet.has(ch) {
			break
		}
		sa -= size
	}
	for sb < ln.end && sb-f.b < maxSentence {
		ch, size := utf8.DecodeRuneInString(r.norm[sb:])
		sb += size
		if sentenceEndSet.has(ch) {
			break
		}
	}
	sa, sb = trimSpan(r.norm, sa, sb)
	return Figure{
		File:       r.Name,
		Region:     r.Meta.Region,
		Bureau:     r.Meta.Bureau,
		BureauType: r.Meta.BureauType,
		Year:       r.Meta.Year,
		Indicator:  f.indicator,
		Label:      f.label,
		Value:      f.value,
		Unit:       f.unit,
		Qualifier:  f.qualifier,
		Number:     f.number,
		Quote:      r.Quote(start, end),
		Start:      start,
		End:        end,
		Sentence:   r.plain(sa, sb),
		Confidence: confidence(f),
	}
}

// confidence scores how sure the extractor is that the figure is a count
// of what its indicator or label says.
func confidence(f *rawFigure) float64 {
	if f.zero {
		return f.conf
	}
	c := 0.55 + f.conf
	if f.indicator != "" {
		c += 0.25
	}
	if !f.chinese {
		c += 0.1
	}
	if f.bareOne {
		c -= 0.15
	}
	if f.label == "" {
		c -= 0.1
	}
	return math.Round(min(0.99, max(0.05, c))*100) / 100
}
