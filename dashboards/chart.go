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
	ID    string
	Title string
	Spec  template.JS
}

// ClickLink says where a click on a point leads: base + &param=codes[key]
// (+ &otherParam=other), where key is the series name (by "series") or the
// category (by "category"), and other is the remaining coordinate.
type ClickLink struct {
	Base       string            `json:"base"`
	By         string            `json:"by"`
	Param      string            `json:"param"`
	OtherParam string            `json:"otherParam,omitempty"`
	Codes      map[string]string `json:"codes"`
}

// chartSpec is what static/fazhi.js reads.
type chartSpec struct {
	Option map[string]any `json:"option"`
	Unit   string         `json:"unit,omitempty"`
	Click  *ClickLink     `json:"click,omitempty"`
}

// jsonOptioner is what every go-echarts chart offers once validated.
type jsonOptioner interface {
	Validate()
	JSON() map[string]any
}

func newChart(id, title string, c jsonOptioner, unit string, click *ClickLink) (Chart, error) {
	c.Validate()
	spec, err := json.Marshal(chartSpec{Option: c.JSON(), Unit: unit, Click: click})
	if err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	return Chart{ID: id, Title: title, Spec: template.JS(spec)}, nil
}

// baseOptions every chart shares: echarts from our own binary, the toolbox
// (save as PNG, data view), a scrolling legend for many bureaus, and a
// 示例数据 subtitle when generated data is shown, so that even a saved
// image says so.
func baseOptions(sample bool, subtitle string) []charts.GlobalOpts {
	if sample {
		if subtitle != "" {
			subtitle += " · "
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
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "56", Bottom: "48", ContainLabel: opts.Bool(true)}),
	}
}
