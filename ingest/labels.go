package ingest

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// A label is what a reviewer reads to know what a figure counts. The noun
// phrase nearest the number (label, beforeLabel) is often not enough: a
// rate says only 占比, a verb only 开展, and 行政许可 reads the same for the
// whole city and for the city's own offices. sentenceLabels completes those
// from the rest of the sentence.

const (
	maxNounLabel = 14 // the noun phrase of one clause
	maxLabel     = 24 // a label with its scope or borrowed subject
)

// genericLabels name a share or an activity but not what it is of: the
// subject is that of the figure before (市公安局30件,占比35.3%).
var genericLabels = map[string]bool{
	"占比": true, "比例": true, "比重": true, "同比": true, "其中": true, "方面": true,
	"覆盖率": true, "占": true,
}

// isGeneric says whether a label names only a share (占比, 占总量) or
// another word that needs a subject.
func isGeneric(label string) bool {
	return genericLabels[label] || strings.HasPrefix(label, "占") && utf8.RuneCountInString(label) <= 4
}

// bareVerbs say what was done but not to what: 全年累计开展20余次 takes its
// object from the clause before (开展…专题集中学习).
var bareVerbs = map[string]bool{
	"开展": true, "召开": true, "组织": true, "举办": true, "办理": true, "完成": true,
	"处理": true, "实施": true, "学习": true, "举行": true,
}

// outcomeVerbs end the handling of cases counted before them: 审结117件
// after 行政诉讼案件115件 is 行政诉讼案件审结.
var outcomeVerbs = map[string]bool{
	"审结": true, "办结": true, "结案": true, "败诉": true, "胜诉": true, "纠错": true,
	"撤诉": true, "调撤": true, "化解": true, "调解": true, "受理": true, "立案": true,
}

// caseNouns end the labels of counts whose outcomes may follow.
var caseNouns = []string{"案件", "申请", "诉讼", "复议", "投诉", "举报", "信访", "纠纷", "争议"}

// scopeWords open a clause or a sentence and say over what the figures
// that follow are counted: 全市…行政许可16634件 and 市本级…行政许可9310件
// are different figures. 其中 is a part of the figure before; a wider
// scope that governs it (全市…,其中行政许可) says more.
var scopeWords = []string{"市本级", "区本级", "县本级", "全市", "全区", "全县", "全省", "全镇", "本级", "全年", "累计", "其中"}

// listJoiners join the items of a list.
var listJoiners = []string{"、", "以及", "和", "及", "与"}

// lastJoiner is the last list joiner in s and where it is, or -1: 和 in
// 和谐 or 与 in 参与 joins nothing.
func lastJoiner(s string) (int, string) {
	k, kj := -1, ""
	for _, o := range listJoiners {
		for end := len(s); end > k; {
			i := strings.LastIndex(s[:end], o)
			if i <= k {
				break
			}
			if o == "、" || len(o) > len("和") || !inWord(s, i, o) {
				k, kj = i, o
				break
			}
			end = i
		}
	}
	return k, kj
}

// inWord says whether the one-rune w at i of s is part of a word with the
// rune before or after it.
func inWord(s string, i int, w string) bool {
	lex := lexicon()
	return lex.has(string(trailingRune(s[:i]))+w) || lex.has(w+string(leadingRune(s[i+len(w):])))
}

// cleanLabel drops what a label should not show: quote marks, brackets
// with their asides, dates and document numbers (cleanPhrase, as for the
// verb phrases of people), item by item of a list.
func cleanLabel(s string) string {
	if !strings.ContainsAny(s, "“”\"‘’「」《》<>()[]〔〕【】0123456789") {
		return s
	}
	items := strings.Split(s, "、")
	for i, item := range items {
		clean, _ := cleanPhrase(item)
		items[i] = strings.TrimSpace(plain(clean))
	}
	return strings.Trim(strings.Join(items, "、"), "、")
}

// keepHead bounds a label to n runes. A Chinese noun phrase ends in its
// head, so the end is kept and leading modifiers dropped: after the first
// 的 that leaves a head of two runes or more, else at the nearest word
// boundary.
func keepHead(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	tail := lastRunes(s, n)
	for i := 0; i < len(tail); {
		d := strings.Index(tail[i:], "的")
		if d < 0 {
			break
		}
		head := tail[i+d+len("的"):]
		if utf8.RuneCountInString(head) >= 2 {
			return head
		}
		i += d + len("的")
	}
	off := len(s) - len(tail)
	lex := lexicon()
	for range 3 {
		first, size := utf8.DecodeRuneInString(s[off:])
		if len(s)-off-size < 2*3 || !lex.has(string(trailingRune(s[:off]))+string(first)) {
			break
		}
		off += size
	}
	return strings.TrimLeft(s[off:], "、和及与")
}

