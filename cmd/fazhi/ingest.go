package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"runtime/debug"
	"strings"

	"fazhi"
	"fazhi/analytics"
	"fazhi/ingest"
)

func init() {
	commands["ingest"] = command{summary: "import filled templates, spreadsheets, CSV or JSON (one batch per file) and report texts (one batch per run)", run: runIngest}
}

// ingestJob is what a file reader needs besides the file.
type ingestJob struct {
	wh     *analytics.Warehouse
	who    string
	dryRun bool
	limits ingest.Limits
}

// fileReader loads one file named on the command line as one batch (or
// dry-runs it) and says what it did.
type fileReader func(ctx context.Context, job ingestJob, name string, data []byte) (analytics.ImportSummary, error)

// fileReaders choose a reader of data files by extension. Published
// report texts (.txt, .html, .htm, see isReportFile) go to the report
// extractor instead, all of one run in one batch (ingestReports).
var fileReaders = map[string]fileReader{
	".xlsx": importSpreadsheet, ".csv": importSpreadsheet, ".tsv": importSpreadsheet, ".json": importSpreadsheet,
}

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: fazhi ingest [--db PATH] [--dry-run] [--format table|json] [--org CODE] [--year YYYY] FILE...\n\n"+
			"Imports each data file as one batch: a filled template or a long table (.xlsx), CSV (UTF-8 or GB18030) or JSON.\n"+
			"A file with any refused value is not imported at all; every problem is listed.\n"+
			"Report texts (.txt, .html, .htm) are read by the extractor and stored as pending review, all of one run in\n"+
			"one batch (a report stored before is skipped); --org and --year file those whose text does not say.")
		fs.PrintDefaults()
	}
	dbPath := fs.String("db", envOr("FAZHI_DB", defaultDB), "DuckDB file (env FAZHI_DB)")
	dryRun := fs.Bool("dry-run", false, "check and count, store nothing")
	format := fs.String("format", "table", "output: table (readable) or json")
	org := fs.String("org", "", "org code to file report texts under when their text does not say")
	year := fs.Int("year", 0, "year to file report texts under when their text does not say")
	limits := limitFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("no file given")
	}
	if *format != "table" && *format != "json" {
		return fmt.Errorf("--format %q: want table or json", *format)
	}
	lim := limits()
	if *year != 0 && (*year < lim.MinYear || *year > lim.MaxYear) {
		return fazhi.Errorf(fazhi.EINVALID, "--year %d：应为 %d–%d 之间的年份", *year, lim.MinYear, lim.MaxYear)
	}
	// Refuse unknown extensions and oversized files before opening the database.
	var data, reports []string
	for _, name := range fs.Args() {
		if isReportFile(name) {
			reports = append(reports, name)
		} else if _, ok := fileReaders[strings.ToLower(filepath.Ext(name))]; ok {
			data = append(data, name)
		} else {
			return fazhi.Errorf(fazhi.EINVALID, "%s：不支持的文件类型（可导入 .xlsx、.csv、.tsv、.json 和报告文本 .txt、.html、.htm）", name)
		}
		st, err := os.Stat(name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if st.Size() > lim.MaxBytes {
			return fazhi.Errorf(fazhi.EINVALID, "%s：文件大小 %.1f MB 超过上限 %d MB（--max-upload-mb）", name, float64(st.Size())/(1<<20), lim.MaxBytes>>20)
		}
	}
	wh, err := analytics.Open(ctx, *dbPath, fazhi.DefaultCatalog())
	if err != nil {
		return err
	}
	defer wh.Close()
	job := ingestJob{wh: wh, who: cliUser(), dryRun: *dryRun, limits: lim}

	var results []ingestResult
	failed := 0
	for _, name := range data {
		r := ingestResult{ImportSummary: analytics.ImportSummary{File: filepath.Base(name), DryRun: *dryRun, CreatedBy: job.who}}
		data, err := os.ReadFile(name)
		if err == nil {
			r.ImportSummary, err = fileReaders[strings.ToLower(filepath.Ext(name))](ctx, job, name, data)
		}
		switch {
		case err == nil:
		case fazhi.ErrorCode(err) == fazhi.EINTERNAL:
			return fmt.Errorf("%s: %w", name, err)
		case r.Rows == 0: // not read at all; a refused file's summary says why itself
			r.Error = fazhi.ErrorMessage(err)
		}
		if r.Error != "" || !r.Accepted() {
			failed++
		}
		if r.Stored {
			auditCLI(ctx, wh, job.who, "import", r.BatchID, importDetail(r.ImportSummary))
		}
		results = append(results, r)
		if *format == "table" {
			printSummary(stdout, r)
		}
	}
	if len(reports) > 0 {
		rs, err := job.ingestReports(ctx, reports, *org, *year, *format == "table", stdout, stderr)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.Error != "" {
				failed++
			}
		}
		results = append(results, rs...)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not imported", failed, len(results))
	}
	return nil
}

