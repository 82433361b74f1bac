package ingest

import "testing"

func TestParseChineseNumber(t *testing.T) {
	good := map[string]float64{
		"一": 1, "两": 2, "三": 3, "四": 4, "十": 10, "十二": 12, "二十": 20, "二十五": 25,
		"一百": 100, "一百零五": 105, "一百一十": 110, "三千二百": 3200, "两万": 20000,
		"三万二千": 32000, "十万": 100000, "一亿": 1e8, "二〇一九": 2019, "壹佰贰拾": 120,
		"一千零一": 1001, "五十万": 500000,
	}
	for s, want := range good {
		if got, ok := ParseChineseNumber(s); !ok || got != want {
			t.Errorf("ParseChineseNumber(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "十三五", "二百五", "百", "千百", "万万", "三a", "十十"} {
		if got, ok := ParseChineseNumber(s); ok {
			t.Errorf("ParseChineseNumber(%q) = %v; want refusal", s, got)
		}
	}
}

func TestParseArabicScales(t *testing.T) {
	cases := []struct {
		s    string
		exp  int
		want float64
	}{
		{"2.2", 4, 22000}, {"122.4552", 4, 1224552}, {"13,206", 0, 13206}, {"30", 4, 300000}, {"0.5", 8, 5e7},
	}
	for _, c := range cases {
		if got, ok := parseArabic(c.s, c.exp); !ok || got != c.want {
			t.Errorf("parseArabic(%q, %d) = %v; want %v", c.s, c.exp, got, c.want)
		}
	}
}

// figuresOf reads a small UTF-8 text and returns its figures.
func figuresOf(t *testing.T, text string) []Figure {
	t.Helper()
	r, err := ReadReport("t.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return ExtractFigures(r, nil)
}

func TestNumberForms(t *testing.T) {
	cases := []struct {
		text, quote, unit, qualifier string
		value                        float64
	}{
		{"参与师生30余万人。", "30余万人", "人", "余", 300000},
		{"罚款2.2万元。", "2.2万元", "元", "", 22000},
		{"接待群众二十余人次。", "二十余人次", "人次", "余", 20},
		{"先后召开会议三次。", "三次", "次", "", 3},
		{"表彰先进个人两名。", "两名", "名", "", 2},
		{"受理申请约300件。", "约300件", "件", "约", 300},
		{"培训人员近3000人。", "近3000人", "人", "近", 3000},
		{"处理投诉超过120件。", "超过120件", "件", "超过", 120},
		{"抽查企业1万余家。", "1万余家", "家", "余", 10000},
		{"办件量同比增长12.5%。", "12.5%", "%", "", 12.5},
		{"满意率达百分之九十八。", "达百分之九十八", "%", "达", 98},
		{"办理案件１２件。", "１２件", "件", "", 12},
		{"参训100人以上。", "100人以上", "人", "以上", 100},
		{"办理初次轻微违法不予处罚案件 32件。", "32件", "件", "", 32},
	}
	for _, c := range cases {
		figs := figuresOf(t, c.text)
		if len(figs) != 1 {
			t.Errorf("%q: %d figures %+v; want 1", c.text, len(figs), figs)
			continue
		}
		f := figs[0]
		if f.Quote != c.quote || f.Unit != c.unit || f.Qualifier != c.qualifier || f.Value != c.value {
			t.Errorf("%q: got %q %v %s %q; want %q %v %s %q", c.text, f.Quote, f.Value, f.Unit, f.Qualifier, c.quote, c.value, c.unit, c.qualifier)
		}
	}
}

func TestNotFigures(t *testing.T) {
	for _, text := range []string{
		"2019年度报告。", "2019年12月9日印发。", "2019129日正式印发。", "20191015日印发。", "202025",
		"《通知》(张教〔2019〕153号)", "(张教〔2019153号)。", "市政府令第289号。", "保政呈〔2017〕3號",
		"〔2014〕保市府辦172號", "落实“十三五”规划。", "“八五”普法。", "第五届法治文化节。", "党的十九大。",
		"一是加强领导。二是强化学习。", "(一)基本情况。(略)", "1-4年级学生。", "方案(2018-2019)。", "10:57:00",
		"实施“三聚两先一名市”工程。", "深入学习把握“十一个坚持”。", "作为一项基础性工作。", "构建一支执法团队。",
		"截至202", "我局原有11", "推进“一网、一门、一次”改革。", "推进一件事一次办。", "2021年 11月 19日",
		"第三条第六项、第五十八条。", "近3年来。", "4月份召开。", "《关于印发<制度>等三个文件的通知》。",
		"建立行政执法一本账管理制度。", "构建政务服务一张网。",
	} {
		if figs := figuresOf(t, text); len(figs) != 0 {
			t.Errorf("%q: figures %+v; want none", text, figs)
		}
	}
}

func TestZeroForms(t *testing.T) {
	cases := map[string]string{
		"全年行政复议零撤改。":  "reconsideration_corrected",
		"行政诉讼实现零败诉。":  "litigation_lost",
		"全年未制定规范性文件。": "normative_docs_issued",
	}
	for text, code := range cases {
		figs := figuresOf(t, text)
		if len(figs) != 1 || figs[0].Indicator != code || figs[0].Value != 0 {
			t.Errorf("%q: %+v; want one zero figure of %s", text, figs, code)
		}
	}
	if figs := figuresOf(t, "实现办事零跑腿,无违规审批案件。"); len(figs) != 0 {
		t.Errorf("zero forms without an indicator gave %+v", figs)
	}
}

func TestTruncatedListItemKeepsNumber(t *testing.T) {
	figs := figuresOf(t, "区级取消政务服务事项18项、申请材料525")
	if len(figs) != 2 || figs[1].Value != 525 || figs[1].Unit != "" || figs[1].Label != "申请材料" {
		t.Fatalf("figures %+v; want 18项 and a unitless 525 labelled 申请材料", figs)
	}
	if figs[1].Confidence >= figs[0].Confidence {
		t.Errorf("cut-off item should be less sure than a whole one")
	}
}
