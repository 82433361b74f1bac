package analytics_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fazhi"
	"fazhi/analytics"
)

func openTemp(t *testing.T) (*analytics.Warehouse, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "nested", "folder", "fazhi.duckdb")
	w, err := analytics.Open(context.Background(), path, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { w.Close() })
	return w, path
}

var testOrgs = []fazhi.Org{
	{Code: "320582", Name: "张家港市", FullName: "张家港市", Kind: fazhi.OrgDistrict},
	{Code: "320582-jyj", Name: "教育局", FullName: "张家港市教育局", Kind: fazhi.OrgBureau, ParentCode: "320582", BureauType: "教育"},
	{Code: "320582-gaj", Name: "公安局", FullName: "张家港市公安局", Kind: fazhi.OrgBureau, ParentCode: "320582", BureauType: "公安"},
}

func testSource(content string) fazhi.Source {
	return fazhi.Source{ID: sha(content), FileName: "report.txt", Size: int64(len(content)), Content: []byte(content)}
}

func obs(org string, year int, code string, v float64, unit string, src fazhi.Source) fazhi.Observation {
	return fazhi.Observation{OrgCode: org, Year: year, IndicatorCode: code, Value: v, Unit: unit,
		Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID, Quote: "143场"}
}

func TestMigrationsAreIdempotentOnAnExistingFile(t *testing.T) {
	ctx := context.Background()
	w, path := openTemp(t)
	src := testSource("a report")
	if _, err := w.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: fazhi.MethodUpload},
		Orgs: testOrgs, Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{obs("320582-jyj", 2019, "law_publicity_events", 143, "场", src)}}); err != nil {
		t.Fatal(err)
	}
	v1, _ := w.SchemaVersion(ctx)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // reopen twice: nothing may change
		w2, err := analytics.Open(ctx, path, fazhi.DefaultCatalog())
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		v2, _ := w2.SchemaVersion(ctx)
		figs, err := w2.Figures(ctx, analytics.FigureFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if v2 != v1 || len(figs) != 1 || figs[0].Value != 143 {
			t.Fatalf("reopen %d: schema %d→%d, figures %+v", i, v1, v2, figs)
		}
		w2.Close()
	}
	// Raw check that schema_migrations has exactly one row per migration.
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, maxv int
	if err := db.QueryRow(`SELECT count(*), max(version) FROM schema_migrations`).Scan(&rows, &maxv); err != nil {
		t.Fatal(err)
	}
	if rows != maxv || rows != v1 {
		t.Fatalf("schema_migrations has %d rows up to version %d, want %d", rows, maxv, v1)
	}
}

func TestLoadBatchRoundTripsAndIsIdempotent(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	src := testSource("张家港市教育局2019年度报告")
	load := analytics.Load{
		Batch: fazhi.Batch{CreatedBy: "张分析", Method: fazhi.MethodUpload, CreatedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
		Orgs:  testOrgs, Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{
			obs("320582-jyj", 2019, "law_publicity_events", 143, "场", src),
			obs("320582-jyj", 2019, "penalty_amount", 2.2, "万元", src),
			obs("320582-gaj", 2019, "law_publicity_events", 80, "场", src),
		},
	}
	b, err := w.LoadBatch(ctx, load)
	if err != nil {
		t.Fatal(err)
	}
	if b.ID == "" || b.New != 3 || b.Updated != 0 || b.Unchanged != 0 {
		t.Fatalf("first load: %+v", b)
	}
	figs, err := w.Figures(ctx, analytics.FigureFilter{Org: "320582-jyj", Year: 2019, Indicator: "penalty_amount"})
	if err != nil || len(figs) != 1 {
		t.Fatalf("figures: %v %+v", err, figs)
	}
	f := figs[0]
	if f.Value != 2.2 || f.Unit != "万元" || f.SourceID != src.ID || f.BatchID != b.ID || f.LoadedBy != "张分析" ||
		!f.LoadedAt.Equal(load.Batch.CreatedAt) || f.Quote != "143场" || !f.Counts || f.OrgName != "张家港市教育局" {
		t.Fatalf("round trip lost provenance: %+v", f)
	}

	again, err := w.LoadBatch(ctx, load)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != "" || again.Unchanged != 3 || again.New+again.Updated != 0 {
		t.Fatalf("loading the same batch again must change nothing, got %+v", again)
	}

	load.Observations[0].Value = 150
	upd, err := w.LoadBatch(ctx, load)
	if err != nil || upd.Updated != 1 || upd.Unchanged != 2 {
		t.Fatalf("changed value: %v %+v", err, upd)
	}
	agg, err := w.Aggregates(ctx, 2019)
	if err != nil {
		t.Fatal(err)
	}
	if got := agg["law_publicity_events"][2019]; got.Value.Float64 != 230 || got.Reporters != 2 {
		t.Fatalf("aggregate of law_publicity_events 2019 = %+v, want 150+80 over 2 bureaus", got)
	}
}

func TestRejectedBatchStoresNothing(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	src := testSource("x")
	good := obs("320582-jyj", 2019, "law_publicity_events", 143, "场", src)
	cases := map[string]struct {
		obs  []fazhi.Observation
		want string
	}{
		"unknown org":       {[]fazhi.Observation{good, obs("999", 2019, "law_publicity_events", 1, "场", src)}, "unknown org"},
		"unknown indicator": {[]fazhi.Observation{good, obs("320582-jyj", 2019, "nope", 1, "场", src)}, "unknown indicator"},
		"wrong unit":        {[]fazhi.Observation{good, obs("320582-jyj", 2019, "penalty_amount", 1, "元", src)}, "万元"},
		"duplicate":         {[]fazhi.Observation{good, good}, "more than once"},
		"bad year":          {[]fazhi.Observation{good, obs("320582-jyj", 1800, "law_publicity_events", 1, "场", src)}, "year"},
	}
	for name, c := range cases {
		_, err := w.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "t", Method: fazhi.MethodUpload},
			Orgs: testOrgs[:2], Sources: []fazhi.Source{src}, Observations: c.obs})
		if err == nil || !strings.Contains(err.Error(), c.want) || fazhi.ErrorCode(err) != fazhi.EINVALID {
			t.Errorf("%s: got %v, want an invalid-input error mentioning %q", name, err, c.want)
		}
	}
	figs, _ := w.Figures(ctx, analytics.FigureFilter{})
	orgs, _ := w.Orgs(ctx, "")
	if len(figs) != 0 || len(orgs) != 0 {
		t.Fatalf("rejected batches left %d figures and %d orgs behind", len(figs), len(orgs))
	}
}

