package api

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"fazhi"
	"fazhi/analytics"
	"fazhi/ingest"
)

// ReportLoad reads one published report, extracts its figures and files it
// under the org and year its text names — or under org and year when given
// (0 and "" mean: from the text). Figures keep the unit as written; the
// warehouse converts them when an analyst accepts them. The CLI and the
// upload handler share it.
func ReportLoad(ctx context.Context, wh *analytics.Warehouse, name string, data []byte, org string, year int) (analytics.DocumentLoad, error) {
	r, err := ingest.ReadReport(name, data)
	if err != nil {
		return analytics.DocumentLoad{}, err
	}
	figs := ingest.ExtractFigures(r, wh.Catalog())
	m := r.Meta
	if org == "" {
		if org, err = wh.ResolveReportOrg(ctx, m.Region, m.Bureau, m.BureauType); err != nil {
			return analytics.DocumentLoad{}, err
		}
	}
	if year == 0 {
		year = m.Year
	}
	meta, _ := json.Marshal(m)
	removed, _ := json.Marshal(r.Removed)
	media := "text/plain; charset=" + r.Encoding
	if r.HTML {
		media = "text/html; charset=" + r.Encoding
	}
	publish := m.PublishDate
	if _, err := time.Parse("2006-01-02", publish); err != nil {
		publish = "" // a date the text only half states is not stored as one
	}
	load := analytics.DocumentLoad{
		Source: fazhi.Source{ID: ingest.SHA256(data), FileName: filepath.Base(name), Title: m.Title,
			Publisher: m.Region + m.Bureau, PublishDate: publish, MediaType: media, Size: int64(len(data)),
			Content: data, AddedAt: time.Now()},
		Doc: analytics.Document{Region: m.Region, Bureau: m.Bureau, BureauType: m.BureauType, OrgCode: org, Year: year,
			Encoding: r.Encoding, MetaJSON: string(meta), RemovedJSON: string(removed)},
	}
	for _, f := range figs {
		load.Figures = append(load.Figures, analytics.ExtractedFigure{Indicator: f.Indicator, Label: f.Label,
			Value: f.Value, Unit: f.Unit, Qualifier: f.Qualifier, Number: f.Number, Quote: f.Quote,
			Start: f.Start, End: f.End, Sentence: f.Sentence, Confidence: f.Confidence})
	}
	if len(load.Figures) > maxFiguresPerReport {
		return load, fazhi.Errorf(fazhi.EINVALID, "%s: %d figures is more than a report holds (at most %d): is it a report?",
			filepath.Base(name), len(load.Figures), maxFiguresPerReport)
	}
	return load, nil
}

// maxFiguresPerReport bounds what one file may add to the review queue.
const maxFiguresPerReport = 5000

// describeLoad summarises a document load for logs and the CLI.
func describeLoad(l analytics.DocumentLoad) string {
	org := l.Doc.OrgCode
	if org == "" {
		org = "单位未确定"
	}
	year := "年度未确定"
	if l.Doc.Year != 0 {
		year = fmt.Sprint(l.Doc.Year)
	}
	return fmt.Sprintf("%s: %s %s (%s, %s), %d figures", l.Source.FileName, l.Doc.Region, l.Doc.Bureau, org, year, len(l.Figures))
}
