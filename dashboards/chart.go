package dashboards

import (
	"encoding/json"
	"fmt"
	"html/template"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart is a chart ready for a page: a div and its echarts option as JSON.
// The option goes into <script type="application/json">, marshalled by
// encoding/json, which escapes <, > and & so that no user-supplied name (an
// org, an indicator label) can close the script; static/fazhi.js draws it.
type Chart struct {
	ID     string
	Title  string
	Spec   template.JS
	Height int // pixels; 0 keeps the stylesheet's height
}

// ClickLink says where a click on a point leads: base + &param=codes[key]
// (+ &otherParam=other), where key is the series name (by "series"), the
// category (by "category") or, on a heatmap (by "cell"), the y category
// with the x category as other. When OtherCodes is set, other is looked up
// in it too. With no Param, a click leads to base itself.
type ClickLink struct {
	Base       string            `json:"base"`
	By         string            `json:"by"`
	Param      string            `json:"param,omitempty"`
	OtherParam string            `json:"otherParam,omitempty"`
	Codes      map[string]string `json:"codes,omitempty"`
	OtherCodes map[string]string `json:"otherCodes,omitempty"`
}

// chartSpec is what static/fazhi.js reads. Kind selects a tooltip made for
// the chart ("heatmap", "range"); Unit is appended to values in tooltips.
type chartSpec struct {
	Option map[string]any `json:"option"`
	Unit   string         `json:"unit,omitempty"`
	Click  *ClickLink     `json:"click,omitempty"`
	Kind   string         `json:"kind,omitempty"`
}

// jsonOptioner is what every go-echarts chart offers once validated.
type jsonOptioner interface {
	Validate()
	JSON() map[string]any
}

func newChart(id, title string, c jsonOptioner, unit string, click *ClickLink) (Chart, error) {
	return newChartSpec(id, title, c, chartExtras{Unit: unit, Click: click})
}

// chartExtras are what a chart needs beyond its go-echarts options. Patch
// may set echarts options go-echarts does not model (axis label rotation,
// item names); it edits the option map before it is marshalled.
type chartExtras struct {
	Unit   string
	Click  *ClickLink
	Kind   string
	Height int
	Patch  func(option map[string]any)
}

func newChartSpec(id, title string, c jsonOptioner, x chartExtras) (Chart, error) {
	c.Validate()
	option := c.JSON()
	if x.Patch != nil {
		x.Patch(option)
	}
	spec, err := json.Marshal(chartSpec{Option: option, Unit: x.Unit, Click: x.Click, Kind: x.Kind})
	if err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	return Chart{ID: id, Title: title, Spec: template.JS(spec), Height: x.Height}, nil
}

// baseOptions every chart shares: echarts from our own binary, the toolbox
// (save as PNG, data view), a scrolling legend for many bureaus, and a
// 示例数据 subtitle when generated data is shown, so that even a saved
// image says so.
func baseOptions(sample bool, subtitle string) []charts.GlobalOpts {
	if sample {
		if subtitle != "" {
			subtitle += "\n" // a line of its own, clear of the toolbox on a phone
		}
		subtitle += "含示例数据（程序生成，非真实数据）"
	}
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{AssetsHost: AssetsHost}),
		charts.WithTitleOpts(opts.Title{Subtitle: subtitle, Left: "left",
			SubtitleStyle: &opts.TextStyle{Color: "#9a6700", FontSize: 12}}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "1%", Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Title: "保存为图片", Type: "png"},
			DataView:    &opts.ToolBoxFeatureDataView{Show: opts.Bool(true), Title: "数据视图", Lang: []string{"数据视图", "关闭", "刷新"}, BackgroundColor: "#fff"},
		}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: gridTop(sample), Bottom: "48", ContainLabel: opts.Bool(true)}),
	}
}

// gridTop leaves room above the plot for the title's subtitle, which takes
// two lines when it says 示例数据.
func gridTop(sample bool) string {
	if sample {
		return "76"
	}
	return "56"
}
