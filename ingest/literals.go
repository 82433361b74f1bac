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
// costs one bit test per character, and a map lookup only where a word
// may start.
type literalSet struct {
	firsts *runeBits // first characters of the words (BMP)
	byRune map[rune][]string
}

func newLiteralSet(words ...string) literalSet {
	set := literalSet{firsts: new(runeBits), byRune: map[rune][]string{}}
	for _, w := range words {
		first, _ := utf8.DecodeRuneInString(w)
		set.firsts.set(first)
		set.byRune[first] = append(set.byRune[first], w)
	}
	for _, list := range set.byRune {
		slices.SortFunc(list, func(a, b string) int {
			if c := cmp.Compare(len(b), len(a)); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
	}
	return set
}

// mayStart says whether a word may start with ch.
func (set literalSet) mayStart(ch rune) bool {
	return ch >= 0x10000 || set.firsts.has(ch)
}

// at returns the longest word that starts s, or "".
func (set literalSet) at(s string) string {
	first, _ := utf8.DecodeRuneInString(s)
	for _, w := range set.byRune[first] {
		if strings.HasPrefix(s, w) {
			return w
		}
	}
	return ""
}

// findAll returns the [start, end) spans of non-overlapping words in s,
// leftmost first.
func (set literalSet) findAll(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		n := set.next(s, i)
		if n < 0 {
			break
		}
		w := set.at(s[n:])
		out = append(out, [2]int{n, n + len(w)})
		i = n + len(w)
	}
	return out
}

// contains says whether s holds any of the words.
func (set literalSet) contains(s string) bool {
	return set.next(s, 0) >= 0
}

// next returns where the leftmost word at or after byte i of s starts, or -1.
func (set literalSet) next(s string, i int) int {
	for i < len(s) {
		ch, size := rune(s[i]), 1
		if ch >= utf8.RuneSelf {
			ch, size = utf8.DecodeRuneInString(s[i:])
		}
		if set.mayStart(ch) && set.at(s[i:]) != "" {
			return i
		}
		i += size
	}
	return -1
}
