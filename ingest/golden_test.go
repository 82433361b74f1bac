package ingest

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fazhi"
)

// The golden tests run over the copy of the shared corpus in
// testdata/corpus: real reports with their noise, and answers.tsv, the
// figures a reader finds in them.

const corpusDir = "testdata/corpus"

func readCorpus(t testing.TB, name string) *Report {
	t.Helper()
	return readReportIn(t, corpusDir, name)
}

func readReportIn(t testing.TB, dir, name string) *Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := ReadReport(name, data)
	if err != nil {
		t.Fatalf("ReadReport(%s): %v", name, err)
	}
	return r
}

// answer is one row of answers.tsv with its expected values.
type answer struct {
	file, label, value, unit, phrase string
	values                           []float64
}

var answerNumber = regexp.MustCompile(`^([0-9.]+|[零〇一二两三四五六七八九十百千]+)(余|多)?(万|亿)?`)

// parseAnswerValues reads "10余", "2.2万", "三", "0 (零撤改)" and
// "13 (38%)" with the unit column ("万元" multiplies by 10⁴).
func parseAnswerValues(t *testing.T, value, unit string) []float64 {
	var out []float64
	parts := []string{value}
	if head, rest, ok := strings.Cut(value, "("); ok {
		parts = []string{strings.TrimSpace(head)}
		if rest = strings.TrimSuffix(strings.TrimSpace(rest), ")"); answerNumber.MatchString(rest) {
			parts = append(parts, strings.TrimSuffix(rest, "%"))
		}
	}
	for _, p := range parts {
		m := answerNumber.FindStringSubmatch(p)
		if m == nil {
			t.Fatalf("answers.tsv value %q unreadable", value)
		}
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			var ok bool
			if v, ok = ParseChineseNumber(m[1]); !ok {
				t.Fatalf("answers.tsv value %q unreadable", value)
			}
		}
		switch {
		case m[3] == "万" || strings.HasPrefix(unit, "万"):
			v *= 1e4
		case m[3] == "亿" || strings.HasPrefix(unit, "亿"):
			v *= 1e8
		}
		out = append(out, v)
	}
	return out
}

