package dashboards

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"fazhi"
	"fazhi/analytics"
)

// Query is what a view's URL asks for. Every view reads the same names,
// so a link keeps its meaning when it moves from one view to another, and
// the .xlsx and /api/v1/ forms of a view take the query of its page.
type Query struct {
	Year        int      // 0: the latest year with confirmed figures
	Indicator   string   // catalogue code
	BureauType  string   // e.g. 教育: like bureaus across regions
	Region      string   // org code: every bureau below it, at any depth
	Orgs        []string // bureau codes (trend)
	Norm        string   // analytics.NormMinMax or NormPercentile
	Methodology int      // saved methodology id; 0 = built-in equal weights
	Table       string   // which table a CSV export holds
}

// maxOrgs caps the bureaus of one trend chart.
const maxOrgs = 30

var codePattern = regexp.MustCompile(`^[0-9A-Za-z_.-]{1,64}$`)

// ParseQuery reads and checks a view's query; bad values are user errors
// that say which parameter is wrong.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{Indicator: v.Get("indicator"), BureauType: strings.TrimSpace(v.Get("bureau_type")),
		Region: v.Get("region"), Norm: v.Get("norm"), Table: v.Get("table")}
	if y := v.Get("year"); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil || year < 1949 || year > 2100 {
			return q, fazhi.Errorf(fazhi.EINVALID, "年度 %q 不是有效的年份", y)
		}
		q.Year = year
	}
	if q.Indicator != "" {
		if _, ok := fazhi.DefaultCatalog().Indicator(q.Indicator); !ok {
			return q, fazhi.Errorf(fazhi.EINVALID, "没有代码为 %q 的指标", q.Indicator)
		}
	}
	if q.Region != "" && !codePattern.MatchString(q.Region) {
		return q, fazhi.Errorf(fazhi.EINVALID, "地区编码 %q 无效", q.Region)
	}
	if len([]rune(q.BureauType)) > 30 {
		return q, fazhi.Errorf(fazhi.EINVALID, "单位类型过长")
	}
	for _, o := range v["org"] {
		for _, code := range strings.Split(o, ",") {
			code = strings.TrimSpace(code)
			if code == "" {
				continue
			}
			if !codePattern.MatchString(code) {
				return q, fazhi.Errorf(fazhi.EINVALID, "单位编码 %q 无效", code)
			}
			if !slices.Contains(q.Orgs, code) {
				q.Orgs = append(q.Orgs, code)
			}
		}
	}
	if len(q.Orgs) > maxOrgs {
		return q, fazhi.Errorf(fazhi.EINVALID, "一次最多比较 %d 个单位，当前 %d 个", maxOrgs, len(q.Orgs))
	}
	switch q.Norm {
	case "", analytics.NormMinMax, analytics.NormPercentile:
	default:
		return q, fazhi.Errorf(fazhi.EINVALID, "标准化方法 %q 无效（可选 minmax、percentile）", q.Norm)
	}
	if m := v.Get("methodology"); m != "" {
		id, err := strconv.Atoi(m)
		if err != nil || id < 0 {
			return q, fazhi.Errorf(fazhi.EINVALID, "计分方法编号 %q 无效", m)
		}
		q.Methodology = id
	}
	return q, nil
}

// Values is the query as URL parameters, without empty ones.
func (q Query) Values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	if q.Year != 0 {
		v.Set("year", strconv.Itoa(q.Year))
	}
	set("indicator", q.Indicator)
	set("bureau_type", q.BureauType)
	set("region", q.Region)
	for _, o := range q.Orgs {
		v.Add("org", o)
	}
	set("norm", q.Norm)
	if q.Methodology != 0 {
		v.Set("methodology", strconv.Itoa(q.Methodology))
	}
	return v
}

// Scope is the bureaus the query selects.
func (q Query) Scope() analytics.Scope {
	return analytics.Scope{Region: q.Region, BureauType: q.BureauType, Orgs: q.Orgs}
}

// Downloads are the links to a view's data: the same query as .xlsx, and
// as JSON and CSV under /api/v1/.
type Downloads struct {
	XLSX, CSV, JSON string
}

