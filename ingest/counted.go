package ingest

import (
	"strings"
	"unicode/utf8"
)

// countedHeads are nouns that, as the head of what a figure counts, name
// something other than the cases, sessions or people the catalogue counts:
// documents (判决书, 决定书, 文书, 材料), powers and list entries (职权,
// 权责事项, 清单), topics and meetings (工作, 议题, 会议). A catalogue word
// next to such a figure only modifies the noun (行政复议|决定书6份) or
// belongs to a neighbour (收到判决书41份(无行政败诉)), so only a term that
// itself ends in the head may name the figure: 规范性文件 counts 文件, 重大
// 行政决策事项 counts 事项.
var countedHeads = []string{
	// Documents.
	"判决书", "裁定书", "决定书", "通知书", "意见书", "建议书", "调解书", "告知书", "答复书", "协议书", "文书",
	"律师函", "函件", "材料", "案卷", "卷宗", "文件", "报告", "方案", "简报", "通报", "公告", "稿件", "文章",
	// Powers and entries of a list. Not 事项 alone: 信访事项 and 行政许可事项
	// 350件 are the petitions and applications themselves.
	"职权", "权力", "职责", "权责事项", "职权事项", "事项清单", "清单", "目录",
	// Topics and meetings.
	"议题", "课题", "问题", "会议",
}

// taskHeads name what is counted only right after the measure word
// (7项重点工作): before the number, "开展双随机抽查工作12次" counts the
// inspections the work consisted of.
var taskHeads = []string{"工作", "任务"}

var countedHeadSet = newLiteralSet(append(taskHeads, countedHeads...)...)

// nounEnds may follow the counted noun after a measure word and end it: a
// predicate or a preposition (6份行政处罚决定书被撤销, 3件卷宗经评查).
var nounEnds = newLiteralSet(append([]string{"因", "已", "均", "经", "予", "中", "共", "得到", "送达", "全部", "都"}, afterLabelStops...)...)

// countedHead returns the head of the noun a figure counts when it is one
// of countedHeads, and the byte in ctx.joined where that noun ends; "" when
// the counted noun is not one of them. The counted noun is the noun phrase
// right after the measure word (41份判决书), else, when the clause ends
// with the unit, the phrase right before the number (判决书41份).
func countedHead(ctx figureContext) (head string, end int) {
	after := strings.TrimPrefix(ctx.after, "的")
	if np := leadingHan(after); utf8.RuneCountInString(np) >= 2 {
		// The last listed head that ends the noun phrase: one followed by
		// the end of the phrase, a non-Chinese character or a predicate.
		off := len(ctx.joined) - len(after)
		for _, span := range countedHeadSet.findAll(np) {
			rest := after[span[1]:]
			if rest == "" || !isHan(leadingRune(rest)) || nounEnds.at(rest) != "" {
				head, end = np[span[0]:span[1]], off+span[1]
			}
		}
		return head, end
	}
	before := ctx.before
	for {
		q := suffixOf(before, labelTrimSuffixes...)
		if q == "" {
			q = suffixOf(before, "为", "是")
		}
		if q == "" || q == before {
			break
		}
		before = before[:len(before)-len(q)]
	}
	for _, h := range countedHeads {
		if strings.HasSuffix(before, h) && len(h) > len(head) {
			head, end = h, len(before)
		}
	}
	return head, end
}

// leadingHan is the run of Chinese characters that starts s.
func leadingHan(s string) string {
	for i, r := range s {
		if !isHan(r) {
			return s[:i]
		}
	}
	return s
}

// rateNamed returns where in before the last rate word ends (…率, …比例),
// or -1. A percentage is the rate named right before it: in
// "参考率、通过率和优秀率100%" it is 优秀率, so the catalogue's 通过率 does not
// name it.
func rateNamed(before string) int {
	end := -1
	if i := strings.LastIndex(before, "率"); i >= 0 {
		end = i + len("率")
	}
	if i := strings.LastIndex(before, "比例"); i >= 0 {
		end = max(end, i+len("比例"))
	}
	return end
}
