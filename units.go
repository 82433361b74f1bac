package fazhi

// unitFactors maps a unit to its family and its size in the family's base
// unit. Units of one family convert; any other pair does not.
var unitFactors = map[string]struct {
	family string
	factor float64
}{
	"元": {"money", 1}, "万元": {"money", 1e4}, "亿元": {"money", 1e8},
	// People counted once each: reports write 名, 人 and 位 for the same thing.
	"人": {"people", 1}, "名": {"people", 1}, "位": {"people", 1},
	"人次": {"attendance", 1}, "万人次": {"attendance", 1e4},
	"场": {"events", 1}, "场次": {"events", 1},
	// Cases: 件, and 起 and 宗 as reports write them (行政诉讼14起); and a
	// case per party where reports count penalties or lenient cases by the
	// parties (62户经营者…免于处罚, 对27家企业…行政处罚): the extractor
	// proposes 户 and 家 only there, and a reviewer sees the unit written.
	"件": {"cases", 1}, "宗": {"cases", 1}, "起": {"cases", 1}, "户": {"cases", 1}, "家": {"cases", 1},
	"次": {"times", 1},
	"项": {"items", 1},
	"份": {"copies", 1},
	"%": {"percent", 1},
}

// ConvertUnit converts value from one unit to another of the same family
// (元 ↔ 万元, 名 ↔ 人). An empty from-unit is taken as the target unit.
func ConvertUnit(value float64, from, to string) (float64, bool) {
	if from == "" || from == to {
		return value, true
	}
	f, ok1 := unitFactors[from]
	t, ok2 := unitFactors[to]
	if !ok1 || !ok2 || f.family != t.family {
		return 0, false
	}
	return value * f.factor / t.factor, true
}