// ingestResult is one file's summary, or why it could not be read at all.
type ingestResult struct {
	analytics.ImportSummary
	Report *reportResult `json:"report,omitempty"` // a report text's
	Error  string        `json:"error,omitempty"`
}

// reportResult is what a report text is filed under and holds: its
// figures wait for review (New, or Unchanged when the report was stored
// before).
type reportResult struct {
	Org          string `json:"org"`  // "" when an analyst must say
	Year         int    `json:"year"` // 0 likewise
	Figures      int    `json:"figures"`
	Uncatalogued int    `json:"uncatalogued"` // figures without an indicator yet
}

// ingestReports stores the run's report texts as one batch of figures
// pending review (or, dry, says what it would store) and summarises each
// file. A refused file stores nothing of the run: every file's result
// then carries the reason.
func (job ingestJob) ingestReports(ctx context.Context, paths []string, org string, year int, table bool,
	stdout, stderr io.Writer) ([]ingestResult, error) {
	lines := io.Discard
	if table {
		lines = stdout
		fmt.Fprintf(stdout, "报告文本 report texts（%d 个文件，一个批次 / one batch）\n", len(paths))
	}
	run, err := ingestReports(ctx, job.wh, paths, org, year, job.who, job.dryRun, lines, stderr)
	var out []ingestResult
	if err != nil {
		if fazhi.ErrorCode(err) == fazhi.EINTERNAL {
			return nil, err
		}
		for _, p := range paths {
			out = append(out, ingestResult{ImportSummary: analytics.ImportSummary{File: filepath.Base(p), Format: ingest.FormatReport,
				DryRun: job.dryRun, CreatedBy: job.who, Problems: []fazhi.Problem{}, Flags: []analytics.Flag{}}, Error: fazhi.ErrorMessage(err)})
		}
		if table {
			fmt.Fprintf(stdout, "  未导入 / not imported: %s\n\n", fazhi.ErrorMessage(err))
		}
		return out, nil
	}
	b := run.Batch
	for _, l := range run.Loads {
		known := run.Known[l.Source.ID]
		s := analytics.ImportSummary{File: l.Source.FileName, SHA256: l.Source.ID, Size: l.Source.Size, Format: ingest.FormatReport,
			DryRun: job.dryRun, Stored: b.ID != "" && !known, CreatedBy: job.who, Rows: len(l.Figures),
			Problems: []fazhi.Problem{}, Flags: []analytics.Flag{}}
		if s.Stored {
			s.BatchID = b.ID
		}
		if known {
			s.Unchanged = len(l.Figures)
		} else {
			s.New = len(l.Figures)
		}
		rep := &reportResult{Org: l.Doc.OrgCode, Year: l.Doc.Year, Figures: len(l.Figures)}
		for _, f := range l.Figures {
			if f.Indicator == "" {
				rep.Uncatalogued++
			}
		}
		out = append(out, ingestResult{ImportSummary: s, Report: rep})
	}
	detail := fmt.Sprintf("%d 份报告，%d 个数值待审核，%d 份此前已导入", len(run.Loads), b.New, len(run.Known))
	if b.ID != "" {
		auditCLI(ctx, job.wh, job.who, "upload_reports", b.ID, detail)
	}
	if table {
		switch {
		case job.dryRun:
			fmt.Fprintf(stdout, "  试导入，未入库 / dry run, nothing stored: %s\n\n", detail)
		case b.ID != "":
			fmt.Fprintf(stdout, "  已导入批次 / stored as batch %s: %s（在 /documents 审核 / review on /documents）\n\n", b.ID, detail)
		default:
			fmt.Fprintln(stdout, "  全部报告此前已导入，未产生批次 / every report was stored before, no batch")
			fmt.Fprintln(stdout)
		}
	}
	return out, nil
}

// auditCLI appends a change made on the command line to the audit log,
// as fazhi user does. The change is made: a lost record is said, not fatal.
func auditCLI(ctx context.Context, wh *analytics.Warehouse, who, action, target, detail string) {
	if err := wh.Audit(ctx, analytics.AuditEvent{Actor: who, Action: action, Target: target, Detail: detail,
		Outcome: analytics.AuditOK, Address: "cli"}); err != nil {
		fmt.Fprintf(os.Stderr, "fazhi: audit record lost: %v\n", err)
	}
}

// importDetail says in the audit log what an import stored.
func importDetail(s analytics.ImportSummary) string {
	return fmt.Sprintf("%s：新增 %d，更新 %d，不变 %d，待复核 %d", s.File, s.New, s.Updated, s.Unchanged, s.Flagged)
}

