package ingest

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// tradSimpData maps traditional characters to simplified ones, one pair per
// line. x/text has no such table, so we ship one: it was generated from
// OpenCC's t2s character dictionary (Apache-2.0) over the CJK Unified
// Ideographs block, keeping the 2,566 pairs whose simplified form is in
// GB2312, which covers government prose. It is used for matching only: quotes
// always keep the original characters.
//
//go:embed tradsimp.txt
var tradSimpData string

// tradSimpLimit bounds the dense table: every pair lies below it (the CJK
// Unified Ideographs block ends at U+9FFF), so a lookup is one index.
const tradSimpLimit = 0xA000

var (
	tradSimpOnce sync.Once
	tradSimp     []rune // indexed by traditional rune; 0 when unmapped
)

func tradToSimp() []rune {
	tradSimpOnce.Do(func() {
		tradSimp = make([]rune, tradSimpLimit)
		for line := range strings.SplitSeq(tradSimpData, "\n") {
			t, n := utf8.DecodeRuneInString(line)
			s, _ := utf8.DecodeRuneInString(line[n:])
			if n > 0 && s != utf8.RuneError && t < tradSimpLimit {
				tradSimp[t] = s
			}
		}
	})
	return tradSimp
}

// foldRune maps a character to the form the matchers expect: full-width
// letters, digits and punctuation to half-width (，→, ２→2, ％→%, the
// ideographic space to a space) and traditional characters to simplified.
func foldRune(r rune) rune {
	if r < 0x80 {
		return r
	}
	if r == 0x3000 || r >= 0xFF01 && r <= 0xFFEF { // the full-width forms
		if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth {
			if n := p.Narrow(); n != 0 {
				return n
			}
		}
		return r
	}
	if r < tradSimpLimit {
		if s := tradToSimp()[r]; s != 0 {
			return s
		}
	}
	return r
}

// foldText folds every character of src and returns, for every byte of the
// folded text, the byte of src where its character starts.
func foldText(src string) (string, []int32) {
	var folded strings.Builder
	folded.Grow(len(src))
	pos := make([]int32, 0, len(src))
	for i, ch := range src {
		if ch < utf8.RuneSelf {
			folded.WriteByte(byte(ch))
			pos = append(pos, int32(i))
			continue
		}
		n, _ := folded.WriteRune(foldRune(ch))
		for range n {
			pos = append(pos, int32(i))
		}
	}
	return folded.String(), pos
}

// foldString folds every character of s; it is meant for short strings such
// as catalogue aliases and test inputs.
func foldString(s string) string {
	return strings.Map(foldRune, s)
}

func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r > 0xFFFF && unicode.Is(unicode.Han, r)
}
