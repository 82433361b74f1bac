package dashboards

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"fazhi"
	"fazhi/analytics"
)

// TrendYear is one year of one bureau in the trend table.
type TrendYear struct {
	Year                    int
	Value, Change, ChangePc string // "—" for a missing year or no previous year
	Missing                 bool
}

// TrendRow summarises one bureau's line.
type TrendRow struct {
	Org           fazhi.Org
	First, Last   int
	FirstV, LastV string
	CAGR          string
	Gaps          []int // years without a confirmed figure between First and Last
	Years         []TrendYear
}

// TrendPage is the model of /trend: one indicator over the years for one or
// several bureaus.
type TrendPage struct {
	Page
	Query     Query
	Year      int // unused by the form; kept for the shared parts
	Indicator fazhi.Indicator
	Choices   Choices
	ScopeText string
	Default   string // says which bureaus are shown when none were chosen
	Limited   int    // bureaus left out beyond maxOrgs
	Years     []int  // the x axis: every year from the first to the last reported
	Rows      []TrendRow
	Lines     Chart
	Changes   Chart
	OrgCodes  string // the bureaus shown, comma-separated, for the form
	Downloads Downloads

	lines []analytics.TrendLine
}

// Trend builds /trend.
func Trend(ctx context.Context, w *analytics.Warehouse, q Query) (*TrendPage, error) {
	return drawn(buildTrend(ctx, w, q))
}

func buildTrend(ctx context.Context, w *analytics.Warehouse, q Query) (*TrendPage, error) {
	ind, ch, err := indicatorView(ctx, w, &q)
	if err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	p := &TrendPage{Page: Page{Title: "历年趋势", Active: "trend"}, Indicator: ind, Choices: ch}
	q.Year = 0
	// With no bureau chosen, show the bureaus of the first district, so
	// that the page never tries to draw thousands of lines.
	if len(q.Orgs) == 0 && q.Region == "" && q.BureauType == "" {
		for _, r := range ch.Regions {
			if r.Kind == fazhi.OrgDistrict {
				q.Region, p.Default = r.Code, "未选择单位，显示"+r.FullName+"的全部单位。"
				break
			}
		}
	}
	if p.ScopeText, err = scopeText(ctx, w, q); err != nil {
		return nil, err
	}
	if len(q.Orgs) > 0 {
		found, err := w.Bureaus(ctx, analytics.Scope{Orgs: q.Orgs})
		if err != nil {
			return nil, err
		}
		for _, code := range q.Orgs {
			if !slices.ContainsFunc(found, func(o fazhi.Org) bool { return o.Code == code }) {
				return nil, fazhi.Errorf(fazhi.ENOTFOUND, "没有编码为 %s 的单位", code)
			}
		}
		p.ScopeText = fmt.Sprintf("已选 %d 个单位", len(q.Orgs))
	}
	p.Query, p.Downloads = q, downloads("/trend", q)
	if p.Sample, err = w.HasSample(ctx); err != nil {
		return nil, err
	}
	lines, err := w.Trend(ctx, ind.Code, q.Scope())
	if err != nil {
		return nil, err
	}
	if len(lines) > maxOrgs {
		p.Limited, lines = len(lines)-maxOrgs, lines[:maxOrgs]
	}
	p.lines = lines
	first, last := 0, 0
	var codes []string
	for _, l := range lines {
		codes = append(codes, l.Org.Code)
		f, e := l.Points[0].Year, l.Points[len(l.Points)-1].Year
		if first == 0 || f < first {
			first = f
		}
		last = max(last, e)
	}
	p.OrgCodes = strings.Join(codes, ",")
	for y := first; first > 0 && y <= last; y++ {
		p.Years = append(p.Years, y)
	}
	for _, l := range lines {
		p.Rows = append(p.Rows, trendRow(ind, l))
	}
	return p, nil
}

