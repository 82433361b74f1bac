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
// Adverbs open the verb phrase that follows the noun (14件行政争议化解案件|
// 积极开展工作, 62家新注册餐饮单位|全部纳入…).
var afterLabelStops = []string{"进行", "参加", "被", "荣获", "获得", "获", "为", "在", "实行", "对", "向", "(", "“", "\"",
	"积极", "全部", "全面", "主动", "依法", "均", "已"}

// genericHeads name a kind of thing but not which: the modifier before
// their 的 stays in the label.
var genericHeads = map[string]bool{
	"案件": true, "事项": true, "项目": true, "人员": true, "工作": true, "文件": true,
	"问题": true, "情况": true, "单位": true, "企业": true,
}

// labelTrimPrefixes and labelTrimSuffixes are function words around the
// noun phrase before a number.
var (
	labelTrimPrefixes = []string{"全年共", "全年", "其中", "共有", "另有", "累计", "先后", "分别", "相关", "实现", "目前已", "目前", "现已", "并同时", "同时", "并", "现", "另", "共", "有", "对", "将", "为"}
	labelTrimSuffixes = []string{"分别为", "均为", "共计", "合计", "总计", "累计", "达到", "共", "达", "计", "等", "的", "有", "约", "近", "超过", "逾", "以上",
		"提升至", "提高至", "提升到", "提高到", "缩短至", "缩减至", "压缩至", "降低至", "下降至", "减少至", "增加至", "增长至", "提速至", "降至"}
	// labelCuts end the part of a long clause that is not the noun phrase
	// ("我局共|承办行政诉讼案件", "为被申请人的|行政复议案件").
	labelCuts = []string{"共", "的", "了", "在", "和", "中", "将", "把", "为", "召开", "开展", "组织", "办理", "完成", "处理", "实施", "实现", "达到", "包括", "对"}
	// labelVerbCuts never open a noun phrase, so they cut before a short
	// one too (全局实现|参考率).
	labelVerbCuts = map[string]bool{"实现": true, "达到": true, "包括": true}
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
			if i := indexWord(after, stop); i >= 0 {
				after = after[:i]
			}
		}
		after = cleanLabel(trimLabel(after))
	}
	// Chinese puts the counted noun after the measure word (8名持有执法证
	// 人员); only when the clause ends with the unit is it the phrase before
	// (行政复议案件4件,).
	// A unit tail (1.96个/件) is no noun phrase.
	if after != "" && utf8.RuneCountInString(after) >= 2 && isHan(leadingRune(after)) {
		return cutLabelRunes(after, maxNounLabel)
	}
	return before
}

// indexWord is the first index of stop in s where a one-rune stop is not
// part of a word (为 in 行为, 在 in 存在), or -1.
func indexWord(s, stop string) int {
	if utf8.RuneCountInString(stop) > 1 {
		return strings.Index(s, stop)
	}
	lex := lexicon()
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], stop)
		if i < 0 {
			return -1
		}
		i += from
		prev, next := trailingRune(s[:i]), leadingRune(s[i+len(stop):])
		if !lex.has(string(prev)+stop) && !lex.has(stop+string(next)) {
			return i
		}
		from = i + len(stop)
	}
	return -1
}

// beforeLabel is the noun phrase nearest the number in the clause before
// it, from the last item of a list on; a list whose items share their head
// (参考率、通过率和优秀率) is kept whole, for the number belongs to each.
func beforeLabel(ctx figureContext) string {
	before := ctx.before
	// A figure inside brackets is named inside them: (通过网上渠道申请8件).
	if i := strings.LastIndex(before, "("); i >= 0 && !strings.Contains(before[i:], ")") {
		before = before[i+len("("):]
	}
	if i := strings.LastIndex(before, "、"); i >= 0 {
		before = before[i+len("、"):]
	}
	last := cleanLabel(trimLabel(cutLabel(before)))
	if last == "" {
		return ""
	}
	if list := listLabel(ctx.before, last); list != last {
		return keepHead(list, maxLabel)
	}
	return keepHead(last, maxNounLabel)
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
			single := utf8.RuneCountInString(c) == 1 || labelVerbCuts[c]
			switch {
			case single && rest < 2, !single && rest < 4:
				continue
			case c == "的" && genericHeads[s[i+len(c):]]:
				continue // 复议后起诉的案件: 案件 alone says nothing
			case single && !labelVerbCuts[c]:
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
		// 调解率为, 数量为: but 行为 and 作为 are words.
		if rest, ok := strings.CutSuffix(s, "为"); ok && rest != "" && !lexicon().has(string(trailingRune(rest))+"为") {
			s, changed = rest, true
		}
		s = strings.Trim(s, " \t“”\"《》<>()「」‘’-—_·:")
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
