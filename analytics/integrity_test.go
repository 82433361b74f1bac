package analytics_test

import (
	"context"
	"testing"

	"fazhi"
	"fazhi/analytics"
)

func TestIntegrityCountsEachBatchsRows(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	src := testSource("integrity")
	b, err := w.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: fazhi.MethodUpload},
		Orgs: testOrgs, Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{obs("320582-jyj", 2019, "law_publicity_events", 143, "场", src),
			obs("320582-gaj", 2019, "law_publicity_events", 12, "场", src)}})
	if err != nil {
		t.Fatal(err)
	}
	doc, figs := storeReport(t, w, "张家港市教育局2020年度法治政府建设情况报告\n开展法治宣讲活动12场，累计参与300人次。", "320582-jyj", 2020)
	in, err := w.CheckIntegrity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if in.Orphans != 0 || in.Rows[b.ID] != 2 || in.Recorded[b.ID] != 2 || in.Rows[doc.BatchID] != len(figs) || len(figs) == 0 {
		t.Errorf("integrity %+v; load batch %s, report batch %s with %d figures", in, b.ID, doc.BatchID, len(figs))
	}
}
