package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"fazhi"
	"fazhi/analytics"
	"fazhi/ingest"
)

// fazhiCmd runs a subcommand and returns its exit code and output.
func fazhiCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// newDB makes a database holding the sample orgs and no figures.
func newDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "fazhi.duckdb")
	wh, err := analytics.Open(context.Background(), db, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	if err := wh.UpsertOrgs(context.Background(), ingest.SampleOrgs()); err != nil {
		t.Fatal(err)
	}
	return db
}

func figures(t *testing.T, db string) []analytics.Figure {
	t.Helper()
	wh, err := analytics.Open(context.Background(), db, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	figs, err := wh.Figures(context.Background(), analytics.FigureFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return figs
}

func TestTemplateIngestAndRollbackFromTheCommandLine(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	tpl := filepath.Join(dir, "jyj.xlsx")
	if code, out, errOut := fazhiCmd(t, "template", "--db", db, "--org", "320582-jyj", "--year", "2023", "--out", tpl); code != 0 ||
		!strings.Contains(out, "张家港市教育局 2023 年度") {
		t.Fatalf("template: %d %s %s", code, out, errOut)
	}
	f, err := excelize.OpenFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(ingest.TemplateSheet)
	for i, r := range rows {
		switch r[0] {
		case "litigation_cases":
			f.SetCellValue(ingest.TemplateSheet, "D"+strconv.Itoa(i+1), 8)
		case "litigation_lost":
			f.SetCellValue(ingest.TemplateSheet, "D"+strconv.Itoa(i+1), 1)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("单位名称,年度,指标,数值\n张家港市公安局,2023,行政诉讼案件,20\n")
	csv := filepath.Join(dir, "公安.csv")
	os.WriteFile(csv, []byte(gb), 0o644)

	code, out, errOut := fazhiCmd(t, "ingest", "--db", db, "--dry-run", "--format", "json", tpl, csv)
	var results []struct {
		analytics.ImportSummary
		Error string
	}
	if code != 0 || json.Unmarshal([]byte(out), &results) != nil || len(results) != 2 {
		t.Fatalf("dry run: %d %s %s", code, out, errOut)
	}
	if r := results[0]; !r.DryRun || r.Stored || r.New != 2 || r.Format != ingest.FormatTemplate || !strings.HasSuffix(r.CreatedBy, "（命令行）") {
		t.Errorf("dry run of the template: %+v", r)
	}
	if len(figures(t, db)) != 0 {
		t.Fatal("a dry run stored figures")
	}

	code, out, errOut = fazhiCmd(t, "ingest", "--db", db, tpl, csv)
	if code != 0 || strings.Count(out, "已导入批次") != 2 || !strings.Contains(out, "新增 new") || !strings.Contains(out, "按 GB18030 编码读取") {
		t.Fatalf("ingest: %d\n%s\n%s", code, out, errOut)
	}
	if figs := figures(t, db); len(figs) != 3 {
		t.Fatalf("%d figures stored, want 3", len(figs))
	}
	batch := regexp.MustCompile(`fazhi rollback (b-\S+)`).FindStringSubmatch(out)
	if code, out, errOut := fazhiCmd(t, "rollback", "--db", db, batch[1]); code != 0 || !strings.Contains(out, "已撤销") {
		t.Fatalf("rollback: %d %s %s", code, out, errOut)
	}
	if figs := figures(t, db); len(figs) != 1 || figs[0].OrgCode != "320582-gaj" {
		t.Fatalf("after rolling back the template's batch: %+v", figs)
	}
}

func TestIngestRefusals(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("org,year,indicator,value\n320582-jyj,2023,litigation_cases,八\n320582-jyj,2023,litigation_lost,1\n"), 0o644)
	code, out, errOut := fazhiCmd(t, "ingest", "--db", db, bad)
	if code != 1 || !strings.Contains(out, "bad.csv 第 2 行：“八”不是数字") || !strings.Contains(out, "未导入") || !strings.Contains(errOut, "1 of 1 files not imported") {
		t.Errorf("a refused file: %d\n%s\n%s", code, out, errOut)
	}
	report := filepath.Join(dir, "empty.txt")
	os.WriteFile(report, nil, 0o644)
	if code, out, _ := fazhiCmd(t, "ingest", "--db", db, report); code != 1 || !strings.Contains(out, "empty.txt") || !strings.Contains(out, "未导入") {
		t.Errorf("an empty report text: %d %s", code, out)
	}
	big := filepath.Join(dir, "big.csv")
	os.WriteFile(big, make([]byte, 1<<20+1), 0o644)
	if code, _, errOut := fazhiCmd(t, "ingest", "--db", db, "--max-upload-mb", "1", big); code != 1 || !strings.Contains(errOut, "超过上限 1 MB") {
		t.Errorf("a file over the limit: %d %s", code, errOut)
	}
	if code, _, errOut := fazhiCmd(t, "ingest", "--db", db, filepath.Join(dir, "a.pdf")); code != 1 || !strings.Contains(errOut, "不支持的文件类型") {
		t.Errorf("a pdf: %d %s", code, errOut)
	}
	if len(figures(t, db)) != 0 {
		t.Fatal("refused files stored figures")
	}
}

func TestIngestIntoAHeldDatabaseSaysSo(t *testing.T) {
	db := newDB(t)
	holder := exec.Command(os.Args[0], "-test.run=^TestHoldDatabaseForCLI$")
	holder.Env = append(os.Environ(), "FAZHI_HOLD_DB="+db)
	pipe, _ := holder.StdoutPipe()
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { holder.Process.Kill(); holder.Wait() }()
	if line, err := bufio.NewReader(pipe).ReadString('\n'); err != nil || !strings.Contains(line, "holding") {
		t.Fatalf("holder: %q %v", line, err)
	}
	csv := filepath.Join(t.TempDir(), "a.csv")
	os.WriteFile(csv, []byte("org,year,indicator,value\n320582-jyj,2023,litigation_cases,1\n"), 0o644)
	code, _, errOut := fazhiCmd(t, "ingest", "--db", db, csv)
	if code != 1 || !strings.Contains(errOut, "is held by another fazhi process") || strings.Contains(errOut, "conflict:") {
		t.Fatalf("ingest into a held file: %d %q", code, errOut)
	}
}

// TestHoldDatabaseForCLI is the child of TestIngestIntoAHeldDatabaseSaysSo.
func TestHoldDatabaseForCLI(t *testing.T) {
	db := os.Getenv("FAZHI_HOLD_DB")
	if db == "" {
		t.Skip("only runs as a child of TestIngestIntoAHeldDatabaseSaysSo")
	}
	wh, err := analytics.Open(context.Background(), db, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	fmt.Println("holding", db)
	time.Sleep(30 * time.Second)
}

// Report texts given to fazhi ingest go to the extractor: all of a run in
// one batch of figures pending review, beside the data files' own batches;
// --org and --year file a report whose text does not say; a dry run and
// --format json say what would be stored; a second run skips what is
// stored; the audit log has every stored batch and rollback.
func TestIngestTakesReportTextsAsOneBatchPerRun(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	zjg, err := os.ReadFile("../../ingest/testdata/corpus/zhangjiagang-jiaoyu-2019.txt")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"zjg.txt": string(zjg),
		"短讯.html": "<html><body><p>今年以来，我局开展法治宣讲活动12场，受众3000余人次。</p></body></html>",
		"公安.csv":  "单位编码,年度,指标,数值\n320582-gaj,2023,litigation_cases,20\n",
	}
	var paths []string
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		paths = append(paths, p)
	}
	args := append([]string{"ingest", "--db", db, "--org", "320582-sfj", "--year", "2021"}, paths...)

	type result struct {
		analytics.ImportSummary
		Report *struct {
			Org     string
			Year    int
			Figures int
		}
		Error string
	}
	code, out, errOut := fazhiCmd(t, append(append([]string{}, args[:1]...), append([]string{"--dry-run", "--format", "json"}, args[1:]...)...)...)
	var dry []result
	if code != 0 || json.Unmarshal([]byte(out), &dry) != nil || len(dry) != 3 {
		t.Fatalf("dry run: %d %s %s", code, out, errOut)
	}
	for _, r := range dry {
		if r.Stored || !r.DryRun || r.BatchID != "" {
			t.Errorf("dry run stored %s: %+v", r.File, r)
		}
		// zjg.txt says it is 张家港市教育局's of 2019; 短讯.html says neither.
		want := map[string][2]any{"zjg.txt": {"320582-jyj", 2019}, "短讯.html": {"320582-sfj", 2021}}[r.File]
		if r.Format == ingest.FormatReport && (r.Report == nil || r.Report.Org != want[0] || r.Report.Year != want[1] || r.New == 0) {
			t.Errorf("dry run of %s: %+v %+v", r.File, r.ImportSummary, r.Report)
		}
	}
	if len(figures(t, db)) != 0 {
		t.Fatal("a dry run stored figures")
	}

	code, out, errOut = fazhiCmd(t, append(args[:1:1], append([]string{"--format", "json"}, args[1:]...)...)...)
	var real []result
	if code != 0 || json.Unmarshal([]byte(out), &real) != nil || len(real) != 3 {
		t.Fatalf("ingest: %d %s %s", code, out, errOut)
	}
	batches := map[string]bool{}
	for _, r := range real {
		if !r.Stored || r.BatchID == "" {
			t.Errorf("%s not stored: %+v", r.File, r)
		}
		if r.Format == ingest.FormatReport {
			batches[r.BatchID] = true
		}
	}
	if len(batches) != 1 {
		t.Errorf("the run's reports went to %d batches, want one", len(batches))
	}
	ctx := context.Background()
	wh, err := analytics.Open(ctx, db, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := wh.Documents(ctx)
	events, _ := wh.AuditLog(ctx, analytics.AuditFilter{})
	wh.Close()
	if len(docs) != 2 {
		t.Fatalf("%d documents stored, want 2", len(docs))
	}
	var actions []string
	for _, e := range events {
		if !strings.HasSuffix(e.Actor, "（命令行）") || e.Address != "cli" || e.Target == "" {
			t.Errorf("audit event %+v", e)
		}
		actions = append(actions, e.Action)
	}
	slices.Sort(actions)
	if strings.Join(actions, " ") != "import upload_reports" {
		t.Errorf("audit log: %v", actions)
	}

	// A second run stores nothing new: same reports (by sha256), same figures.
	code, out, errOut = fazhiCmd(t, args...)
	if code != 0 || !strings.Contains(out, "全部报告此前已导入") || !strings.Contains(out, "already stored") {
		t.Errorf("second run: %d %s %s", code, out, errOut)
	}
	var csvBatch string
	for _, r := range real {
		if r.Format == ingest.FormatCSV {
			csvBatch = r.BatchID
		}
	}
	if code, _, errOut := fazhiCmd(t, "rollback", "--db", db, csvBatch); code != 0 {
		t.Fatalf("rollback: %s", errOut)
	}
	wh, err = analytics.Open(ctx, db, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	events, _ = wh.AuditLog(ctx, analytics.AuditFilter{})
	if len(events) != 3 || events[0].Action != "rollback" || events[0].Target != csvBatch {
		t.Errorf("rollback not audited: %+v", events)
	}
}