func trendRow(ind fazhi.Indicator, l analytics.TrendLine) TrendRow {
	first, last := l.Points[0], l.Points[len(l.Points)-1]
	r := TrendRow{Org: l.Org, First: first.Year, Last: last.Year, FirstV: FormatValue(first.Value, ind.Unit),
		LastV: FormatValue(last.Value, ind.Unit), CAGR: "—"}
	if c := l.CAGR(); c.Valid {
		r.CAGR = signedPct(c.Float64)
	}
	for y := first.Year; y <= last.Year; y++ {
		pt, ok := l.At(y)
		ty := TrendYear{Year: y, Value: "缺报", Change: "—", ChangePc: "—", Missing: !ok}
		if ok {
			ty.Value = FormatValue(pt.Value, ind.Unit)
			abs, pct := pt.Change()
			if abs.Valid {
				ty.Change = signedValue(abs.Float64, ind.Unit)
			}
			if pct.Valid {
				ty.ChangePc = signedPct(pct.Float64)
			}
		} else {
			r.Gaps = append(r.Gaps, y)
		}
		r.Years = append(r.Years, ty)
	}
	return r
}

func signedPct(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64) + "%"
	if v > 0 {
		return "+" + s
	}
	return s
}

func (p *TrendPage) charts() error {
	if len(p.lines) == 0 {
		return nil
	}
	ind := p.Indicator
	codes := map[string]string{}
	series := make([]lineSeries, 0, len(p.lines))
	changes := make([]lineSeries, 0, len(p.lines))
	for _, l := range p.lines {
		codes[l.Org.FullName] = l.Org.Code
		s := lineSeries{Name: l.Org.FullName, Values: map[int]float64{}}
		c := lineSeries{Name: l.Org.FullName, Values: map[int]float64{}}
		for _, pt := range l.Points {
			s.Values[pt.Year] = pt.Value
			if _, pct := pt.Change(); pct.Valid {
				c.Values[pt.Year] = roundTo(pct.Float64, 1)
			}
		}
		series = append(series, s)
		changes = append(changes, c)
	}
	click := &ClickLink{Base: "/figures?indicator=" + ind.Code, By: "series", Param: "org", OtherParam: "year", Codes: codes}
	var err error
	height := 420
	if len(series) > 8 {
		height = 480
	}
	p.Lines, err = yearLines("chart-trend-lines", fmt.Sprintf("%s：历年变化", ind.Name),
		fmt.Sprintf("%s（%s）· 缺报年度为断点", ind.Name, ind.Unit), p.Sample, p.Years, series, ind.Unit, click, height)
	if err != nil {
		return err
	}
	p.Changes, err = yearLines("chart-trend-changes", fmt.Sprintf("%s：较上年增减（%%）", ind.Name),
		"只比较相邻两年；上年缺报则不计算", p.Sample, p.Years, changes, "%", click, height)
	return err
}

// Render writes the page.
func (p *TrendPage) Render(w io.Writer) error { return render(w, "trend", p) }

