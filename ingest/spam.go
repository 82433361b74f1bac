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

// spamStarts are the words a spam phrase starts with: its brands and core
// words. The grammar ignores case, so the ASCII brands (bet365 …) are
// looked for by hasBet as well. A window around a trigger word ("精彩", "文化娱乐")
// that holds none of them cannot hold a phrase, and skips the grammar.
var spamStarts = newLiteralSet(strings.Split(spamBrands+"|"+spamCore, "|")...)

// mayHoldSpam says whether a spam phrase may occur in s.
func mayHoldSpam(s string) bool {
	return spamStarts.contains(s) || hasBet(s)
}

// hasBet says whether s holds "bet" in any case.
func hasBet(s string) bool {
	for i := 0; i+3 <= len(s); i++ {
		if s[i]|0x20 == 'b' && s[i+1]|0x20 == 'e' && s[i+2]|0x20 == 't' {
			return true
		}
	}
	return false
}

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
		if !mayHoldSpam(folded[win.start:win.end]) {
			continue
		}
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
