package ingest

import (
	"bytes"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fazhi"
)

// The real 张家港市教育局 2019 report and the figures an analyst read from it.
var (
	//go:embed sampledata/zhangjiagang-jiaoyu-2019.txt
	zjgEducation2019 []byte
	//go:embed sampledata/zhangjiagang-jiaoyu-2019.figures.tsv
	zjgEducation2019Figures string
)

// ZhangjiagangEducation2019 returns the figures of the published
// 张家港市教育局2019年度法治政府建设情况报告 as confirmed manual observations
// whose source is the report itself; each quote is located in the text so
// that its byte offsets lead back to the sentence.
func ZhangjiagangEducation2019(cat *fazhi.Catalog) (Bundle, error) {
	src := fazhi.Source{
		ID: SHA256(zjgEducation2019), FileName: "zhangjiagang-jiaoyu-2019.txt",
		Title: "张家港市教育局2019年度法治政府建设情况报告", Publisher: "张家港市教育局",
		PublishDate: "2020-02-05", MediaType: "text/plain; charset=utf-8",
		Size: int64(len(zjgEducation2019)), Content: zjgEducation2019,
		AddedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	b := Bundle{Method: fazhi.MethodManual, Note: "张家港市教育局2019年度报告，人工录入", Orgs: SampleOrgs(), Sources: []fazhi.Source{src}}
	for i, line := range strings.Split(zjgEducation2019Figures, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return b, fmt.Errorf("figures of %s line %d: want 6 fields, got %d", src.FileName, i+1, len(f))
		}
		ind, ok := cat.Indicator(f[0])
		if !ok {
			return b, fmt.Errorf("figures of %s line %d: unknown indicator %q", src.FileName, i+1, f[0])
		}
		value, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return b, fmt.Errorf("figures of %s line %d: value %q: %w", src.FileName, i+1, f[1], err)
		}
		start := bytes.Index(zjgEducation2019, []byte(f[4]))
		if start < 0 {
			return b, fmt.Errorf("figures of %s line %d: quote %q not in the report", src.FileName, i+1, f[4])
		}
		b.Observations = append(b.Observations, fazhi.Observation{
			OrgCode: ZhangjiagangCode + "-jyj", Year: 2019, IndicatorCode: ind.Code, Value: value, Unit: f[2],
			Qualifier: f[3], Status: fazhi.StatusConfirmed, Method: fazhi.MethodManual, SourceID: src.ID,
			Quote: f[4], Location: fmt.Sprintf("%d-%d", start, start+len(f[4])), Note: f[5],
		})
	}
	return b, nil
}
