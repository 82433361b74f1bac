package ingest

import (
	"strings"
	"unicode/utf8"
)

// A count of people often says what is counted only in the verb phrase
// after the counted noun: 组织8名持有执法证人员|参加换证考试 counts exam
// candidates who happen to hold certificates, 对71位新提拔领导干部|进行廉政
// 教育及法律知识测试 counts people tested. The noun says who the people are,
// the verb phrase what they did; the figure is named and matched by both,
// the verb phrase first.

// predicateVerbs open the verb phrase of a count of people. Verbs that
// describe the people rather than say what they did (持有, 担任) are left
// out: 8名持有执法证人员 is who they are.
//
// 报名参加 counts candidates: those registered for an exam are its
// candidates as reports state them, so 16名同志报名参加…行政执法证件申领
// 资格考试 is enforcement_exam_takers (执法资格（换证）考试参考人数): the exam
// one passes to be issued an enforcement certificate is the catalogue's
// 执法资格考试, and the certificate in its name is what it leads to, not
// what they hold. The phrase's head (资格考试) decides that, in matchPhrase.
var predicateVerbs = newLiteralSet(
	"报名参加", "参加", "参与", "参训", "报名", "通过", "申领", "取得", "考取",
	"获得", "荣获", "获", "接受", "进行", "完成",
)

// phraseAdverbs may stand between the counted noun and its verb (干部职工
// 积极参加, 全体公务员共13人在线进行): they belong to the verb phrase.
var phraseAdverbs = []string{
	"在线", "积极", "主动", "全部", "全员", "全程", "先后", "分别", "共同", "集中", "顺利",
	"自愿", "如期", "按时", "同时", "陆续", "再次", "首次", "均", "都", "已", "共", "还", "也",
}

// personEndings end nouns that name people: the counted noun of a relative
// clause (一名通过司法考试的公务员) and a noun before the number that may
// stand for the people (全体公务员共13人).
var personEndings = []string{
	"干部", "同志", "职工", "员工", "学生", "考生", "群众", "代表", "专家", "骨干",
	"员", "人", "者", "师",
}

// genericPeople say nothing about who is counted: 16名同志报名参加… is
// labelled by what they did alone.
var genericPeople = map[string]bool{"同志": true, "人员": true, "人": true, "名": true}

const (
	maxWhoRunes    = 12 // a counted noun longer than this is a clause of its own
	maxPhraseRunes = 40 // how far a verb phrase is read
	maxVerbLabel   = 24 // labels that carry a verb phrase; noun labels keep 14
)

// verbPhrase is what a count of people did, read from the text after the
// measure word with asides in brackets, quote marks and dates dropped.
// Document titles stay between titleOpen and titleClose: they are part of
// the label but name a document, not what people did (参加《行政执法资格考试
// 办法》培训 is training), so the indicator is matched without them.
type verbPhrase struct {
	who    string // the counted noun before the verb: 持有执法证人员, or ""
	adverb string // 积极, 在线
	verb   string // 参加
	object string // 换证考试
}

// text is the verb phrase proper, without the counted noun and titles,
// for matching.
func (p verbPhrase) text() string { return p.adverb + p.verb + untitled(p.object) }

// Private-use characters mark a document title in a cleaned phrase.
const (
	titleOpen  = '\uE000'
	titleClose = '\uE001'
)

// untitled drops the titles of a cleaned phrase.
func untitled(s string) string {
	for {
		a := strings.IndexRune(s, titleOpen)
		if a < 0 {
			return s
		}
		b := strings.IndexRune(s[a:], titleClose)
		if b < 0 {
			return s[:a]
		}
		s = s[:a] + s[a+b+utf8.RuneLen(titleClose):]
	}
}

// plain drops the title marks of a cleaned phrase, keeping the titles.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if r == titleOpen || r == titleClose {
			return -1
		}
		return r
	}, s)
}

