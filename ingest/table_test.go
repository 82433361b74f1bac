package ingest_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"fazhi"
	"fazhi/ingest"
)

const chineseCSV = "单位编码,年度,指标,数值,计量单位,备注\n" +
	"320582-jyj,2023,普法宣传活动,143,,\n" +
	"320582-jyj,2023年,penalty_amount,\"22,000\",元,罚没款\n" + // 元 → 万元, thousands separator
	"320582-jyj,2023,普法宣传活动参与人次,1.2,万人次,\n" +
	"320582-jyj,2023,出庭应诉率,95%,,\n"

func TestCSVInUTF8WithBOMOrGB18030ReadsTheSameFigures(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(chineseCSV)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"utf8.csv": chineseCSV, "bom.csv": "\ufeff" + chineseCSV, "gb18030.csv": gb} {
		u, err := read(t, name, []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if u.Format != ingest.FormatCSV || u.Rows != 4 || u.Refused != 0 || len(u.Observations) != 4 {
			t.Fatalf("%s: %+v", name, u)
		}
		want := []struct {
			code  string
			value float64
			unit  string
			loc   string
		}{
			{"law_publicity_events", 143, "场", "line 2"},
			{"penalty_amount", 2.2, "万元", "line 3"},
			{"law_publicity_participants", 12000, "人次", "line 4"},
			{"head_appearance_rate", 95, "%", "line 5"},
		}
		for i, w := range want {
			o := u.Observations[i]
			if o.IndicatorCode != w.code || o.Value != w.value || o.Unit != w.unit || o.Location != w.loc || o.Year != 2023 {
				t.Errorf("%s row %d: %+v, want %+v", name, i, o, w)
			}
		}
		if u.Observations[1].Quote != "22,000" || u.Observations[1].Note != "罚没款" {
			t.Errorf("%s: quote %q note %q", name, u.Observations[1].Quote, u.Observations[1].Note)
		}
		if name == "gb18030.csv" && !strings.Contains(strings.Join(u.Notices, ""), "GB18030") {
			t.Errorf("%s: notices %v", name, u.Notices)
		}
	}
}

