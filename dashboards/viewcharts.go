package dashboards

import (
	"database/sql"
	"encoding/json"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart builders shared by the views. Every chart gets baseOptions (the
// toolbox: save as PNG, data view; the 示例数据 subtitle), tooltips with
// units (static/fazhi.js formats values by the spec's unit), and a click
// that leads to the figures behind a point.

// maxBars caps the bars of a ranking chart; the table and the workbook
// list every bureau.
const maxBars = 50

// rankingBars draws a ranking as horizontal bars, best on top, with the
// group's median as a line. names and values are best first.
func rankingBars(id, title, subtitle string, sample bool, names []string, values []float64, unit string,
	median sql.NullFloat64, click *ClickLink) (Chart, error) {
	n := len(names)
	cats := make([]string, n)
	data := make([]opts.BarData, n)
	for i := range names { // reversed: echarts draws the first category at the bottom
		cats[n-1-i], data[n-1-i] = names[i], opts.BarData{Value: values[i]}
	}
	bc := charts.NewBar()
	bc.SetGlobalOptions(baseOptions(sample, subtitle)...)
	bc.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: unit}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category"}),
		charts.WithGridOpts(opts.Grid{Left: "2%", Right: "8%", Top: gridTop(sample), Bottom: "16", ContainLabel: opts.Bool(true)}),
	)
	var series []charts.SeriesOpts
	if median.Valid {
		series = append(series, charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: "中位数", XAxis: median.Float64}),
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
				Label: &opts.Label{Show: opts.Bool(true), Formatter: "中位数 " + FormatNumber(median.Float64, unit)}}))
	}
	bc.SetXAxis(cats).AddSeries(title, data, series...)
	bc.XYReversal()
	return newChartSpec(id, title, bc, chartExtras{Unit: unit, Click: click, Height: max(260, 90+26*n)})
}

// heatCell is one cell of a heatmap: a 0–100 score and the value it
// stands for, shown in the tooltip.
type heatCell struct {
	X, Y  int
	Score float64
	Text  string
}

// heatmap draws bureaus (rows) × indicators (columns) scored 0–100, red to
// green. A bureau that did not report an indicator has no cell: a blank,
// never a zero.
func heatmap(id, title, subtitle string, sample bool, ys, xs []string, cells []heatCell, click *ClickLink) (Chart, error) {
	data := make([]opts.HeatMapData, 0, len(cells))
	for _, c := range cells {
		data = append(data, opts.HeatMapData{Name: c.Text, Value: [3]any{c.X, c.Y, math.Round(c.Score*10) / 10}})
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(baseOptions(sample, subtitle)...)
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs, SplitArea: &opts.SplitArea{Show: opts.Bool(true)},
			AxisLabel: &opts.AxisLabel{Rotate: 55, Interval: "0", FontSize: 11}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys, Inverse: opts.Bool(true),
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}, AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 11}}),
		charts.WithGridOpts(opts.Grid{Left: "2%", Right: "2%", Top: gridTop(sample), Bottom: "64", ContainLabel: opts.Bool(true)}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Calculable: opts.Bool(true), Min: 0, Max: 100,
			Orient: "horizontal", Left: "center", Bottom: "0", Text: []string{"100 分（最好）", "0 分"},
			InRange: &opts.VisualMapInRange{Color: []string{"#d73027", "#fee08b", "#1a9850"}}}),
	)
	hm.SetXAxis(xs).AddSeries("标准化得分", data)
	return newChartSpec(id, title, hm, chartExtras{Unit: "分", Click: click, Kind: "heatmap", Height: 220 + 26*len(ys)})
}

// lineSeries is one line over the years: values by year; a missing year
// is a gap.
type lineSeries struct {
	Name   string
	Values map[int]float64
}

