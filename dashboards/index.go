package dashboards

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"fazhi"
	"fazhi/analytics"
)

// sensitivityDelta is the change of one weight in the sensitivity view.
const sensitivityDelta = 0.2

// IndexRowView is one bureau of the composite ranking.
type IndexRowView struct {
	analytics.IndexRow
	Org       fazhi.Org
	Composite string
	Areas     []string // per area of the catalogue, "—" when none
	Link      string
}

// ShiftView is one bureau of the sensitivity table.
type ShiftView struct {
	analytics.RankShift
	Org   fazhi.Org
	Cause string
}

// WeightArea is an area and its indicators' weights, for the weights form.
type WeightArea struct {
	Area       fazhi.Area
	Weight     float64
	Indicators []WeightIndicator
}

// WeightIndicator is one indicator weight of the form.
type WeightIndicator struct {
	Indicator fazhi.Indicator
	Weight    float64
}

// IndexPage is the model of /index: a composite index of the bureaus of a
// scope from normalised indicators with a named, versioned methodology.
type IndexPage struct {
	Page
	Query         Query
	Year          int
	Choices       Choices
	ScopeText     string
	Methodology   analytics.Methodology
	Methodologies []analytics.Methodology
	Areas         []fazhi.Area
	Rows          []IndexRowView // ranked, best first
	Unranked      []IndexRowView
	Limited       bool
	Shifts        []ShiftView
	Weights       []WeightArea
	Neutral       []fazhi.Indicator
	Possible      int
	Lone          bool
	Notes         []string
	Chart, Sens   Chart
	Downloads     Downloads

	rows   []analytics.IndexRow
	shifts []analytics.RankShift
	orgs   map[string]fazhi.Org
}

// Index builds /index.
func Index(ctx context.Context, w *analytics.Warehouse, q Query) (*IndexPage, error) {
	return drawn(buildIndex(ctx, w, q))
}

func buildIndex(ctx context.Context, w *analytics.Warehouse, q Query) (*IndexPage, error) {
	cat := w.Catalog()
	ch, err := choices(ctx, w, true)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	scope, err := scopeText(ctx, w, q)
	if err != nil {
		return nil, err
	}
	meth, err := w.Methodology(ctx, q.Methodology)
	if err != nil {
		return nil, err
	}
	q.Norm = "" // the methodology says how to normalise
	q.Year = pickYear(q, ch.Years)
	p := &IndexPage{Page: Page{Title: "综合指数", Active: "index"}, Query: q, Year: q.Year, Choices: ch,
		ScopeText: scope, Methodology: meth, Areas: cat.Areas, Notes: IndexNotes, Downloads: downloads("/index", q), orgs: map[string]fazhi.Org{}}
	if p.Methodologies, err = w.Methodologies(ctx); err != nil {
		return nil, err
	}
	if p.Sample, err = w.HasSample(ctx); err != nil {
		return nil, err
	}
	bureaus, err := w.Bureaus(ctx, q.Scope())
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(bureaus))
	for i, b := range bureaus {
		codes[i] = b.Code
		p.orgs[b.Code] = b
	}
	m, err := w.Scores(ctx, analytics.ScoreFilter{Year: q.Year, Norm: meth.Norm, Scope: q.Scope()})
	if err != nil {
		return nil, err
	}
	p.rows = analytics.CompositeIndex(cat, m, codes, meth)
	p.shifts = analytics.Sensitivity(cat, m, codes, meth, sensitivityDelta)
	for _, r := range p.rows {
		p.Possible = r.Possible
		v := IndexRowView{IndexRow: r, Org: p.orgs[r.Org], Composite: "—", Link: figuresLink(r.Org, q.Year, "")}
		if r.Ranked() {
			v.Composite = FormatNumber(r.Composite, "")
		}
		for _, a := range cat.Areas {
			if s, ok := r.Areas[a.Code]; ok {
				v.Areas = append(v.Areas, FormatNumber(s, ""))
			} else {
				v.Areas = append(v.Areas, "—")
			}
		}
		switch {
		case !r.Ranked():
			if r.Scored > 0 || len(p.Unranked) < maxTableRows {
				p.Unranked = append(p.Unranked, v)
			}
		case len(p.Rows) < maxTableRows:
			p.Rows = append(p.Rows, v)
		default:
			p.Limited = true
		}
	}
	p.Lone = len(p.Rows) < 2
	for _, s := range p.shifts {
		if len(p.Shifts) == maxTableRows {
			break
		}
		p.Shifts = append(p.Shifts, ShiftView{RankShift: s, Org: p.orgs[s.Org], Cause: causeText(cat, s)})
	}
	for _, a := range cat.Areas {
		wa := WeightArea{Area: a, Weight: meth.AreaWeight(a.Code)}
		for _, ind := range cat.InArea(a.Code) {
			if ind.Polarity == fazhi.PolarityNeutral {
				p.Neutral = append(p.Neutral, ind)
				continue
			}
			wa.Indicators = append(wa.Indicators, WeightIndicator{Indicator: ind, Weight: meth.IndicatorWeight(ind.Code)})
		}
		p.Weights = append(p.Weights, wa)
	}
	return p, nil
}