// readVerbPhrase reads the verb phrase of a count of people from s, the
// text after its measure word up to the next figure.
func readVerbPhrase(s string) (verbPhrase, bool) {
	clean, verbs := cleanPhrase(s)
	var p verbPhrase
	at, v := firstVerb(clean, verbs, 0)
	if v == "" {
		return p, false
	}
	p.who, p.adverb = splitAdverbs(clean[:at])
	if p.who == "" {
		// A verb right after the measure word may open a relative clause
		// whose head, after 的, is the counted noun: 一名通过司法考试的公务员
		// counts civil servants, who may then do something
		// (3名取得执法证的人员参加…).
		rest := clean[at+len(v):]
		if d := strings.Index(rest, "的"); d >= 0 {
			headAt := at + len(v) + d + len("的")
			next, nv := firstVerb(clean, verbs, headAt)
			if nv == "" {
				next = len(clean)
			}
			head, adverb := splitAdverbs(clean[headAt:next])
			if endsWithAny(head, personEndings) {
				if nv == "" {
					return p, false // the whole phrase is a noun
				}
				p.who, p.adverb = clean[:headAt]+head, adverb
				at, v = next, nv
			}
		}
	}
	if utf8.RuneCountInString(p.who) > maxWhoRunes {
		return p, false
	}
	p.verb = v
	p.object = strings.TrimSuffix(strings.TrimSpace(clean[at+len(v):]), "等")
	if !strings.ContainsFunc(plain(p.object), isHan) {
		return p, false // 45人参加, with nothing they took part in
	}
	return p, true
}

// firstVerb returns the first predicate verb of clean that starts at or
// after from, of those cleanPhrase noted, and where.
func firstVerb(clean string, verbs []int, from int) (int, string) {
	for _, at := range verbs {
		if at < from {
			continue
		}
		if v := predicateVerbs.at(clean[at:]); v != "" {
			return at, v
		}
	}
	return 0, ""
}

// cleanPhrase reads s up to the end of its clause (,;。、 and the like),
// dropping asides in brackets (含教育局机关科室干部) and quote marks,
// marking document titles with titleOpen and titleClose, and dropping
// numbers that are not figures, with the date word that follows them
// (2019年度): those are dates, years and document numbers, and a label
// without them reads the same every year. verbs are the byte offsets in
// clean where predicate verbs start, outside quotes, where a verb belongs

// asideClose closes the brackets of an aside, which leaves a phrase.
var asideClose = map[rune]string{'(': ")", '[': "]", '〔': "〕", '【': "】"}

// to a name.
func cleanPhrase(s string) (clean string, verbs []int) {
	var b strings.Builder
	quoted := false
	for i, runes := 0, 0; i < len(s) && runes < maxPhraseRunes; {
		ch, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isClauseDelim(ch) || ch == '、':
			return b.String(), verbs
		case ch == '(' || ch == '[' || ch == '〔' || ch == '【':
			closing := asideClose[ch]
			j := strings.Index(s[i:], closing)
			if j < 0 {
				return b.String(), verbs
			}
			i += j + len(closing)
			continue
		case strings.ContainsRune("“《<「‘", ch):
			quoted = true
			if ch == '《' || ch == '<' {
				b.WriteRune(titleOpen)
			}
			i += size
			continue
		case strings.ContainsRune("”》>」’", ch):
			quoted = false
			if ch == '》' || ch == '>' {
				b.WriteRune(titleClose)
			}
			i += size
			continue
		case ch == '"':
			quoted = !quoted
			i += size
			continue
		case ch >= '0' && ch <= '9':
			for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == '-') {
				i++
			}
			i += len(prefixOf(s[i:], "年度", "学年", "年", "月", "日", "号", "届", "期", "批"))
			if str := b.String(); strings.HasSuffix(str, "第") {
				b.Reset()
				b.WriteString(strings.TrimSuffix(str, "第"))
			}
			continue
		case ch == ' ' || ch == '\t':
			i += size
			continue
		}
		if !quoted && predicateVerbs.mayStart(ch) && predicateVerbs.at(s[i:]) != "" {
			verbs = append(verbs, b.Len())
		}
		b.WriteRune(ch)
		runes++
		i += size
	}
	return b.String(), verbs
}

