package ingest

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Compromised mirror sites splice two kinds of garbage into report text:
// gambling or ad phrases ("金沙城中心赌场_澳门金沙官网:"), often where a word
// such as 关于 stood, and short runs of random characters inside words
// ("专门漏去愉套会议", "暂行办凝永微法"). The first is caught by a list of
// brands and spam words, the second by a dictionary heuristic.

// Removal kinds.
const (
	RemovedSpam   = "spam"   // gambling or advertising phrase
	RemovedJunk   = "junk"   // run of random characters spliced into a word
	RemovedChrome = "chrome" // page chrome line: breadcrumbs, source lines, footers
)

// span is a half-open byte range in some text.
type span struct{ start, end int }

var (
	// Brands that only appear in gambling spam; weaker brand names count
	// only when a spam word is attached.
	spamBrands = `澳门|新葡京|葡京|金沙|威尼斯人|永利|美高梅|太阳城|伟德|必威|亚博|开云|乐鱼|华体会|九游|万博|金博宝|bet365|betvictor|bet9`
	spamMiddle = `城中心|国际|娱乐城|娱乐场|娱乐|集团|体育|电子|真人`
	spamTail   = `赌场|官网|官方网站|网址|平台|app|登录|注册|入口|首页|手机版|下载|投注`
	spamCore   = `赌场|赌博|博彩|百家乐|老虎机|时时彩|六合彩|网上投注|真人娱乐|娱乐城|棋牌游戏`

	spamUnit   = `(?:(?:` + spamBrands + `)+(?:` + spamMiddle + `)*(?:` + spamTail + `)*|(?:` + spamCore + `)(?:` + spamTail + `)*)`
	spamPhrase = regexp.MustCompile(`(?i)` + spamUnit + `(?:[_|·\-]` + spamUnit + `)*[::]?`)

	// A matched phrase is spam only if it holds one of these: a strong
	// brand or a word no report uses (keeps 永利/开云 as place names safe).
	spamStrong = regexp.MustCompile(`(?i)赌|博彩|官网|网址|投注|百家乐|老虎机|彩|娱乐|金沙|葡京|威尼斯人|伟德|必威|亚博|华体会|金博宝|bet`)
)

// spamTriggers are literal words of which every spam phrase holds one.
var spamTriggers = newLiteralSet("赌", "博彩", "官网", "网址", "投注", "百家乐", "老虎机", "彩", "娱乐", "金沙", "葡京",
	"威尼斯人", "伟德", "必威", "亚博", "华体会", "金博宝", "bet", "BET", "Bet")

// spamSpans finds gambling and advertising phrases in folded text.
func spamSpans(folded string) []span {
	// Run the grammar only on windows around each trigger word: spam
	// phrases are short, reports long.
	var windows []span
	for _, hit := range spamTriggers.findAll(folded) {
		windows = append(windows, span{runeFloor(folded, hit[0]-spamWindow), runeFloor(folded, hit[1]+spamWindow)})
	}
	var out []span
	for _, win := range mergeSpans(windows) {
		for _, m := range spamPhrase.FindAllStringIndex(folded[win.start:win.end], -1) {
			if spamStrong.MatchString(folded[win.start+m[0] : win.start+m[1]]) {
				out = append(out, span{win.start + m[0], win.start + m[1]})
			}
		}
	}
	return mergeSpans(out)
}

// spamWindow is how far around a trigger word a spam phrase may reach.
const spamWindow = 90

// runeFloor clamps i into s and moves it back to a rune boundary.
func runeFloor(s string, i int) int {
	i = max(0, min(i, len(s)))
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// functionChars are single-character words of running prose; a run of
// unknown characters through one of them is prose, not junk.
const functionChars = "的了在和与及对为是等把被将从向由于以之其而并或也都就还又让使给到上下中内外各每该本我其年月日共个项件名次"

// placeSuffixes end place names, which a general dictionary often lacks.
const placeSuffixes = "省市区县镇乡村街路港湾山河湖桥州旗"

// junkSpans finds runs of three or more Han characters that form no word of
// the lexicon with their neighbours and none of which takes part in any
// word elsewhere in the document. Real prose rarely has such runs; the
// injected tokens always do. Runs that end a place name are left alone.
func junkSpans(folded string) []span {
	lex, words := lexicon(), runeWords()
	// The test "used nowhere else" needs enough text to mean anything.
	if utf8.RuneCountInString(folded) < minJunkText {
		return nil
	}
	// All Han runs share three slices; a run is a [from, to) range of them.
	type hanRun struct{ from, to int }
	var runs []hanRun
	runes := make([]rune, 0, len(folded)/3)
	offsets := make([]int, 0, len(folded)/3)
	var known runeBits
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRuneInString(folded[i:])
		if !isHan(r) {
			i += size
			continue
		}
		run := hanRun{from: len(runes)}
		for i < len(folded) {
			r, size = utf8.DecodeRuneInString(folded[i:])
			if !isHan(r) {
				break
			}
			runes = append(runes, r)
			offsets = append(offsets, i)
			i += size
		}
		run.to = len(runes)
		runs = append(runs, run)
	}
	offsets = append(offsets, len(folded))
	covered := make([]bool, len(runes))
	for _, run := range runs {
		rs := runes[run.from:run.to]
		for a := 0; a+1 < len(rs); a++ {
			if !words.mayPair(rs[a], rs[a+1]) {
				continue
			}
			n := 0 // length of the longest word starting at a
			flags := words.short[packRunes(rs[a], rs[a+1])]
			if flags&lexWord != 0 {
				n = 2
			}
			if flags&lexPrefix != 0 && a+2 < len(rs) {
				flags = words.short[packRunes(rs[a], rs[a+1], rs[a+2])]
				if flags&lexWord != 0 {
					n = 3
				}
				if flags&lexPrefix != 0 && a+3 < len(rs) && slices.Contains(words.quads[packRunes(rs[a], rs[a+1], rs[a+2])], rs[a+3]) {
					n = 4
				}
			}
			for k := a; k < a+n; k++ {
				covered[run.from+k] = true
				known.set(rs[k])
			}
		}
	}
	var out []span
	for _, run := range runs {
		rs, cov, offs := runes[run.from:run.to], covered[run.from:run.to], offsets[run.from:run.to+1]
		candidate := func(k int) bool {
			return !cov[k] && !known.has(rs[k]) && !strings.ContainsRune(functionChars, rs[k])
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
			if b2-a2 >= 3 && !strings.ContainsRune(placeSuffixes, rs[b-1]) && !strings.ContainsRune(placeSuffixes, next) {
				out = append(out, span{offs[a2], offs[b2]})
			}
			a = b
		}
	}
	return out
}

// runeBits is a set of runes of the Basic Multilingual Plane.
type runeBits [0x10000 / 64]uint64

func (b *runeBits) set(r rune) {
	if r < 0x10000 {
		b[r/64] |= 1 << (r % 64)
	}
}

func (b *runeBits) has(r rune) bool {
	return r < 0x10000 && b[r/64]&(1<<(r%64)) != 0
}

// minJunkText is the length of text below which junk detection is off.
const minJunkText = 300

// mergeSpans sorts spans and joins overlapping ones.
func mergeSpans(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	sorted := slices.Clone(spans)
	slices.SortFunc(sorted, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	out := sorted[:1]
	for _, s := range sorted[1:] {
		last := &out[len(out)-1]
		if s.start <= last.end {
			last.end = max(last.end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}
