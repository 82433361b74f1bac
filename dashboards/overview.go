package dashboards

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"fazhi"
	"fazhi/analytics"
)

// kpiCodes are the indicators of the KPI strip: the ones supervising
// offices are asked about first.
var kpiCodes = []string{
	"ecert_completion_rate", "enforcement_exam_pass_rate", "head_appearance_rate",
	"litigation_loss_rate", "reconsideration_cases", "law_publicity_events",
}

// DefaultIndicator is charted when the URL names none.
const DefaultIndicator = "law_publicity_events"

// KPI is one card of the strip.
type KPI struct {
	Indicator fazhi.Indicator
	Value     string
	Reporters int
	Delta     *Delta
}

// IndicatorRow is a catalogue entry with its aggregate for the latest year.
type IndicatorRow struct {
	Indicator fazhi.Indicator
	Value     string // "—" when no bureau reported it
	Reporters int
}

// AreaSection groups indicator rows under their area.
type AreaSection struct {
	Area fazhi.Area
	Rows []IndicatorRow
}

// OverviewPage is the model of "/".
type OverviewPage struct {
	Page
	Summary    analytics.Summary
	YearsLabel string // 2016–2024
	Year       int
	KPIs       []KPI
	Areas      []AreaSection
	Chosen     fazhi.Indicator
	Trend      Chart
	Ranking    Chart
	Bureaus    int // bureaus in the trend chart
}

// Overview builds the overview for the indicator named in the URL
// (DefaultIndicator when empty). An unknown indicator is a user error.
func Overview(ctx context.Context, w *analytics.Warehouse, indicator string) (*OverviewPage, error) {
	cat := w.Catalog()
	chosen, err := indicatorOrDefault(cat, indicator)
	if err != nil {
		return nil, err
	}
	sum, err := w.Summary(ctx)
	if err != nil {
		return nil, fmt.Errorf("overview: %w", err)
	}
	p := &OverviewPage{Page: Page{Title: "概览", Active: "overview", Sample: sum.HasSample()},
		Summary: sum, Year: sum.LatestYear, Chosen: chosen}
	if len(sum.Years) > 0 {
		p.YearsLabel = fmt.Sprintf("%d–%d", sum.Years[0], sum.LatestYear)
	}
	agg, err := w.Aggregates(ctx, p.Year, p.Year-1)
	if err != nil {
		return nil, fmt.Errorf("overview: %w", err)
	}
	for _, code := range kpiCodes {
		ind, ok := cat.Indicator(code)
		if !ok {
			continue
		}
		k := KPI{Indicator: ind, Value: "—"}
		if a, ok := agg[code][p.Year]; ok && a.Value.Valid {
			k.Value, k.Reporters = FormatValue(a.Value.Float64, ind.Unit), a.Reporters
			if prev, ok := agg[code][p.Year-1]; ok && prev.Value.Valid {
				d := NewDelta(a.Value.Float64, prev.Value.Float64, ind.Unit, ind.Polarity)
				k.Delta = &d
			}
		}
		p.KPIs = append(p.KPIs, k)
	}
	for _, area := range cat.Areas {
		sec := AreaSection{Area: area}
		for _, ind := range cat.InArea(area.Code) {
			row := IndicatorRow{Indicator: ind, Value: "—"}
			if a, ok := agg[ind.Code][p.Year]; ok && a.Value.Valid {
				row.Value, row.Reporters = FormatNumber(a.Value.Float64, ind.Unit), a.Reporters
			}
			sec.Rows = append(sec.Rows, row)
		}
		p.Areas = append(p.Areas, sec)
	}
	if err := p.buildCharts(ctx, w); err != nil {
		return nil, fmt.Errorf("overview: %w", err)
	}
	return p, nil
}

// buildCharts draws the chosen indicator by bureau over the years, and the
// latest year's ranking of bureaus.
func (p *OverviewPage) buildCharts(ctx context.Context, w *analytics.Warehouse) error {
	points, err := w.Series(ctx, p.Chosen.Code)
	if err != nil {
		return err
	}
	orgs, err := w.Orgs(ctx, fazhi.OrgBureau)
	if err != nil {
		return err
	}
	names := map[string]string{}
	codes := map[string]string{}
	for _, o := range orgs {
		names[o.Code], codes[o.FullName] = o.FullName, o.Code
	}
	byOrg := map[string]map[int]float64{}
	var order []string
	for _, pt := range points {
		if byOrg[pt.OrgCode] == nil {
			byOrg[pt.OrgCode] = map[int]float64{}
			order = append(order, pt.OrgCode)
		}
		byOrg[pt.OrgCode][pt.Year] = pt.Value
	}
	p.Bureaus = len(order)
	ind := p.Chosen
	figures := "/figures?indicator=" + url.QueryEscape(ind.Code)

	years := make([]string, len(p.Summary.Years))
	for i, y := range p.Summary.Years {
		years[i] = strconv.Itoa(y)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(baseOptions(p.Sample, ind.Name+"（"+ind.Unit+"）")...)
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: ind.Unit}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "年度"}),
	)
	line.SetXAxis(years)
	for _, code := range order {
		data := make([]opts.LineData, len(p.Summary.Years))
		for i, y := range p.Summary.Years {
			if v, ok := byOrg[code][y]; ok {
				data[i] = opts.LineData{Value: v}
			} else {
				data[i] = opts.LineData{Value: "-"} // a gap: never a zero
			}
		}
		line.AddSeries(names[code], data, charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false)}))
	}
	p.Trend, err = newChart("chart-trend", ind.Name+"：各单位历年变化", line, ind.Unit,
		&ClickLink{Base: figures, By: "series", Param: "org", OtherParam: "year", Codes: codes})
	if err != nil {
		return err
	}

	// Ranking of the latest year, best first by the indicator's polarity.
	type bar struct {
		name  string
		value float64
	}
	var bars []bar
	for _, code := range order {
		if v, ok := byOrg[code][p.Year]; ok {
			bars = append(bars, bar{names[code], v})
		}
	}
	slices.SortStableFunc(bars, func(a, b bar) int {
		if ind.Polarity == fazhi.PolarityLower {
			a, b = b, a
		}
		switch {
		case a.value > b.value:
			return 1
		case a.value < b.value:
			return -1
		}
		return 0
	}) // ascending, so the best ends on top of a horizontal bar chart
	cats := make([]string, len(bars))
	data := make([]opts.BarData, len(bars))
	for i, b := range bars {
		cats[i], data[i] = b.name, opts.BarData{Value: b.value}
	}
	bc := charts.NewBar()
	bc.SetGlobalOptions(baseOptions(p.Sample, fmt.Sprintf("%d 年 %s（%s）", p.Year, ind.Name, ind.Unit))...)
	bc.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: ind.Unit}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category"}),
	)
	bc.SetXAxis(cats).AddSeries(fmt.Sprintf("%d 年", p.Year), data,
		charts.WithBarChartOpts(opts.BarChart{ShowBackground: opts.Bool(false)}))
	bc.XYReversal()
	p.Ranking, err = newChart("chart-ranking", fmt.Sprintf("%d 年各单位排名", p.Year), bc, ind.Unit,
		&ClickLink{Base: figures + "&year=" + strconv.Itoa(p.Year), By: "category", Param: "org", Codes: codes})
	return err
}

// Render writes the page.
func (p *OverviewPage) Render(w io.Writer) error { return render(w, "overview", p) }
