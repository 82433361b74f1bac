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

// spamSpans finds gambling and advertising phrases in folded text.
func spamSpans(folded string) []span {
	var out []span
	for _, m := range spamPhrase.FindAllStringIndex(folded, -1) {
		if spamStrong.MatchString(folded[m[0]:m[1]]) {
			out = append(out, span{m[0], m[1]})
		}
	}
	return out
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
	lex := lexicon()
	type hanRun struct {
		start   int
		runes   []rune
		offsets []int // byte offset of each rune in folded
		covered []bool
	}
	var runs []hanRun
	known := map[rune]bool{}
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRuneInString(folded[i:])
		if !isHan(r) {
			i += size
			continue
		}
		run := hanRun{start: i}
		for i < len(folded) {
			r, size = utf8.DecodeRuneInString(folded[i:])
			if !isHan(r) {
				break
			}
			run.runes = append(run.runes, r)
			run.offsets = append(run.offsets, i)
			i += size
		}
		run.offsets = append(run.offsets, i)
		run.covered = make([]bool, len(run.runes))
		for a := range run.runes {
			for n := 2; n <= 4 && a+n <= len(run.runes); n++ {
				if lex.has(folded[run.offsets[a]:run.offsets[a+n]]) {
					for k := a; k < a+n; k++ {
						run.covered[k] = true
						known[run.runes[k]] = true
					}
				}
			}
		}
		runs = append(runs, run)
	}
	var out []span
	for _, run := range runs {
		for a := 0; a < len(run.runes); {
			if !isJunkCandidate(run.runes[a], run.covered[a], known) {
				a++
				continue
			}
			b := a
			for b < len(run.runes) && isJunkCandidate(run.runes[b], run.covered[b], known) {
				b++
			}
			// A character at the edge that forms a word with the character
			// across the run belongs to the prose the junk was put into
			// (办 of "办凝永微法").
			a2, b2 := a, b
			if b2 < len(run.runes) && a2 < b2 && lex.has(string([]rune{run.runes[a2], run.runes[b2]})) {
				a2++
			}
			if a2 > 0 && a2 < b2 && lex.has(string([]rune{run.runes[a2-1], run.runes[b2-1]})) {
				b2--
			}
			next := rune(0)
			if b < len(run.runes) {
				next = run.runes[b]
			}
			if b2-a2 >= 3 && !strings.ContainsRune(placeSuffixes, run.runes[b-1]) && !strings.ContainsRune(placeSuffixes, next) {
				out = append(out, span{run.offsets[a2], run.offsets[b2]})
			}
			a = b
		}
	}
	return out
}

func isJunkCandidate(r rune, covered bool, known map[rune]bool) bool {
	return !covered && !known[r] && !strings.ContainsRune(functionChars, r)
}

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