func readAnswers(t *testing.T, dir string) []answer {
	data, err := os.ReadFile(filepath.Join(dir, "answers.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []answer
	for i, row := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if i == 0 {
			continue
		}
		c := strings.Split(row, "\t")
		if len(c) != 5 {
			t.Fatalf("answers.tsv line %d has %d columns", i+1, len(c))
		}
		a := answer{file: c[0], label: c[1], value: c[2], unit: c[3], phrase: c[4]}
		a.values = parseAnswerValues(t, a.value, a.unit)
		out = append(out, a)
	}
	return out
}

// found says whether figures state the answer: for each expected value a
// figure whose quote and the phrase contain one another, with that value.
func found(a answer, figs []Figure) bool {
	for _, v := range a.values {
		if stating(a, v, figs) == nil {
			return false
		}
	}
	return true
}

// stating is the figure that states value v of answer a, or nil.
func stating(a answer, v float64, figs []Figure) *Figure {
	for i, f := range figs {
		near := strings.Contains(a.phrase, f.Quote) || strings.Contains(f.Quote, a.phrase)
		if near && f.Quote != "" && math.Abs(f.Value-v) < 1e-6*math.Max(1, v) {
			return &figs[i]
		}
	}
	return nil
}

func TestCorpusRecall(t *testing.T) {
	answers := readAnswers(t, corpusDir)
	figures := map[string][]Figure{}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	for _, f := range files {
		name := filepath.Base(f)
		figures[name] = ExtractFigures(readCorpus(t, name), nil)
	}
	total, hits := 0, 0
	perFile := map[string][2]int{}
	for _, a := range answers {
		figs, ok := figures[a.file]
		if !ok {
			t.Errorf("answers.tsv names %s, which is not in the corpus", a.file)
			continue
		}
		total++
		c := perFile[a.file]
		c[1]++
		if found(a, figs) {
			hits++
			c[0]++
		} else {
			t.Logf("miss %s: %s = %s %s in %q", a.file, a.label, a.value, a.unit, a.phrase)
		}
		perFile[a.file] = c
	}
	for file, c := range perFile {
		t.Logf("recall %-32s %2d/%2d", file, c[0], c[1])
	}
	recall := float64(hits) / float64(total)
	t.Logf("recall overall %d/%d = %.1f%%", hits, total, 100*recall)
	if recall < 0.95 {
		t.Errorf("recall %.1f%% below 95%%", 100*recall)
	}
}

// TestZhangjiagangEveryAnswer holds the one full report to every row.
func TestZhangjiagangEveryAnswer(t *testing.T) {
	const file = "zhangjiagang-jiaoyu-2019.txt"
	figs := ExtractFigures(readCorpus(t, file), nil)
	for _, a := range readAnswers(t, corpusDir) {
		if a.file == file && !found(a, figs) {
			t.Errorf("%s: %s = %s%s (%q) not found", file, a.label, a.value, a.unit, a.phrase)
		}
	}
}

// traps are strings of the corpus that hold numerals but state no figure:
// dates (also mangled), years, document numbers, plan names and slogans,
// ordinals, ranges, times, redacted items and numbers cut off at the end.
var traps = map[string][]string{
	"zhangjiagang-jiaoyu-2019.txt": {
		"2019129日", "20191015日", "202025", "张教〔2019153号", "三聚两先一名市", "三标杆一率先",
		"十三五", "一网、一门、一次", "十九大", "第五届", "2019年度", "2020-02-05 10:57:00", "2019市教育局",
		"第一批", "2020年度", "一件事一次办", "第一责任",
	},
	"baoding-shi-2016.txt": {
		"保政呈〔2017〕3號", "〔2014〕保市府辦172號", "2015—2020年", "2015-2020年", "十八大", "六中全會",
		"第一項", "第一責任人", "2016年", "2017年",
	},
	"changshou-weijian-2022.txt": {"2021-2025", "三到位一依法", "第一责任人"},
	"chongqing-jiaowei-2021.txt": {"十一个坚持", "十四五", "一是", "二是", "三是", "三进"},
	"chongqing-jiaowei-2022.txt": {"八五", "2023-02-17", "一件事一次办", "2022年度"},
	"guangming-renli-2021.txt":   {"2021年 11月 19日", "十九大", "六中全会", "2021—2025年", "三重一大"},
	"haining-weijian-2024.txt":   {"2025/2/17", "二十大", "第一名", "综合查一次", "一件事"},
	"hangzhou-gongan-2018.txt": {
		"(一)办理行政案件情况。(略)", "(二)办理行政许可情况。(略)", "(三)办理行政复议应诉案件情况。(略)",
		"杭公通〔2018〕27号", "9月19日", "(2018-2019)", "4月份", "7月份", "2019/11/28",
	},
	"hangzhou-jiaotong-2020.txt": {"市政府令第289号", "我局原有11", "2021年度", "2021/3/22", "最多跑一次"},
	"jinghai-qu-2020.txt":        {"今天是:2019年10月31日", "2021/03/29 11:30:01", "(2015-2020年)", "第一季度"},
	"nansha-jiaoyu-2020.txt":     {"截至202", "2021-01-08", "(2016-2020年)"},
	"ningguo-sifa-fuyi-2022.txt": {
		"第三条第六项", "第五十八条", "2022年12月31日", "1134170200325601XJ/202303-00026", "2023-03-01 09:29",
	},
	"zhangjiagang-jingkaiqu-2023.txt": {"張法政辦〔2019〕5號", "2023年以來", "202402"},
}

func TestCorpusTraps(t *testing.T) {
	for file, list := range traps {
		r := readCorpus(t, file)
		figs := ExtractFigures(r, nil)
		orig := string(r.Original())
		for _, trap := range list {
			if !strings.Contains(orig, trap) {
				t.Errorf("%s: trap %q is not in the file", file, trap)
				continue
			}
			for off := 0; ; {
				i := strings.Index(orig[off:], trap)
				if i < 0 {
					break
				}
				start, end := off+i, off+i+len(trap)
				for _, f := range figs {
					if f.Start < end && f.End > start {
						t.Errorf("%s: figure %q (%v %s) taken from trap %q", file, f.Quote, f.Value, f.Unit, trap)
					}
				}
				off = end
			}
		}
	}
}

// The rows of the corpus README that state region, unit and year.
var corpusMeta = []struct {
	file, region, bureauType string
	year                     int
}{
	{"zhangjiagang-jiaoyu-2019.txt", "张家港市", "教育", 2019},
	{"baoding-shi-2016.txt", "保定市", "政府", 2016},
	{"changshou-weijian-2022.txt", "重庆市长寿区", "卫健", 2022},
	{"chongqing-jiaowei-2021.txt", "重庆市", "教育", 2021},
	{"chongqing-jiaowei-2022.txt", "重庆市", "教育", 2022},
	{"guangming-renli-2021.txt", "深圳市光明区", "人社", 2021},
	{"haining-weijian-2024.txt", "海宁市", "卫健", 2024},
	{"hangzhou-gongan-2018.txt", "杭州市", "公安", 2018},
	{"hangzhou-jiaotong-2020.txt", "杭州市", "交通运输", 2020},
	{"jinghai-qu-2020.txt", "天津市静海区", "政府", 2020},
	{"nansha-jiaoyu-2020.txt", "广州市南沙区", "教育", 2020},
	{"ningguo-sifa-fuyi-2022.txt", "宁国市", "司法", 2022},
	{"zhangjiagang-jingkaiqu-2023.txt", "张家港市", "政府", 2023},
}

func TestCorpusMeta(t *testing.T) {
	for _, want := range corpusMeta {
		r := readCorpus(t, want.file)
		m := r.Meta
		if m.Region != want.region || m.Year != want.year || m.BureauType != want.bureauType {
			t.Errorf("%s: region %q year %d bureau type %q; want %q %d %q",
				want.file, m.Region, m.Year, m.BureauType, want.region, want.year, want.bureauType)
		}
		for name, ev := range map[string]*Evidence{"region": m.RegionEvidence, "year": m.YearEvidence, "bureau": m.BureauEvidence} {
			if ev == nil {
				t.Errorf("%s: no %s evidence", want.file, name)
				continue
			}
			if got := r.Quote(ev.Start, ev.End); got != ev.Quote || ev.Quote == "" {
				t.Errorf("%s: %s evidence quote %q, original holds %q", want.file, name, ev.Quote, got)
			}
		}
	}
}

// TestFigureOffsets checks that every quote is the original text at its
// offsets, and the catalogue examples of the issue.
func TestFigureOffsets(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	for _, f := range files {
		r := readCorpus(t, filepath.Base(f))
		orig := r.Original()
		for _, fig := range ExtractFigures(r, nil) {
			if string(orig[fig.Start:fig.End]) != fig.Quote {
				t.Errorf("%s: quote %q but original[%d:%d] = %q", fig.File, fig.Quote, fig.Start, fig.End, orig[fig.Start:fig.End])
			}
			if fig.Confidence <= 0 || fig.Confidence > 1 {
				t.Errorf("%s: confidence %v", fig.File, fig.Confidence)
			}
			if fig.Region != r.Meta.Region || fig.Year != r.Meta.Year {
				t.Errorf("%s: figure metadata differs from the report's", fig.File)
			}
		}
	}
}

func TestCatalogueExamples(t *testing.T) {
	cases := []struct {
		file, quote, indicator string
		value                  float64
	}{
		{"changshou-weijian-2022.txt", "4件", "reconsideration_cases", 4},
		{"zhangjiagang-jiaoyu-2019.txt", "100%", "enforcement_exam_pass_rate", 100},
		{"zhangjiagang-jiaoyu-2019.txt", "4次", "collective_law_study", 4},
		{"zhangjiagang-jiaoyu-2019.txt", "143场", "law_publicity_events", 143},
		{"zhangjiagang-jiaoyu-2019.txt", "23712人次", "law_publicity_participants", 23712},
		{"zhangjiagang-jiaoyu-2019.txt", "四项", "penalty_powers_delegated", 4},
		{"haining-weijian-2024.txt", "122.4552万元", "penalty_amount", 1224552},
	}
	for _, c := range cases {
		ok := false
		for _, f := range ExtractFigures(readCorpus(t, c.file), fazhi.DefaultCatalog()) {
			if f.Quote == c.quote && f.Indicator == c.indicator && f.Value == c.value {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: no figure %q → %s = %v", c.file, c.quote, c.indicator, c.value)
		}
	}
}
