package ingest

import (
	"strings"
	"sync"
	"unicode/utf8"

	"fazhi"
)

// indicatorMatcher finds the catalogue indicator that a figure's context
// names, by the indicators' names and aliases.
type indicatorMatcher struct {
	terms   []indicatorTerm
	firsts  *runeBits          // first characters of the terms (BMP)
	byFirst map[rune][]int     // first character → indexes into terms
	parts   map[[2]string]bool // part, whole: counts the catalogue bounds by another (通过人数 ≤ 参考人数)
}

type indicatorTerm struct {
	text  string // folded alias or name
	code  string
	class string // unit class of the indicator
	unit  string
}

var matcherCache sync.Map // *fazhi.Catalog → *indicatorMatcher

func indicatorMatcherFor(cat *fazhi.Catalog) *indicatorMatcher {
	if m, ok := matcherCache.Load(cat); ok {
		return m.(*indicatorMatcher)
	}
	m := &indicatorMatcher{}
	for _, ind := range cat.Indicators {
		seen := map[string]bool{}
		for _, t := range append([]string{ind.Name}, ind.Aliases...) {
			t = foldString(strings.TrimSpace(t))
			if utf8.RuneCountInString(t) < 2 || seen[t] {
				continue
			}
			seen[t] = true
			m.terms = append(m.terms, indicatorTerm{text: t, code: ind.Code, class: unitClass(ind.Unit), unit: ind.Unit})
		}
	}
	m.firsts, m.byFirst = new(runeBits), map[rune][]int{}
	for i, t := range m.terms {
		first, _ := utf8.DecodeRuneInString(t.text)
		m.firsts.set(first)
		m.byFirst[first] = append(m.byFirst[first], i)
	}
	m.parts = map[[2]string]bool{}
	for _, b := range cat.Bounds() {
		m.parts[[2]string{b.Part, b.Whole}] = true
	}
	matcherCache.Store(cat, m)
	return m
}

// match returns the code of the indicator whose name or alias appears in
// ctx and whose unit fits the figure's, preferring the longest term and,
// among equals, the one nearest the number (the end of before), then the
// first in the catalogue. What the measure word counts can rule a term out:
// a head noun of countedHeads admits only terms that end in it, a
// percentage takes only the rate named last before it, and a count of
// parties (户, 家) takes only a case count that its predicate names.
func (m *indicatorMatcher) match(ctx figureContext, unit string) string {
	var buf [32]termHit
	hits := m.termsIn(ctx, buf[:0])
	if len(hits) == 0 {
		return ""
	}
	head, _ := countedHead(ctx)
	rate := -1
	if unit == "%" {
		rate = rateNamed(ctx.before)
	}
	entity := entityUnits[unit]
	best, bestScore, bestIndex := "", 0, len(m.terms)
	for _, h := range hits {
		t := m.terms[h.term]
		switch {
		case head != "" && !strings.HasSuffix(t.text, head):
			continue
		case h.at+len(t.text) < rate:
			continue // another rate is named nearer the number
		case entity:
			if h.at < len(ctx.before) || !countsCases(t.unit) {
				continue
			}
		case !unitFits(unit, t.unit):
			continue
		}
		score := h.score(ctx, t.text, hits)
		if score > bestScore || score == bestScore && score > 0 && h.term < bestIndex {
			best, bestScore, bestIndex = t.code, score, h.term
		}
	}
	return best
}

// matchPhrase returns the indicator a verb phrase names. Chinese noun
// phrases end in their head, so a term that ends the phrase wins: 参加行政
// 执法证件申领|资格考试 is taking an exam, not holding a certificate. Else the
// longest term in it, then the first in the catalogue.
func (m *indicatorMatcher) matchPhrase(s, unit string) string {
	var buf [32]termHit
	best, bestHead, bestRunes, bestIndex := "", false, 0, len(m.terms)
	for _, h := range m.termsIn(figureContext{joined: s}, buf[:0]) {
		t := m.terms[h.term]
		if !unitFits(unit, t.unit) {
			continue
		}
		head, runes := h.at+len(t.text) == len(s), utf8.RuneCountInString(t.text)
		if best == "" || head && !bestHead || head == bestHead && (runes > bestRunes || runes == bestRunes && h.term < bestIndex) {
			best, bestHead, bestRunes, bestIndex = t.code, head, runes, h.term
		}
	}
	return best
}

// isPart says whether the catalogue bounds count part by count whole: a
// rate's numerator by its denominator, or an at_most pair.
func (m *indicatorMatcher) isPart(part, whole string) bool {
	return m.parts[[2]string{part, whole}]
}

