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
	terms []indicatorTerm
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
	matcherCache.Store(cat, m)
	return m
}

// match returns the code of the indicator whose name or alias appears in
// ctx and whose unit fits the figure's, preferring the longest term and,
// among equals, the one nearest the number (the end of before).
func (m *indicatorMatcher) match(ctx figureContext, unit string) string {
	class := unitClass(unit)
	best, bestScore := "", 0
	for _, t := range m.terms {
		if !unitsFit(t, class) {
			continue
		}
		score := 0
		if i := strings.LastIndex(ctx.before, t.text); i >= 0 {
			// Nearer the number scores higher.
			score = 4*utf8.RuneCountInString(t.text) - utf8.RuneCountInString(ctx.before[i+len(t.text):])/4
		} else if strings.Contains(ctx.after, t.text) {
			score = 4*utf8.RuneCountInString(t.text) - 1
		} else if strings.Contains(ctx.joined, t.text) {
			score = 4 * utf8.RuneCountInString(t.text) // 下放 | 四项 | 行政处罚权
		}
		if score > bestScore {
			best, bestScore = t.code, score
		}
	}
	return best
}

func unitsFit(t indicatorTerm, class string) bool {
	switch {
	case t.class == "rate" || class == "rate":
		return t.class == class
	case t.class == "money" || class == "money":
		return t.class == class
	case class == "":
		return true // a list item whose unit was cut off
	}
	return t.class == class || t.unit == "人次" && class == "people"
}

// matchZero returns the indicator and term that text starts with, for zero
// forms such as 零撤改 or 未制定规范性文件.
func (m *indicatorMatcher) matchZero(text string) (indicatorTerm, bool) {
	var best indicatorTerm
	for _, t := range m.terms {
		if t.class == "rate" || t.class == "money" {
			continue
		}
		if strings.HasPrefix(text, t.text) && len(t.text) > len(best.text) {
			best = t
		}
	}
	return best, best.code != ""
}
