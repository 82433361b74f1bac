package dashboards

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"

	"fazhi"
	"fazhi/analytics"
)

// maxGridRows caps the bureaus of the page's coverage grid.
const maxGridRows = 200

// coverageLabel is how a coverage state reads in a table.
var coverageLabel = map[string]string{
	analytics.CoverageReported: "已填报",
	analytics.CoveragePending:  "待审核",
	analytics.CoverageMissing:  "缺报",
}

// CoverageRow is one bureau of the grid.
type CoverageRow struct {
	analytics.BureauCoverage
	Cells    []string // a coverage state per catalogue indicator
	Missing  int
	Complete float64 // share of the catalogue reported, in per cent
}

// CoveragePage is the model of /coverage: who reported what for a year.
type CoveragePage struct {
	Page
	Query      Query
	Year       int
	Choices    Choices
	ScopeText  string
	Indicators []fazhi.Indicator
	Rows       []CoverageRow // least complete first (at most maxGridRows)
	Limited    bool
	Bureaus    int
	Full       int // bureaus that reported every indicator
	Silent     []fazhi.Org
	Chart      Chart
	Downloads  Downloads

	all []CoverageRow
}

// Coverage builds /coverage.
func Coverage(ctx context.Context, w *analytics.Warehouse, q Query) (*CoveragePage, error) {
	return drawn(buildCoverage(ctx, w, q))
}

func buildCoverage(ctx context.Context, w *analytics.Warehouse, q Query) (*CoveragePage, error) {
	cat := w.Catalog()
	ch, err := choices(ctx, w, false)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	scope, err := scopeText(ctx, w, q)
	if err != nil {
		return nil, err
	}
	q.Year, q.Indicator, q.Norm = pickYear(q, ch.Years), "", ""
	p := &CoveragePage{Page: Page{Title: "填报情况", Active: "coverage"}, Query: q, Year: q.Year, Choices: ch,
		ScopeText: scope, Indicators: cat.Indicators, Downloads: downloads("/coverage", q)}
	if p.Sample, err = w.HasSample(ctx); err != nil {
		return nil, err
	}
	cov, err := w.Coverage(ctx, q.Year, q.Scope())
	if err != nil {
		return nil, err
	}
	n := len(cat.Indicators)
	for _, b := range cov {
		r := CoverageRow{BureauCoverage: b, Missing: n - b.Reported - b.Pending, Complete: 100 * float64(b.Reported) / float64(n)}
		for _, ind := range cat.Indicators {
			r.Cells = append(r.Cells, b.StatusOf(ind.Code))
		}
		if b.Silent() {
			p.Silent = append(p.Silent, b.Org)
		}
		if b.Reported == n {
			p.Full++
		}
		p.all = append(p.all, r)
	}
	p.Bureaus = len(p.all)
	slices.SortStableFunc(p.all, func(a, b CoverageRow) int { return a.Reported - b.Reported })
	p.Rows = p.all
	if len(p.Rows) > maxGridRows {
		p.Rows, p.Limited = p.Rows[:maxGridRows], true
	}
	return p, nil
}

func (p *CoveragePage) charts() error {
	if len(p.all) == 0 {
		return nil
	}
	var names []string
	var values []float64
	codes := map[string]string{}
	for i := len(p.all) - 1; i >= 0 && len(names) < maxBars; i-- { // most complete first
		r := p.all[i]
		names = append(names, r.Org.FullName)
		values = append(values, roundTo(r.Complete, 1))
		codes[r.Org.FullName] = r.Org.Code
	}
	var err error
	p.Chart, err = rankingBars("chart-coverage", fmt.Sprintf("%d 年填报完整度", p.Year),
		fmt.Sprintf("已确认指标数 ÷ 指标体系 %d 项", len(p.Indicators)), p.Sample, names, values, "%", sqlNull{},
		&ClickLink{Base: "/figures?year=" + strconv.Itoa(p.Year), By: "category", Param: "org", Codes: codes})
	return err
}

// Render writes the page.
func (p *CoveragePage) Render(w io.Writer) error { return render(w, "coverage", p) }

// CoverageExport is /coverage as data.
func CoverageExport(ctx context.Context, w *analytics.Warehouse, q Query) (*Export, error) {
	p, err := buildCoverage(ctx, w, q)
	if err != nil {
		return nil, err
	}
	cols := []Column{
		{Key: "org", Label: "单位编码", Width: 16},
		{Key: "org_name", Label: "单位", Width: 26},
		{Key: "region", Label: "所属地区", Width: 14},
		{Key: "bureau_type", Label: "单位类型", Width: 10},
		{Key: "complete", Label: "完整度", Format: FormatPercent, Width: 9},
		{Key: "reported", Label: "已填报", Format: FormatInt, Width: 8},
		{Key: "pending", Label: "待审核", Format: FormatInt, Width: 8},
		{Key: "missing", Label: "缺报", Format: FormatInt, Width: 8},
	}
	for _, ind := range p.Indicators {
		cols = append(cols, Column{Key: ind.Code, Label: ind.Name, Width: 12})
	}
	grid := Table{Key: "coverage", Sheet: "填报情况", Columns: cols}
	if len(p.all) > 0 {
		grid.Chart = &SheetChart{Title: fmt.Sprintf("%d 年填报完整度", p.Year), Kind: ChartBar, Categories: 1, Series: []int{4},
			Rows: min(len(p.all), maxBars)}
	}
	silent := Table{Key: "silent", Sheet: "未报送单位", Columns: []Column{
		{Key: "org", Label: "单位编码", Width: 16},
		{Key: "org_name", Label: "单位", Width: 26},
		{Key: "region", Label: "所属地区", Width: 14},
		{Key: "bureau_type", Label: "单位类型", Width: 10},
	}}
	x := &Export{View: "coverage", Title: fmt.Sprintf("填报情况：%d 年", p.Year), FileName: fmt.Sprintf("填报情况-%d", p.Year),
		Sample: p.Sample, Filters: append([]Filter{yearFilter(p.Year)}, scopeFilters(q, p.ScopeText)...),
		Notes: []string{
			"已填报：有已确认的数值；待审核：只有待审核的数值（不计入图表与排名）；缺报：没有数值或只有已驳回的数值。",
			fmt.Sprintf("完整度 = 已填报指标数 ÷ 指标体系的 %d 项指标。", len(p.Indicators)),
			"未报送单位：该年度没有任何数值（含待审核）的单位。",
			"本表按完整度由高到低排列。",
		},
		Indicators: p.Indicators,
		Tables:     []Table{grid, silent, provenanceTable()},
	}
	x.Fill = func(ctx context.Context, s Sink) error {
		if s.Wants(0) {
			// The chart reads the first rows: most complete first.
			for i := len(p.all) - 1; i >= 0; i-- {
				r := p.all[i]
				row := []any{r.Org.Code, r.Org.FullName, r.Org.Region, r.Org.BureauType, r.Complete, r.Reported, r.Pending, r.Missing}
				for _, c := range r.Cells {
					row = append(row, coverageLabel[c])
				}
				if err := s.Row(0, row...); err != nil {
					return err
				}
			}
		}
		if s.Wants(1) {
			for _, o := range p.Silent {
				if err := s.Row(1, o.Code, o.FullName, o.Region, o.BureauType); err != nil {
					return err
				}
			}
		}
		return fillProvenance(ctx, w, s, 2, analytics.ProvenanceFilter{Scope: q.Scope(), Years: []int{p.Year}})
	}
	return x, nil
}
