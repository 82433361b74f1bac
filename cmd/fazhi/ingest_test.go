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
	report := filepath.Join(dir, "report.txt")
	os.WriteFile(report, []byte("报告"), 0o644)
	if code, out, _ := fazhiCmd(t, "ingest", "--db", db, report); code != 1 || !strings.Contains(out, "not supported yet") {
		t.Errorf("a report text: %d %s", code, out)
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
