package dashboards

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"fazhi"
	"fazhi/analytics"
)

// OrgKPI is a KPI card of a bureau's profile.
type OrgKPI struct {
	Indicator fazhi.Indicator
	Value     string // "未填报" when missing
	Delta     *Delta
	Rank      string // among like bureaus, or why there is none
}

// SmallChart is one indicator's small multiple.
type SmallChart struct {
	Indicator fazhi.Indicator
	Latest    string
	Chart     Chart
}

// AreaScore is one axis of the radar.
type AreaScore struct {
	Area      fazhi.Area
	Score     string
	Reference string
}

// OrgPage is the model of /orgs/{code}: a bureau's profile, or for a
// region, its bureaus.
type OrgPage struct {
	Page
	Org      fazhi.Org
	IsRegion bool
	Bureaus  []fazhi.Org // a region's bureaus
	Query    Query
	Year     int
	Years    []int // the bureau's reported years
	KPIs     []OrgKPI
	// Radar: area scores normalised among the reference group, against the
	// group's median.
	Radar      Chart
	Areas      []AreaScore
	GroupText  string // which group the scores and the median come from
	Small      []SmallChart
	Sources    []analytics.SourceUse
	Batches    []analytics.BatchUse
	Downloads  Downloads
	TrendLink  string
	CompareURL string

	series  []analytics.OrgPoint
	peers   map[string]analytics.PeerRank
	ownArea map[string]float64
	refArea map[string]float64
}

// Org builds /orgs/{code}.
func Org(ctx context.Context, w *analytics.Warehouse, code string, q Query) (*OrgPage, error) {
	p, err := buildOrg(ctx, w, code, q)
	if err != nil {
		return nil, err
	}
	if !p.IsRegion {
		if err := p.charts(w.Catalog()); err != nil {
			return nil, fmt.Errorf("profile of %s: %w", code, err)
		}
	}
	return p, nil
}

func buildOrg(ctx context.Context, w *analytics.Warehouse, code string, q Query) (*OrgPage, error) {
	cat := w.Catalog()
	org, err := w.Org(ctx, code)
	if err != nil {
		return nil, err
	}
	p := &OrgPage{Page: Page{Title: org.FullName}, Org: org, Query: q,
		Downloads: downloads("/orgs/"+org.Code, Query{Year: q.Year})}
	if p.Sample, err = w.HasSample(ctx); err != nil {
		return nil, err
	}
	if org.Kind != fazhi.OrgBureau {
		p.IsRegion = true
		p.Bureaus, err = w.Bureaus(ctx, analytics.Scope{Region: org.Code})
		return p, err
	}
	if p.series, err = w.OrgSeries(ctx, org.Code); err != nil {
		return nil, err
	}
	for _, pt := range p.series {
		if !slices.Contains(p.Years, pt.Year) {
			p.Years = append(p.Years, pt.Year)
		}
	}
	slices.Sort(p.Years)
	p.Year = q.Year
	if p.Year == 0 && len(p.Years) > 0 {
		p.Year = p.Years[len(p.Years)-1]
	}
	p.Query.Year = p.Year
	p.Downloads = downloads("/orgs/"+org.Code, Query{Year: p.Year})
	p.TrendLink = "/trend?org=" + org.Code
	p.CompareURL = fmt.Sprintf("/compare?year=%d&bureau_type=%s", p.Year, org.BureauType)
	if p.peers, err = w.PeerRanks(ctx, org.Code, p.Year); err != nil {
		return nil, err
	}
	value := func(ind string, year int) (float64, bool) {
		for _, pt := range p.series {
			if pt.Indicator == ind && pt.Year == year {
				return pt.Value, true
			}
		}
		return 0, false
	}
	for _, code := range kpiCodes {
		ind, _ := cat.Indicator(code)
		k := OrgKPI{Indicator: ind, Value: "未填报", Rank: "—"}
		if v, ok := value(code, p.Year); ok {
			k.Value = FormatValue(v, ind.Unit)
			if prev, ok := value(code, p.Year-1); ok {
				d := NewDelta(v, prev, ind.Unit, ind.Polarity)
				k.Delta = &d
			}
			k.Rank = peerText(p.peers[code], ind)
		}
		p.KPIs = append(p.KPIs, k)
	}
	if err := p.areaScores(ctx, w); err != nil {
		return nil, err
	}
	if p.Sources, err = w.OrgSources(ctx, org.Code); err != nil {
		return nil, err
	}
	if p.Batches, err = w.OrgBatches(ctx, org.Code); err != nil {
		return nil, err
	}
	return p, nil
}

