package dashboards

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"fazhi"
	"fazhi/analytics"
)

// FigureRow is one stored figure with its provenance, ready to show.
type FigureRow struct {
	analytics.Figure
	Indicator fazhi.Indicator
	Display   string // the value with its unit and qualifier
	// DocumentLink leads to the source with the quote highlighted, when the
	// figure's location is a span of a document.
	DocumentLink string
}

// FiguresPage is the model of /figures: every figure behind a chart point.
type FiguresPage struct {
	Page
	Filter    analytics.FigureFilter
	OrgName   string
	Indicator fazhi.Indicator
	Rows      []FigureRow
	Limited   bool
}

// Figures lists the figures matching f with their sources.
func Figures(ctx context.Context, w *analytics.Warehouse, f analytics.FigureFilter) (*FiguresPage, error) {
	cat := w.Catalog()
	p := &FiguresPage{Page: Page{Title: "数据与来源", Active: "figures"}, Filter: f}
	if f.Indicator != "" {
		ind, ok := cat.Indicator(f.Indicator)
		if !ok {
			return nil, fazhi.Errorf(fazhi.EINVALID, "没有代码为 %q 的指标", f.Indicator)
		}
		p.Indicator = ind
	}
	if f.Org != "" {
		org, err := w.Org(ctx, f.Org)
		if err != nil {
			return nil, err
		}
		p.OrgName = org.FullName
	}
	const limit = 500
	f.Limit = limit + 1
	figs, err := w.Figures(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("figures page: %w", err)
	}
	if len(figs) > limit {
		figs, p.Limited = figs[:limit], true
	}
	for _, fig := range figs {
		ind, _ := cat.Indicator(fig.IndicatorCode)
		row := FigureRow{Figure: fig, Indicator: ind,
			Display: fig.Qualifier + FormatValue(fig.Value, fig.Unit)}
		if fig.Qualifier == "余" || fig.Qualifier == "多" {
			row.Display = FormatNumber(fig.Value, fig.Unit) + fig.Qualifier + " " + fig.Unit
		}
		if _, _, ok := spanOf(fig.Location); ok {
			row.DocumentLink = "/documents/" + fig.SourceID + "?hl=" + fig.Location
		}
		if fig.Method == fazhi.MethodSample {
			p.Sample = true
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

// Render writes the page.
func (p *FiguresPage) Render(w io.Writer) error { return render(w, "figures", p) }

// spanOf reads a "start-end" byte span.
func spanOf(loc string) (start, end int, ok bool) {
	var err error
	for i := 0; i < len(loc); i++ {
		if loc[i] == '-' && i > 0 {
			if start, err = strconv.Atoi(loc[:i]); err != nil {
				return 0, 0, false
			}
			if end, err = strconv.Atoi(loc[i+1:]); err != nil {
				return 0, 0, false
			}
			return start, end, start >= 0 && end >= start
		}
	}
	return 0, 0, false
}
