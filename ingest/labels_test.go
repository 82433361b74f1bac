package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLabels holds labels to what a reviewer needs to read from them: what
// is counted, over what scope, in a short phrase without cut words.
func TestLabels(t *testing.T) {
	cases := []struct {
		text   string
		labels []string // one per figure, in text order
	}{
		// A share says whose share it is: the subject of the figure before.
		{"从被申请人看，县自然资源局18件，占比40.9%，县人社局9件，占比20.5%。",
			[]string{"县自然资源局", "县自然资源局占比", "县人社局", "县人社局占比"}},
		// 为 before the name (排名第一的单位为…) is a copula, not part of it.
		{"案件较多的单位为区城管执法局12件，占比31.6%。",
			[]string{"区城管执法局", "区城管执法局占比"}},
		// A coverage rate takes the activity of the figure before.
		{"开展“法治进社区”宣讲活动36场，覆盖率达85%。",
			[]string{"法治进社区宣讲活动", "法治进社区宣讲活动覆盖率"}},
		// A bare verb takes its object from the clause before.
		{"每月组织机关干部开展民法典专题学习，全年累计开展12次。",
			[]string{"全年累计开展民法典专题学习"}},
		// An outcome names the cases counted before it.
		{"全年共办理行政诉讼案件24件，审结21件，败诉2件。",
			[]string{"全年行政诉讼案件", "全年行政诉讼案件审结", "全年行政诉讼案件败诉"}},
		// Not when the count before is of something else.
		{"培训乡镇街道执法人员320人次，调解纠纷45件。",
			[]string{"培训乡镇街道执法人员", "调解纠纷"}},
		// Scope words that open a sentence or clause stay with the figures
		// they govern: two 行政处罚 of different scope read differently.
		{"全县共办理行政处罚案件1250件，其中简易程序案件870件；县本级办理行政处罚案件430件。",
			[]string{"全县行政处罚案件", "全县简易程序案件", "县本级行政处罚案件"}},
		{"2023年，全区受理行政复议申请56件；区本级受理行政复议申请21件。",
			[]string{"全区受理行政复议申请", "区本级受理行政复议申请"}},
		// 其中 governs its own clause when no wider scope does.
		{"受理群众来信来访320件，其中来信95件、来访225件，办结率98%。",
			[]string{"受理群众来信来访", "其中来信", "其中来访", "办结率"}},
		// One number for a list of rates: the label shows the list.
		{"全体执法人员实现参训率、考试率和合格率均为100%。",
			[]string{"参训率、考试率和合格率"}},
		{"企业开办全程网办、掌办率达到98%。",
			[]string{"网办、掌办率"}},
		// A list closed by 等 is counted as a whole.
		{"双随机抽查包括餐饮、食品销售、药品零售等3类。",
			[]string{"餐饮、食品销售、药品零售"}},
		// A long phrase is cut at a word boundary and keeps its head.
		{"完成市场主体经济活动行政规范性文件公平竞争审查23件。",
			[]string{"行政规范性文件公平竞争审查"}},
		{"共有78户个体工商户因首次轻微违法行为免于行政处罚。",
			[]string{"个体工商户因首次轻微违法行为"}},
		// No quote marks, brackets or dates in a label.
		{"办理“一件事”联办事项（含跨部门事项）46件。",
			[]string{"一件事联办事项"}},
		// A figure inside brackets is named inside them.
		{"共收到政府信息公开申请42件（通过在线平台申请31件）。",
			[]string{"收到政府信息公开申请", "通过在线平台申请"}},
		// An adverb opens the verb phrase after the counted noun.
		{"对12家重点排污企业全部实施“双随机”检查。",
			[]string{"重点排污企业"}},
		// The verb of a change is no part of what is counted; nor is a unit tail.
		{"平均审批时限压缩至3个工作日，人均办件量为2.5件/日。",
			[]string{"平均审批时限", "人均办件量"}},
		// 行为 is a word: the 为 is not trimmed.
		{"查处无证经营行为15起。", []string{"查处无证经营行为"}},
	}
	for _, c := range cases {
		figs := figuresOf(t, c.text)
		var got []string
		for _, f := range figs {
			got = append(got, f.Label)
			if n := utf8.RuneCountInString(f.Label); n > maxLabel {
				t.Errorf("%q: label %q has %d runes", c.text, f.Label, n)
			}
			if strings.ContainsAny(f.Label, "“”\"()（）《》0123456789") {
				t.Errorf("%q: label %q holds quote marks, brackets or digits", c.text, f.Label)
			}
		}
		if strings.Join(got, "|") != strings.Join(c.labels, "|") {
			t.Errorf("%q:\n got  %q\n want %q", c.text, got, c.labels)
		}
	}
}

// TestKeepHead bounds labels at word boundaries from the end.
func TestKeepHead(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"行政许可", 14, "行政许可"},
		// After the last modifier's 的 within the bound.
		{"由市司法局和市教育局联合举办的专题培训班", 10, "专题培训班"},
		// 党员 would be split: the half word is dropped.
		{"组织党员干部人人登台讲法治活动", 12, "干部人人登台讲法治活动"},
	}
	for _, c := range cases {
		if got := keepHead(c.in, c.n); got != c.want {
			t.Errorf("keepHead(%q, %d) = %q; want %q", c.in, c.n, got, c.want)
		}
	}
}

// TestLabelsRespectively pairs a run of figures read out 分别 with the
// items of the list before it.
func TestLabelsRespectively(t *testing.T) {
	cases := []struct {
		text   string
		labels []string
	}{
		{"从案件类型看，主要为行政强制和政府信息公开，分别占比41.2%、17.6%。",
			[]string{"行政强制占比", "政府信息公开占比"}},
		{"新招录人员参训率和考试通过率分别为100%、96.5%。",
			[]string{"新招录人员参训率", "考试通过率"}},
		// A list that does not pair up with the run is left alone.
		{"行政处罚、行政许可和行政检查分别为12件、30件。",
			[]string{"行政检查", ""}},
	}
	for _, c := range cases {
		var got []string
		for _, f := range figuresOf(t, c.text) {
			got = append(got, f.Label)
		}
		if strings.Join(got, "|") != strings.Join(c.labels, "|") {
			t.Errorf("%q:\n got  %q\n want %q", c.text, got, c.labels)
		}
	}
}