func downloads(path string, q Query) Downloads {
	qs := q.Values().Encode()
	with := func(p, extra string) string {
		s := p
		if qs != "" {
			s += "?" + qs
		}
		if extra != "" {
			if qs == "" {
				s += "?" + extra
			} else {
				s += "&" + extra
			}
		}
		return s
	}
	api := "/api/v1" + path
	return Downloads{XLSX: with(path+".xlsx", ""), JSON: with(api, ""), CSV: with(api, "format=csv")}
}

// Choices are the options of a view's filter form.
type Choices struct {
	Years       []int
	Regions     []fazhi.Org
	BureauTypes []string
	Areas       []AreaChoice
}

// AreaChoice groups indicators for a select.
type AreaChoice struct {
	Area       fazhi.Area
	Indicators []fazhi.Indicator
}

// choices loads the filter options; scoredOnly keeps the indicators that score.
func choices(ctx context.Context, w *analytics.Warehouse, scoredOnly bool) (Choices, error) {
	var c Choices
	var err error
	if c.Years, err = w.Years(ctx); err != nil {
		return c, err
	}
	if c.Regions, err = w.Regions(ctx); err != nil {
		return c, err
	}
	if c.BureauTypes, err = w.BureauTypes(ctx); err != nil {
		return c, err
	}
	c.Areas = areaChoices(w.Catalog(), scoredOnly)
	return c, nil
}

// areaChoices groups the catalogue's indicators by area for a select;
// scoredOnly leaves out neutral indicators, which never score.
func areaChoices(cat *fazhi.Catalog, scoredOnly bool) []AreaChoice {
	var out []AreaChoice
	for _, a := range cat.Areas {
		ac := AreaChoice{Area: a}
		for _, ind := range cat.InArea(a.Code) {
			if !scoredOnly || ind.Polarity != fazhi.PolarityNeutral {
				ac.Indicators = append(ac.Indicators, ind)
			}
		}
		out = append(out, ac)
	}
	return out
}

// pickYear is the query's year, or the latest year with figures.
func pickYear(q Query, years []int) int {
	if q.Year != 0 || len(years) == 0 {
		return q.Year
	}
	return years[len(years)-1]
}

// scopeText describes the bureaus a query selects, in Chinese.
func scopeText(ctx context.Context, w *analytics.Warehouse, q Query) (string, error) {
	var parts []string
	if q.Region != "" {
		org, err := w.Org(ctx, q.Region)
		if err != nil {
			return "", err
		}
		parts = append(parts, org.FullName+"（含下级）")
	}
	if q.BureauType != "" {
		parts = append(parts, "同类单位："+q.BureauType)
	}
	if len(parts) == 0 {
		return "全部单位", nil
	}
	return strings.Join(parts, " · "), nil
}

// scopeFilters are the filters of a scope as an export lists them.
func scopeFilters(q Query, scope string) []Filter {
	return []Filter{
		{Key: "region", Label: "地区", Value: q.Region, Text: scope},
		{Key: "bureau_type", Label: "单位类型", Value: q.BureauType},
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func yearFilter(y int) Filter {
	return Filter{Key: "year", Label: "年度", Value: itoa(y), Text: fmt.Sprintf("%d 年", y)}
}

// indicatorOrDefault is the indicator a URL names, DefaultIndicator when
// indicatorView resolves what a view of one indicator starts from: the
// query's indicator (the overview's by default), written back into q, and
// the choices of its filter form.
func indicatorView(ctx context.Context, w *analytics.Warehouse, q *Query) (fazhi.Indicator, Choices, error) {
	ind, err := indicatorOrDefault(w.Catalog(), q.Indicator)
	if err != nil {
		return ind, Choices{}, err
	}
	q.Indicator = ind.Code
	ch, err := choices(ctx, w, false)
	if err != nil {
		return ind, ch, fmt.Errorf("filter choices: %w", err)
	}
	return ind, ch, nil
}

// it names none; an unknown code is the user's error.
func indicatorOrDefault(cat *fazhi.Catalog, code string) (fazhi.Indicator, error) {
	if code == "" {
		code = DefaultIndicator
	}
	ind, ok := cat.Indicator(code)
	if !ok {
		return ind, fazhi.Errorf(fazhi.EINVALID, "没有代码为 %q 的指标", code)
	}
	return ind, nil
}
