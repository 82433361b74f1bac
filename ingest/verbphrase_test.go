package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"fazhi"
)

// wantFigure is a figure as a reader states it: how many of what, named how.
type wantFigure struct {
	value                  float64
	unit, qualifier, label string
	indicator              string
}

func checkFigure(t *testing.T, where string, got Figure, want wantFigure) {
	t.Helper()
	if got.Value != want.value || got.Unit != want.unit || got.Qualifier != want.qualifier ||
		got.Label != want.label || got.Indicator != want.indicator {
		t.Errorf("%s: %v %s%s %q → %q; want %v %s%s %q → %q", where,
			got.Value, got.Qualifier, got.Unit, got.Label, got.Indicator,
			want.value, want.qualifier, want.unit, want.label, want.indicator)
	}
}

// TestCorpusPeopleByVerbPhrase holds the counts of people of the
// Zhangjiagang report to what a reader makes of them: the verb phrase after
// the counted noun says what is counted.
func TestCorpusPeopleByVerbPhrase(t *testing.T) {
	const file = "zhangjiagang-jiaoyu-2019.txt"
	figs := ExtractFigures(readCorpus(t, file), nil)
	cases := []struct {
		quote, then string // the figure's quote and the text that follows it
		want        wantFigure
	}{
		// Certificate holders who sat the renewal exam count as candidates:
		// taking an exam is not holding a certificate.
		{"8名", "持有执法证人员参加换证考试", wantFigure{8, "名", "", "持有执法证人员参加换证考试", "enforcement_exam_takers"}},
		// Registered candidates of the qualification exam for an enforcement
		// certificate (申领资格考试) are the candidates the catalogue counts
		// as 执法资格（换证）考试参考人数: the report gives no other number
		// of sitters, and the 行政执法证件 in the name is what the exam leads
		// to, not what they hold. The year is dropped from the label.
		{"16名", "同志报名参加", wantFigure{16, "名", "", "报名参加苏州市行政执法证件申领资格考试", "enforcement_exam_takers"}},
		// A supervision certificate is not an enforcement certificate.
		{"2名", "同志申领行政执法监督证", wantFigure{2, "名", "", "申领行政执法监督证", ""}},
		// A relative clause says who a new hire is; passing the bar exam is
		// no enforcement exam.
		{"一名", "通过司法考试的公务员", wantFigure{1, "名", "", "通过司法考试的公务员", ""}},
		// A state (持有) stays with the noun.
		{"20名", "工作人员持有教育行政执法证", wantFigure{20, "名", "", "工作人员持有教育行政执法证", "enforcement_staff_certified"}},
		// 对…进行测试: the people were tested. The aside in brackets and the
		// light verb 进行 are left out of the label.
		{"71位", "新提拔领导干部", wantFigure{71, "位", "", "新提拔领导干部廉政教育及法律知识测试", "cadre_law_exams"}},
		// The quoted activity is a study campaign, 学宪法 in the catalogue.
		{"2487名", "干部教师参加", wantFigure{2487, "名", "", "干部教师参加百万党员学宪法学党章考法律活动", "law_study_participants"}},
	}
	for _, c := range cases {
		var got *Figure
		for i, f := range figs {
			if f.Quote == c.quote && strings.Contains(f.Sentence, c.quote+c.then) {
				got = &figs[i]
				break
			}
		}
		if got == nil {
			t.Errorf("%s: no figure %q before %q", file, c.quote, c.then)
			continue
		}
		checkFigure(t, c.quote+c.then, *got, c.want)
	}

	// The pass rate of the same sentence is over exactly those candidates.
	cat := fazhi.DefaultCatalog()
	rate, _ := cat.Indicator("enforcement_exam_pass_rate")
	for i, f := range figs {
		if f.Quote == "8名" && (i+1 >= len(figs) || figs[i+1].Indicator != rate.Code || f.Indicator != rate.Denominator) {
			t.Errorf("8名 → %s is not the denominator %s of the pass rate that follows", f.Indicator, rate.Denominator)
		}
	}
}