func TestLongTableNamesOrgsByFullNameOrRegionAndName(t *testing.T) {
	csv := "region,org_name,year,indicator,value\n张家港市,教育局,2023,litigation_cases,4\n,张家港市公安局,2023,litigation_cases,5\n"
	u, err := read(t, "names.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Orgs) != 2 || u.Orgs[0] != (fazhi.OrgRef{Region: "张家港市", Name: "教育局"}) || u.Orgs[1] != (fazhi.OrgRef{FullName: "张家港市公安局"}) ||
		u.OrgOf[0] != 0 || u.OrgOf[1] != 1 {
		t.Fatalf("orgs %+v of %v", u.Orgs, u.OrgOf)
	}
}

func TestLongTableRefusesBadRowsNamingTheLine(t *testing.T) {
	csv := "org,year,indicator,value,unit\n" +
		"320582-jyj,2023,litigation_cases,四,\n" + // 2: text in a number cell
		"320582-jyj,1999,litigation_cases,4,\n" + // 3: year out of range
		"320582-jyj,2023,no_such_indicator,4,\n" + // 4: unknown indicator
		"320582-jyj,2023,penalty_amount,4,美元\n" + // 5: unit that does not convert
		"320582-jyj,2023,litigation_cases,,\n" + // 6: empty value
		"320582-jyj,2023,litigation_cases,=1+1,\n" + // 7: a formula
		",2023,litigation_cases,4,\n" + // 8: no org
		"\n" + // blank lines are skipped
		"320582-jyj,2023,litigation_lost,1,\n" // 10: fine
	u, err := read(t, "bad.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if u.Rows != 8 || u.Refused != 7 || len(u.Observations) != 1 || u.Observations[0].Location != "line 10" {
		t.Fatalf("rows %d refused %d obs %+v problems %v", u.Rows, u.Refused, u.Observations, u.Problems)
	}
	want := map[int]string{2: "不是数字", 3: "超出允许范围 2000–", 4: "no_such_indicator", 5: "美元", 6: "没有填写数值", 7: "公式", 8: "没有填写单位"}
	for _, p := range u.Problems {
		if !strings.Contains(p.Reason, want[p.Line]) || p.File != "bad.csv" {
			t.Errorf("line %d: %q, want it to mention %q", p.Line, p.Reason, want[p.Line])
		}
		delete(want, p.Line)
	}
	if len(want) != 0 {
		t.Errorf("no problem reported for lines %v", want)
	}
}

func TestJSONArrayOrObservationsObject(t *testing.T) {
	arr := `[
  {"org": "320582-jyj", "year": 2023, "indicator": "litigation_cases", "value": 4},
  {"单位名称": "张家港市公安局", "年度": "2023", "指标": "行政诉讼案件", "数值": "5", "extra": 1},
  {"org": "320582-jyj", "year": 2023, "indicator": "litigation_lost", "value": "x"}
]`
	for name, data := range map[string]string{"a.json": arr, "o.json": `{"version": 1, "observations": ` + arr + `}`} {
		u, err := read(t, name, []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if u.Format != ingest.FormatJSON || u.Rows != 3 || len(u.Observations) != 2 || u.Refused != 1 {
			t.Fatalf("%s: %+v", name, u)
		}
		if p := u.Problems[0]; p.Line != strings.Count(data[:strings.Index(data, `"x"`)], "\n")+1 || !strings.Contains(p.Reason, "不是数字") {
			t.Errorf("%s: problem %+v", name, p)
		}
		if !strings.Contains(strings.Join(u.Notices, ""), "extra") {
			t.Errorf("%s: the unknown key is not mentioned: %v", name, u.Notices)
		}
	}
	if _, err := read(t, "broken.json", []byte("[\n{\"org\": 1,\n")); fazhi.ErrorCode(err) != fazhi.EINVALID || !strings.Contains(err.Error(), "broken.json") {
		t.Errorf("broken JSON: %v", err)
	}
}

// sheet writes a workbook with one sheet of rows; a string cell starting
// with = becomes a formula.
func sheet(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		for j, v := range r {
			c, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if s, ok := v.(string); ok && strings.HasPrefix(s, "=") {
				f.SetCellFormula("Sheet1", c, s[1:])
			} else {
				f.SetCellValue("Sheet1", c, v)
			}
		}
	}
	return save(t, f)
}

func TestWorkbookLongTableUnderATitleRow(t *testing.T) {
	data := sheet(t, [][]any{
		{"2023 年度各单位法治指标汇总"},
		{"地区", "单位", "年度", "指标名称", "数值", "计量单位"},
		{"张家港市", "教育局", 2023, "行政诉讼案件", 4, "件"},
		{"张家港市", "教育局", 2023, "罚没金额", 15000, "元"},
		{"张家港市", "教育局", 2023, "行政诉讼败诉", "两", "件"},
	})
	u, err := read(t, "long.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if u.Format != ingest.FormatSheet || u.Rows != 3 || len(u.Observations) != 2 || u.Observations[1].Value != 1.5 ||
		u.Observations[0].Location != "Sheet1!E3" {
		t.Fatalf("%+v", u)
	}
	if p := u.Problems[0]; p.Sheet != "Sheet1" || p.Cell != "E5" || !strings.Contains(p.Reason, "不是数字") {
		t.Errorf("problem %+v", p)
	}
	withFormula := sheet(t, [][]any{{"org", "year", "indicator", "value"}, {"320582-jyj", 2023, "litigation_cases", "=2+2"}})
	if _, err := read(t, "f.xlsx", withFormula); !strings.Contains(fazhi.ErrorMessage(err), "Sheet1!D2 是公式") {
		t.Errorf("formula in a long table: %v", err)
	}
	noHeader := sheet(t, [][]any{{"单位", "年度", "说明"}, {"教育局", 2023, "无"}})
	if _, err := read(t, "h.xlsx", noHeader); !strings.Contains(fazhi.ErrorMessage(err), "缺少列") {
		t.Errorf("a sheet without the needed columns: %v", err)
	}
}

func TestBadFilesAreRefusedWhole(t *testing.T) {
	small := ingest.DefaultLimits()
	small.MaxBytes, small.MaxRows, small.MaxSheetRows = 200, 2, 2
	rows := "org,year,indicator,value\n" + strings.Repeat("320582-jyj,2023,litigation_cases,4\n", 3)
	big := [][]any{{"org", "year", "indicator", "value"}}
	for i := 0; i < 3; i++ {
		big = append(big, []any{"320582-jyj", 2020 + i, "litigation_cases", 4})
	}
	cases := []struct {
		name string
		data []byte
		lim  ingest.Limits
		want string
	}{
		{"empty.csv", nil, ingest.DefaultLimits(), "文件为空"},
		{"blank.xlsx", []byte(" \n"), ingest.DefaultLimits(), "文件为空"},
		{"header-only.csv", []byte("org,year,indicator,value\n"), ingest.DefaultLimits(), "没有数据行"},
		{"big.csv", []byte(strings.Repeat("x", 201)), small, "超过上限"},
		{"rows.csv", []byte(rows), func() ingest.Limits { l := small; l.MaxBytes = 1 << 20; return l }(), "超过 2 行"},
		{"rows.xlsx", sheet(t, big), func() ingest.Limits { l := small; l.MaxBytes = 1 << 20; return l }(), "超过 2 行"},
		{"old.xls", []byte("\xd0\xcf\x11\xe0"), ingest.DefaultLimits(), "另存为"},
		{"report.txt", []byte("报告"), ingest.DefaultLimits(), "尚未支持"},
		{"not-a-zip.xlsx", []byte("hello"), ingest.DefaultLimits(), "不是有效的 .xlsx"},
		{"bomb.xlsx", zipBomb(t), ingest.DefaultLimits(), "压缩炸弹"},
		{"quotes.csv", []byte("org,year,indicator,value\n\"320582-jyj,2023,x,1\n"), ingest.DefaultLimits(), "引号"},
	}
	for _, c := range cases {
		u, err := ingest.ReadUpload(c.name, c.data, cat, c.lim)
		if u != nil || fazhi.ErrorCode(err) != fazhi.EINVALID || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%s: %v, want an error naming the file and saying %q", c.name, err, c.want)
		}
	}
}

// zipBomb is a workbook-looking zip whose sheet inflates from a few KB to
// 64 MB of zeros.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		w.Write(zeros)
	}
	zw.Close()
	return buf.Bytes()
}
