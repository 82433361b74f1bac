package ingest

import (
	"slices"
	"sync"
	"unicode/utf8"
)

// functionChars are single-character words of running prose; a run of
// unknown characters through one of them is prose, not junk.
const functionChars = "的了在和与及对为是等把被将从向由于以之其而并或也都就还又让使给到上下中内外各每该本我其年月日共个项件名次"

// placeSuffixes end place names, which a general dictionary often lacks.
const placeSuffixes = "省市区县镇乡村街路港湾山河湖桥州旗"

var functionSet, placeSuffixSet = newRuneBits(functionChars), newRuneBits(placeSuffixes)

// minJunkText is the length of text below which junk detection is off.
const minJunkText = 300

// junkSpans finds runs of three or more Han characters that form no word of
// the lexicon with their neighbours and none of which takes part in any
// word elsewhere in the document. Real prose rarely has such runs; the
// injected tokens always do. Runs that end a place name are left alone.
func junkSpans(folded string) []span {
	// The test "used nowhere else" needs enough text to mean anything.
	if !hasRunes(folded, minJunkText) {
		return nil
	}
	js := junkScans.Get().(*junkScan)
	defer junkScans.Put(js)
	js.collect(folded)
	js.cover(runeWords())
	return js.spans(lexicon())
}

// hasRunes says whether s holds at least n runes, without counting them
// all when its length alone tells.
func hasRunes(s string, n int) bool {
	switch {
	case len(s) < n:
		return false
	case len(s) >= n*utf8.UTFMax:
		return true
	}
	return utf8.RuneCountInString(s) >= n
}

// junkScan holds the buffers of one junk scan. Every report needs them and
// drops them right after, so they are pooled rather than allocated anew.
type junkScan struct {
	runes   []rune   // Han characters of the text, run after run
	offsets []int32  // byte offset of each rune in the text, then the text's length
	runs    []hanRun // the Han runs, as ranges of runes
	covered []bool   // runes[i] is part of some lexicon word
	known   runeBits // characters that are part of a word somewhere in the text
}

// hanRun is a maximal run of Han characters: runes[from:to].
type hanRun struct{ from, to int }

var junkScans = sync.Pool{New: func() any { return new(junkScan) }}

// collect splits folded into its Han runs.
func (js *junkScan) collect(folded string) {
	js.runes, js.offsets, js.runs = js.runes[:0], js.offsets[:0], js.runs[:0]
	inRun := false
	for i, r := range folded {
		if !isHan(r) {
			inRun = false
			continue
		}
		if !inRun {
			js.runs = append(js.runs, hanRun{from: len(js.runes)})
			inRun = true
		}
		js.runes = append(js.runes, r)
		js.offsets = append(js.offsets, int32(i))
		js.runs[len(js.runs)-1].to = len(js.runes)
	}
	js.offsets = append(js.offsets, int32(len(folded)))
}

// cover marks every rune that is part of a word of two to four characters
// within its run, and remembers the characters that ever are.
func (js *junkScan) cover(words runeLexicon) {
	js.covered = slices.Grow(js.covered[:0], len(js.runes))[:len(js.runes)]
	clear(js.covered)
	js.known = runeBits{}
	for _, run := range js.runs {
		rs := js.runes[run.from:run.to]
		for a := 0; a+1 < len(rs); a++ {
			n := words.longestAt(rs[a:])
			for k := a; k < a+n; k++ {
				js.covered[run.from+k] = true
				js.known.set(rs[k])
			}
		}
	}
}

// longestAt is the rune length of the longest word that starts rs (two to
// four runes), or 0.
func (rl runeLexicon) longestAt(rs []rune) int {
	if !rl.mayPair(rs[0], rs[1]) {
		return 0
	}
	n := 0
	flags := rl.table.get(packRunes(rs[0], rs[1]))
	if flags&lexWord != 0 {
		n = 2
	}
	if flags&lexPrefix == 0 || len(rs) < 3 {
		return n
	}
	flags = rl.table.get(packRunes(rs[0], rs[1], rs[2]))
	if flags&lexWord != 0 {
		n = 3
	}
	if flags&lexPrefix != 0 && len(rs) >= 4 && slices.Contains(rl.quads[packRunes(rs[0], rs[1], rs[2])], rs[3]) {
		n = 4
	}
	return n
}

// spans returns the junk runs: three or more characters in a row that are
// covered by no word here and part of no word elsewhere.
func (js *junkScan) spans(lex wordSet) []span {
	var out []span
	for _, run := range js.runs {
		rs, cov, offs := js.runes[run.from:run.to], js.covered[run.from:run.to], js.offsets[run.from:run.to+1]
		candidate := func(k int) bool {
			return !cov[k] && !js.known.has(rs[k]) && !functionSet.has(rs[k])
		}
		for a := 0; a < len(rs); {
			if !candidate(a) {
				a++
				continue
			}
			b := a
			for b < len(rs) && candidate(b) {
				b++
			}
			// A character at the edge that forms a word with the character
			// across the run belongs to the prose the junk was put into
			// (办 of "办凝永微法").
			a2, b2 := a, b
			if b2 < len(rs) && a2 < b2 && lex.has(string([]rune{rs[a2], rs[b2]})) {
				a2++
			}
			if a2 > 0 && a2 < b2 && lex.has(string([]rune{rs[a2-1], rs[b2-1]})) {
				b2--
			}
			next := rune(0)
			if b < len(rs) {
				next = rs[b]
			}
			if b2-a2 >= 3 && !placeSuffixSet.has(rs[b-1]) && !placeSuffixSet.has(next) {
				// offs[len(rs)] is where the next Han run starts (or the
				// text ends), so a run cut to its end also takes the
				// characters between the two runs.
				out = append(out, span{int(offs[a2]), int(offs[b2])})
			}
			a = b
		}
	}
	return out
}
