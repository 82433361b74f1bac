package analytics_test

import (
	"context"
	"database/sql"
	"math"
	"testing"

	"fazhi"
	"fazhi/analytics"
)

// viewOrgs: 江苏省 → 苏州市 → 张家港市 (three bureaus) and 常熟市 (one 教育局).
var viewOrgs = []fazhi.Org{
	{Code: "320000", Name: "江苏省", Kind: fazhi.OrgProvince},
	{Code: "320500", Name: "苏州市", Kind: fazhi.OrgCity, ParentCode: "320000"},
	{Code: "320582", Name: "张家港市", Kind: fazhi.OrgDistrict, ParentCode: "320500"},
	{Code: "320581", Name: "常熟市", Kind: fazhi.OrgDistrict, ParentCode: "320500"},
	{Code: "320582-jyj", Name: "教育局", FullName: "张家港市教育局", Kind: fazhi.OrgBureau, ParentCode: "320582", BureauType: "教育"},
	{Code: "320582-gaj", Name: "公安局", FullName: "张家港市公安局", Kind: fazhi.OrgBureau, ParentCode: "320582", BureauType: "公安"},
	{Code: "320582-sfj", Name: "司法局", FullName: "张家港市司法局", Kind: fazhi.OrgBureau, ParentCode: "320582", BureauType: "司法"},
	{Code: "320581-jyj", Name: "教育局", FullName: "常熟市教育局", Kind: fazhi.OrgBureau, ParentCode: "320581", BureauType: "教育"},
}

type fig struct {
	org   string
	year  int
	code  string
	value float64
}

// loadViews stores figures as confirmed uploads, and pending as pending ones.
func loadViews(t *testing.T, w *analytics.Warehouse, figs []fig, pending []fig) {
	t.Helper()
	cat := fazhi.DefaultCatalog()
	src := testSource("views fixture")
	var all []fazhi.Observation
	add := func(f fig, status fazhi.Status) {
		ind, _ := cat.Indicator(f.code)
		all = append(all, fazhi.Observation{OrgCode: f.org, Year: f.year, IndicatorCode: f.code, Value: f.value,
			Unit: ind.Unit, Status: status, Method: fazhi.MethodUpload, SourceID: src.ID, Quote: "fixture"})
	}
	for _, f := range figs {
		add(f, fazhi.StatusConfirmed)
	}
	for _, f := range pending {
		add(f, fazhi.StatusPending)
	}
	if _, err := w.LoadBatch(context.Background(), analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: fazhi.MethodUpload},
		Orgs: viewOrgs, Sources: []fazhi.Source{src}, Observations: all}); err != nil {
		t.Fatal(err)
	}
}