// listLabel widens last, the label of the last item of a list before a
// number, to the items before it that share its head or leave it out:
// 参考率、通过率和优秀率100% states three rates, 网办、掌办率 two, and
// to the short items of a list closed by 等. A list
// read out 分别 (respectively) has a number per item and stays as it is.
func listLabel(before, last string) string {
	at := strings.LastIndex(before, last)
	if at < 0 || strings.Contains(before[at:], "分别") {
		return last
	}
	head := trailingRune(last)
	// A list closed by 等 before its number is counted as a whole (种子、
	// 农药、兽药等11类): its short items need not share a head.
	enumerated := strings.HasSuffix(strings.TrimSpace(before), "等")
	label := last
	pre := before[:at]
	for {
		j := suffixOf(pre, listJoiners...)
		if j == "" || j != "、" && len(j) == len("和") && inWord(pre, len(pre)-len(j), j) {
			return label
		}
		pre = strings.TrimSuffix(pre, j)
		k, kj := lastJoiner(pre)
		var item string
		if k < 0 {
			item = cleanLabel(trimLabel(cutLabel(pre)))
		} else {
			item = pre[k+len(kj):]
		}
		// An item of a list of rates may leave out the shared 率 (网办、
		// 掌办率): such an item is one word, read as its last two runes.
		if head == '率' && trailingRune(item) != head && k < 0 {
			item = lastRunes(item, 2)
		}
		n := utf8.RuneCountInString(item)
		// The first item is read back to a verb or function word, and may
		// hold the subject of the whole clause: only a short one is an item.
		if k < 0 && n > utf8.RuneCountInString(last)+4 {
			return label
		}
		if item == "" || strings.ContainsAny(item, "0123456789") || trailingRune(item) != head && (n > 2 || head != '率') && !(enumerated && n <= 6) ||
			utf8.RuneCountInString(label)+n+1 > maxLabel {
			return label
		}
		label = item + j + label
		if k < 0 {
			return label
		}
		pre = pre[:k+len(kj)]
	}
}

// sentenceLabels completes the labels of one line's figures from their
// sentences: a generic word (占比) takes the subject of the figure before,
// a bare verb (开展) its object, and a scope word that opens the sentence
// or a clause (全市, 市本级, 其中) is kept with the figures it governs.
// befores are the figures' clauses before the number (figureContext).
func (r *Report) sentenceLabels(ln line, raws []rawFigure, befores []string) {
	borrowed := make([]bool, len(raws))
	for i := range raws {
		f := &raws[i]
		if f.zero || borrowed[i] {
			continue
		}
		sa := r.sentenceStart(ln, f.a)
		if n := r.respectively(ln, raws[i:], befores[i:]); n > 0 {
			for j := i; j < i+n; j++ {
				borrowed[j] = true
			}
		}
		switch {
		case borrowed[i]:
		case isGeneric(f.label):
			// The figure's own clause may say whose share it is
			// (住建领域即将移交7个方面).
			if own := beforeLabel(figureContext{before: befores[i]}); own != "" && !isGeneric(own) && !strings.Contains(own, f.label) {
				f.label = keepHead(own, maxLabel-utf8.RuneCountInString(f.label)) + f.label
				break
			}
			for j := i - 1; j >= 0 && raws[j].a >= sa; j-- {
				if g := raws[j]; !g.zero && !borrowed[j] && g.label != "" && !isGeneric(g.label) {
					subject := strings.TrimPrefix(g.label, "其中")
					f.label, borrowed[i] = keepHead(subject, maxLabel-utf8.RuneCountInString(f.label))+f.label, true
					break
				}
			}
		case bareVerbs[f.label]:
			if obj := r.objectBefore(sa, f.a-len(befores[i]), f.label); obj != "" {
				f.label = f.label + keepHead(obj, maxLabel-utf8.RuneCountInString(f.label))
			}
		case outcomeVerbs[f.label]:
			// 行政诉讼案件115件,审结117件,败诉12件: the outcome is of the
			// count before it, unless that count is itself an outcome.
			for j := i - 1; j >= 0 && raws[j].a >= sa; j-- {
				g := raws[j]
				if g.zero || borrowed[j] || g.label == "" {
					continue
				}
				if g.unit == f.unit && suffixOf(g.label, caseNouns...) != "" && !strings.Contains(g.label, f.label) {
					f.label, borrowed[i] = keepHead(strings.TrimPrefix(g.label, "其中"), maxLabel-utf8.RuneCountInString(f.label))+f.label, true
				}
				break
			}
		}
		r.addScope(sa, f)
	}
}

// addScope puts the scope governing f before its label.
func (r *Report) addScope(sa int, f *rawFigure) {
	if scope := r.scopeOf(sa, f.a); scope != "" && f.label != "" && !strings.Contains(f.label, scope) {
		f.label = scope + keepHead(f.label, maxLabel-utf8.RuneCountInString(scope))
	}
}

