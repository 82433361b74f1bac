package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fazhi"
	"fazhi/analytics"
)

// ReviewFigure is one extracted figure as the review page shows it.
type ReviewFigure struct {
	analytics.ExtractedFigure
	IndicatorName string
	Display       string // value with qualifier and unit, as read
	Written       string // the number as the text writes it, when that differs (四, 2.2万)
	Chosen        bool
}

// ReviewPage is the model of /documents/{id} for a published report: its
// text with every figure highlighted, and the figures to accept, correct
// or reject.
type ReviewPage struct {
	Page
	Doc      analytics.Document
	Source   fazhi.Source
	Segments []Segment
	Figures  []ReviewFigure
	Removed  []Removed
	// Choices for the forms.
	Orgs       []fazhi.Org
	Areas      []AreaChoice
	Chosen     int64
	Uncatalogd int
}

// Removed is a span the extractor left out (spam, junk, page chrome).
type Removed struct {
	Kind  string `json:"kind"`
	Quote string `json:"quote"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// IsReport tells a published report (reviewed here) from other sources.
func IsReport(ctx context.Context, w *analytics.Warehouse, id string) bool {
	_, _, err := w.Document(ctx, id)
	return err == nil
}

// Review builds the review page of a report; chosen is a figure id to
// bring into view (0 for none).
func Review(ctx context.Context, w *analytics.Warehouse, id string, chosen int64) (*ReviewPage, error) {
	doc, figs, err := w.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	src, err := w.Source(ctx, id)
	if err != nil {
		return nil, err
	}
	orgs, err := w.Orgs(ctx, fazhi.OrgBureau)
	if err != nil {
		return nil, fmt.Errorf("review page: %w", err)
	}
	cat := w.Catalog()
	title := src.Title
	if title == "" {
		title = src.FileName
	}
	p := &ReviewPage{Page: Page{Title: "审核：" + title, Active: "documents"}, Doc: doc, Source: src, Orgs: orgs, Chosen: chosen}
	p.Areas = areaChoices(cat, false)
	spans := make([]span, 0, len(figs))
	for _, f := range figs {
		rf := ReviewFigure{ExtractedFigure: f, Chosen: f.ID == chosen,
			Display: displayRead(f.Value, f.Unit, f.Qualifier)}
		if f.Number != "" && f.Number != strconv.FormatFloat(f.Value, 'f', -1, 64) {
			rf.Written = f.Number
		}
		if ind, ok := cat.Indicator(f.Indicator); ok {
			rf.IndicatorName = ind.Name
		} else {
			p.Uncatalogd++
		}
		p.Figures = append(p.Figures, rf)
		spans = append(spans, span{start: f.Start, end: f.End, id: f.ID, status: string(f.Status)})
	}
	isHTML := strings.Contains(src.MediaType, "html")
	p.Segments = segmentText(src.Content, doc.Encoding, isHTML, spans, chosen)
	if doc.RemovedJSON != "" {
		_ = json.Unmarshal([]byte(doc.RemovedJSON), &p.Removed) // shown when readable; never blocks review
	}
	return p, nil
}

// displayRead shows a value as the report wrote it: 300余 人次, 约 2.2 万元.
func displayRead(v float64, unit, qualifier string) string {
	n := FormatNumber(v, unit)
	switch qualifier {
	case "":
	case "余", "多", "以上", "左右":
		n += qualifier
	default:
		n = qualifier + n
	}
	if unit != "" && unit != "%" {
		n += " " + unit
	}
	return n
}

// Render writes the page.
func (p *ReviewPage) Render(w io.Writer) error { return render(w, "review", p) }

// DocumentsPage lists stored reports with their review progress.
type DocumentsPage struct {
	Page
	Docs []analytics.Document
	// Upload is the summary of the upload that led here, if any.
	Upload *fazhi.Batch
	Orgs   []fazhi.Org
}

// Documents builds the list of reports.
func Documents(ctx context.Context, w *analytics.Warehouse) (*DocumentsPage, error) {
	docs, err := w.Documents(ctx)
	if err != nil {
		return nil, err
	}
	orgs, err := w.Orgs(ctx, fazhi.OrgBureau)
	if err != nil {
		return nil, err
	}
	return &DocumentsPage{Page: Page{Title: "报告审核", Active: "documents"}, Docs: docs, Orgs: orgs}, nil
}

// Render writes the page.
func (p *DocumentsPage) Render(w io.Writer) error { return render(w, "documents", p) }

// ChooseSpan brings into view the figure whose quote is the "start-end"
// byte span hl, as chart points and the figures page link it.
func (p *ReviewPage) ChooseSpan(hl string) {
	start, end, ok := spanOf(hl)
	if !ok {
		return
	}
	for i := range p.Figures {
		if f := &p.Figures[i]; f.Start == start && f.End == end {
			f.Chosen, p.Chosen = true, f.ID
			for j := range p.Segments {
				if p.Segments[j].FigureID == f.ID {
					p.Segments[j].Chosen = true
				}
			}
			return
		}
	}
}
