package analytics_test

import (
	"context"
	"testing"

	"fazhi"
	"fazhi/analytics"
)

func storeReport(t *testing.T, w *analytics.Warehouse, text string, org string, year int) (analytics.Document, []analytics.ExtractedFigure) {
	t.Helper()
	ctx := context.Background()
	src := testSource(text)
	load := analytics.DocumentLoad{Source: src, Doc: analytics.Document{Region: "张家港市", Bureau: "教育局", OrgCode: org, Year: year},
		Figures: []analytics.ExtractedFigure{
			{Indicator: "law_publicity_events", Label: "法治宣讲活动", Value: 143, Unit: "场", Quote: "法治宣讲活动143场", Start: 0, End: 25, Confidence: .9},
			{Label: "诊所执业登记备案", Value: 27, Unit: "个", Quote: "备案27个", Start: 30, End: 40, Confidence: .6},
			{Indicator: "penalty_amount", Label: "罚款", Value: 22000, Unit: "元", Quote: "罚款2.2万元", Start: 50, End: 65, Confidence: .8},
		}}
	b, err := w.StoreDocuments(ctx, fazhi.Batch{CreatedBy: "分析员"}, []analytics.DocumentLoad{load})
	if err != nil || b.New != 3 {
		t.Fatalf("store: %v %+v", err, b)
	}
	again, err := w.StoreDocuments(ctx, fazhi.Batch{CreatedBy: "分析员"}, []analytics.DocumentLoad{load})
	if err != nil || again.ID != "" || again.Unchanged != 3 {
		t.Fatalf("storing the same report again must change nothing: %v %+v", err, again)
	}
	d, figs, err := w.Document(ctx, src.ID)
	if err != nil || len(figs) != 3 || d.Pending != 3 {
		t.Fatalf("document: %v %+v %d figures", err, d, len(figs))
	}
	return d, figs
}

func TestOnlyAcceptedFiguresReachCharts(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	if err := w.UpsertOrgs(ctx, testOrgs); err != nil {
		t.Fatal(err)
	}
	_, figs := storeReport(t, w, "report one", "320582-jyj", 2019)
	if pts, _ := w.Series(ctx, "law_publicity_events"); len(pts) != 0 {
		t.Fatalf("pending figures reached a chart: %+v", pts)
	}
	if n, err := w.Review(ctx, analytics.Decision{Action: analytics.ActionAccept, FigureIDs: []int64{figs[0].ID, figs[2].ID}, Who: "审核员"}); err != nil || n != 2 {
		t.Fatalf("accept: %d %v", n, err)
	}
	if c, err := w.Compare(ctx, analytics.CompareFilter{Year: 2019, Indicator: "law_publicity_events"}); err != nil || c.Reporters != 1 || c.Rows[0].Value.Float64 != 143 {
		t.Fatalf("an accepted figure must reach the compare view: %v %+v", err, c)
	}
	if years, _ := w.Years(ctx); len(years) != 1 || years[0] != 2019 {
		t.Fatalf("years after the first accepted figure: %v", years)
	}
	pts, _ := w.Series(ctx, "law_publicity_events")
	if len(pts) != 1 || pts[0].Value != 143 || pts[0].Method != fazhi.MethodExtracted {
		t.Fatalf("accepted figure: %+v", pts)
	}
	amount, _ := w.Figures(ctx, analytics.FigureFilter{Indicator: "penalty_amount"})
	if len(amount) != 1 || amount[0].Value != 2.2 || amount[0].Unit != "万元" || amount[0].Quote != "罚款2.2万元" {
		t.Fatalf("22000 元 must be stored as 2.2 万元 with its quote: %+v", amount)
	}

	// The uncatalogued figure cannot be accepted until it has an indicator.
	if _, err := w.Review(ctx, analytics.Decision{Action: analytics.ActionAccept, FigureIDs: []int64{figs[1].ID}, Who: "审核员"}); fazhi.ErrorCode(err) != fazhi.EINVALID {
		t.Fatalf("accepting an uncatalogued figure: %v", err)
	}
	// Correcting: value and indicator; the observation becomes manual.
	v := 150.0
	if _, err := w.Review(ctx, analytics.Decision{Action: analytics.ActionCorrect, FigureIDs: []int64{figs[0].ID}, Who: "审核员", Value: &v}); err != nil {
		t.Fatal(err)
	}
	pts, _ = w.Series(ctx, "law_publicity_events")
	if len(pts) != 1 || pts[0].Value != 150 || pts[0].Method != fazhi.MethodManual {
		t.Fatalf("corrected figure: %+v", pts)
	}
	// Rejecting removes it from charts.
	if _, err := w.Review(ctx, analytics.Decision{Action: analytics.ActionReject, FigureIDs: []int64{figs[0].ID}, Who: "审核员"}); err != nil {
		t.Fatal(err)
	}
	if pts, _ := w.Series(ctx, "law_publicity_events"); len(pts) != 0 {
		t.Fatalf("rejected figure still charted: %+v", pts)
	}
	if extra, missing, err := w.CurrentDrift(ctx); err != nil || extra+missing != 0 {
		t.Fatalf("after review, current_figures drifted from the rule: %d extra, %d missing, %v", extra, missing, err)
	}
	decisions, err := w.Decisions(ctx, figs[0].ID)
	if err != nil || len(decisions) != 3 || decisions[1].Action != analytics.ActionCorrect || decisions[1].Who != "审核员" {
		t.Fatalf("decisions: %v %+v", err, decisions)
	}
}