// peerText places a bureau among like bureaus, or says why it cannot.
func peerText(r analytics.PeerRank, ind fazhi.Indicator) string {
	switch {
	case r.Of == 0:
		return "无同类单位数据"
	case r.Of == 1:
		return "同类单位仅本单位填报，不排名"
	case ind.Polarity == fazhi.PolarityNeutral:
		return fmt.Sprintf("同类 %d 个单位中第 %d 大（中性指标，不表示优劣）", r.Of, r.Rank)
	}
	return fmt.Sprintf("同类 %d 个单位中第 %d 名", r.Of, r.Rank)
}

// areaScores scores the bureau's areas among like bureaus (same type) when
// there are at least two, otherwise among the bureaus of its region, with
// equal weights, and takes the group's median of each area.
func (p *OrgPage) areaScores(ctx context.Context, w *analytics.Warehouse) error {
	cat := w.Catalog()
	scope := analytics.Scope{BureauType: p.Org.BureauType}
	like, err := w.Bureaus(ctx, scope)
	if err != nil {
		return err
	}
	p.GroupText = fmt.Sprintf("同类单位（%s，%d 个）", p.Org.BureauType, len(like))
	group := like
	if p.Org.BureauType == "" || len(like) < 2 {
		scope = analytics.Scope{Region: p.Org.ParentCode}
		if group, err = w.Bureaus(ctx, scope); err != nil {
			return err
		}
		p.GroupText = fmt.Sprintf("%s全部单位（%d 个；同类单位仅本单位，无法与同类比较）", p.Org.Region, len(group))
	}
	m, err := w.Scores(ctx, analytics.ScoreFilter{Year: p.Year, Scope: scope})
	if err != nil {
		return err
	}
	codes := make([]string, len(group))
	for i, g := range group {
		codes[i] = g.Code
	}
	rows := analytics.CompositeIndex(cat, m, codes, analytics.DefaultMethodology())
	p.ownArea, p.refArea = map[string]float64{}, map[string]float64{}
	for _, a := range cat.Areas {
		var vals []float64
		for _, r := range rows {
			if s, ok := r.Areas[a.Code]; ok {
				vals = append(vals, s)
				if r.Org == p.Org.Code {
					p.ownArea[a.Code] = s
				}
			}
		}
		as := AreaScore{Area: a, Score: "—", Reference: "—"}
		if med := median(vals); med.Valid {
			p.refArea[a.Code] = med.Float64
			as.Reference = FormatNumber(med.Float64, "")
		}
		if s, ok := p.ownArea[a.Code]; ok {
			as.Score = FormatNumber(s, "")
		}
		p.Areas = append(p.Areas, as)
	}
	return nil
}

func (p *OrgPage) charts(cat *fazhi.Catalog) error {
	all := fmt.Sprintf("/figures?org=%s&year=%d", p.Org.Code, p.Year)
	axes := make([]string, len(cat.Areas))
	own := radarSeries{Name: p.Org.FullName, Values: make([]float64, len(cat.Areas))}
	ref := radarSeries{Name: "参照组中位数", Values: make([]float64, len(cat.Areas))}
	any := false
	for i, a := range cat.Areas {
		axes[i] = a.Name
		own.Values[i], ref.Values[i] = math.NaN(), math.NaN()
		if s, ok := p.ownArea[a.Code]; ok {
			own.Values[i], any = s, true
		}
		if s, ok := p.refArea[a.Code]; ok {
			ref.Values[i] = s
		}
	}
	var err error
	if any {
		p.Radar, err = radar("chart-radar", fmt.Sprintf("%d 年各领域得分", p.Year), "0–100 分，与参照组中位数比较",
			p.Sample, axes, []radarSeries{own, ref}, &ClickLink{Base: all, By: "series"})
		if err != nil {
			return err
		}
	}
	// Small multiples: one small chart per indicator the bureau reported.
	byInd := map[string]map[int]float64{}
	for _, pt := range p.series {
		if byInd[pt.Indicator] == nil {
			byInd[pt.Indicator] = map[int]float64{}
		}
		byInd[pt.Indicator][pt.Year] = pt.Value
	}
	years := p.Years
	if len(years) > 0 {
		years = nil
		for y := p.Years[0]; y <= p.Years[len(p.Years)-1]; y++ {
			years = append(years, y)
		}
	}
	for i, ind := range cat.Indicators {
		vals, ok := byInd[ind.Code]
		if !ok {
			continue
		}
		sc := SmallChart{Indicator: ind, Latest: "—"}
		if v, ok := vals[p.Year]; ok {
			sc.Latest = FormatValue(v, ind.Unit)
		}
		sc.Chart, err = smallLine("chart-small-"+strconv.Itoa(i), ind, p.Org, years, vals, p.Sample)
		if err != nil {
			return err
		}
		p.Small = append(p.Small, sc)
	}
	return nil
}

