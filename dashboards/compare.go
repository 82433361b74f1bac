package dashboards

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/url"
	"strconv"

	"fazhi"
	"fazhi/analytics"
)

// maxHeatRows caps the bureaus of the page's heatmap; the workbook has all.
const maxHeatRows = 60

// maxTableRows caps the rows of a page's table; the workbook has all.
const maxTableRows = 500

// CompareRow is one bureau of the ranking as the page shows it.
type CompareRow struct {
	analytics.Ranked
	ValueText, PrevText, VsMedian string
	Delta                         *Delta
	Link                          string // the figures behind the value
}

// ComparePage is the model of /compare: bureaus ranked for one indicator
// and year, and a heatmap of their normalised scores on every indicator.
type ComparePage struct {
	Page
	Query     Query
	Year      int
	Indicator fazhi.Indicator
	Choices   Choices
	ScopeText string
	Rows      []CompareRow // reported, best first (at most maxTableRows)
	Missing   []CompareRow // bureaus of the scope without a confirmed figure
	Limited   bool
	Median    string
	Reporters int
	Bureaus   int
	// Lone is true when fewer than two bureaus reported: a rank means nothing.
	Lone      bool
	Bar, Heat Chart
	HeatRows  int // bureaus in the heatmap
	HeatAll   int // bureaus with a score
	NormLabel string
	Downloads Downloads

	cmp    analytics.Comparison
	scores analytics.ScoreMatrix
	heat   []fazhi.Indicator
}

// Compare builds /compare for a query (indicator and year default to the
// overview's indicator and the latest year).
func Compare(ctx context.Context, w *analytics.Warehouse, q Query) (*ComparePage, error) {
	return drawn(buildCompare(ctx, w, q))
}

func buildCompare(ctx context.Context, w *analytics.Warehouse, q Query) (*ComparePage, error) {
	cat := w.Catalog()
	ind, ch, err := indicatorView(ctx, w, &q)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	scope, err := scopeText(ctx, w, q)
	if err != nil {
		return nil, err
	}
	q.Year = pickYear(q, ch.Years)
	p := &ComparePage{Page: Page{Title: "对比排名", Active: "compare"}, Query: q, Year: q.Year, Indicator: ind,
		Choices: ch, ScopeText: scope, NormLabel: analytics.NormLabel(q.Norm), Downloads: downloads("/compare", q)}
	if p.cmp, err = w.Compare(ctx, analytics.CompareFilter{Year: q.Year, Indicator: ind.Code, Scope: q.Scope()}); err != nil {
		return nil, err
	}
	if p.scores, err = w.Scores(ctx, analytics.ScoreFilter{Year: q.Year, Norm: q.Norm, Scope: q.Scope()}); err != nil {
		return nil, err
	}
	if p.Sample, err = w.HasSample(ctx); err != nil {
		return nil, err
	}
	p.Reporters, p.Bureaus, p.Lone = p.cmp.Reporters, len(p.cmp.Rows), p.cmp.Reporters < 2
	if p.cmp.Median.Valid {
		p.Median = FormatValue(p.cmp.Median.Float64, ind.Unit)
	}
	for _, r := range p.cmp.Rows {
		row := CompareRow{Ranked: r, ValueText: "—", PrevText: "—", Link: figuresLink(r.Org.Code, q.Year, ind.Code)}
		if r.Prev.Valid {
			row.PrevText = FormatValue(r.Prev.Float64, ind.Unit)
		}
		if !r.Value.Valid {
			p.Missing = append(p.Missing, row)
			continue
		}
		row.ValueText = FormatValue(r.Value.Float64, ind.Unit)
		if r.Prev.Valid {
			d := NewDelta(r.Value.Float64, r.Prev.Float64, ind.Unit, ind.Polarity)
			row.Delta = &d
		}
		if p.cmp.Median.Valid && !p.Lone {
			row.VsMedian = signedValue(r.Value.Float64-p.cmp.Median.Float64, ind.Unit)
		}
		if len(p.Rows) < maxTableRows {
			p.Rows = append(p.Rows, row)
		} else {
			p.Limited = true
		}
	}
	// Heatmap columns: the scored indicators anyone in the group reported.
	for _, hi := range analytics.Scored(cat) {
		for _, cells := range p.scores.Cells {
			if _, ok := cells[hi.Code]; ok {
				p.heat = append(p.heat, hi)
				break
			}
		}
	}
	return p, nil
}

