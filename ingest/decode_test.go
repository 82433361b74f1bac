package ingest

import (
	"errors"
	"os"
	"strings"
	"testing"

	"fazhi"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

const sampleReport = "张家港市教育局2019年度法治政府建设情况报告\n" +
	"2019年，市教育局组织8名持有执法证人员参加换证考试，通过率100%。开展法治宣讲活动143场，累计参与23712人次。\n"

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkOffsets asserts that each figure's quote decodes from its span.
func checkOffsets(t *testing.T, r *Report, figs []Figure, enc encoding.Encoding) {
	t.Helper()
	for _, f := range figs {
		raw := r.Original()[f.Start:f.End]
		got := string(raw)
		if enc != nil {
			b, err := enc.NewDecoder().Bytes(raw)
			if err != nil {
				t.Fatal(err)
			}
			got = string(b)
		}
		if got != f.Quote {
			t.Errorf("%s: original[%d:%d] decodes to %q, quote is %q", r.Name, f.Start, f.End, got, f.Quote)
		}
	}
}

func TestReadGB18030(t *testing.T) {
	data := encode(t, simplifiedchinese.GB18030, sampleReport)
	r, err := ReadReport("report.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Encoding != EncodingGB18030 || r.Text != sampleReport {
		t.Fatalf("encoding %s, text %q", r.Encoding, r.Text)
	}
	figs := ExtractFigures(r, nil)
	if len(figs) != 4 {
		t.Fatalf("figures %+v; want 4", figs)
	}
	checkOffsets(t, r, figs, simplifiedchinese.GB18030)
	if r.Meta.Region != "张家港市" || r.Meta.Year != 2019 || r.Meta.BureauType != "教育" {
		t.Errorf("meta %+v", r.Meta)
	}
}

func TestReadBig5(t *testing.T) {
	trad := "張家港市教育局2019年度法治政府建設情況報告\n" +
		"2019年，市教育局組織8名持有執法證人員參加換證考試，通過率100%。開展法治宣講活動143場，累計參與23712人次。\n"
	data := encode(t, traditionalchinese.Big5, trad)
	r, err := ReadReport("report.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Encoding != EncodingBig5 || r.Text != trad {
		t.Fatalf("encoding %s, text %q", r.Encoding, r.Text)
	}
	figs := ExtractFigures(r, nil)
	checkOffsets(t, r, figs, traditionalchinese.Big5)
	want := map[string]string{"100%": "enforcement_exam_pass_rate", "143場": "law_publicity_events", "23712人次": "law_publicity_participants"}
	for _, f := range figs {
		if code, ok := want[f.Quote]; ok && f.Indicator == code {
			delete(want, f.Quote)
		}
	}
	if len(want) > 0 {
		t.Errorf("traditional text lost indicators %v in %+v", want, figs)
	}
	if r.Meta.Region != "张家港市" {
		t.Errorf("region %q", r.Meta.Region)
	}
}

func TestReadHTMLDeclaredGBK(t *testing.T) {
	data, err := os.ReadFile("testdata/gbk-report.html")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ReadReport("gbk-report.html", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Encoding != EncodingGB18030 || !r.HTML {
		t.Fatalf("encoding %s html %v", r.Encoding, r.HTML)
	}
	for _, gone := range []string{"var n", "color:red", "首页", "版权所有"} {
		if strings.Contains(r.Text, gone) {
			t.Errorf("text keeps %q:\n%s", gone, r.Text)
		}
	}
	figs := ExtractFigures(r, nil)
	checkOffsets(t, r, figs, simplifiedchinese.GBK)
	got := map[string]float64{}
	for _, f := range figs {
		got[f.Indicator] = f.Value
	}
	want := map[string]float64{
		"reconsideration_cases": 12, "reconsideration_corrected": 2, "law_publicity_events": 36,
		"law_publicity_participants": 15000, "enforcement_staff_certified": 45,
	}
	for code, v := range want {
		if got[code] != v {
			t.Errorf("%s = %v; want %v (figures %+v)", code, got[code], v, figs)
		}
	}
	if r.Meta.Year != 2021 || r.Meta.BureauType != "司法" || r.Meta.PublishDate != "2022-01-20" {
		t.Errorf("meta %+v", r.Meta)
	}
}

func TestReadUTF8WithBOMAndCRLF(t *testing.T) {
	data := []byte("\ufeff" + strings.ReplaceAll(sampleReport, "\n", "\r\n"))
	r, err := ReadReport("bom.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	figs := ExtractFigures(r, nil)
	if len(figs) != 4 {
		t.Fatalf("figures %+v", figs)
	}
	checkOffsets(t, r, figs, nil)
}

func TestRefuseEmptyAndBinary(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty.txt":  nil,
		"blank.txt":  []byte(" \n\t\r\n"),
		"binary.txt": {0x89, 'P', 'N', 'G', 0, 0, 0, 0x0d, 1, 2, 3},
	} {
		_, err := ReadReport(name, data)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if fazhi.ErrorCode(err) != fazhi.EINVALID || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v (code %s) should be EINVALID and name the file", name, err, fazhi.ErrorCode(err))
		}
		var fe *fazhi.Error
		if !errors.As(err, &fe) || !strings.Contains(fe.Message, name) {
			t.Errorf("%s: user message %v does not name the file", name, err)
		}
	}
}

func TestSpamRemovedAndReported(t *testing.T) {
	r := readCorpus(t, "zhangjiagang-jiaoyu-2019.txt")
	spam := 0
	for _, rm := range r.Removed {
		if rm.Kind != RemovedSpam {
			continue
		}
		spam++
		if string(r.Original()[rm.Start:rm.End]) != rm.Quote || !strings.Contains(rm.Quote, "金沙") {
			t.Errorf("spam removal %+v does not match the original", rm)
		}
	}
	if spam != 6 {
		t.Errorf("%d spam spans; want 6", spam)
	}
	for _, f := range ExtractFigures(r, nil) {
		if strings.Contains(f.Sentence, "金沙") || strings.Contains(f.Sentence, "赌场") {
			t.Errorf("sentence keeps spam: %q", f.Sentence)
		}
	}
}

func TestJunkTokensRemovedAndReported(t *testing.T) {
	r := readCorpus(t, "baoding-shi-2016.txt")
	var junk []string
	for _, rm := range r.Removed {
		if rm.Kind == RemovedJunk {
			junk = append(junk, rm.Quote)
			if string(r.Original()[rm.Start:rm.End]) != rm.Quote {
				t.Errorf("junk removal %+v does not match the original", rm)
			}
		}
	}
	body := strings.Join(junk, " ")
	for _, token := range []string{"漏去愉套", "厚譽慨", "凝永微"} {
		if strings.Count(body, token) < 2 { // once in the header note, once in the text
			t.Errorf("junk %q not removed twice; removed %q", token, junk)
		}
	}
	for _, prose := range []string{"辦", "郭建英", "會議"} {
		for _, j := range junk {
			if strings.Contains(j, prose) {
				t.Errorf("prose %q removed as junk %q", prose, j)
			}
		}
	}
	// No other report loses text to the junk heuristic.
	for _, want := range corpusMeta {
		if want.file == "baoding-shi-2016.txt" {
			continue
		}
		for _, rm := range readCorpus(t, want.file).Removed {
			if rm.Kind == RemovedJunk {
				t.Errorf("%s: prose %q removed as junk", want.file, rm.Quote)
			}
		}
	}
}

func TestChromeDropped(t *testing.T) {
	r := readCorpus(t, "zhangjiagang-jiaoyu-2019.txt")
	var chrome []string
	for _, rm := range r.Removed {
		if rm.Kind == RemovedChrome {
			chrome = append(chrome, rm.Quote)
		}
	}
	all := strings.Join(chrome, "\n")
	for _, c := range []string{"当前位置", "来源:发布时间", "扫一扫", "分享", "打印 关闭", "回到顶部"} {
		if !strings.Contains(all, c) {
			t.Errorf("chrome %q not dropped; dropped:\n%s", c, all)
		}
	}
}