func TestDryRunStoresNothing(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	src := testSource("y")
	b, err := w.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "t", Method: fazhi.MethodUpload}, DryRun: true,
		Orgs: testOrgs, Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{obs("320582-jyj", 2019, "law_publicity_events", 143, "场", src)}})
	if err != nil || b.New != 1 {
		t.Fatalf("dry run: %v %+v", err, b)
	}
	if figs, _ := w.Figures(ctx, analytics.FigureFilter{}); len(figs) != 0 {
		t.Fatalf("dry run stored %d figures", len(figs))
	}
}

func TestManualFigureCountsBeforeSample(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	sample, report := testSource("sample"), testSource("report")
	load := func(m fazhi.Method, src fazhi.Source, v float64) {
		o := obs("320582-jyj", 2019, "law_publicity_events", v, "场", src)
		o.Method = m
		if _, err := w.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "t", Method: m},
			Orgs: testOrgs, Sources: []fazhi.Source{src}, Observations: []fazhi.Observation{o}}); err != nil {
			t.Fatal(err)
		}
	}
	load(fazhi.MethodManual, report, 143)
	load(fazhi.MethodSample, sample, 99) // loaded later, but sample never beats a manual figure
	pts, err := w.Series(ctx, "law_publicity_events")
	if err != nil || len(pts) != 1 || pts[0].Value != 143 || pts[0].Method != fazhi.MethodManual {
		t.Fatalf("series: %v %+v", err, pts)
	}
}

func TestOpenHeldFileSaysWhoHoldsIt(t *testing.T) {
	// DuckDB's lock is per process: hold the file in a child process (this
	// test binary re-run as a holder) and open it here.
	path := filepath.Join(t.TempDir(), "held.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldDatabase$")
	cmd.Env = append(os.Environ(), "FAZHI_HOLD_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || !strings.Contains(line, "holding") {
		t.Fatalf("holder did not start: %q %v", line, err)
	}
	_, err = analytics.Open(context.Background(), path, fazhi.DefaultCatalog())
	if fazhi.ErrorCode(err) != fazhi.ECONFLICT || !strings.Contains(err.Error(), "another fazhi process") {
		t.Fatalf("opening a held file: got %v, want a conflict that names the other process", err)
	}
}

// TestHoldDatabase is the child of TestOpenHeldFileSaysWhoHoldsIt.
func TestHoldDatabase(t *testing.T) {
	path := os.Getenv("FAZHI_HOLD_DB")
	if path == "" {
		t.Skip("only runs as the child of TestOpenHeldFileSaysWhoHoldsIt")
	}
	w, err := analytics.Open(context.Background(), path, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	fmt.Println("holding", path)
	time.Sleep(30 * time.Second)
}

func TestConcurrentLoadsOfTheSameFiguresKeepOneEach(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	src := testSource("concurrent")
	load := analytics.Load{Batch: fazhi.Batch{CreatedBy: "t", Method: fazhi.MethodUpload}, Orgs: testOrgs,
		Sources: []fazhi.Source{src}, Observations: []fazhi.Observation{
			obs("320582-jyj", 2020, "law_publicity_events", 1, "场", src),
			obs("320582-gaj", 2020, "law_publicity_events", 2, "场", src)}}
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() { _, err := w.LoadBatch(ctx, load); errs <- err }()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	figs, err := w.Figures(ctx, analytics.FigureFilter{})
	if err != nil || len(figs) != 2 {
		t.Fatalf("after 4 concurrent loads of 2 figures: %d figures, %v", len(figs), err)
	}
}
