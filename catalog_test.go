package fazhi_test

import (
	"testing"

	"fazhi"
)

// The codes issue #2 promises to analysts and to every importer.
var requiredCodes = []string{
	"ecert_completion_rate", "gov_service_items", "admin_approvals", "double_random_inspections",
	"normative_docs_issued", "normative_docs_reviewed", "major_decisions", "consultation_responses",
	"legal_advisers", "public_lawyers", "enforcement_staff_certified", "enforcement_exam_takers",
	"enforcement_exam_passed", "enforcement_exam_pass_rate", "enforcement_training_sessions",
	"admin_penalty_cases", "penalty_amount", "penalty_powers_delegated", "lenient_no_penalty_cases",
	"reconsideration_cases", "reconsideration_corrected", "litigation_cases", "litigation_lost",
	"litigation_loss_rate", "head_appearance_cases", "head_appearance_rate", "petitions_handled",
	"disclosure_requests", "collective_law_study", "cadre_law_exams", "law_publicity_events",
	"law_publicity_participants", "law_study_participants", "leadership_meetings",
}

func TestCatalogHasRequiredIndicators(t *testing.T) {
	c := fazhi.DefaultCatalog()
	for _, code := range requiredCodes {
		if _, ok := c.Indicator(code); !ok {
			t.Errorf("catalogue lacks %s", code)
		}
	}
}

func TestCatalogIsConsistent(t *testing.T) {
	c := fazhi.DefaultCatalog()
	if len(c.Areas) != 7 {
		t.Errorf("want the 7 areas of 法治政府建设实施纲要, got %d", len(c.Areas))
	}
	for _, a := range c.Areas {
		if len(c.InArea(a.Code)) == 0 {
			t.Errorf("area %s (%s) has no indicator", a.Code, a.Name)
		}
	}
	rates := 0
	for _, ind := range c.Indicators {
		if ind.Unit == "" || ind.Polarity == "" {
			t.Errorf("%s: unit %q polarity %q", ind.Code, ind.Unit, ind.Polarity)
		}
		if ind.Kind != fazhi.KindRate {
			continue
		}
		rates++
		num, ok1 := c.Indicator(ind.Numerator)
		den, ok2 := c.Indicator(ind.Denominator)
		if !ok1 || !ok2 {
			t.Errorf("%s: numerator %q or denominator %q missing", ind.Code, ind.Numerator, ind.Denominator)
			continue
		}
		if num.Unit != den.Unit && !(num.Unit == "件" && den.Unit == "件") {
			t.Errorf("%s: numerator unit %s and denominator unit %s differ", ind.Code, num.Unit, den.Unit)
		}
	}
	if rates < 4 {
		t.Errorf("expected at least 4 rates, got %d", rates)
	}
}

func TestParseCatalogRejectsDanglingRate(t *testing.T) {
	bad := []byte(`{"areas":[{"code":"a","name":"甲","name_en":"A"}],"indicators":[
	 {"code":"r","area":"a","name":"率","name_en":"R","unit":"%","kind":"rate","polarity":"higher","aggregate":"ratio","numerator":"x","denominator":"y"}]}`)
	if _, err := fazhi.ParseCatalog(bad); err == nil {
		t.Fatal("a rate whose numerator does not exist must be refused")
	}
}