func (p *ComparePage) charts() error {
	ind := p.Indicator
	codes := map[string]string{}
	var names []string
	var values []float64
	for _, r := range p.Rows {
		if len(names) == maxBars {
			break
		}
		codes[r.Org.FullName] = r.Org.Code
		names = append(names, r.Org.FullName)
		values = append(values, r.Value.Float64)
	}
	var err error
	title := fmt.Sprintf("%d 年 %s：%s", p.Year, ind.Name, p.ScopeText)
	if len(names) > 0 {
		p.Bar, err = rankingBars("chart-compare", title, fmt.Sprintf("%s（%s）", ind.Name, ind.Unit), p.Sample,
			names, values, ind.Unit, p.cmp.Median,
			&ClickLink{Base: figuresBase(p.Year, ind.Code), By: "category", Param: "org", Codes: codes})
		if err != nil {
			return err
		}
	}

	// Heatmap rows follow the ranking, then the bureaus that did not report
	// the ranked indicator but have other scores.
	var ys []string
	var orgs []string
	for _, r := range p.cmp.Rows {
		if _, ok := p.scores.Cells[r.Org.Code]; ok {
			p.HeatAll++
			if len(orgs) < maxHeatRows {
				orgs = append(orgs, r.Org.Code)
				ys = append(ys, r.Org.FullName)
				codes[r.Org.FullName] = r.Org.Code
			}
		}
	}
	p.HeatRows = len(orgs)
	if len(orgs) == 0 || len(p.heat) == 0 {
		return nil
	}
	xs := make([]string, len(p.heat))
	indCodes := map[string]string{}
	var cells []heatCell
	for x, hi := range p.heat {
		xs[x] = hi.Name
		indCodes[hi.Name] = hi.Code
		for y, org := range orgs {
			if c, ok := p.scores.Cells[org][hi.Code]; ok && !math.IsNaN(c.Score) {
				cells = append(cells, heatCell{X: x, Y: y, Score: c.Score, Text: FormatValue(c.Value, hi.Unit)})
			}
		}
	}
	p.Heat, err = heatmap("chart-heatmap", fmt.Sprintf("%d 年各指标标准化得分（%s）", p.Year, p.NormLabel),
		"0–100 分，按指标方向换算：100 分为组内最好", p.Sample, ys, xs, cells,
		&ClickLink{Base: "/figures?year=" + strconv.Itoa(p.Year), By: "cell", Param: "org", OtherParam: "indicator",
			Codes: codes, OtherCodes: indCodes})
	return err
}

// Render writes the page.
func (p *ComparePage) Render(w io.Writer) error { return render(w, "compare", p) }

