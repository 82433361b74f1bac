package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
)

// isReportFile tells published report text (.txt, .html, .htm) from data
// files: reports go through the extractor into the review queue.
func isReportFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".html", ".htm":
		return true
	}
	return false
}

// progressAfter is how many files make a progress bar worth drawing.
const progressAfter = 5

// reportRun is what one run of ingestReports did (or, dry, would do).
type reportRun struct {
	Batch fazhi.Batch // no ID when nothing was stored
	Loads []analytics.DocumentLoad
	Known map[string]bool // sha256 of the reports stored before: skipped
}

// ingestReports reads published reports, extracts their figures and stores
// them as pending review in one batch: all files or none, and a file
// already stored (same sha256) is skipped. Each report's own text says
// which org and year it is of; org and year, when given, file the reports
// whose text does not say, and the others wait for an analyst on the
// review page. out gets one line per report; a dry run stores nothing.
func ingestReports(ctx context.Context, wh *analytics.Warehouse, paths []string, org string, year int, who string,
	dryRun bool, out, progress io.Writer) (reportRun, error) {
	var bar *progressbar.ProgressBar
	if len(paths) >= progressAfter {
		bar = progressbar.NewOptions(len(paths), progressbar.OptionSetWriter(progress),
			progressbar.OptionSetDescription("读取报告"), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
	}
	var run reportRun
	var problems []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return run, fmt.Errorf("read %s: %w", p, err)
		}
		load, err := api.ReportLoad(ctx, wh, p, data, "", 0)
		if load.Doc.OrgCode == "" {
			load.Doc.OrgCode = org
		}
		if load.Doc.Year == 0 {
			load.Doc.Year = year
		}
		if bar != nil {
			bar.Add(1)
		}
		if err != nil {
			if fazhi.ErrorCode(err) != fazhi.EINVALID {
				return run, err
			}
			problems = append(problems, fazhi.ErrorMessage(err))
			continue
		}
		run.Loads = append(run.Loads, load)
	}
	if bar != nil {
		bar.Finish()
	}
	if len(problems) > 0 {
		return reportRun{}, fazhi.Errorf(fazhi.EINVALID, "nothing stored, %d file(s) refused:\n  %s",
			len(problems), strings.Join(problems, "\n  "))
	}
	known, err := wh.StoredDocuments(ctx, run.Loads)
	if err != nil {
		return run, fmt.Errorf("find stored reports: %w", err)
	}
	run.Known = known
	for _, l := range run.Loads {
		line := describeReport(l)
		if known[l.Source.ID] {
			line += "\t(already stored: skipped)"
		}
		fmt.Fprintln(out, line)
	}
	if dryRun {
		for _, l := range run.Loads {
			run.Batch.Total += len(l.Figures)
			if known[l.Source.ID] {
				run.Batch.Unchanged += len(l.Figures)
			} else {
				run.Batch.New += len(l.Figures)
			}
		}
		return run, nil
	}
	run.Batch, err = wh.StoreDocuments(ctx, fazhi.Batch{CreatedBy: who, Note: "命令行导入报告"}, run.Loads)
	return run, err
}

func figuresIn(loads []analytics.DocumentLoad) int {
	n := 0
	for _, l := range loads {
		n += len(l.Figures)
	}
	return n
}

// describeReport is one line per report: what it is filed under and what
// an analyst still has to decide.
func describeReport(l analytics.DocumentLoad) string {
	org, year := l.Doc.OrgCode, "?"
	if org == "" {
		org = "单位待指定"
	}
	if l.Doc.Year != 0 {
		year = fmt.Sprint(l.Doc.Year)
	}
	uncatalogued := 0
	for _, f := range l.Figures {
		if f.Indicator == "" {
			uncatalogued++
		}
	}
	return fmt.Sprintf("%s\t%s %s\t→ %s, %s年\t%d figures (%d without indicator)", l.Source.FileName,
		l.Doc.Region, l.Doc.Bureau, org, year, len(l.Figures), uncatalogued)
}
