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

// ingestReports reads published reports, extracts their figures and stores
// them as pending review in one batch: all files or none, and a file
// already stored (same sha256) is skipped. org and year, when given, file
// every report under them; otherwise each report's own text decides, and
// reports it does not decide wait for an analyst on the review page.
func ingestReports(ctx context.Context, wh *analytics.Warehouse, paths []string, org string, year int, who string,
	dryRun bool, out, progress io.Writer) (fazhi.Batch, []analytics.DocumentLoad, error) {
	var bar *progressbar.ProgressBar
	if len(paths) >= progressAfter {
		bar = progressbar.NewOptions(len(paths), progressbar.OptionSetWriter(progress),
			progressbar.OptionSetDescription("读取报告"), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
	}
	var loads []analytics.DocumentLoad
	var problems []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return fazhi.Batch{}, nil, fmt.Errorf("read %s: %w", p, err)
		}
		load, err := api.ReportLoad(ctx, wh, p, data, org, year)
		if bar != nil {
			bar.Add(1)
		}
		if err != nil {
			if fazhi.ErrorCode(err) != fazhi.EINVALID {
				return fazhi.Batch{}, nil, err
			}
			problems = append(problems, fazhi.ErrorMessage(err))
			continue
		}
		loads = append(loads, load)
	}
	if bar != nil {
		bar.Finish()
	}
	if len(problems) > 0 {
		return fazhi.Batch{}, nil, fazhi.Errorf(fazhi.EINVALID, "nothing stored, %d file(s) refused:\n  %s",
			len(problems), strings.Join(problems, "\n  "))
	}
	for _, l := range loads {
		fmt.Fprintln(out, describeReport(l))
	}
	if dryRun {
		return fazhi.Batch{Total: figuresIn(loads)}, loads, nil
	}
	b, err := wh.StoreDocuments(ctx, fazhi.Batch{CreatedBy: who, Note: "命令行导入报告"}, loads)
	return b, loads, err
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
