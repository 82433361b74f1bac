package ingest

import "testing"

// codeOf is the indicator of the figure quoted q in text, failing when
// there is no such figure.
func codeOf(t *testing.T, text, q string) string {
	t.Helper()
	for _, f := range figuresOf(t, text) {
		if f.Quote == q {
			return f.Indicator
		}
	}
	t.Fatalf("%q: no figure %q", text, q)
	return ""
}

// A catalogue word near a number files it under an indicator only when the
// number counts what the indicator counts.
func TestCountedNounDecidesIndicator(t *testing.T) {
	checkCodes(t, []codeCase{
		// Documents: the case word only modifies the noun or stands beside it.
		{"全年共收到人民法院行政判决书18份,其中败诉2件。", "18份", ""},
		{"全年共收到人民法院行政判决书18份,其中败诉2件。", "2件", "litigation_lost"},
		{"办理行政复议案件9件,制发行政复议决定书7份。", "9件", "reconsideration_cases"},
		{"办理行政复议案件9件,制发行政复议决定书7份。", "7份", ""},
		{"组织评查行政处罚案卷126件,发现问题23个。", "126件", ""},
		{"局法制科制作行政处罚文书350件。", "350件", ""},
		{"全年有12件行政处罚案卷被评为优秀案卷。", "12件", ""},
		{"全年办理行政处罚案件230件。", "230件", "admin_penalty_cases"},
		// A term that ends in the counted noun names it.
		{"制定出台行政规范性文件4件。", "4件", "normative_docs_issued"},
		{"全年研究重大行政决策事项3项。", "3项", "major_decisions"},
		{"完成行政规范性文件合法性审查15件。", "15件", "normative_docs_reviewed"},
		{"开展规范性文件清理2次,清理规范性文件35件。", "35件", "normative_docs_reviewed"},
		// Powers, list entries and topics are not cases.
		{"梳理行政处罚职权事项286项。", "286项", ""},
		{"局党组专题研究行政复议应诉等4项重点工作。", "4项", ""},
		// Not every noun of such words is another thing.
		{"全年受理群众来信来访事项45件。", "45件", "petitions_handled"},
		{"窗口共办理行政许可事项350件。", "350件", "admin_approvals"},
		{"开展双随机抽查工作12次。", "12次", "double_random_inspections"},
		{"召开行政复议委员会会议3次。", "3次", ""},
	})
}

// A figure is proposed only for an indicator whose unit the warehouse
// converts it to (fazhi.ConvertUnit); parties (户, 家) count cases only as
// the ones the case happened to.
func TestUnitFamiliesDecideIndicator(t *testing.T) {
	checkCodes(t, []codeCase{
		{"受理行政复议申请14起。", "14起", "reconsideration_cases"},
		{"本年度发生行政诉讼案件6宗。", "6宗", "litigation_cases"},
		{"区级保留行政许可事项52项。", "52项", ""},
		{"依法下放行政处罚权5项。", "5项", "penalty_powers_delegated"},
		{"共收回网络调查问卷300份。", "300份", "consultation_responses"},
		{"提出征求意见反馈12件。", "12件", ""},
		{"全年有38户个体工商户因首次轻微违法依法免于处罚。", "38户", "lenient_no_penalty_cases"},
		{"对27家企业依法给予行政处罚。", "27家", "admin_penalty_cases"},
		{"本年度行政处罚涉及企业45家。", "45家", ""},
		{"为16家企业开展法治体检,举办普法活动3场。", "16家", ""},
		{"为16家企业开展法治体检,举办普法活动3场。", "3场", "law_publicity_events"},
		{"组织开展普法活动20次。", "20次", ""},
		// A percentage is the rate named right before it.
		{"执法人员资格考试通过率达98%。", "达98%", "enforcement_exam_pass_rate"},
		{"干部学法考试参考率、通过率和优秀率均为100%。", "100%", ""},
		{"行政机关负责人出庭应诉率100%,败诉率为5.2%。", "100%", "head_appearance_rate"},
		{"行政机关负责人出庭应诉率100%,败诉率为5.2%。", "5.2%", "litigation_loss_rate"},
	})
}

// A zero form counts only when the negated phrase ends in the indicator's
// term: the head of a Chinese phrase is its last word.
func TestZeroFormsNegateTheHead(t *testing.T) {
	zero := map[string]string{
		"全年未发生行政诉讼。":          "litigation_cases",
		"本年度未出台规范性文件。":        "normative_docs_issued",
		"本年度审结的行政诉讼中无行政败诉情况。": "litigation_lost",
		"全年未发生行政复议案件被纠错情形。":   "reconsideration_corrected",
		"行政复议实现零纠错。":          "reconsideration_corrected",
		"全年未发生一起行政诉讼败诉案件。":    "litigation_lost",
	}
	for text, code := range zero {
		figs := figuresOf(t, text)
		if len(figs) != 1 || figs[0].Indicator != code || figs[0].Value != 0 {
			t.Errorf("%q: %+v; want one zero figure of %s", text, figs, code)
		}
	}
	if figs := figuresOf(t, "全年未发生一起行政诉讼败诉案件。"); len(figs) == 1 && figs[0].Label != "行政诉讼败诉" {
		t.Errorf("zero figure labelled %q, want the negated term 行政诉讼败诉", figs[0].Label)
	}
	for _, text := range []string{
		"全年未发生规范性文件被撤销、行政执法决定被确认违法的情况。",
		"该事项无需行政许可,即来即办。",
		"全面推行行政执法零距离服务。",
	} {
		if figs := figuresOf(t, text); len(figs) != 0 {
			t.Errorf("%q: %+v; want no figure", text, figs)
		}
	}
}

// codeCase is a sentence, the quote of one of its figures and the
// indicator that figure should get ("" for none).
type codeCase struct{ text, quote, want string }

func checkCodes(t *testing.T, cases []codeCase) {
	t.Helper()
	for _, c := range cases {
		if got := codeOf(t, c.text, c.quote); got != c.want {
			t.Errorf("%q: %s → %q, want %q", c.text, c.quote, got, c.want)
		}
	}
}