// respectively labels a run of figures read out 分别 against a list
// (主要为行政处罚和举报投诉处理,分别占比30.6%、23.5%; 参考率和通过率分别为
// 98%、95%): each takes its item of the list and the word after 分别. It
// returns how many figures it labelled, 0 when the list and the run do
// not pair up.
func (r *Report) respectively(ln line, raws []rawFigure, befores []string) int {
	at := strings.LastIndex(befores[0], "分别")
	if at < 0 || raws[0].zero {
		return 0
	}
	word := trimLabel(befores[0][at+len("分别"):])
	if prefixOf(word, "为", "是", "达", "占到") == word {
		word = "" // 分别为: the items are the labels
	}
	list := befores[0][:at]
	if !strings.ContainsFunc(list, isHan) {
		// The list is the clause before: from the clause's start back to
		// the delimiter before it.
		end := raws[0].a - len(befores[0])
		start := max(ln.start, end-maxSentence)
		list = strings.TrimRightFunc(r.norm[start:end], func(ch rune) bool { return isClauseDelim(ch) || ch == ' ' })
		if i := strings.LastIndexAny(list, clauseDelims); i >= 0 {
			_, size := utf8.DecodeRuneInString(list[i:])
			list = list[i+size:]
		}
	}
	items := listItems(list)
	n := 1
	for n < len(raws) && !raws[n].zero && strings.Trim(befores[n], "、和及与 ") == "" {
		n++
	}
	if len(items) != n || n < 2 {
		return 0
	}
	sa := r.sentenceStart(ln, raws[0].a)
	for j := range n {
		raws[j].label = keepHead(items[j], maxLabel-utf8.RuneCountInString(word)) + word
		r.addScope(sa, &raws[j])
	}
	return n
}

// listItems splits the list that ends s into its items, the first read
// back to a verb or function word (主要为|行政处罚和举报投诉处理).
func listItems(s string) []string {
	if strings.ContainsAny(s, "0123456789") {
		return nil
	}
	var items []string
	for {
		k, kj := lastJoiner(s)
		if k < 0 {
			break
		}
		item := cleanLabel(trimLabel(s[k+len(kj):]))
		if item == "" {
			return nil
		}
		items = append(items, item)
		s = s[:k]
	}
	first := cleanLabel(trimLabel(cutLabel(s)))
	if first == "" || len(items) == 0 {
		return nil
	}
	items = append(items, first)
	slices.Reverse(items)
	return items
}

// sentenceStart is where the sentence holding byte i of the line starts.
func (r *Report) sentenceStart(ln line, i int) int {
	for from := i; i > ln.start && from-i < maxSentence; {
		ch, size := utf8.DecodeLastRuneInString(r.norm[ln.start:i])
		if sentenceEndSet.has(ch) {
			break
		}
		i -= size
	}
	return i
}

// objectBefore is the object of verb in the clause before the one ending
// at end (开展习近平法治思想专题集中学习 for 开展20余次), or its noun phrase;
// "" when that clause holds a figure of its own or nothing.
func (r *Report) objectBefore(sa, end int, verb string) string {
	s := r.norm[sa:end]
	s = strings.TrimRightFunc(s, func(ch rune) bool { return isClauseDelim(ch) || ch == ' ' })
	if i := strings.LastIndexAny(s, clauseDelims); i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		s = s[i+size:]
	}
	if s == "" || strings.ContainsAny(s, "0123456789") {
		return ""
	}
	if i := strings.LastIndex(s, verb); i >= 0 && i+len(verb) < len(s) {
		return cleanLabel(trimLabel(s[i+len(verb):]))
	}
	return ""
}

// scopeOf is the scope governing a figure at i of a sentence starting at
// sa: the scope words opening the nearest clause that opens with one.
// 其中 gives way to a wider scope opened before it in the sentence.
func (r *Report) scopeOf(sa, i int) string {
	s := r.norm[sa:i]
	inner := ""
	for own := true; len(s) > 0; own = false {
		k := strings.LastIndexAny(s, clauseDelims)
		clause := s
		if k >= 0 {
			_, size := utf8.DecodeRuneInString(s[k:])
			clause = s[k+size:]
		}
		if scope := openingScope(clause); scope != "" {
			if scope != "其中" {
				return scope
			}
			if own {
				inner = scope // 其中 governs its own clause only
			}
		}
		if k < 0 {
			break
		}
		s = s[:k]
	}
	return inner
}

// openingScope is the run of scope words at the start of a clause, after
// a date (2024年,全市…; 全年累计开展).
func openingScope(clause string) string {
	clause = strings.TrimLeft(clause, " 0123456789")
	clause = strings.TrimPrefix(clause, "年")
	var run string
	for {
		w := prefixOf(clause, scopeWords...)
		if w == "" {
			return run
		}
		if run != "" && w == "其中" {
			return run
		}
		run += w
		clause = clause[len(w):]
		clause = strings.TrimPrefix(clause, "共")
	}
}
