package ingest

import "fazhi"

// countUnits are the measure words and units a figure may carry, longest
// first so that 人次 wins over 人 and 个工作日 over 个. Date and numbering
// words (年, 月, 日, 号, 届, 级) are deliberately absent: a number followed by
// them is a date, a year or an ordinal, never a figure.
var countUnits = []string{
	"个百分点", "个工作日", "平方公里", "平方米", "百分点", "工作日",
	"人次", "场次", "件次", "户次", "家次", "批次", "车次", "个月", "小时", "分钟", "课时", "学时", "公里", "公顷", "千米",
	"%", "‰", "件", "个", "项", "名", "人", "次", "场", "份", "条", "位", "家", "所", "户", "批",
	"类", "起", "宗", "篇", "期", "本", "册", "套", "台", "辆", "处", "座", "支", "部", "例",
	"轮", "组", "堂", "节", "间", "栋", "亩", "米", "吨", "天", "周", "倍", "张", "卷", "元",
}

// countUnitSet indexes countUnits by first character; where several
// start s it picks the longest, as the order of countUnits does.
var countUnitSet = newLiteralSet(countUnits...)

// unitAt returns the unit that starts s, or "".
func unitAt(s string) string {
	return countUnitSet.at(s)
}

// unitClass tells counts of people, rates and money from other counts: the
// extractor reads each kind differently (people by what they did, money with
// its multiplier). Whether a figure may be filed under an indicator is
// unitFits's question, not this one.
func unitClass(u string) string {
	switch u {
	case "名", "人", "位", "人次":
		return "people"
	case "元", "万元", "亿元":
		return "money"
	case "%":
		return "rate"
	}
	return u
}

// unitFits says whether a figure written in unit can be filed under an
// indicator counted in want. It asks the warehouse (fazhi.ConvertUnit), which
// confirms a figure only when its unit converts: 起 and 宗 are cases like 件,
// but 项 (list items), 份 (copies of documents), 个, 条 and 类 are not, and
// 次 (times) is not 场 (events). Proposing what review must refuse only
// shows the reviewer a wrong code. A figure whose unit was cut off ("申请
// 材料525") may be any count, but not a rate or an amount. One exception
// is kept from before: people who took part (380名干部职工参与法治宣传活动)
// are proposed for an attendance indicator (人次), each attending at least
// once; the warehouse does not convert 人 to 人次, so review asks for the
// value in 人次.
func unitFits(unit, want string) bool {
	if unit == "" {
		c := unitClass(want)
		return c != "rate" && c != "money"
	}
	if want == "人次" && unitClass(unit) == "people" {
		return true
	}
	_, ok := fazhi.ConvertUnit(1, unit, want)
	return ok
}

// entityUnits count parties (62户经营者, 64家企业), not cases or times. A
// count of parties stands for a count of cases only when the case is what
// happened to them, one each: "62户经营者因轻微违法免于处罚" is 62 lenient
// decisions. See indicatorMatcher.match.
var entityUnits = map[string]bool{"户": true, "家": true}

// countsCases says whether an indicator counted in want counts cases (件).
func countsCases(want string) bool {
	_, ok := fazhi.ConvertUnit(1, "件", want)
	return ok
}

// idioms hold a numeral and a measure word but state no quantity: reform
// slogans and set phrases of government prose. Figures inside them are
// dropped wherever they appear, quoted or not.
var idioms = newLiteralSet(
	"一件事", "一次性", "一站式", "一张网", "一网通办", "一网统管", "一窗", "一门式", "一把手", "一盘棋", "一揽子", "一系列", "一批", "一次办", "最多跑一次", "跑一次", "一条龙", "一张图", "一体化", "三项制度", "两个确立", "两个维护", "四个意识", "四个自信", "两学一做", "一岗双责", "一案双查", "一事一议", "一人一档", "一校一", "一村一", "一企一", "一类", "一次也不用跑", "一起",
)

// articleVerbs in front of a bare 一 + measure word make it an article
// ("作为一项基础性工作"), not a count.
var articleVerbs = []string{"作为", "构建", "打造", "建立", "建成", "培养", "树立", "成为", "形成", "是", "为", "每", "这", "那", "另", "同", "任何", "某", "唯", "统", "逐", "进", "单"}