// CompareExport is /compare as data: the ranking, the heatmap scores and
// the figures behind them.
func CompareExport(ctx context.Context, w *analytics.Warehouse, q Query) (*Export, error) {
	p, err := buildCompare(ctx, w, q)
	if err != nil {
		return nil, err
	}
	ind := p.Indicator
	vf := unitFormat(ind.Unit)
	y, py := strconv.Itoa(p.Year), strconv.Itoa(p.Year-1)
	ranking := Table{Key: "ranking", Sheet: "排名", Columns: []Column{
		{Key: "rank", Label: "名次", Format: FormatYear, Width: 7},
		{Key: "org", Label: "单位编码", Width: 16},
		{Key: "org_name", Label: "单位", Width: 26},
		{Key: "region", Label: "所属地区", Width: 14},
		{Key: "bureau_type", Label: "单位类型", Width: 10},
		{Key: "value", Label: y + " 年（" + ind.Unit + "）", Format: vf},
		{Key: "prev", Label: py + " 年（" + ind.Unit + "）", Format: vf},
		{Key: "change", Label: "较上年变化", Format: changeFormat(ind.Unit)},
		{Key: "change_pct", Label: "较上年变化（%）", Format: FormatPercent},
		{Key: "vs_median", Label: "与中位数之差", Format: changeFormat(ind.Unit)},
		{Key: "method", Label: "数据方式", Width: 10},
	}}
	if p.Reporters > 0 {
		ranking.Chart = &SheetChart{Title: fmt.Sprintf("%d 年 %s（%s）", p.Year, ind.Name, ind.Unit), Kind: ChartBar,
			Categories: 2, Series: []int{5}, Rows: min(p.Reporters, maxBars)}
	}
	heatCols := []Column{{Key: "org", Label: "单位编码", Width: 16}, {Key: "org_name", Label: "单位", Width: 26}}
	for _, hi := range p.heat {
		heatCols = append(heatCols, Column{Key: hi.Code, Label: hi.Name, Format: FormatScore, Width: 12})
	}
	heat := Table{Key: "heatmap", Sheet: "热力图（标准化得分）", Columns: heatCols, ColorScale: true, ColorFrom: 2}
	indicators := append([]fazhi.Indicator{ind}, p.heat...)
	codes := make([]string, len(indicators))
	for i, x := range indicators {
		codes[i] = x.Code
	}
	x := &Export{View: "compare", Title: fmt.Sprintf("对比排名：%d 年 %s", p.Year, ind.Name),
		FileName: fmt.Sprintf("对比排名-%d-%s", p.Year, ind.Name), Sample: p.Sample,
		Filters: append([]Filter{yearFilter(p.Year), {Key: "indicator", Label: "指标", Value: ind.Code, Text: ind.Name},
			{Key: "norm", Label: "标准化方法", Value: q.Norm, Text: p.NormLabel}}, scopeFilters(q, p.ScopeText)...),
		Notes: []string{
			"名次按指标方向排列：越高越好的指标数值大者在前，越低越好的数值小者在前；中性指标按数值大小排列，不表示优劣。并列者名次相同。",
			"中位数为本组已填报单位数值的中位数；未填报的单位列在最后，不排名，也不按零计。",
			"热力图得分 = 按指标方向换算的 0–100 分（" + p.NormLabel + "），100 分为组内最好；仅有一个单位填报的指标无法比较，不计分；中性指标不计分，不列入热力图。",
		},
		Indicators: indicators,
		Tables:     []Table{ranking, heat, provenanceTable()},
	}
	x.Fill = func(ctx context.Context, s Sink) error {
		if s.Wants(0) {
			for _, r := range p.cmp.Rows {
				var rank, change, pct, vsMed any
				if r.Value.Valid {
					rank = r.Rank
					if p.cmp.Median.Valid && !p.Lone {
						vsMed = r.Value.Float64 - p.cmp.Median.Float64
					}
					if r.Prev.Valid {
						change = r.Value.Float64 - r.Prev.Float64
						if r.Prev.Float64 != 0 {
							pct = 100 * (r.Value.Float64 - r.Prev.Float64) / math.Abs(r.Prev.Float64)
						}
					}
				}
				method := any(nil)
				if r.Method != "" {
					method = r.Method
				}
				if err := s.Row(0, rank, r.Org.Code, r.Org.FullName, r.Org.Region, r.Org.BureauType, r.Value, r.Prev,
					change, pct, vsMed, method); err != nil {
					return err
				}
			}
		}
		if s.Wants(1) {
			for _, r := range p.cmp.Rows {
				cells, ok := p.scores.Cells[r.Org.Code]
				if !ok {
					continue
				}
				row := []any{r.Org.Code, r.Org.FullName}
				for _, hi := range p.heat {
					if c, ok := cells[hi.Code]; ok {
						row = append(row, c.Score)
					} else {
						row = append(row, nil)
					}
				}
				if err := s.Row(1, row...); err != nil {
					return err
				}
			}
		}
		return fillProvenance(ctx, w, s, 2, analytics.ProvenanceFilter{Scope: q.Scope(), Years: []int{p.Year, p.Year - 1}, Indicators: codes})
	}
	return x, nil
}

func figuresLink(org string, year int, indicator string) string {
	v := url.Values{}
	v.Set("org", org)
	if year != 0 {
		v.Set("year", strconv.Itoa(year))
	}
	if indicator != "" {
		v.Set("indicator", indicator)
	}
	return "/figures?" + v.Encode()
}

func figuresBase(year int, indicator string) string {
	v := url.Values{}
	v.Set("year", strconv.Itoa(year))
	v.Set("indicator", indicator)
	return "/figures?" + v.Encode()
}

// signedValue writes a difference with its sign and unit (个百分点 for rates).
func signedValue(v float64, unit string) string {
	s := FormatNumber(v, "")
	if unit == "%" {
		s = strconv.FormatFloat(v, 'f', 1, 64) + " 个百分点"
	} else if unit != "" {
		s += " " + unit
	}
	if v > 0 {
		return "+" + s
	}
	return s
}