// termHit is one occurrence of a term in a figure's context, at byte at of
// ctx.joined.
type termHit struct{ term, at int }

// termsIn finds every occurrence of every term in ctx.joined, overlapping
// ones included. Looking up the terms that start at each character beats
// searching the text once per term: contexts are short, terms many.
func (m *indicatorMatcher) termsIn(ctx figureContext, hits []termHit) []termHit {
	s := ctx.joined
	for p := 0; p < len(s); p++ {
		if !utf8.RuneStart(s[p]) {
			continue // no term starts inside a character
		}
		first, _ := utf8.DecodeRuneInString(s[p:])
		if first < 0x10000 && !m.firsts.has(first) {
			continue
		}
		for _, ti := range m.byFirst[first] {
			if strings.HasPrefix(s[p:], m.terms[ti].text) {
				hits = append(hits, termHit{term: ti, at: p})
			}
		}
	}
	return hits
}

// score rates the term of h from all its hits: its last occurrence within
// before, nearer the number scoring higher; else one within after; else one
// across the number (下放 | 四项 | 行政处罚权). It is the same for every hit of
// a term.
func (h termHit) score(ctx figureContext, text string, hits []termHit) int {
	lastBefore, inAfter, across := -1, false, false
	for _, o := range hits {
		switch {
		case o.term != h.term:
		case o.at+len(text) <= len(ctx.before):
			lastBefore = max(lastBefore, o.at)
		case o.at >= len(ctx.before):
			inAfter = true
		default:
			across = true
		}
	}
	runes := utf8.RuneCountInString(text)
	switch {
	case lastBefore >= 0:
		return 4*runes - utf8.RuneCountInString(ctx.before[lastBefore+len(text):])/4
	case inAfter:
		return 4*runes - 1
	case across:
		return 4 * runes
	}
	return 0
}

// zeroTails may follow what a zero form negates without changing it:
// 未发生行政诉讼案件, 无行政败诉情况.
var zeroTails = []string{"案件", "情况", "情形", "事件", "现象"}

// zeroQuantifiers may open the negated phrase: 未发生一起行政诉讼.
var zeroQuantifiers = []string{"一起", "一件", "一例", "任何"}

// zeroStops end the phrase a zero form negates: 未发生行政诉讼和行政复议.
const zeroStops = "和及与或并的"

// matchZero returns the indicator whose term ends the phrase that text
// starts with, and the phrase's length in bytes without its tail, for zero
// forms such as 零撤改, 未制定规范性文件 or 无行政败诉. Chinese phrases end in
// their head, so the negated thing is the term at the end: in
// 未发生规范性文件被撤销 it is the 撤销, not the documents. What comes before
// that term must be a shortening of the same indicator's name (行政|败诉 of
// 行政诉讼败诉), or name the whole that the catalogue bounds it by
// (行政复议案件|被纠错); else the phrase says something else (无需|行政许可).
func (m *indicatorMatcher) matchZero(text string) (indicatorTerm, int, bool) {
	skip := len(prefixOf(text, zeroQuantifiers...))
	phrase := text[skip:]
	for i, r := range phrase {
		if !isHan(r) || strings.ContainsRune(zeroStops, r) || utf8.RuneCountInString(phrase[:i]) >= 16 {
			phrase = phrase[:i]
			break
		}
	}
	for {
		tail := suffixOf(phrase, zeroTails...)
		if tail == "" || tail == phrase {
			break
		}
		phrase = phrase[:len(phrase)-len(tail)]
	}
	var best indicatorTerm
	for _, t := range m.terms {
		if t.class == "rate" || t.class == "money" || len(t.text) <= len(best.text) || !strings.HasSuffix(phrase, t.text) {
			continue
		}
		if m.modifies(phrase[:len(phrase)-len(t.text)], t.code) {
			best = t
		}
	}
	return best, skip + len(phrase), best.code != ""
}

// modifies says whether pre may stand before a term of indicator code in a
// zero form: nothing, the start of one of its names (行政 of 行政诉讼败诉), or
// a name of the indicator that bounds it (行政复议案件 before 被纠错).
func (m *indicatorMatcher) modifies(pre, code string) bool {
	if pre == "" {
		return true
	}
	whole := strings.TrimSuffix(pre, "案件")
	for _, t := range m.terms {
		switch {
		case t.code == code && len(pre) < len(t.text) && strings.HasPrefix(t.text, pre):
			return true
		case (t.text == whole || t.text == pre) && m.isPart(code, t.code):
			return true
		}
	}
	return false
}