func TestCompareRanksByPolarityWithMedianAndMissingBureaus(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	loadViews(t, w, []fig{
		{"320582-jyj", 2024, "litigation_loss_rate", 10}, {"320582-gaj", 2024, "litigation_loss_rate", 30},
		{"320581-jyj", 2024, "litigation_loss_rate", 20}, {"320582-jyj", 2023, "litigation_loss_rate", 12},
		{"320582-jyj", 2024, "law_publicity_events", 5}, {"320582-gaj", 2024, "law_publicity_events", 50},
	}, []fig{{"320582-sfj", 2024, "litigation_loss_rate", 1}})

	// The whole province: lower is better, so 10 ranks first; the pending
	// figure of 司法局 never counts: it is listed as missing, unranked.
	c, err := w.Compare(ctx, analytics.CompareFilter{Year: 2024, Indicator: "litigation_loss_rate", Scope: analytics.Scope{Region: "320000"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Rows) != 4 || c.Reporters != 3 || c.Median.Float64 != 20 {
		t.Fatalf("comparison %+v", c)
	}
	want := []struct {
		org  string
		rank int
	}{{"320582-jyj", 1}, {"320581-jyj", 2}, {"320582-gaj", 3}, {"320582-sfj", 0}}
	for i, wr := range want {
		if r := c.Rows[i]; r.Org.Code != wr.org || r.Rank != wr.rank {
			t.Errorf("row %d = %s rank %d, want %s rank %d", i, r.Org.Code, r.Rank, wr.org, wr.rank)
		}
	}
	if r := c.Rows[0]; !r.Prev.Valid || r.Prev.Float64 != 12 || r.Org.Region != "张家港市" {
		t.Errorf("previous year of 张家港市教育局: %+v", r)
	}
	if c.Rows[3].Value.Valid {
		t.Errorf("a pending figure counted: %+v", c.Rows[3])
	}

	// Like bureaus across regions: every 教育局.
	c, err = w.Compare(ctx, analytics.CompareFilter{Year: 2024, Indicator: "litigation_loss_rate", Scope: analytics.Scope{BureauType: "教育"}})
	if err != nil || len(c.Rows) != 2 || c.Rows[1].Org.Code != "320581-jyj" {
		t.Fatalf("教育 across regions: %v %+v", err, c.Rows)
	}
	// A district: only its own bureaus.
	c, err = w.Compare(ctx, analytics.CompareFilter{Year: 2024, Indicator: "law_publicity_events", Scope: analytics.Scope{Region: "320581"}})
	if err != nil || len(c.Rows) != 1 || c.Rows[0].Value.Valid {
		t.Fatalf("常熟市: %v %+v", err, c.Rows)
	}
	if _, err := w.Compare(ctx, analytics.CompareFilter{Year: 2024, Indicator: "nope"}); fazhi.ErrorCode(err) != fazhi.EINVALID {
		t.Errorf("unknown indicator: %v", err)
	}
}

func TestScoresNormaliseByPolarityAndSkipLoneOrNeutral(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	loadViews(t, w, []fig{
		{"320582-jyj", 2024, "litigation_loss_rate", 10}, {"320582-gaj", 2024, "litigation_loss_rate", 30},
		{"320581-jyj", 2024, "litigation_loss_rate", 20}, {"320582-sfj", 2024, "litigation_loss_rate", 20},
		{"320582-jyj", 2024, "law_publicity_events", 7},
		{"320582-jyj", 2024, "gov_service_items", 100}, {"320582-gaj", 2024, "gov_service_items", 900},
	}, nil)
	m, err := w.Scores(ctx, analytics.ScoreFilter{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	loss := func(org string) float64 { return m.Cells[org]["litigation_loss_rate"].Score }
	if loss("320582-jyj") != 100 || loss("320582-gaj") != 0 || loss("320581-jyj") != 50 {
		t.Errorf("min-max of a lower-is-better rate: %v %v %v", loss("320582-jyj"), loss("320582-gaj"), loss("320581-jyj"))
	}
	if s := m.Cells["320582-jyj"]["law_publicity_events"]; s.Value != 7 || !math.IsNaN(s.Score) {
		t.Errorf("an indicator only one bureau reported cannot be compared: %+v", s)
	}
	if _, ok := m.Cells["320582-jyj"]["gov_service_items"]; ok {
		t.Error("a neutral indicator was scored")
	}
	m, err = w.Scores(ctx, analytics.ScoreFilter{Year: 2024, Norm: analytics.NormPercentile})
	if err != nil {
		t.Fatal(err)
	}
	// Percentile: share of the 3 others a bureau does at least as well as.
	if loss("320582-jyj") != 100 || loss("320582-gaj") != 0 || math.Abs(loss("320581-jyj")-200.0/3) > 1e-9 {
		t.Errorf("percentile: %v %v %v", loss("320582-jyj"), loss("320582-gaj"), loss("320581-jyj"))
	}
	if _, err := w.Scores(ctx, analytics.ScoreFilter{Year: 2024, Norm: "zscore"}); fazhi.ErrorCode(err) != fazhi.EINVALID {
		t.Errorf("unknown normalisation: %v", err)
	}
}

func TestCompositeIndexTreatsMissingAsMissingAndWeightsMove(t *testing.T) {
	cat := fazhi.DefaultCatalog()
	cell := func(s float64) analytics.Score { return analytics.Score{Score: s} }
	// a: strong on the enforcement pass rate, b: on the court appearance
	// rate, c: reported only one of four comparable indicators.
	m := analytics.ScoreMatrix{Cells: map[string]map[string]analytics.Score{
		"a": {"enforcement_exam_pass_rate": cell(100), "head_appearance_rate": cell(0), "litigation_loss_rate": cell(50), "law_publicity_events": cell(60)},
		"b": {"enforcement_exam_pass_rate": cell(0), "head_appearance_rate": cell(100), "litigation_loss_rate": cell(50)},
		"c": {"enforcement_exam_pass_rate": cell(90)},
	}}
	rows := analytics.CompositeIndex(cat, m, []string{"a", "b", "c"}, analytics.DefaultMethodology())
	if rows[0].Org != "a" || rows[0].Rank != 1 || rows[1].Org != "b" || rows[1].Rank != 2 || rows[2].Org != "c" || rows[2].Ranked() {
		t.Fatalf("ranking %+v", rows)
	}
	// b's oversight area is the mean of the two it reported, not of three with a zero.
	if got := rows[1].Areas["oversight"]; got != 75 {
		t.Errorf("b oversight = %v, want 75", got)
	}
	if _, ok := rows[1].Areas["capacity"]; ok {
		t.Error("b reported nothing in capacity but has a score there")
	}
	// Composite of b: enforcement 0, oversight 75 → 37.5 (capacity absent, not zero).
	if rows[1].Composite != 37.5 || rows[1].Possible != 4 || rows[2].Scored != 1 {
		t.Errorf("b = %+v, c = %+v", rows[1], rows[2])
	}

	meth := analytics.DefaultMethodology()
	meth.Areas = map[string]float64{"enforcement": 0.1}
	rows = analytics.CompositeIndex(cat, m, []string{"a", "b", "c"}, meth)
	if rows[0].Org != "b" {
		t.Errorf("with enforcement weighted 0.1, b should lead: %+v", rows)
	}
	shifts := analytics.Sensitivity(cat, m, []string{"a", "b"}, analytics.DefaultMethodology(), 0.2)
	if len(shifts) != 2 || shifts[0].Org != "a" || shifts[0].Best != 1 {
		t.Fatalf("sensitivity %+v", shifts)
	}
	for _, s := range shifts {
		if s.Worst < s.Rank || s.Best > s.Rank || (s.Move() > 0 && s.CauseCode == "") {
			t.Errorf("shift %+v", s)
		}
	}
}

func TestTrendKeepsGapsAndComputesChangeOnlyBetweenConsecutiveYears(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	loadViews(t, w, []fig{
		{"320582-jyj", 2020, "law_publicity_events", 100}, {"320582-jyj", 2021, "law_publicity_events", 110},
		{"320582-jyj", 2023, "law_publicity_events", 121}, // 2022 missing
		{"320582-gaj", 2021, "law_publicity_events", 0}, {"320582-gaj", 2022, "law_publicity_events", 5},
	}, nil)
	lines, err := w.Trend(ctx, "law_publicity_events", analytics.Scope{Orgs: []string{"320582-jyj", "320582-gaj"}})
	if err != nil || len(lines) != 2 {
		t.Fatalf("trend: %v %+v", err, lines)
	}
	jyj := lines[1]
	if jyj.Org.Code != "320582-jyj" || len(jyj.Points) != 3 {
		t.Fatalf("教育局 line %+v", jyj)
	}
	if abs, pct := jyj.Points[1].Change(); abs.Float64 != 10 || math.Abs(pct.Float64-10) > 1e-9 {
		t.Errorf("2021 change = %v, %v", abs, pct)
	}
	if abs, _ := jyj.Points[2].Change(); abs.Valid {
		t.Error("2023 has a change although 2022 is missing")
	}
	if cagr := jyj.CAGR(); math.Abs(cagr.Float64-100*(math.Pow(1.21, 1.0/3)-1)) > 1e-9 {
		t.Errorf("CAGR over 2020–2023 = %v", cagr)
	}
	gaj := lines[0]
	if _, pct := gaj.Points[1].Change(); pct.Valid {
		t.Error("per cent change from zero")
	}
	if gaj.CAGR().Valid {
		t.Error("CAGR from zero")
	}
}

func TestCoverageMarksReportedPendingAndMissing(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	loadViews(t, w, []fig{{"320582-jyj", 2024, "law_publicity_events", 5}, {"320582-jyj", 2024, "legal_advisers", 2}},
		[]fig{{"320582-gaj", 2024, "law_publicity_events", 9}})
	cov, err := w.Coverage(ctx, 2024, analytics.Scope{Region: "320582"})
	if err != nil || len(cov) != 3 {
		t.Fatalf("coverage %v %+v", err, cov)
	}
	by := map[string]analytics.BureauCoverage{}
	for _, b := range cov {
		by[b.Org.Code] = b
	}
	if b := by["320582-jyj"]; b.Reported != 2 || b.StatusOf("law_publicity_events") != analytics.CoverageReported ||
		b.StatusOf("penalty_amount") != analytics.CoverageMissing || b.Silent() {
		t.Errorf("教育局 %+v", b)
	}
	if b := by["320582-gaj"]; b.Pending != 1 || b.StatusOf("law_publicity_events") != analytics.CoveragePending || b.Silent() {
		t.Errorf("公安局 %+v", b)
	}
	if b := by["320582-sfj"]; !b.Silent() {
		t.Errorf("司法局 reported nothing: %+v", b)
	}
}

func TestMethodologiesAreVersionedByName(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	m1, err := w.SaveMethodology(ctx, analytics.Methodology{Name: "2025 考核", Norm: analytics.NormMinMax,
		Areas: map[string]float64{"enforcement": 2}, Indicators: map[string]float64{"litigation_loss_rate": 3}})
	if err != nil {
		t.Fatal(err)
	}
	m2, err := w.SaveMethodology(ctx, analytics.Methodology{Name: "2025 考核", Norm: analytics.NormPercentile})
	if err != nil {
		t.Fatal(err)
	}
	if m1.Version != 1 || m2.Version != 2 || m2.Label() != "2025 考核 v2" {
		t.Fatalf("versions %+v %+v", m1, m2)
	}
	got, err := w.Methodology(ctx, m1.ID)
	if err != nil || got.AreaWeight("enforcement") != 2 || got.IndicatorWeight("litigation_loss_rate") != 3 ||
		got.AreaWeight("capacity") != 1 || got.Norm != analytics.NormMinMax {
		t.Fatalf("reloaded %v %+v", err, got)
	}
	for _, bad := range []analytics.Methodology{
		{Name: "", Norm: analytics.NormMinMax},
		{Name: "x", Norm: analytics.NormMinMax, Indicators: map[string]float64{"gov_service_items": 1}},
		{Name: "x", Norm: analytics.NormMinMax, Areas: map[string]float64{"enforcement": -1}},
	} {
		if _, err := w.SaveMethodology(ctx, bad); fazhi.ErrorCode(err) != fazhi.EINVALID {
			t.Errorf("%+v saved: %v", bad, err)
		}
	}
	if _, err := w.Methodology(ctx, 999); fazhi.ErrorCode(err) != fazhi.ENOTFOUND {
		t.Errorf("unknown methodology: %v", err)
	}
}

func TestPeerRanksProvenanceAndExportAgreeWithCurrentFigures(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	loadViews(t, w, []fig{
		{"320582-jyj", 2024, "law_publicity_events", 5}, {"320581-jyj", 2024, "law_publicity_events", 9},
	}, []fig{{"320582-gaj", 2024, "law_publicity_events", 1}})
	pr, err := w.PeerRanks(ctx, "320582-jyj", 2024)
	if err != nil || pr["law_publicity_events"] != (analytics.PeerRank{Rank: 2, Of: 2, Median: 7}) {
		t.Fatalf("peer ranks %v %+v", err, pr)
	}
	var prov []analytics.Figure
	if err := w.EachProvenance(ctx, analytics.ProvenanceFilter{Scope: analytics.Scope{Region: "320582"}, Years: []int{2024}},
		func(f analytics.Figure) error { prov = append(prov, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(prov) != 1 || prov[0].OrgCode != "320582-jyj" || prov[0].Quote != "fixture" || prov[0].SourceFile != "report.txt" {
		t.Fatalf("provenance %+v", prov)
	}
	var all, counting int
	if err := w.EachFigure(ctx, analytics.FigureFilter{Year: 2024}, func(f analytics.Figure) error {
		all++
		if f.Counts {
			counting++
		}
		return nil
	}); err != nil || all != 3 || counting != 2 {
		t.Fatalf("export: %v, %d figures, %d counting", err, all, counting)
	}
	src, err := w.OrgSources(ctx, "320582-jyj")
	if err != nil || len(src) != 1 || src[0].Counting != 1 {
		t.Fatalf("sources %v %+v", err, src)
	}
	batches, err := w.OrgBatches(ctx, "320582-jyj")
	if err != nil || len(batches) != 1 || batches[0].Figures != 1 || batches[0].CreatedBy != "test" {
		t.Fatalf("batches %v %+v", err, batches)
	}
}

func TestLoadSyntheticBuildsTheHierarchy(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	n, err := w.LoadSynthetic(ctx, analytics.Synthetic{Regions: 3, Bureaus: 4, Years: 2, Indicators: 10})
	if err != nil || n < 200 || n > 240 {
		t.Fatalf("synthetic: %v, %d observations", err, n)
	}
	bureaus, err := w.Bureaus(ctx, analytics.Scope{Region: "S00"})
	if err != nil || len(bureaus) != 12 || bureaus[0].Region != "测试0000区" {
		t.Fatalf("bureaus below the province: %v %+v", err, bureaus)
	}
	c, err := w.Compare(ctx, analytics.CompareFilter{Year: 2016, Indicator: "ecert_completion_rate", Scope: analytics.Scope{BureauType: "类型01"}})
	if err != nil || len(c.Rows) != 3 {
		t.Fatalf("compare synthetic: %v %+v", err, c)
	}
}

// TestCurrentFiguresFollowTheRuleThroughEveryBatch checks that the
// materialised current_figures (migration 4) always equals the
// current_observations view: after a manual figure supersedes a sample
// one, after it is rejected again, after a pending figure arrives, and for
// the synthetic benchmark data.
func TestCurrentFiguresFollowTheRuleThroughEveryBatch(t *testing.T) {
	ctx := context.Background()
	w, path := openTemp(t)
	s1, s2, s3 := testSource("sample"), testSource("manual"), testSource("upload")
	load := func(method fazhi.Method, src fazhi.Source, status fazhi.Status, v float64) {
		t.Helper()
		if _, err := w.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "t", Method: method}, Orgs: viewOrgs,
			Sources: []fazhi.Source{src},
			Observations: []fazhi.Observation{
				{OrgCode: "320582-jyj", Year: 2024, IndicatorCode: "law_publicity_events", Value: v, Unit: "场", Status: status, Method: method, SourceID: src.ID},
				{OrgCode: "320582-gaj", Year: 2023, IndicatorCode: "law_publicity_events", Value: v + 1, Unit: "场", Status: fazhi.StatusConfirmed, Method: method, SourceID: src.ID},
			}}); err != nil {
			t.Fatal(err)
		}
	}
	value := func() float64 {
		t.Helper()
		c, err := w.Compare(ctx, analytics.CompareFilter{Year: 2024, Indicator: "law_publicity_events", Scope: analytics.Scope{Orgs: []string{"320582-jyj"}}})
		if err != nil || len(c.Rows) != 1 {
			t.Fatalf("compare: %v %+v", err, c)
		}
		return c.Rows[0].Value.Float64
	}
	load(fazhi.MethodSample, s1, fazhi.StatusConfirmed, 10)
	load(fazhi.MethodManual, s2, fazhi.StatusConfirmed, 12)
	if v := value(); v != 12 {
		t.Errorf("manual figure does not count: %v", v)
	}
	load(fazhi.MethodManual, s2, fazhi.StatusRejected, 12)
	if v := value(); v != 10 {
		t.Errorf("rejected manual figure still counts: %v", v)
	}
	load(fazhi.MethodUpload, s3, fazhi.StatusPending, 99)
	if v := value(); v != 10 {
		t.Errorf("pending figure counts: %v", v)
	}
	// A key no figure counts for yet, stated by two reports in one batch:
	// the rule picks between them. Then a key with only a pending figure
	// gets a confirmed one: that one counts.
	s4, s5 := testSource("report a"), testSource("report b")
	fig := func(src fazhi.Source, year int, v float64, status fazhi.Status) fazhi.Observation {
		return fazhi.Observation{OrgCode: "320582-jyj", Year: year, IndicatorCode: "law_publicity_events", Value: v, Unit: "场",
			Status: status, Method: fazhi.MethodExtracted, SourceID: src.ID}
	}
	for _, obs := range [][]fazhi.Observation{
		{fig(s4, 2022, 30, fazhi.StatusConfirmed), fig(s5, 2022, 31, fazhi.StatusConfirmed)},
		{fig(s4, 2021, 40, fazhi.StatusPending)},
		{fig(s5, 2021, 41, fazhi.StatusConfirmed)},
	} {
		if _, err := w.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "t", Method: fazhi.MethodExtracted},
			Sources: []fazhi.Source{s4, s5}, Observations: obs}); err != nil {
			t.Fatal(err)
		}
		if extra, missing, err := w.CurrentDrift(ctx); err != nil || extra+missing != 0 {
			t.Fatalf("after %+v: %d extra, %d missing, %v", obs, extra, missing, err)
		}
	}
	if _, err := w.LoadSynthetic(ctx, analytics.Synthetic{Regions: 2, Bureaus: 3, Years: 3, Indicators: 36}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var extra, missing, n int
	cols := `indicator_code, year, org_code, value, method, source_id`
	if err := db.QueryRow(`SELECT
		(SELECT count(*) FROM (SELECT `+cols+` FROM current_figures EXCEPT ALL SELECT `+cols+` FROM current_observations)),
		(SELECT count(*) FROM (SELECT `+cols+` FROM current_observations EXCEPT ALL SELECT `+cols+` FROM current_figures)),
		(SELECT count(*) FROM current_figures)`).Scan(&extra, &missing, &n); err != nil {
		t.Fatal(err)
	}
	if extra != 0 || missing != 0 || n < 50 {
		t.Errorf("current_figures has %d rows: %d not in the view, %d of the view missing", n, extra, missing)
	}
}