// importSpreadsheet reads a template, long table or JSON and imports it.
func importSpreadsheet(ctx context.Context, job ingestJob, name string, data []byte) (analytics.ImportSummary, error) {
	u, err := ingest.ReadUpload(filepath.Base(name), data, job.wh.Catalog(), job.limits)
	if err != nil {
		return analytics.ImportSummary{File: filepath.Base(name), DryRun: job.dryRun, CreatedBy: job.who, Size: int64(len(data))}, err
	}
	// Parsing a large file leaves tens of MB of garbage (XML tokens, cell
	// strings) that the Go runtime would keep resident while DuckDB, which
	// holds the batch's rows until it commits, peaks on its own: hand it
	// back first. One garbage collection, about 20 ms for 100,000 rows.
	debug.FreeOSMemory()
	note := ingest.FormatLabel(u.Format)
	if t := u.Template; t != nil {
		note = fmt.Sprintf("填报模板：%s %d 年度", t.OrgName, t.Year)
	}
	return job.wh.Import(ctx, analytics.Upload{Batch: fazhi.Batch{CreatedBy: job.who, Note: note}, Source: u.Source,
		Format: u.Format, Rows: u.Rows, Observations: u.Observations, Orgs: u.Orgs, OrgOf: u.OrgOf,
		Problems: u.Problems, Refused: u.Refused, Notices: u.Notices, DryRun: job.dryRun})
}

// cliUser says who runs a command: the login name, marked as the command line.
func cliUser() string {
	name := os.Getenv("USER")
	if u, err := user.Current(); name == "" && err == nil {
		name = u.Username
	}
	if name == "" {
		name = "unknown"
	}
	return name + "（命令行）"
}

// limitFlags registers the upload limits shared by serve and ingest.
func limitFlags(fs *flag.FlagSet) func() ingest.Limits {
	d := ingest.DefaultLimits()
	mb := fs.Int64("max-upload-mb", d.MaxBytes>>20, "largest file accepted, in MB")
	rows := fs.Int("max-rows", d.MaxRows, "most data rows of a CSV or JSON file")
	sheetRows := fs.Int("max-xlsx-rows", d.MaxSheetRows, "most data rows of a workbook")
	return func() ingest.Limits {
		l := d
		l.MaxBytes, l.MaxRows, l.MaxSheetRows = *mb<<20, *rows, *sheetRows
		return l
	}
}

// printSummary writes one file's result as a readable table.
func printSummary(w io.Writer, r ingestResult) {
	head := r.File
	if r.Format != "" {
		head += "（" + ingest.FormatLabel(r.Format) + "）"
	}
	fmt.Fprintln(w, head)
	switch {
	case r.Error != "":
		fmt.Fprintf(w, "  未导入 / not imported: %s\n\n", r.Error)
		return
	case !r.Accepted() && r.DryRun:
		fmt.Fprintf(w, "  试导入：%d 个数值未通过，正式导入会被拒绝 / dry run: %d values refused\n", r.Refused, r.Refused)
	case !r.Accepted():
		fmt.Fprintf(w, "  未导入：%d 个数值未通过检查，整个文件未入库 / not imported: %d values refused\n", r.Refused, r.Refused)
	case r.DryRun:
		fmt.Fprintln(w, "  试导入通过，未入库 / dry run passed, nothing stored")
	case r.Stored:
		fmt.Fprintf(w, "  已导入批次 / imported as batch %s（fazhi rollback %s 可撤销）\n", r.BatchID, r.BatchID)
	default:
		fmt.Fprintln(w, "  与已入库数据相同，未产生批次 / identical to stored figures, no batch")
	}
	tw := newColumns(w)
	for _, row := range []struct {
		label string
		n     int
	}{{"数据行 rows", r.Rows}, {"新增 new", r.New}, {"更新 updated", r.Updated}, {"不变 unchanged", r.Unchanged},
		{"未通过 refused", r.Refused}, {"待复核 flagged", r.Flagged}} {
		fmt.Fprintf(tw, "  %s\t%d\n", row.label, row.n)
	}
	tw.Flush()
	for _, n := range r.Notices {
		fmt.Fprintf(w, "  提示 note: %s\n", n)
	}
	if len(r.Problems) > 0 {
		fmt.Fprintln(w, "  问题 problems:")
		for _, p := range r.Problems {
			fmt.Fprintf(w, "    %s\n", p)
		}
		if more := r.Refused - len(r.Problems); more > 0 {
			fmt.Fprintf(w, "    ……另有 %d 个未列出 / %d more\n", more, more)
		}
	}
	if len(r.Flags) > 0 {
		fmt.Fprintln(w, "  待复核 flagged for review (>10× or <1/10 of the previous year):")
		for _, f := range r.Flags {
			fmt.Fprintf(w, "    %s %s %d %s: %g (上年 previous %g)\n", fazhi.LocationLabel(f.Location), f.OrgCode, f.Year, f.Indicator, f.Value, f.Previous)
		}
	}
	fmt.Fprintln(w)
}
