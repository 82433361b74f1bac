package fazhi_test

import (
	"strings"
	"testing"

	"fazhi"
)

func TestLookupFindsIndicatorsByCodeNameOrAlias(t *testing.T) {
	c := fazhi.DefaultCatalog()
	for name, want := range map[string]string{
		"head_appearance_rate": "head_appearance_rate",
		" Penalty_Amount ":     "penalty_amount",
		"负责人出庭应诉率":             "head_appearance_rate",
		"出庭应诉率":                "head_appearance_rate", // alias
		"执法资格(换证)考试通过率":        "enforcement_exam_pass_rate",
		"“双随机、一公开”抽查":          "double_random_inspections",
		"Lawsuit loss rate":    "litigation_loss_rate",
		"ｌａｗｓｕｉｔｓ　ｌｏｓｔ":        "litigation_lost", // full-width
	} {
		ind, err := c.Lookup(name)
		if err != nil || ind.Code != want {
			t.Errorf("Lookup(%q) = %s, %v; want %s", name, ind.Code, err, want)
		}
	}
	if _, err := c.Lookup("不存在的指标"); fazhi.ErrorCode(err) != fazhi.ENOTFOUND || !strings.Contains(err.Error(), "不存在的指标") {
		t.Errorf("unknown name: %v", err)
	}
}

func TestBoundsComeFromRatesAndAtMost(t *testing.T) {
	got := map[string]string{}
	for _, b := range fazhi.DefaultCatalog().Bounds() {
		got[b.Part] = b.Whole
		if b.Why == "" {
			t.Errorf("%s ≤ %s has no reason", b.Part, b.Whole)
		}
	}
	for part, whole := range map[string]string{
		"head_appearance_cases":     "litigation_cases",
		"enforcement_exam_passed":   "enforcement_exam_takers",
		"litigation_lost":           "litigation_cases",
		"ecert_items_completed":     "ecert_items_required",
		"reconsideration_corrected": "reconsideration_cases",
	} {
		if got[part] != whole {
			t.Errorf("bound of %s = %q, want %s", part, got[part], whole)
		}
	}
}

func TestParseCatalogRejectsAtMostOfAnotherKind(t *testing.T) {
	bad := []byte(`{"areas":[{"code":"a","name":"甲","name_en":"A"}],"indicators":[
	 {"code":"x","area":"a","name":"甲","name_en":"X","unit":"件","kind":"count","polarity":"neutral","aggregate":"sum","at_most":"y"},
	 {"code":"y","area":"a","name":"乙","name_en":"Y","unit":"万元","kind":"amount","polarity":"neutral","aggregate":"sum"}]}`)
	if _, err := fazhi.ParseCatalog(bad); err == nil {
		t.Fatal("a count bounded by an amount must be refused")
	}
}

func TestProblemSaysWhere(t *testing.T) {
	for p, want := range map[fazhi.Problem]string{
		{File: "a.xlsx", Sheet: "填报表", Cell: "D7", Reason: "不是数字"}: "a.xlsx 填报表!D7：不是数字",
		{File: "a.csv", Line: 12, Reason: "单位不存在"}:                 "a.csv 第 12 行：单位不存在",
		{File: "a.json", Reason: "文件为空"}:                           "a.json：文件为空",
	} {
		if got := p.String(); got != want {
			t.Errorf("%+v = %q, want %q", p, got, want)
		}
	}
}