// smallLine is a small multiple: one indicator of one bureau over the
// years, with the toolbox and a click to the figures, and little else.
func smallLine(id string, ind fazhi.Indicator, org fazhi.Org, years []int, vals map[int]float64, sample bool) (Chart, error) {
	cats := make([]string, len(years))
	data := make([]opts.LineData, len(years))
	for i, y := range years {
		cats[i] = strconv.Itoa(y)
		if v, ok := vals[y]; ok {
			data[i] = opts.LineData{Value: v}
		} else {
			data[i] = opts.LineData{Value: "-"}
		}
	}
	sub := ""
	if sample {
		sub = "含示例数据"
	}
	lc := charts.NewLine()
	lc.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{AssetsHost: AssetsHost}),
		charts.WithTitleOpts(opts.Title{Subtitle: sub, Left: "left", Top: "0",
			SubtitleStyle: &opts.TextStyle{Color: "#9a6700", FontSize: 10}}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "0", Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Title: "保存为图片", Type: "png", Name: org.FullName + "-" + ind.Name},
			DataView:    &opts.ToolBoxFeatureDataView{Show: opts.Bool(true), Title: "数据视图", Lang: []string{"数据视图", "关闭", "刷新"}, BackgroundColor: "#fff"},
		}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "2", Right: "8", Top: "26", Bottom: "2", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Scale: opts.Bool(true), SplitNumber: 3}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
	)
	lc.SetXAxis(cats).AddSeries(org.FullName, data, charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(true)}))
	return newChartSpec(id, ind.Name, lc, chartExtras{Unit: ind.Unit, Height: 170,
		Patch: func(o map[string]any) { setOption(o, "toolbox", "itemSize", 12) },
		Click: &ClickLink{Base: "/figures?org=" + org.Code + "&indicator=" + ind.Code, By: "category", Param: "year",
			Codes: yearCodes(years)}})
}

// yearCodes maps year labels to themselves, for clicks by category.
func yearCodes(years []int) map[string]string {
	m := make(map[string]string, len(years))
	for _, y := range years {
		m[strconv.Itoa(y)] = strconv.Itoa(y)
	}
	return m
}

// Render writes the page.
func (p *OrgPage) Render(w io.Writer) error { return render(w, "org", p) }

