package analytics_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"fazhi"
	"fazhi/analytics"
)

// benchLoad is 100,000 observations of 1,000 bureaus from one source.
func benchLoad(cat *fazhi.Catalog, value float64) analytics.Load {
	src := fazhi.Source{ID: sha("bench"), FileName: "bench.csv", Size: 5, Content: []byte("bench")}
	orgs := []fazhi.Org{{Code: "r", Name: "区", Kind: fazhi.OrgDistrict}}
	var obs []fazhi.Observation
	for i := 0; len(obs) < 100_000; i++ {
		org := fmt.Sprintf("r-%d", i)
		orgs = append(orgs, fazhi.Org{Code: org, Name: "局", Kind: fazhi.OrgBureau, ParentCode: "r"})
		for y := 2015; y < 2025; y++ {
			for _, ind := range cat.Indicators[:10] {
				obs = append(obs, fazhi.Observation{OrgCode: org, Year: y, IndicatorCode: ind.Code, Value: float64(i) + value,
					Unit: ind.Unit, Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID})
			}
		}
	}
	return analytics.Load{Batch: fazhi.Batch{CreatedBy: "bench", Method: fazhi.MethodUpload},
		Orgs: orgs, Sources: []fazhi.Source{src}, Observations: obs}
}

// timeLoad times loading load into a fresh file per iteration, after the
// untimed loads of stored; check looks at the result, untimed too.
func timeLoad(b *testing.B, stored []analytics.Load, load analytics.Load, check func(*analytics.Warehouse, fazhi.Batch)) {
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w, err := analytics.Open(ctx, filepath.Join(b.TempDir(), "bench.duckdb"), fazhi.DefaultCatalog())
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range stored {
			if _, err := w.LoadBatch(ctx, l); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		got, err := w.LoadBatch(ctx, load)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		check(w, got)
		w.Close()
	}
	b.ReportMetric(float64(len(load.Observations))*float64(b.N)/b.Elapsed().Seconds(), "obs/s")
}

// BenchmarkLoadBatch measures bulk loading: 100,000 observations of 1,000
// bureaus into an empty file, staged with the Appender and merged in one
// transaction.
func BenchmarkLoadBatch(b *testing.B) {
	load := benchLoad(fazhi.DefaultCatalog(), 0)
	timeLoad(b, nil, load, func(_ *analytics.Warehouse, got fazhi.Batch) {
		if got.New != len(load.Observations) {
			b.Fatalf("load: %+v", got)
		}
	})
}

// BenchmarkLoadBatchCorrection measures a corrected re-upload: the same
// 100,000 figures with every value changed, over the stored ones. Each is
// updated in place with its old value kept in the history, and the figure
// that counts is recomputed for every key.
func BenchmarkLoadBatchCorrection(b *testing.B) {
	cat := fazhi.DefaultCatalog()
	first, corrected := benchLoad(cat, 0), benchLoad(cat, 0.5)
	timeLoad(b, []analytics.Load{first}, corrected, func(w *analytics.Warehouse, got fazhi.Batch) {
		if got.Updated != len(corrected.Observations) {
			b.Fatalf("correction: %+v", got)
		}
		if extra, missing, err := w.CurrentDrift(context.Background()); err != nil || extra+missing != 0 {
			b.Fatalf("current figures drifted: %d %d %v", extra, missing, err)
		}
	})
}
