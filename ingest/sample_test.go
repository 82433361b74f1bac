package ingest_test

import (
	"reflect"
	"testing"

	"fazhi"
	"fazhi/ingest"
)

func TestGenerateSampleIsDeterministicAndPlausible(t *testing.T) {
	cat := fazhi.DefaultCatalog()
	a, b := ingest.GenerateSample(cat), ingest.GenerateSample(cat)
	if !reflect.DeepEqual(a.Observations, b.Observations) {
		t.Fatal("two runs of the generator differ: the sample must be deterministic")
	}
	bureaus, years := map[string]bool{}, map[int]bool{}
	type key struct {
		org  string
		year int
	}
	values := map[key]map[string]float64{}
	for _, o := range a.Observations {
		if o.Method != fazhi.MethodSample || o.Note == "" {
			t.Fatalf("sample observation %+v is not marked as sample", o)
		}
		ind, _ := cat.Indicator(o.IndicatorCode)
		if o.Unit != ind.Unit || o.Value < 0 || (ind.Kind == fazhi.KindRate && o.Value > 100) {
			t.Errorf("implausible %s = %v %s", o.IndicatorCode, o.Value, o.Unit)
		}
		bureaus[o.OrgCode], years[o.Year] = true, true
		k := key{o.OrgCode, o.Year}
		if values[k] == nil {
			values[k] = map[string]float64{}
		}
		values[k][o.IndicatorCode] = o.Value
	}
	if len(bureaus) < 12 || len(years) != 9 {
		t.Errorf("want ≥12 bureaus over 2016–2024, got %d bureaus, %d years", len(bureaus), len(years))
	}
	full := len(bureaus) * len(years) * len(cat.Indicators)
	if len(a.Observations) >= full*95/100 {
		t.Errorf("sample has no realistic gaps: %d of %d possible figures", len(a.Observations), full)
	}
	for k, v := range values {
		for _, pair := range [][2]string{{"enforcement_exam_passed", "enforcement_exam_takers"},
			{"head_appearance_cases", "litigation_cases"}, {"litigation_lost", "litigation_cases"}} {
			num, ok1 := v[pair[0]]
			den, ok2 := v[pair[1]]
			if ok1 && ok2 && num > den {
				t.Errorf("%v: %s %v > %s %v", k, pair[0], num, pair[1], den)
			}
		}
	}
}

func TestZhangjiagangEducation2019QuotesTheReport(t *testing.T) {
	b, err := ingest.ZhangjiagangEducation2019(fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Sources) != 1 || len(b.Observations) < 12 {
		t.Fatalf("got %d sources, %d observations", len(b.Sources), len(b.Observations))
	}
	text := string(b.Sources[0].Content)
	want := map[string]float64{"law_publicity_events": 143, "law_publicity_participants": 23712,
		"enforcement_exam_pass_rate": 100, "penalty_powers_delegated": 4, "collective_law_study": 4}
	for _, o := range b.Observations {
		if o.Method != fazhi.MethodManual || o.Status != fazhi.StatusConfirmed || o.Year != 2019 {
			t.Errorf("%s: method %s status %s year %d", o.IndicatorCode, o.Method, o.Status, o.Year)
		}
		var start, end int
		if _, err := fmtSscanf(o.Location, &start, &end); err != nil || text[start:end] != o.Quote {
			t.Errorf("%s: location %s does not point at quote %q", o.IndicatorCode, o.Location, o.Quote)
		}
		if v, ok := want[o.IndicatorCode]; ok && v != o.Value {
			t.Errorf("%s = %v, the report says %v", o.IndicatorCode, o.Value, v)
		}
	}
}
