package ingest

import (
	"fmt"

	"fazhi"
)

// Observation turns a figure into a pending, extracted observation for the
// warehouse. orgCode names the reporting unit (the caller resolves it from
// Region and Bureau). A figure in 元 for an indicator counted in 万元 is
// converted, so that amounts compare across reports.
func (f Figure) Observation(orgCode string, cat *fazhi.Catalog) fazhi.Observation {
	value, unit := f.Value, f.Unit
	if cat == nil {
		cat = fazhi.DefaultCatalog()
	}
	if ind, ok := cat.Indicator(f.Indicator); ok {
		switch {
		case unit == "元" && ind.Unit == "万元":
			value, unit = value/1e4, ind.Unit
		case unit == "元" && ind.Unit == "亿元":
			value, unit = value/1e8, ind.Unit
		case unit == "":
			unit = ind.Unit
		}
	}
	note := f.Label
	if f.Indicator == "" && note != "" {
		note = "未匹配指标: " + note
	}
	return fazhi.Observation{
		OrgCode:       orgCode,
		Year:          f.Year,
		IndicatorCode: f.Indicator,
		Value:         value,
		Unit:          unit,
		Qualifier:     f.Qualifier,
		Status:        fazhi.StatusPending,
		Method:        fazhi.MethodExtracted,
		Quote:         f.Quote,
		Location:      fmt.Sprintf("%d-%d", f.Start, f.End),
		Note:          note,
	}
}