// yearLines draws lines over consecutive years; a missing year is drawn as
// a gap (echarts "-"), never as a zero, and the lines do not bridge it.
func yearLines(id, title, subtitle string, sample bool, years []int, series []lineSeries, unit string,
	click *ClickLink, height int) (Chart, error) {
	cats := make([]string, len(years))
	for i, y := range years {
		cats[i] = strconv.Itoa(y)
	}
	lc := charts.NewLine()
	lc.SetGlobalOptions(baseOptions(sample, subtitle)...)
	lc.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: unit, Scale: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "年度"}),
	)
	if len(series) == 1 {
		lc.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	}
	lc.SetXAxis(cats)
	for _, s := range series {
		data := make([]opts.LineData, len(years))
		for i, y := range years {
			if v, ok := s.Values[y]; ok {
				data[i] = opts.LineData{Value: v}
			} else {
				data[i] = opts.LineData{Value: "-"}
			}
		}
		lc.AddSeries(s.Name, data, charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(true)}))
	}
	return newChartSpec(id, title, lc, chartExtras{Unit: unit, Click: click, Height: height})
}

// radarSeries is one polygon of a radar: a value per axis, NaN when absent.
type radarSeries struct {
	Name   string
	Values []float64
}

// radar draws area scores (0–100) of a bureau against a reference.
func radar(id, title, subtitle string, sample bool, axes []string, series []radarSeries, click *ClickLink) (Chart, error) {
	ind := make([]*opts.Indicator, len(axes))
	for i, a := range axes {
		ind[i] = &opts.Indicator{Name: a, Min: 0, Max: 100}
	}
	rc := charts.NewRadar()
	rc.SetGlobalOptions(baseOptions(sample, subtitle)...)
	rc.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithRadarComponentOpts(opts.RadarComponent{Indicator: ind, Shape: "polygon", SplitNumber: 4,
			Center: []string{"50%", "55%"}}),
	)
	for _, s := range series {
		vals := make([]any, len(s.Values))
		for i, v := range s.Values {
			if math.IsNaN(v) {
				vals[i] = "-"
			} else {
				vals[i] = math.Round(v*10) / 10
			}
		}
		rc.AddSeries(s.Name, []opts.RadarData{{Name: s.Name, Value: vals}},
			charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.15)}))
	}
	return newChartSpec(id, title, rc, chartExtras{Unit: "分", Click: click, Height: 420,
		Patch: func(o map[string]any) {
			// Room for the area names on a phone.
			setOption(o, "radar", "radius", "52%")
			setOption(o, "radar", "axisName", map[string]any{"color": "#334e68", "fontSize": 11})
		}})
}

// rankRange draws, for each bureau, its rank as saved (a dot) and the
// range of ranks it takes when one weight changes by ±20% (a bar).
func rankRange(id, title, subtitle string, sample bool, names []string, rank, best, worst []int, click *ClickLink) (Chart, error) {
	n := len(names)
	base := make([]opts.BarData, n)
	span := make([]opts.BarData, n)
	dots := make([]opts.ScatterData, n)
	for i := range names {
		base[i] = opts.BarData{Value: float64(best[i]) - 0.3, ItemStyle: &opts.ItemStyle{Color: "transparent"}}
		span[i] = opts.BarData{Value: float64(worst[i]-best[i]) + 0.6}
		dots[i] = opts.ScatterData{Value: [2]any{rank[i], names[i]}, SymbolSize: 10}
	}
	bc := charts.NewBar()
	bc.SetGlobalOptions(baseOptions(sample, subtitle)...)
	bc.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Data: []string{"权重 ±20% 时的名次范围", "现名次"}}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "名次", Min: 0}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "2%", Right: "6%", Top: gridTop(sample), Bottom: "40", ContainLabel: opts.Bool(true)}),
	)
	bc.SetXAxis(names).
		AddSeries("起点", base, charts.WithBarChartOpts(opts.BarChart{Stack: "range"})).
		AddSeries("权重 ±20% 时的名次范围", span, charts.WithBarChartOpts(opts.BarChart{Stack: "range", BarWidth: "45%"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "#91cc75"}))
	sc := charts.NewScatter()
	sc.AddSeries("现名次", dots, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#b42318"}))
	bc.Overlap(sc)
	bc.XYReversal()
	return newChartSpec(id, title, bc, chartExtras{Click: click, Kind: "range", Height: max(260, 110+26*n)})
}

// sqlNull is an optional number, as database/sql writes it.
type sqlNull = sql.NullFloat64

// setOption sets a field of an option component that go-echarts does not
// model, by turning the component into a map.
func setOption(option map[string]any, component, field string, value any) {
	b, err := json.Marshal(option[component])
	if err != nil {
		return
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil || m == nil {
		m = map[string]any{}
	}
	m[field] = value
	option[component] = m
}
