package dashboards

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"fazhi"
	"fazhi/analytics"
)

// OverviewExport is the overview as data: every indicator's aggregate over
// bureaus for the latest year and the one before, and the chosen
// indicator by bureau over the years.
func OverviewExport(ctx context.Context, w *analytics.Warehouse, indicator string) (*Export, error) {
	cat := w.Catalog()
	chosen, err := indicatorOrDefault(cat, indicator)
	if err != nil {
		return nil, err
	}
	years, err := w.Years(ctx)
	if err != nil {
		return nil, err
	}
	sample, err := w.HasSample(ctx)
	if err != nil {
		return nil, err
	}
	year := 0
	if len(years) > 0 {
		year = years[len(years)-1]
	}
	agg, err := w.Aggregates(ctx, year, year-1)
	if err != nil {
		return nil, err
	}
	lines, err := w.Trend(ctx, chosen.Code, analytics.Scope{})
	if err != nil {
		return nil, err
	}
	summary := Table{Key: "summary", Sheet: "指标汇总", Columns: []Column{
		{Key: "area", Label: "领域", Width: 18},
		{Key: "indicator", Label: "指标代码", Width: 28},
		{Key: "name", Label: "指标", Width: 28},
		{Key: "unit", Label: "计量单位", Width: 8},
		{Key: "value", Label: fmt.Sprintf("%d 年汇总", year), Format: FormatDecimal, Width: 14},
		{Key: "prev", Label: fmt.Sprintf("%d 年汇总", year-1), Format: FormatDecimal, Width: 14},
		{Key: "reporters", Label: "填报单位数", Format: FormatInt, Width: 10},
		{Key: "polarity", Label: "方向", Width: 8},
	}}
	vf := unitFormat(chosen.Unit)
	cols := []Column{{Key: "year", Label: "年度", Format: FormatYear, Width: 8}}
	var series []int
	for i, l := range lines {
		cols = append(cols, Column{Key: l.Org.Code, Label: l.Org.FullName, Format: vf, Width: 16})
		if i < 30 {
			series = append(series, i+1)
		}
	}
	byOrg := Table{Key: "bureaus", Sheet: "分单位历年", Columns: cols}
	if len(lines) > 0 {
		byOrg.Chart = &SheetChart{Title: chosen.Name + "（" + chosen.Unit + "）各单位历年变化", Kind: ChartLine, Series: series}
	}
	x := &Export{View: "overview", Title: fmt.Sprintf("法治政府建设指标概览（%d 年）", year),
		FileName: fmt.Sprintf("指标概览-%d", year), Sample: sample,
		Filters: []Filter{yearFilter(year), {Key: "indicator", Label: "分单位图表指标", Value: chosen.Code, Text: chosen.Name}},
		Notes: []string{
			"汇总为全部单位之和；比率类指标按各单位分子、分母合计重新计算，不是比率的平均。",
			"“数据来源”表列出分单位图表所用指标的全部计入数值；汇总表所依据的其他数值可从“数据与来源”按年度下载。",
		},
		Indicators: cat.Indicators,
		Tables:     []Table{summary, byOrg, provenanceTable()},
	}
	x.Fill = func(ctx context.Context, s Sink) error {
		if s.Wants(0) {
			for _, a := range cat.Areas {
				for _, ind := range cat.InArea(a.Code) {
					f := unitFormat(ind.Unit)
					var cur, prev, n any
					if v, ok := agg[ind.Code][year]; ok && v.Value.Valid {
						cur, n = Cell{v.Value.Float64, f}, v.Reporters
					}
					if v, ok := agg[ind.Code][year-1]; ok && v.Value.Valid {
						prev = Cell{v.Value.Float64, f}
					}
					if err := s.Row(0, a.Name, ind.Code, ind.Name, ind.Unit, cur, prev, n, ind.PolarityLabel()); err != nil {
						return err
					}
				}
			}
		}
		if s.Wants(1) && len(years) > 0 {
			for y := years[0]; y <= year; y++ {
				row := []any{y}
				for _, l := range lines {
					row = append(row, pointValue(l, y))
				}
				if err := s.Row(1, row...); err != nil {
					return err
				}
			}
		}
		return fillProvenance(ctx, w, s, 2, analytics.ProvenanceFilter{Indicators: []string{chosen.Code}})
	}
	return x, nil
}

// maxFigureExport caps a figures export (Excel's sheet limit is about a million rows).
const maxFigureExport = 1_000_000

// FiguresExport is /figures as data: every stored figure matching the
// filter, in every status, whether it counts, and its provenance.
func FiguresExport(ctx context.Context, w *analytics.Warehouse, f analytics.FigureFilter) (*Export, error) {
	cat := w.Catalog()
	filters := []Filter{{Key: "org", Label: "单位", Value: f.Org}, {Key: "year", Label: "年度"},
		{Key: "indicator", Label: "指标", Value: f.Indicator}}
	inds := cat.Indicators
	if f.Indicator != "" {
		ind, ok := cat.Indicator(f.Indicator)
		if !ok {
			return nil, fazhi.Errorf(fazhi.EINVALID, "没有代码为 %q 的指标", f.Indicator)
		}
		inds, filters[2].Text = []fazhi.Indicator{ind}, ind.Name
	}
	if f.Org != "" {
		org, err := w.Org(ctx, f.Org)
		if err != nil {
			return nil, err
		}
		filters[0].Text = org.FullName
	}
	if f.Year != 0 {
		filters[1] = yearFilter(f.Year)
	}
	sample, err := w.HasSample(ctx)
	if err != nil {
		return nil, err
	}
	// The figures are their own provenance: one sheet, 数据来源, lists each
	// with its source, status and whether it counts.
	data := provenanceTable()
	data.Key, data.Bulk = "figures", false
	data.Columns = append(slices.Clone(data.Columns), Column{Key: "counts", Label: "计入图表", Width: 9})
	name := "数据与来源"
	if f.Year != 0 {
		name += "-" + strconv.Itoa(f.Year)
	}
	x := &Export{View: "figures", Title: "数据与来源", FileName: name, Sample: sample, Filters: filters,
		Notes: []string{
			"列出符合条件的全部数值，包括待审核和已驳回的；“计入图表”为“是”的才计入各视图。",
			fmt.Sprintf("最多导出 %d 行。", maxFigureExport),
		},
		Indicators: inds,
		Tables:     []Table{data},
	}
	x.Fill = func(ctx context.Context, s Sink) error {
		if !s.Wants(0) {
			return nil
		}
		f.Limit = maxFigureExport
		return w.EachFigure(ctx, f, func(fig analytics.Figure) error {
			return s.Row(0, append(provenanceRow(cat, fig), fig.Counts)...)
		})
	}
	return x, nil
}