// causeText names the weight change that moves a bureau furthest.
func causeText(cat *fazhi.Catalog, s analytics.RankShift) string {
	if s.CauseKind == "" {
		return "任一权重变化都不改变名次"
	}
	sign := "+"
	if s.CauseFactor < 1 {
		sign = "−"
	}
	pct := strconv.Itoa(int(math.Round(math.Abs(s.CauseFactor-1) * 100)))
	if s.CauseKind == "area" {
		a, _ := cat.Area(s.CauseCode)
		return fmt.Sprintf("领域“%s”权重 %s%s%%", a.Name, sign, pct)
	}
	ind, _ := cat.Indicator(s.CauseCode)
	return fmt.Sprintf("指标“%s”权重 %s%s%%", ind.Name, sign, pct)
}

func (p *IndexPage) charts() error {
	var names []string
	var values []float64
	codes := map[string]string{}
	var comp []float64
	for _, r := range p.Rows {
		comp = append(comp, r.IndexRow.Composite)
		if len(names) < maxBars {
			names = append(names, r.Org.FullName)
			values = append(values, r.IndexRow.Composite)
			codes[r.Org.FullName] = r.Org.Code
		}
	}
	if len(names) == 0 {
		return nil
	}
	var err error
	p.Chart, err = rankingBars("chart-index", fmt.Sprintf("%d 年综合指数（%s）", p.Year, p.Methodology.Label()),
		"0–100 分 · 方法："+p.Methodology.Label(), p.Sample, names, values, "分", median(comp),
		&ClickLink{Base: "/figures?year=" + strconv.Itoa(p.Year), By: "category", Param: "org", Codes: codes})
	if err != nil {
		return err
	}
	var rank, best, worst []int
	names = names[:0]
	for _, s := range p.Shifts {
		if len(names) == maxBars {
			break
		}
		names = append(names, s.Org.FullName)
		rank, best, worst = append(rank, s.Rank), append(best, s.Best), append(worst, s.Worst)
	}
	p.Sens, err = rankRange("chart-sensitivity", "权重变化 ±20% 时的名次范围", "逐一将每个领域和指标的权重调高、调低 20%",
		p.Sample, names, rank, best, worst,
		&ClickLink{Base: "/figures?year=" + strconv.Itoa(p.Year), By: "category", Param: "org", Codes: codes})
	return err
}

// Render writes the page.
func (p *IndexPage) Render(w io.Writer) error { return render(w, "index", p) }

// IndexNotes say how the composite index is computed; the page and the
// workbook state them.
var IndexNotes = []string{
	"每个可计分指标在本组单位内换算为 0–100 分（按方法所定的最小—最大或百分位），已按指标方向处理：100 分为组内最好。",
	"领域得分 = 该领域内本单位已填报指标得分的加权平均；综合指数 = 各领域得分按领域权重的加权平均。权重默认全部相等。",
	"缺报处理：缺报的指标既不按零计，也不用平均值填补，而是不参与计算，其余指标的权重按比例放大；某领域全部缺报时，该领域不计入综合指数。",
	"已填报的可计分指标少于本组可比较指标一半的单位，列出但不排名；只有一个单位填报的指标无法比较，对所有单位都不计分。",
	"中性指标（如办件量、案件数）只反映工作规模，不表示好坏，不参与计分。",
	"敏感性：逐一将每个领域和每个指标的权重调高、调低 20%，重新排名，列出每个单位名次的最好和最差情况。",
}

// median of values, invalid when empty.
func median(values []float64) (m sqlNull) {
	if len(values) == 0 {
		return m
	}
	s := slices.Clone(values)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return sqlNull{Float64: s[n/2], Valid: true}
	}
	return sqlNull{Float64: (s[n/2-1] + s[n/2]) / 2, Valid: true}
}