func TestLabelMappingAppliesToEveryDocument(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	if err := w.UpsertOrgs(ctx, testOrgs); err != nil {
		t.Fatal(err)
	}
	_, figs := storeReport(t, w, "report a", "320582-jyj", 2019)
	if n, err := w.MapLabel(ctx, "诊所执业登记备案", "admin_approvals", "审核员"); err != nil || n != 1 {
		t.Fatalf("map label: %d %v", n, err)
	}
	_, figs2 := storeReport(t, w, "report b (a later document)", "320582-gaj", 2020)
	if figs2[1].Indicator != "admin_approvals" {
		t.Fatalf("a later document's figure with the mapped label has indicator %q", figs2[1].Indicator)
	}
	_, figs = mustDocument(t, w, figs[1].SourceID)
	if figs[1].Indicator != "admin_approvals" {
		t.Fatalf("the pending figure was not mapped: %+v", figs[1])
	}
}

func TestReportWithoutOrgAsksForOne(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	if err := w.UpsertOrgs(ctx, testOrgs); err != nil {
		t.Fatal(err)
	}
	d, figs := storeReport(t, w, "report without org", "", 0)
	_, err := w.Review(ctx, analytics.Decision{Action: analytics.ActionAccept, FigureIDs: []int64{figs[0].ID}, Who: "审核员"})
	if fazhi.ErrorCode(err) != fazhi.EINVALID {
		t.Fatalf("accepting a figure of a report with no org: %v", err)
	}
	if err := w.AssignDocument(ctx, d.SourceID, "320582-jyj", 2021, "审核员"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Review(ctx, analytics.Decision{Action: analytics.ActionAccept, FigureIDs: []int64{figs[0].ID}, Who: "审核员"}); err != nil {
		t.Fatal(err)
	}
	if pts, _ := w.Series(ctx, "law_publicity_events"); len(pts) != 1 || pts[0].Year != 2021 || pts[0].OrgCode != "320582-jyj" {
		t.Fatalf("%+v", pts)
	}
}

func mustDocument(t *testing.T, w *analytics.Warehouse, id string) (analytics.Document, []analytics.ExtractedFigure) {
	t.Helper()
	d, f, err := w.Document(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d, f
}