// TrendExport is /trend as data: every year of every bureau with its
// change, a wide table for the chart, the growth rates and the sources.
func TrendExport(ctx context.Context, w *analytics.Warehouse, q Query) (*Export, error) {
	p, err := buildTrend(ctx, w, q)
	if err != nil {
		return nil, err
	}
	ind := p.Indicator
	vf := unitFormat(ind.Unit)
	long := Table{Key: "trend", Sheet: "逐年数据", Columns: []Column{
		{Key: "org", Label: "单位编码", Width: 16},
		{Key: "org_name", Label: "单位", Width: 26},
		{Key: "year", Label: "年度", Format: FormatYear, Width: 8},
		{Key: "value", Label: ind.Name + "（" + ind.Unit + "）", Format: vf},
		{Key: "change", Label: "较上年变化", Format: changeFormat(ind.Unit)},
		{Key: "change_pct", Label: "较上年变化（%）", Format: FormatPercent},
		{Key: "status", Label: "说明", Width: 14},
	}}
	wideCols := []Column{{Key: "year", Label: "年度", Format: FormatYear, Width: 8}}
	var series []int
	for i, l := range p.lines {
		wideCols = append(wideCols, Column{Key: l.Org.Code, Label: l.Org.FullName, Format: vf, Width: 16})
		series = append(series, i+1)
	}
	wide := Table{Key: "wide", Sheet: "趋势图数据", Columns: wideCols}
	if len(p.lines) > 0 {
		wide.Chart = &SheetChart{Title: ind.Name + "（" + ind.Unit + "）历年变化", Kind: ChartLine, Categories: 0, Series: series}
	}
	growth := Table{Key: "growth", Sheet: "年均增长", Columns: []Column{
		{Key: "org", Label: "单位编码", Width: 16},
		{Key: "org_name", Label: "单位", Width: 26},
		{Key: "first_year", Label: "首个年度", Format: FormatYear, Width: 9},
		{Key: "last_year", Label: "最近年度", Format: FormatYear, Width: 9},
		{Key: "first_value", Label: "首年数值", Format: vf},
		{Key: "last_value", Label: "最近数值", Format: vf},
		{Key: "cagr", Label: "年均复合增长率（%）", Format: FormatPercent, Width: 14},
		{Key: "gaps", Label: "期间缺报年度", Width: 20},
	}}
	var scopeFilter []Filter
	if len(q.Orgs) > 0 {
		scopeFilter = []Filter{{Key: "org", Label: "单位", Value: strings.Join(q.Orgs, ","), Text: p.ScopeText}}
	} else {
		scopeFilter = scopeFilters(p.Query, p.ScopeText)
	}
	x := &Export{View: "trend", Title: "历年趋势：" + ind.Name, FileName: "历年趋势-" + ind.Name, Sample: p.Sample,
		Filters: append([]Filter{{Key: "indicator", Label: "指标", Value: ind.Code, Text: ind.Name}}, scopeFilter...),
		Notes: []string{
			"缺报年度留空（图中为断点），不按零计，也不把前后年度连起来。",
			"较上年变化只在相邻两年都有已确认数值时计算；上年缺报则不计算，不跨年比较。",
			"年均复合增长率 = (最近数值 ÷ 首年数值)^(1 ÷ 相隔年数) − 1，相隔年数按日历年计（含缺报年度）；首年或最近数值不为正数时不计算。",
		},
		Indicators: []fazhi.Indicator{ind},
		Tables:     []Table{long, wide, growth, provenanceTable()},
	}
	x.Fill = func(ctx context.Context, s Sink) error {
		for _, l := range p.lines {
			if !s.Wants(0) {
				break
			}
			for y := l.Points[0].Year; y <= l.Points[len(l.Points)-1].Year; y++ {
				pt, ok := l.At(y)
				if !ok {
					if err := s.Row(0, l.Org.Code, l.Org.FullName, y, nil, nil, nil, "缺报"); err != nil {
						return err
					}
					continue
				}
				abs, pct := pt.Change()
				note := ""
				if !abs.Valid {
					note = "上年缺报，不计算变化"
				}
				if err := s.Row(0, l.Org.Code, l.Org.FullName, y, pt.Value, abs, pct, note); err != nil {
					return err
				}
			}
		}
		if s.Wants(1) {
			for _, y := range p.Years {
				row := []any{y}
				for _, l := range p.lines {
					row = append(row, pointValue(l, y))
				}
				if err := s.Row(1, row...); err != nil {
					return err
				}
			}
		}
		if s.Wants(2) {
			for i, l := range p.lines {
				r := p.Rows[i]
				gaps := make([]string, len(r.Gaps))
				for j, g := range r.Gaps {
					gaps[j] = strconv.Itoa(g)
				}
				if err := s.Row(2, l.Org.Code, l.Org.FullName, r.First, r.Last, l.Points[0].Value,
					l.Points[len(l.Points)-1].Value, l.CAGR(), strings.Join(gaps, "、")); err != nil {
					return err
				}
			}
		}
		var orgs []string
		for _, l := range p.lines {
			orgs = append(orgs, l.Org.Code)
		}
		if len(orgs) == 0 {
			return nil
		}
		return fillProvenance(ctx, w, s, 3, analytics.ProvenanceFilter{Scope: analytics.Scope{Orgs: orgs}, Indicators: []string{ind.Code}})
	}
	return x, nil
}

func roundTo(v float64, digits int) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', digits, 64), 64)
	return f
}

// pointValue is a line's value of year y for a sheet cell: nil, an empty
// cell, when the year is missing.
func pointValue(l analytics.TrendLine, y int) any {
	if pt, ok := l.At(y); ok {
		return pt.Value
	}
	return nil
}
