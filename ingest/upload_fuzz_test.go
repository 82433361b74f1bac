package ingest

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"fazhi"
)

// fuzzLimits keep each fuzzed file cheap: the limits are checked before
// anything large is read, so they bound what one input may cost.
func fuzzLimits() Limits {
	l := DefaultLimits()
	l.MaxBytes, l.MaxRows, l.MaxSheetRows, l.MaxUnzipped = 1<<20, 2000, 2000, 16<<20
	return l
}

// checkUpload asserts what every read upload must hold, whatever the input.
func checkUpload(t *testing.T, u *Upload, err error) {
	if err != nil {
		if fazhi.ErrorCode(err) != fazhi.EINVALID {
			t.Fatalf("unreadable input is not a user error: %v", err)
		}
		return
	}
	if len(u.OrgOf) != len(u.Observations) {
		t.Fatalf("%d observations, %d org references", len(u.Observations), len(u.OrgOf))
	}
	for i, o := range u.Observations {
		if int(u.OrgOf[i]) >= len(u.Orgs) || o.Location == "" || o.SourceID != u.Source.ID {
			t.Fatalf("observation %d: %+v", i, o)
		}
	}
}

// FuzzReadCSV: no CSV makes the upload reader panic; a refusal is a
// user-facing error, and every accepted row says where it stands.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"org,year,indicator,value\n320582-jyj,2023,litigation_cases,12\n",
		"\ufeff单位名称,地区,年度,指标,数值,计量单位,备注\n教育局,张家港市,2023,罚没金额,1.5,万元,\"a,b\"\n",
		"单位编码\t年度\t指标\t数值\n320582-jyj\t2023\t行政诉讼案件\t１２\n",
		"org;year;indicator;value\n=1+1;2023;x;@SUM(A1)\n",
		"org,year,indicator,value\n\"unterminated,2023\n",
	} {
		f.Add([]byte(seed))
	}
	f.Add([]byte{0xFF, 0xFE, 'o', 0, 'r', 0, 'g', 0, '\n', 0})
	f.Add([]byte{0xB5, 0xA5, 0xCE, 0xBB, ',', 'x', '\n'}) // GB18030 单位
	cat := fazhi.DefaultCatalog()
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := ReadUpload("fuzz.csv", data, cat, fuzzLimits())
		checkUpload(t, u, err)
	})
}

// FuzzReadXLSX: no workbook — a template, a long table, or bytes that
// only look like a zip — makes the upload reader panic.
func FuzzReadXLSX(f *testing.F) {
	cat := fazhi.DefaultCatalog()
	var tpl bytes.Buffer
	org := fazhi.Org{Code: "320582-jyj", Name: "教育局", FullName: "张家港市教育局", Kind: fazhi.OrgBureau, ParentCode: "320582"}
	if err := WriteTemplate(&tpl, cat, org, 2023); err != nil {
		f.Fatal(err)
	}
	f.Add(tpl.Bytes())
	long := excelize.NewFile()
	for i, row := range [][]any{{"org", "year", "indicator", "value"}, {"320582-jyj", 2023, "litigation_cases", 12},
		{"320582-jyj", 2023, "罚没金额", "=1+1"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		long.SetSheetRow("Sheet1", cell, &row)
	}
	var lb bytes.Buffer
	long.WriteTo(&lb)
	f.Add(lb.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := ReadUpload("fuzz.xlsx", data, cat, fuzzLimits())
		checkUpload(t, u, err)
	})
}