// IndexExport is /index as data: the ranking, the sensitivity, the weights
// and the figures behind them.
func IndexExport(ctx context.Context, w *analytics.Warehouse, q Query) (*Export, error) {
	p, err := buildIndex(ctx, w, q)
	if err != nil {
		return nil, err
	}
	cat := w.Catalog()
	cols := []Column{
		{Key: "rank", Label: "名次", Format: FormatYear, Width: 7},
		{Key: "org", Label: "单位编码", Width: 16},
		{Key: "org_name", Label: "单位", Width: 26},
		{Key: "region", Label: "所属地区", Width: 14},
		{Key: "bureau_type", Label: "单位类型", Width: 10},
		{Key: "composite", Label: "综合指数", Format: FormatScore, Width: 11},
	}
	for _, a := range cat.Areas {
		cols = append(cols, Column{Key: "area_" + a.Code, Label: a.Name, Format: FormatScore, Width: 12})
	}
	cols = append(cols, Column{Key: "scored", Label: "已计分指标数", Format: FormatInt, Width: 10},
		Column{Key: "possible", Label: "可比较指标数", Format: FormatInt, Width: 10})
	ranked := 0
	for _, r := range p.rows {
		if r.Ranked() {
			ranked++
		}
	}
	index := Table{Key: "index", Sheet: "综合指数", Columns: cols}
	if ranked > 0 {
		index.Chart = &SheetChart{Title: fmt.Sprintf("%d 年综合指数（%s）", p.Year, p.Methodology.Label()), Kind: ChartBar,
			Categories: 2, Series: []int{5}, Rows: min(ranked, maxBars)}
	}
	sens := Table{Key: "sensitivity", Sheet: "敏感性", Columns: []Column{
		{Key: "org", Label: "单位编码", Width: 16},
		{Key: "org_name", Label: "单位", Width: 26},
		{Key: "rank", Label: "现名次", Format: FormatYear, Width: 8},
		{Key: "best", Label: "最好名次", Format: FormatYear, Width: 8},
		{Key: "worst", Label: "最差名次", Format: FormatYear, Width: 8},
		{Key: "move", Label: "最大变动（位）", Format: FormatInt, Width: 10},
		{Key: "cause", Label: "引起最大变动的权重变化", Width: 36},
	}}
	weights := Table{Key: "weights", Sheet: "权重", Columns: []Column{
		{Key: "kind", Label: "类别", Width: 8},
		{Key: "code", Label: "代码", Width: 28},
		{Key: "name", Label: "名称", Width: 30},
		{Key: "area", Label: "所属领域", Width: 18},
		{Key: "weight", Label: "权重", Format: FormatDecimal, Width: 8},
	}}
	scored := analytics.Scored(cat)
	codes := make([]string, len(scored))
	for i, s := range scored {
		codes[i] = s.Code
	}
	meth := p.Methodology
	x := &Export{View: "index", Title: fmt.Sprintf("综合指数：%d 年（%s）", p.Year, meth.Label()),
		FileName: fmt.Sprintf("综合指数-%d-%s", p.Year, meth.Label()), Sample: p.Sample,
		Filters: append([]Filter{yearFilter(p.Year),
			{Key: "methodology", Label: "计分方法", Value: strconv.Itoa(meth.ID), Text: meth.Label() + "（" + analytics.NormLabel(meth.Norm) + "标准化）"}},
			scopeFilters(q, p.ScopeText)...),
		Notes: IndexNotes, Indicators: scored,
		Tables: []Table{index, sens, weights, provenanceTable()},
	}
	x.Fill = func(ctx context.Context, s Sink) error {
		if s.Wants(0) {
			for _, r := range p.rows {
				org := p.orgs[r.Org]
				var rank any
				if r.Ranked() {
					rank = r.Rank
				}
				row := []any{rank, org.Code, org.FullName, org.Region, org.BureauType, r.Composite}
				for _, a := range cat.Areas {
					if v, ok := r.Areas[a.Code]; ok {
						row = append(row, v)
					} else {
						row = append(row, nil)
					}
				}
				if err := s.Row(0, append(row, r.Scored, r.Possible)...); err != nil {
					return err
				}
			}
		}
		if s.Wants(1) {
			for _, sh := range p.shifts {
				org := p.orgs[sh.Org]
				if err := s.Row(1, org.Code, org.FullName, sh.Rank, sh.Best, sh.Worst, sh.Move(), causeText(cat, sh)); err != nil {
					return err
				}
			}
		}
		if s.Wants(2) {
			for _, a := range cat.Areas {
				if err := s.Row(2, "领域", a.Code, a.Name, "", meth.AreaWeight(a.Code)); err != nil {
					return err
				}
			}
			for _, ind := range scored {
				a, _ := cat.Area(ind.Area)
				if err := s.Row(2, "指标", ind.Code, ind.Name, a.Name, meth.IndicatorWeight(ind.Code)); err != nil {
					return err
				}
			}
		}
		return fillProvenance(ctx, w, s, 3, analytics.ProvenanceFilter{Scope: q.Scope(), Years: []int{p.Year}, Indicators: codes})
	}
	return x, nil
}

// ParseMethodology reads the weights form of /index: a name, a
// normalisation, a note, and area.<code> / ind.<code> weights. Only
// weights that differ from 1 are kept. Who saves it is the signed-in
// user, set by the server, never a field of the form.
func ParseMethodology(v url.Values) (analytics.Methodology, error) {
	m := analytics.Methodology{Name: strings.TrimSpace(v.Get("name")), Norm: v.Get("norm"),
		Note: strings.TrimSpace(v.Get("note")), Areas: map[string]float64{}, Indicators: map[string]float64{}}
	if m.Norm == "" {
		m.Norm = analytics.NormMinMax
	}
	for key, vals := range v {
		prefix, code, ok := strings.Cut(key, ".")
		if !ok || (prefix != "area" && prefix != "ind") || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		wt, err := strconv.ParseFloat(strings.TrimSpace(vals[0]), 64)
		if err != nil {
			return m, fazhi.Errorf(fazhi.EINVALID, "权重 %q 不是数字（%s）", vals[0], code)
		}
		if wt == 1 {
			continue
		}
		if prefix == "area" {
			m.Areas[code] = wt
		} else {
			m.Indicators[code] = wt
		}
	}
	return m, nil
}
