package ingest

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// literalSet finds any of a fixed list of words in text, indexed by first
// character and longest first. Go's regexp has no multi-literal search, so
// a hundred-word alternation costs a full automaton step per byte; this
// costs one map lookup per character.
type literalSet map[rune][]string

func newLiteralSet(words ...string) literalSet {
	set := literalSet{}
	for _, w := range words {
		first, _ := utf8.DecodeRuneInString(w)
		set[first] = append(set[first], w)
	}
	for _, list := range set {
		slices.SortFunc(list, func(a, b string) int {
			if c := cmp.Compare(len(b), len(a)); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
	}
	return set
}

// at returns the longest word that starts s, or "".
func (set literalSet) at(s string) string {
	first, _ := utf8.DecodeRuneInString(s)
	for _, w := range set[first] {
		if strings.HasPrefix(s, w) {
			return w
		}
	}
	return ""
}

// findAll returns the [start, end) spans of non-overlapping words in s,
// leftmost first.
func (set literalSet) findAll(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		ch, size := utf8.DecodeRuneInString(s[i:])
		if _, ok := set[ch]; ok {
			if w := set.at(s[i:]); w != "" {
				out = append(out, []int{i, i + len(w)})
				i += len(w)
				continue
			}
		}
		i += size
	}
	return out
}