// TestPeopleByVerbPhrase runs the rule over sentences written the way other
// bureaus' reports state counts of people.
func TestPeopleByVerbPhrase(t *testing.T) {
	cases := []struct {
		text string
		want []wantFigure
	}{
		// Candidates, then passes stated with the object left out: the
		// passes take the object of the candidates (考试|通过) and are
		// bounded by them, as the pass rate says.
		// The scope word opening the sentence (全年) governs all three.
		{"全年共组织45名执法人员参加行政执法资格考试，通过42人，通过率93.3%。", []wantFigure{
			{45, "名", "", "全年执法人员参加行政执法资格考试", "enforcement_exam_takers"},
			{42, "人", "", "全年通过行政执法资格考试", "enforcement_exam_passed"},
			{93.3, "%", "", "全年通过率", "enforcement_exam_pass_rate"},
		}},
		// More passes than candidates: not the passes of that exam.
		{"组织45名执法人员参加行政执法资格考试，通过50人。", []wantFigure{
			{45, "名", "", "执法人员参加行政执法资格考试", "enforcement_exam_takers"},
			{50, "人", "", "通过行政执法资格考试", ""},
		}},
		// A law exam of all staff is not the enforcement qualification exam,
		// though they 参加…考试; no catalogue name says 法治知识考试.
		{"组织120余名干部职工参加法治知识考试。", []wantFigure{
			{120, "名", "余", "干部职工参加法治知识考试", ""},
		}},
		{"有15人取得行政执法证。", []wantFigure{
			{15, "人", "", "取得行政执法证", "enforcement_staff_certified"},
		}},
		// The date and the aside in brackets are no part of the label.
		{"组织30名执法人员参加2023年度全市行政执法资格考试（换证考试）。", []wantFigure{
			{30, "名", "", "执法人员参加全市行政执法资格考试", "enforcement_exam_takers"},
		}},
		{"对12名新任科级干部进行任前法律知识测试。", []wantFigure{
			{12, "名", "", "新任科级干部任前法律知识测试", "cadre_law_exams"},
		}},
		// The noun before the number names the people; the adverb goes
		// with the verb.
		{"2022年组织全体公务员共86人积极参加国家工作人员学法考试。", []wantFigure{
			{86, "人", "", "全体公务员积极参加国家工作人员学法考试", "cadre_law_exams"},
		}},
		// 法治宣传活动 counts events; of the verb phrase only 参与 fits people.
		{"全局380名干部职工参与法治宣传活动。", []wantFigure{
			{380, "名", "", "干部职工参与法治宣传活动", "law_publicity_participants"},
		}},
		// A plan name in quotes is no figure and no quote mark stays.
		{"组织200名执法人员参加“八五”普法骨干培训。", []wantFigure{
			{200, "名", "", "执法人员参加八五普法骨干培训", ""},
		}},
		// A document title names a document, not what the people did:
		// training on the exam rules is no exam. Its document number goes.
		{"组织50名执法人员参加《浙江省行政执法资格考试办法》（浙政办〔2021〕5号）专题培训。", []wantFigure{
			{50, "名", "", "执法人员参加浙江省行政执法资格考试办法专题培训", ""},
		}},
		{"组织全市60名公职律师参加“十四五”普法规划宣讲，学习第5届全国法治论坛精神。", []wantFigure{
			{60, "名", "", "公职律师参加十四五普法规划宣讲", "public_lawyers"},
		}},
		// Another count in between: the participants are those of the
		// events, not of the lecture.
		{"组织260名干部参加法治讲座，开展法治宣传活动15场，参与3000人次。", []wantFigure{
			{260, "名", "", "干部参加法治讲座", ""},
			{15, "场", "", "法治宣传活动", "law_publicity_events"},
			{3000, "人次", "", "参与", "law_publicity_participants"},
		}},
		// Only the noun names an indicator for people: it is kept.
		{"选派3名取得行政执法证的同志参加全省执法培训。", []wantFigure{
			{3, "名", "", "取得行政执法证的同志参加全省执法培训", "enforcement_staff_certified"},
		}},
		// Too long: the modifier up to 的 and then the noun give way.
		{"组织300余名中小学教师参加由市司法局和市教育局联合举办的青少年法治教育骨干教师专题培训班学习。", []wantFigure{
			{300, "名", "余", "参加青少年法治教育骨干教师专题培训班学习", ""},
		}},
	}
	for _, c := range cases {
		figs := figuresOf(t, c.text)
		if len(figs) != len(c.want) {
			t.Errorf("%q: %d figures %+v; want %d", c.text, len(figs), figs, len(c.want))
			continue
		}
		for i, want := range c.want {
			checkFigure(t, c.text, figs[i], want)
			if n := utf8.RuneCountInString(figs[i].Label); n > maxVerbLabel {
				t.Errorf("%q: label %q has %d runes", c.text, figs[i].Label, n)
			}
		}
	}
}
