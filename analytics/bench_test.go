package analytics_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"fazhi"
	"fazhi/analytics"
)

// BenchmarkLoadBatch measures bulk loading: 100,000 observations of 1,000
// bureaus into an empty file, staged with the Appender and merged in one
// transaction.
func BenchmarkLoadBatch(b *testing.B) {
	ctx := context.Background()
	cat := fazhi.DefaultCatalog()
	src := fazhi.Source{ID: sha("bench"), FileName: "bench.csv", Size: 5, Content: []byte("bench")}
	orgs := []fazhi.Org{{Code: "r", Name: "区", Kind: fazhi.OrgDistrict}}
	var obs []fazhi.Observation
	for i := 0; len(obs) < 100_000; i++ {
		org := fmt.Sprintf("r-%d", i)
		orgs = append(orgs, fazhi.Org{Code: org, Name: "局", Kind: fazhi.OrgBureau, ParentCode: "r"})
		for y := 2015; y < 2025; y++ {
			for _, ind := range cat.Indicators[:10] {
				obs = append(obs, fazhi.Observation{OrgCode: org, Year: y, IndicatorCode: ind.Code, Value: float64(i),
					Unit: ind.Unit, Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID})
			}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w, err := analytics.Open(ctx, filepath.Join(b.TempDir(), "bench.duckdb"), cat)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := w.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "bench", Method: fazhi.MethodUpload},
			Orgs: orgs, Sources: []fazhi.Source{src}, Observations: obs}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		w.Close()
	}
	b.ReportMetric(float64(len(obs))*float64(b.N)/b.Elapsed().Seconds(), "obs/s")
}
