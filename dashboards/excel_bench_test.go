package dashboards

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"fazhi"
	"fazhi/analytics"
)

// BenchmarkWriteXLSX100k writes 100,000 figures with their provenance to a
// workbook, without a database: the cost of the Excel writer alone.
func BenchmarkWriteXLSX100k(b *testing.B) {
	cat := fazhi.DefaultCatalog()
	figs := make([]analytics.Figure, 1000)
	for i := range figs {
		figs[i] = analytics.Figure{Observation: fazhi.Observation{OrgCode: fmt.Sprintf("S00R%04d-B01", i), Year: 2024,
			IndicatorCode: "law_publicity_events", Value: float64(i), Unit: "场", Status: fazhi.StatusConfirmed,
			Method: fazhi.MethodSample, SourceID: "b5358f0640e70dd4336becef0ac21e50375632c067feb878f1dc08ec0dfb7cf6",
			BatchID: "b-20261126T005051-a1a7a896", Quote: "开展法治宣讲活动143场", Location: "line 12",
			Note: "示例数据：程序生成，非真实数据"}, OrgName: "测试0001区第01局", SourceFile: "synthetic.txt",
			SourceTitle: "合成基准数据（程序生成）", LoadedBy: "benchmark", LoadedAt: time.Now(), Counts: true}
	}
	t := provenanceTable()
	x := &Export{View: "bench", Title: "bench", Tables: []Table{t}, Indicators: cat.Indicators[:1],
		Fill: func(ctx context.Context, s Sink) error {
			for i := 0; i < 100_000; i++ {
				if err := s.Row(0, provenanceRow(cat, figs[i%len(figs)])...); err != nil {
					return err
				}
			}
			return nil
		}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := WriteXLSX(context.Background(), io.Discard, x); err != nil {
			b.Fatal(err)
		}
	}
}
