package ingest_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fazhi"
	"fazhi/ingest"
)

var (
	cat    = fazhi.DefaultCatalog()
	jyjOrg = fazhi.Org{Code: "320582-jyj", Name: "教育局", FullName: "张家港市教育局", Kind: fazhi.OrgBureau, ParentCode: "320582"}
)

// newTemplate writes a template and opens it as a user's Excel would.
func newTemplate(t *testing.T, org fazhi.Org, year int) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := ingest.WriteTemplate(&buf, cat, org, year); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rowOf finds the template row of an indicator.
func rowOf(t *testing.T, f *excelize.File, code string) int {
	t.Helper()
	rows, err := f.GetRows(ingest.TemplateSheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == code {
			return i + 1
		}
	}
	t.Fatalf("template has no row for %s", code)
	return 0
}

// fill types values into the template's 填报数值 column; a value starting
// with = becomes a formula.
func fill(t *testing.T, f *excelize.File, values map[string]any) {
	t.Helper()
	for code, v := range values {
		c := "D" + itoa(rowOf(t, f, code))
		var err error
		if s, ok := v.(string); ok && strings.HasPrefix(s, "=") {
			err = f.SetCellFormula(ingest.TemplateSheet, c, s[1:])
		} else {
			err = f.SetCellValue(ingest.TemplateSheet, c, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func save(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func itoa(n int) string { return strconv.Itoa(n) }

func read(t *testing.T, name string, data []byte) (*ingest.Upload, error) {
	t.Helper()
	return ingest.ReadUpload(name, data, cat, ingest.DefaultLimits())
}

// part returns a part of the xlsx zip.
func part(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return string(b)
}

func TestTemplateIsProtectedValidatedAndKnowsItsOrgAndYear(t *testing.T) {
	f := newTemplate(t, jyjOrg, 2024)
	data := save(t, f)
	if got := f.GetSheetList(); len(got) != 3 || got[0] != "填报表" || got[1] != "填报说明" || got[2] != "_fazhi" {
		t.Fatalf("sheets %v", got)
	}
	if wb := part(t, data, "xl/workbook.xml"); !strings.Contains(wb, `state="veryHidden"`) || !strings.Contains(wb, "lockStructure") {
		t.Errorf("metadata sheet not very hidden or structure not locked: %s", wb)
	}
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		names[dn.Name] = dn.RefersTo
	}
	if names["fazhi_org"] != `"320582-jyj"` || names["fazhi_year"] != `"2024"` || names["fazhi_version"] != `"`+ingest.TemplateVersion+`"` {
		t.Errorf("defined names %v", names)
	}
	rows, _ := f.GetRows(ingest.TemplateSheet)
	if !strings.Contains(rows[0][0], "张家港市教育局 2024 年度") || strings.Join(rows[2], "|") != "指标代码|指标名称|计量单位|填报数值|备注|数据来源" {
		t.Errorf("title and header: %q %q", rows[0], rows[2])
	}
	if len(rows)-3 != len(cat.Indicators) {
		t.Errorf("%d indicator rows, want one per catalogue indicator (%d)", len(rows)-3, len(cat.Indicators))
	}
	// Only value, note and source cells are editable under the sheet's protection.
	if !strings.Contains(part(t, data, "xl/worksheets/sheet1.xml"), "<sheetProtection") {
		t.Error("填报表 is not protected")
	}
	r := itoa(rowOf(t, f, "head_appearance_rate"))
	for c, wantLocked := range map[string]bool{"A": true, "B": true, "C": true, "D": false, "E": false, "F": false} {
		id, _ := f.GetCellStyle(ingest.TemplateSheet, c+r)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		locked := st.Protection == nil || st.Protection.Locked
		if locked != wantLocked {
			t.Errorf("%s%s locked = %v, want %v", c, r, locked, wantLocked)
		}
	}
	// Rates accept 0–100, counts whole numbers ≥ 0.
	dvs, err := f.GetDataValidations(ingest.TemplateSheet)
	if err != nil {
		t.Fatal(err)
	}
	rule := map[string]string{}
	for _, dv := range dvs {
		for _, ref := range strings.Fields(dv.Sqref) {
			rule[ref] = dv.Type + " " + dv.Operator + " " + dv.Formula1 + " " + dv.Formula2
		}
	}
	if got := rule["D"+r]; got != "decimal between 0 100" {
		t.Errorf("validation of a rate cell: %q", got)
	}
	if got := rule["D"+itoa(rowOf(t, f, "litigation_cases"))]; !strings.HasPrefix(got, "whole between 0 ") {
		t.Errorf("validation of a count cell: %q", got)
	}
	help, _ := f.GetRows("填报说明")
	if len(help) < 10 || !strings.Contains(help[1][0], "张家港市教育局 2024 年度") || !strings.Contains(strings.Join(flatten(help), "\n"), "负责人出庭应诉案件 ≤ 行政诉讼案件") {
		t.Errorf("填报说明: %q", help)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func TestFilledTemplateReadsEveryValueWithItsCell(t *testing.T) {
	f := newTemplate(t, jyjOrg, 2024)
	fill(t, f, map[string]any{"law_publicity_events": 143, "penalty_amount": 2.2, "head_appearance_rate": "95.5",
		"litigation_cases": "１，２０４"}) // full-width digits and separator, typed as text
	r := rowOf(t, f, "law_publicity_events")
	f.SetCellStr(ingest.TemplateSheet, "E"+itoa(r), "含线上宣讲")
	f.SetCellStr(ingest.TemplateSheet, "F"+itoa(r), "普法台账")
	// A user changing the visible title does not move the figures elsewhere.
	f.SetCellStr(ingest.TemplateSheet, "A2", "填报单位：张家港市公安局 2023")
	u, err := read(t, "教育局2024.xlsx", save(t, f))
	if err != nil {
		t.Fatal(err)
	}
	if u.Format != ingest.FormatTemplate || u.Template == nil || u.Template.OrgCode != "320582-jyj" || u.Template.Year != 2024 ||
		u.Rows != 4 || u.Refused != 0 || len(u.Observations) != 4 || len(u.Orgs) != 1 || u.Orgs[0].Code != "320582-jyj" {
		t.Fatalf("upload: %+v", u)
	}
	got := map[string]fazhi.Observation{}
	for _, o := range u.Observations {
		got[o.IndicatorCode] = o
		if o.Year != 2024 || o.Method != fazhi.MethodUpload || o.Status != fazhi.StatusConfirmed || o.SourceID != u.Source.ID {
			t.Errorf("%s: %+v", o.IndicatorCode, o)
		}
	}
	if o := got["law_publicity_events"]; o.Value != 143 || o.Quote != "143" || o.Location != "填报表!D"+itoa(r) ||
		o.Note != "含线上宣讲；数据来源：普法台账" || o.Unit != "场" {
		t.Errorf("law_publicity_events: %+v", o)
	}
	if got["penalty_amount"].Value != 2.2 || got["head_appearance_rate"].Value != 95.5 || got["litigation_cases"].Value != 1204 {
		t.Errorf("values: %+v", got)
	}
}

func TestTemplateNamesEveryBadCell(t *testing.T) {
	f := newTemplate(t, jyjOrg, 2024)
	fill(t, f, map[string]any{
		"law_publicity_events": "约100", // text in a number cell
		"head_appearance_rate": 120,    // rate above 100
		"litigation_cases":     3.5,    // a count must be whole
		"penalty_amount":       -1,     // amounts are not negative
		"collective_law_study": 12,     // fine
	})
	u, err := read(t, "bad.xlsx", save(t, f))
	if err != nil {
		t.Fatal(err)
	}
	if u.Rows != 5 || u.Refused != 4 || len(u.Observations) != 1 || len(u.Problems) != 4 {
		t.Fatalf("rows %d refused %d obs %d problems %v", u.Rows, u.Refused, len(u.Observations), u.Problems)
	}
	want := map[string]string{
		"law_publicity_events": "不是数字", "head_appearance_rate": "0–100",
		"litigation_cases": "非负整数", "penalty_amount": "不能为负",
	}
	for code, reason := range want {
		cellRef := "D" + itoa(rowOf(t, f, code))
		found := false
		for _, p := range u.Problems {
			if p.Sheet == "填报表" && p.Cell == cellRef && p.File == "bad.xlsx" && strings.Contains(p.Reason, reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at 填报表!%s mentioning %q in %v", cellRef, reason, u.Problems)
		}
	}
}

func TestTemplateRefusesFormulasAnotherVersionAndMixedMetadata(t *testing.T) {
	f := newTemplate(t, jyjOrg, 2024)
	fill(t, f, map[string]any{"litigation_cases": 10, "head_appearance_cases": "=D20/2"})
	_, err := read(t, "formula.xlsx", save(t, f))
	if fazhi.ErrorCode(err) != fazhi.EINVALID || !strings.Contains(err.Error(), "填报表!D"+itoa(rowOf(t, f, "head_appearance_cases"))) ||
		!strings.Contains(err.Error(), "公式") {
		t.Errorf("formula: %v", err)
	}

	old := newTemplate(t, jyjOrg, 2024)
	fill(t, old, map[string]any{"litigation_cases": 10})
	old.SetCellStr("_fazhi", "B2", "fazhi-template/0")
	if err := old.DeleteDefinedName(&excelize.DefinedName{Name: "fazhi_version"}); err != nil {
		t.Fatal(err)
	}
	if err := old.SetDefinedName(&excelize.DefinedName{Name: "fazhi_version", RefersTo: `"fazhi-template/0"`}); err != nil {
		t.Fatal(err)
	}
	if _, err := read(t, "old.xlsx", save(t, old)); fazhi.ErrorCode(err) != fazhi.EINVALID || !strings.Contains(err.Error(), "fazhi-template/0") ||
		!strings.Contains(err.Error(), "重新下载") {
		t.Errorf("another version: %v", err)
	}

	mixed := newTemplate(t, jyjOrg, 2024)
	fill(t, mixed, map[string]any{"litigation_cases": 10})
	mixed.SetCellStr("_fazhi", "B3", "320582-gaj") // the sheet now says another bureau than the names
	if _, err := read(t, "mixed.xlsx", save(t, mixed)); fazhi.ErrorCode(err) != fazhi.EINVALID || !strings.Contains(err.Error(), "不一致") {
		t.Errorf("inconsistent metadata: %v", err)
	}

	empty := newTemplate(t, jyjOrg, 2024)
	if _, err := read(t, "empty.xlsx", save(t, empty)); fazhi.ErrorCode(err) != fazhi.EINVALID || !strings.Contains(err.Error(), "没有填写任何数值") {
		t.Errorf("unfilled template: %v", err)
	}

	future := newTemplate(t, jyjOrg, 2099)
	fill(t, future, map[string]any{"litigation_cases": 10})
	if _, err := read(t, "2099.xlsx", save(t, future)); fazhi.ErrorCode(err) != fazhi.EINVALID || !strings.Contains(err.Error(), "2099") {
		t.Errorf("a year out of range: %v", err)
	}
}