// OrgExport is a bureau's profile as data: KPIs, every indicator by year,
// area scores, sources, batches and every figure that counts.
func OrgExport(ctx context.Context, w *analytics.Warehouse, code string, q Query) (*Export, error) {
	p, err := buildOrg(ctx, w, code, q)
	if err != nil {
		return nil, err
	}
	if p.IsRegion {
		return nil, fazhi.Errorf(fazhi.EINVALID, "%s 是地区，不是单位：请下载对比排名或填报情况", p.Org.FullName)
	}
	cat := w.Catalog()
	kpi := Table{Key: "kpis", Sheet: "关键指标", Columns: []Column{
		{Key: "indicator", Label: "指标代码", Width: 26},
		{Key: "name", Label: "指标", Width: 26},
		{Key: "value", Label: fmt.Sprintf("%d 年", p.Year), Format: FormatDecimal, Width: 14},
		{Key: "prev", Label: fmt.Sprintf("%d 年", p.Year-1), Format: FormatDecimal, Width: 14},
		{Key: "peer_rank", Label: "同类单位中名次", Format: FormatYear, Width: 10},
		{Key: "peers", Label: "同类单位填报数", Format: FormatInt, Width: 10},
		{Key: "peer_median", Label: "同类单位中位数", Format: FormatDecimal, Width: 14},
	}}
	yearCols := []Column{{Key: "indicator", Label: "指标代码", Width: 26}, {Key: "name", Label: "指标", Width: 26},
		{Key: "unit", Label: "计量单位", Width: 8}}
	for _, y := range p.Years {
		yearCols = append(yearCols, Column{Key: strconv.Itoa(y), Label: strconv.Itoa(y) + " 年", Format: FormatDecimal, Width: 12})
	}
	byYear := Table{Key: "indicators", Sheet: "全部指标", Columns: yearCols}
	areas := Table{Key: "areas", Sheet: "领域得分", Columns: []Column{
		{Key: "area", Label: "领域", Width: 20},
		{Key: "score", Label: "本单位得分", Format: FormatScore, Width: 12},
		{Key: "reference", Label: "参照组中位数", Format: FormatScore, Width: 12},
	}, Chart: &SheetChart{Title: fmt.Sprintf("%s %d 年各领域得分", p.Org.FullName, p.Year), Kind: ChartRadar, Categories: 0, Series: []int{1, 2}}}
	sources := Table{Key: "documents", Sheet: "来源文件", Columns: []Column{
		{Key: "sha256", Label: "SHA-256", Width: 20},
		{Key: "file", Label: "文件名", Width: 30},
		{Key: "title", Label: "标题", Width: 36},
		{Key: "figures", Label: "数据条数", Format: FormatInt, Width: 9},
		{Key: "counting", Label: "计入条数", Format: FormatInt, Width: 9},
		{Key: "first_year", Label: "起始年度", Format: FormatYear, Width: 9},
		{Key: "last_year", Label: "截止年度", Format: FormatYear, Width: 9},
	}}
	batches := Table{Key: "batches", Sheet: "载入批次", Columns: []Column{
		{Key: "batch", Label: "批次", Width: 30},
		{Key: "method", Label: "方式", Width: 10},
		{Key: "by", Label: "录入人", Width: 16},
		{Key: "at", Label: "时间", Width: 17},
		{Key: "figures", Label: "本单位数据条数", Format: FormatInt, Width: 12},
		{Key: "note", Label: "备注", Width: 30},
	}}
	var used []fazhi.Indicator
	for _, ind := range cat.Indicators {
		for _, pt := range p.series {
			if pt.Indicator == ind.Code {
				used = append(used, ind)
				break
			}
		}
	}
	x := &Export{View: "org", Title: fmt.Sprintf("单位概况：%s（%d 年）", p.Org.FullName, p.Year),
		FileName: fmt.Sprintf("单位概况-%s-%d", p.Org.FullName, p.Year), Sample: p.Sample,
		Filters: []Filter{{Key: "code", Label: "单位", Value: p.Org.Code, Text: p.Org.FullName}, yearFilter(p.Year)},
		Notes: []string{
			"同类单位指单位类型相同（如各地教育局）的单位；名次按指标方向排列，中性指标按数值大小。",
			"领域得分在参照组内按最小—最大标准化、等权重计算（0–100 分）：参照组为 " + p.GroupText + "。",
			"缺报的指标和年度留空，不按零计。",
		},
		Indicators: used,
		Tables:     []Table{kpi, byYear, areas, sources, batches, provenanceTable()},
	}
	x.Fill = func(ctx context.Context, s Sink) error {
		value := func(ind string, year int) any {
			for _, pt := range p.series {
				if pt.Indicator == ind && pt.Year == year {
					return pt.Value
				}
			}
			return nil
		}
		if s.Wants(0) {
			for _, k := range p.KPIs {
				f := unitFormat(k.Indicator.Unit)
				var rank, of, med any
				if r, ok := p.peers[k.Indicator.Code]; ok && r.Of > 1 {
					rank, of, med = r.Rank, r.Of, Cell{r.Median, f}
				}
				if err := s.Row(0, k.Indicator.Code, k.Indicator.Name, Cell{value(k.Indicator.Code, p.Year), f},
					Cell{value(k.Indicator.Code, p.Year-1), f}, rank, of, med); err != nil {
					return err
				}
			}
		}
		if s.Wants(1) {
			for _, ind := range used {
				row := []any{ind.Code, ind.Name, ind.Unit}
				for _, y := range p.Years {
					row = append(row, Cell{value(ind.Code, y), unitFormat(ind.Unit)})
				}
				if err := s.Row(1, row...); err != nil {
					return err
				}
			}
		}
		if s.Wants(2) {
			for _, a := range cat.Areas {
				var own, ref any
				if v, ok := p.ownArea[a.Code]; ok {
					own = v
				}
				if v, ok := p.refArea[a.Code]; ok {
					ref = v
				}
				if err := s.Row(2, a.Name, own, ref); err != nil {
					return err
				}
			}
		}
		if s.Wants(3) {
			for _, src := range p.Sources {
				if err := s.Row(3, src.ID, src.FileName, src.Title, src.Figures, src.Counting, src.FirstYear, src.LastYear); err != nil {
					return err
				}
			}
		}
		if s.Wants(4) {
			for _, b := range p.Batches {
				if err := s.Row(4, b.ID, b.Method, b.CreatedBy, b.CreatedAt, b.Figures, b.Note); err != nil {
					return err
				}
			}
		}
		return fillProvenance(ctx, w, s, 5, analytics.ProvenanceFilter{Scope: analytics.Scope{Orgs: []string{p.Org.Code}}})
	}
	return x, nil
}
