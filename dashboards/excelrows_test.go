package dashboards

import (
	"bytes"
	"context"
	"hash/crc32"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The rows written beside excelize read back through excelize as they
// were given: text of every awkward kind, numbers with their formats,
// dates, across more than one deflate chunk.
func TestStreamedRowsReadBackThroughExcelize(t *testing.T) {
	texts := []string{
		"张家港市司法局", "a < b & c > d", "line one\nline two", "carriage\r\nreturn", " leading and trailing ",
		"_x0041_ is not A", "_x0041_x0042_", "_x005F_", "bell\a and nul\x00", "bad utf-8 \xff here", "emoji 🙂",
		"non-character \uFFFE, halfwidth \uFFC2", "=1+2", "+tester", "-1", "@evil.csv", strings.Repeat("长", 41), strings.Repeat("🙂", 20000),
	}
	want := map[string]string{
		"non-character \uFFFE, halfwidth \uFFC2": "non-character \uFFFD, halfwidth \uFFC2",
		"bell\a and nul\x00":                     "bell\uFFFD and nul\uFFFD",
		"bad utf-8 \xff here":                    "bad utf-8 \uFFFD here",
		"=1+2":                                   "'=1+2",
		"+tester":                                "'+tester",
		"-1":                                     "'-1",
		"@evil.csv":                              "'@evil.csv",
		"carriage\r\nreturn":                     "carriage\r\nreturn",
		strings.Repeat("🙂", 20000):               strings.Repeat("🙂", maxCellChars/2),
		strings.Repeat("长", 41):                  strings.Repeat("长", 41),
		"_x0041_ is not A":                       "_x0041_ is not A",
		"_x0041_x0042_":                          "_x0041_x0042_",
		" leading and trailing ":                 " leading and trailing ",
		"line one\nline two":                     "line one\nline two",
		"a < b & c > d":                          "a < b & c > d",
		"emoji 🙂":                                "emoji 🙂",
		"_x005F_":                                "_x005F_",
		"张家港市司法局":                                "张家港市司法局",
	}
	at := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	table := Table{Key: "t", Sheet: "数据", Columns: []Column{
		{Key: "text", Label: "文本"}, {Key: "rate", Label: "比率", Format: FormatPercent},
		{Key: "n", Label: "数量", Format: FormatInt}, {Key: "at", Label: "时间", Format: FormatDateTime},
		{Key: "empty", Label: "空"}, {Key: "ok", Label: "是否"},
	}}
	const n = 3000 // several 64 KiB chunks
	x := &Export{View: "test", Title: "test", Tables: []Table{table}, Fill: func(ctx context.Context, s Sink) error {
		for i := range n {
			if err := s.Row(0, texts[i%len(texts)], 8.3, i, at, "", i%2 == 0); err != nil {
				return err
			}
		}
		return nil
	}}
	var buf bytes.Buffer
	if err := WriteXLSX(context.Background(), &buf, x); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("数据", excelize.Options{RawCellValue: true})
	if err != nil || len(rows) != n+1 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if got := strings.Join(rows[0], ","); got != "文本,比率,数量,时间,空,是否" {
		t.Errorf("header %s", got)
	}
	for i, r := range rows[1:] {
		in := texts[i%len(texts)]
		if len(r) != 6 || r[0] != want[in] || r[1] != "0.083" || r[2] != strconv.Itoa(i) || r[4] != "" {
			t.Fatalf("row %d = %.200q, want %.200q, 0.083, %d", i+2, r, want[in], i)
		}
		if yes := r[5] == "是"; yes != (i%2 == 0) {
			t.Fatalf("row %d: %q", i+2, r[5])
		}
	}
	if v, _ := f.GetCellValue("数据", "B2"); v != "8.3%" {
		t.Errorf("B2 shown as %q", v)
	}
	if v, _ := f.GetCellValue("数据", "C3"); v != "1" {
		t.Errorf("C3 shown as %q", v)
	}
	if v, _ := f.GetCellValue("数据", "D2"); v != "2024-03-01 09:30" {
		t.Errorf("D2 shown as %q", v)
	}
	if typ, _ := f.GetCellType("数据", "E2"); typ != excelize.CellTypeUnset {
		t.Errorf("empty text wrote a cell of type %v", typ)
	}
	tables, _ := f.GetTables("数据")
	if len(tables) != 1 || tables[0].Range != "A1:F3001" {
		t.Errorf("tables %+v", tables)
	}
	if panes, _ := f.GetPanes("数据"); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v", panes)
	}
}

func TestCRCJoin(t *testing.T) {
	a, b := []byte("张家港市司法局 2024"), bytes.Repeat([]byte("0123456789"), 10_000)
	zeroB := crc32.Update(^uint32(0), crc32.IEEETable, b)
	if got, want := crcJoin(crc32.ChecksumIEEE(a), zeroB, int64(len(b))), crc32.ChecksumIEEE(append(a, b...)); got != want {
		t.Errorf("crcJoin = %08x, want %08x", got, want)
	}
	if got, want := crcJoin(crc32.ChecksumIEEE(a), ^uint32(0), 0), crc32.ChecksumIEEE(a); got != want {
		t.Errorf("crcJoin with nothing = %08x, want %08x", got, want)
	}
}