// splitAdverbs splits adverbs off the end of s: 干部职工积极 → 干部职工, 积极.
func splitAdverbs(s string) (noun, adverbs string) {
	noun = s
	for {
		a := suffixOf(noun, phraseAdverbs...)
		if a == "" {
			return noun, s[len(noun):]
		}
		noun = noun[:len(noun)-len(a)]
	}
}

func endsWithAny(s string, endings []string) bool {
	return s != "" && suffixOf(s, endings...) != ""
}

// label names the figure by who did what: 持有执法证人员参加换证考试. A
// noun before the number stands for the people when none follows the
// measure word (全体公务员共13人在线进行普法学习); generic nouns (同志)
// and the light verb 进行 are left out. A label too long loses, in turn,
// the modifier of the object up to its last 的 (参加由…联合举办的|专题培训班:
// the head says what they did), the counted noun, and the runes past the
// bound.
func (p verbPhrase) label(beforeLabel string) string {
	who := plain(p.who)
	if who == "" && endsWithAny(beforeLabel, personEndings) {
		who = beforeLabel
	}
	if genericPeople[who] {
		who = ""
	}
	verb := p.verb
	if verb == "进行" {
		verb = "" // 对干部进行法律知识测试: they were tested
	}
	object := plain(p.object)
	if utf8.RuneCountInString(who+p.adverb+verb+object) > maxVerbLabel {
		if d := strings.LastIndex(object, "的"); d >= 0 && d+len("的") < len(object) {
			object = object[d+len("的"):]
		}
	}
	phrase := p.adverb + verb + object
	if utf8.RuneCountInString(who+phrase) > maxVerbLabel {
		who = ""
	}
	return cutLabelRunes(who+phrase, maxVerbLabel)
}

// cutLabelRunes keeps at most n runes of s, backing off a few runes so as
// not to split a word across the cut.
func cutLabelRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := firstRunes(s, n)
	lex := lexicon()
	for range 3 {
		last, size := utf8.DecodeLastRuneInString(cut)
		if size == 0 || !lex.has(string(last)+string(leadingRune(s[len(cut):]))) {
			break
		}
		cut = cut[:len(cut)-size]
	}
	return cut
}

// peopleDid is a count of people whose verb phrase was read, for the
// counts of the same sentence that leave its object out.
type peopleDid struct {
	phrase    verbPhrase
	indicator string
	value     float64
	end       int // in norm
}

// readPeople names a count of people by its verb phrase and returns what
// later counts of the sentence may refer to. Two shapes:
//
//   - 组织45名执法人员参加行政执法资格考试: the verb phrase after the noun. The
//     indicator is the one the verb phrase names (the people took an exam),
//     else the one the clause names with the phrase in it.
//   - …资格考试,通过42人: a bare verb before the number whose object is that
//     of the count before. The figure takes the indicator that the object
//     and verb name together (考试通过) only if the catalogue bounds it by the
//     earlier count's (passes ≤ candidates) and the value agrees; the
//     pass count of an exam is not the exam's candidates.
func (r *Report) readPeople(f *rawFigure, ctx figureContext, next int, prev *peopleDid, m *indicatorMatcher) *peopleDid {
	if p, ok := readVerbPhrase(r.norm[f.b:next]); ok {
		f.label = p.label(beforeLabel(ctx))
		if code := m.matchPhrase(p.text(), f.unit); code != "" {
			f.indicator = code
		} else {
			after := untitled(p.who) + p.text()
			f.indicator = m.match(figureContext{before: ctx.before, after: after, joined: ctx.before + after}, f.unit)
		}
		return &peopleDid{phrase: p, indicator: f.indicator, value: f.value, end: f.b}
	}
	if prev == nil || strings.TrimSpace(ctx.after) != "" || strings.ContainsFunc(r.norm[prev.end:f.a], sentenceEndSet.has) {
		return nil
	}
	verb := trimLabel(ctx.before)
	if verb == "" || predicateVerbs.at(verb) != verb {
		return nil
	}
	f.label = cutLabelRunes(verb+plain(prev.phrase.object), maxVerbLabel)
	code := m.matchPhrase(untitled(prev.phrase.object)+verb, f.unit)
	if code != "" && m.isPart(code, prev.indicator) && f.value <= prev.value {
		f.indicator = code
	}
	return prev
}
