package ingest

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// bureauUnits are the names of reporting units and the bureau type each
// belongs to, so that every 教育局, 教委 and 教育委员会 compares as 教育.
var bureauUnits = map[string]string{
	"人民政府行政复议办公室": "司法", "行政复议办公室": "司法", "行政复议局": "司法",
	"司法局": "司法", "司法厅": "司法",
	"教育局": "教育", "教育委员会": "教育", "教委": "教育", "教育厅": "教育", "教体局": "教育",
	"教育和体育局": "教育", "教育体育局": "教育",
	"公安局": "公安", "公安分局": "公安", "公安厅": "公安",
	"卫生健康委员会": "卫健", "卫生健康委": "卫健", "卫健委": "卫健", "卫生健康局": "卫健",
	"卫生和计划生育委员会": "卫健", "卫生计生委": "卫健", "卫生局": "卫健",
	"人力资源和社会保障局": "人社", "人力资源社会保障局": "人社", "人力资源局": "人社",
	"人社局": "人社", "人力资源和社会保障厅": "人社",
	"市场监督管理局": "市场监管", "市场监管局": "市场监管", "市场监督管理分局": "市场监管",
	"生态环境局": "生态环境", "生态环境分局": "生态环境", "环境保护局": "生态环境", "环保局": "生态环境",
	"交通运输局": "交通运输", "交通局": "交通运输", "交通运输委员会": "交通运输", "交通运输厅": "交通运输",
	"自然资源和规划局": "自然资源", "规划和自然资源局": "自然资源", "自然资源局": "自然资源",
	"国土资源局":    "自然资源",
	"住房和城乡建设局": "住建", "住房城乡建设局": "住建", "住建局": "住建", "住房和城乡建设委员会": "住建",
	"民政局": "民政", "财政局": "财政",
	"应急管理局": "应急管理", "农业农村局": "农业农村", "水利局": "水利", "水务局": "水利",
	"文化广电旅游局": "文旅", "文化和旅游局": "文旅", "文化广电和旅游局": "文旅", "文广旅体局": "文旅",
	"商务局": "商务", "审计局": "审计", "统计局": "统计", "医疗保障局": "医保", "医保局": "医保",
	"税务局": "税务", "城市管理局": "城管", "城市管理综合行政执法局": "城管", "综合行政执法局": "城管",
	"城管局": "城管", "城管执法局": "城管", "城市管理行政执法局": "城管", "城市管理和综合执法局": "城管",
	"市监局": "市场监管", "市场监管分局": "市场监管", "卫健局": "卫健", "住建委": "住建", "自然资源分局": "自然资源",
	"自然资源和规划分局": "自然资源", "资规局": "自然资源", "自规局": "自然资源", "农业农村委员会": "农业农村",
	"农业局": "农业农村", "文旅局": "文旅", "退役军人事务厅": "退役军人", "行政审批局": "政务服务",
	"行政审批服务局": "政务服务", "政务服务管理局": "政务服务", "政务服务局": "政务服务", "数据局": "政务服务",
	"发展和改革委员会": "发改", "发展改革委": "发改", "发改委": "发改", "发改局": "发改",
	"退役军人事务局": "退役军人", "林业局": "林业", "科学技术局": "科技", "科技局": "科技",
	"工业和信息化局": "工信", "经济和信息化局": "工信", "体育局": "体育", "信访局": "信访",
	"人民政府": "政府", "政府办公室": "政府", "人民政府办公室": "政府", "管理委员会": "政府", "管委会": "政府",
}

// Development zones and towns report like governments of their area.
const zoneUnits = `经济技术开发区|高新技术产业开发区|经济开发区|经开区|高新区|开发区`

var (
	// unitsByFirstRune indexes unit names by their first character, longest
	// first: a lookup per character is far cheaper than one regular
	// expression with a hundred alternatives.
	unitsByFirstRune = indexUnits()
	unitFirstRunes   = firstRunesOf(unitsByFirstRune)
	// zoneTown is the town a zone doubles as: 经开区(杨舍镇).
	zoneTown = regexp.MustCompile(`^\([\p{Han}]{2,6}(?:镇|街道|乡)\)`)

	// Region names end with one of these; a name is two to four Han
	// characters that are none of the stop characters.
	regionSuffixes = "省市区县州盟旗"
	regionStops    = "的于在对与及由向从为将是年度共我各全本该其会委局厅部办组关"
	// Words ending like a region that are not one.
	notRegionNames = map[string]bool{
		"示范": true, "试验": true, "开发": true, "自贸": true, "保税": true, "经开": true, "高新": true,
		"功能": true, "风景": true, "旅游": true, "工业": true, "产业": true, "管理": true, "行政": true,
		"城乡": true, "教育名": true, "名": true, "先行": true, "样板": true, "核心": true, "重点": true,
	}
)

var regionSuffixSet, regionStopSet = newRuneBits(regionSuffixes), newRuneBits(regionStops)

// isRegionLevel says whether r names a level of region: 省, 市, 区 or 县.
func isRegionLevel(r rune) bool { return r == '省' || r == '市' || r == '区' || r == '县' }

// firstRunesOf is the set of the keys of index: a bit test per character
// spares the map lookup for the characters that start no unit name.
func firstRunesOf(index map[rune][]string) *runeBits {
	b := new(runeBits)
	for r := range index {
		b.set(r)
	}
	return b
}

func indexUnits() map[rune][]string {
	index := map[rune][]string{}
	names := slices.Collect(maps.Keys(bureauUnits))
	names = append(names, strings.Split(zoneUnits, "|")...)
	for _, name := range names {
		first, _ := utf8.DecodeRuneInString(name)
		index[first] = append(index[first], name)
	}
	for _, list := range index {
		slices.SortFunc(list, func(a, b string) int {
			if c := cmp.Compare(len(b), len(a)); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
	}
	return index
}

// unitsIn finds the unit names in s, leftmost and longest first, each with
// the town a zone doubles as.
func unitsIn(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		ch, size := utf8.DecodeRuneInString(s[i:])
		matched := 0
		if !unitFirstRunes.has(ch) {
			i += size
			continue
		}
		for _, name := range unitsByFirstRune[ch] {
			if strings.HasPrefix(s[i:], name) {
				matched = len(name)
				if bureauUnits[name] == "" { // a zone
					if loc := zoneTown.FindStringIndex(s[i+matched:]); loc != nil {
						matched += loc[1]
					}
				}
				break
			}
		}
		if matched > 0 {
			out = append(out, [2]int{i, i + matched})
			i += matched
			continue
		}
		i += size
	}
	return out
}

func bureauTypeOf(unit string) string {
	if t, ok := bureauUnits[unit]; ok {
		return t
	}
	for _, z := range strings.Split(zoneUnits, "|") {
		if strings.HasPrefix(unit, z) {
			return "政府"
		}
	}
	return ""
}

// regionBefore reads a region name that ends at byte end of s, going
// backwards over up to three levels (省 / 市 / 区县), e.g. 重庆市长寿区. It
// returns the start of the name and how many levels it found. A province
// in front of a city is dropped: regions are named from the city down.
func regionBefore(s string, end int) (start, levels int, bounded bool) {
	start = end
	var starts []int
	for levels < 3 {
		suffix, size := utf8.DecodeLastRuneInString(s[:start])
		if size == 0 || !regionSuffixSet.has(suffix) {
			break
		}
		nameEnd := start - size
		nameStart, n := nameEnd, 0
		for n < 4 {
			r, rs := utf8.DecodeLastRuneInString(s[:nameStart])
			if rs == 0 || !isHan(r) || regionStopSet.has(r) || isRegionLevel(r) {
				break
			}
			nameStart -= rs
			n++
		}
		if n < 2 && !(n == 1 && isSingleCounty(s[nameStart:nameEnd], suffix, s[start:])) || notRegionNames[s[nameStart:nameEnd]] ||
			strings.Contains(s[nameStart:nameEnd], "法治") || strings.Contains(s[nameStart:nameEnd], "依法") {
			break
		}
		starts = append(starts, nameStart)
		start = nameStart
		levels++
	}
	if levels == 0 {
		return end, 0, false
	}
	if levels > 1 {
		// starts[levels-1] is the outermost level; drop a province.
		outerEnd := end
		if levels >= 2 {
			outerEnd = starts[levels-2]
		}
		if last, _ := utf8.DecodeLastRuneInString(s[:outerEnd]); last == '省' {
			start = outerEnd
			levels--
		}
	}
	r, rs := utf8.DecodeLastRuneInString(s[:start])
	bounded = rs == 0 || !isHan(r) || regionStopSet.has(r) || r == '《'
	return start, levels, bounded
}

// orgMention is a reporting unit named in the text, with its region if the
// text puts one in front of it.
type orgMention struct {
	region         string
	regionA        int // norm offsets of the region
	unit           string
	bureauA, unitB int // norm offsets of the unit with its region or level in front
	kind           lineKind
	addressee      bool // the line names the superior the report is sent to
	lineStart      int
	town           bool // a town or sub-district office: its name is part of the unit
	self           bool // a town named as the report's subject (title, opening)
}

// findOrgs lists every reporting unit named in norm[a:b].
func (r *Report) findOrgs(a, b int, kind lineKind, addressee bool) []orgMention {
	var out []orgMention
	s := r.norm[:b]
	for _, loc := range unitsIn(r.norm[a:b]) {
		ua, ub := a+loc[0], a+loc[1]
		unit := s[ua:ub]
		if i := strings.IndexByte(unit, '('); i > 0 {
			unit = unit[:i] // 经开区(杨舍镇) is a 经开区
		}
		o := orgMention{unit: unit, kind: kind, addressee: addressee, bureauA: ua, unitB: ub, lineStart: a}
		if start, levels, bounded := regionBefore(s, ua); levels > 0 && start >= a && bounded {
			o.region, o.regionA = s[start:ua], start
			o.bureauA = start
		} else if lv, size := utf8.DecodeLastRuneInString(s[:ua]); size > 0 && ua-size >= a && strings.ContainsRune("省市区县镇", lv) {
			o.bureauA = ua - size
		}
		out = append(out, o)
	}
	return out
}

// regionMention is a region named without a unit: 天津市静海区, 《杭州市…》.
type regionMention struct {
	a, b   int
	levels int
}

// findRegions lists compound regions (city and district) and cities named
// at a word boundary in front of a law or government name.
// With single set, any bounded one-level name counts (used on titles).
func (r *Report) findRegions(a, b int, single bool) []regionMention {
	var out []regionMention
	s := r.norm[:b]
	for i := a; i < b; {
		ch, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if ch != '市' && ch != '区' && ch != '县' {
			continue
		}
		start, levels, bounded := regionBefore(s, i)
		if levels == 0 || start < a {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i:])
		switch {
		case levels >= 2:
		case bounded && single:
		case bounded && ch == '市' && next >= '0' && next <= '9':
		case bounded && strings.HasPrefix(r.norm[max(0, start-3):start], "《"):
		default:
			continue
		}
		out = append(out, regionMention{a: start, b: i, levels: levels})
	}
	return out
}

// metaReach is how far into the text the reader looks for the reporting
// unit and region: page headers, title and opening paragraphs.
const metaReach = 6000

// readOrg decides the region and reporting unit, trusting the title first,
// then the page's publisher field, the report's own text, the addressee
// line, and last the header of a saved page.
func (r *Report) readOrg(m *Meta, title span, hasTitle bool) {
	var titleOrgs, publisher, bodyOrgs, sourceField, addressee, noteOrgs []orgMention
	var titleRegions, allRegions, addresseeRegions []regionMention
	var selfTowns, bodyTowns []orgMention
	var townLines []span
	if hasTitle {
		titleOrgs = withTowns(r.findOrgs(title.start, title.end, lineBody, false), r.findTowns(title.start, title.end, true))
		titleRegions = r.findRegions(title.start, title.end, true)
	}
	for _, ln := range r.lines {
		a, b := trimSpan(r.norm, ln.start, ln.end)
		if a == b {
			continue
		}
		if a > metaReach && ln.kind != lineSource {
			break // a report names itself at the top
		}
		b = min(b, max(a, metaReach))
		text := r.norm[a:b]
		switch ln.kind {
		case lineChrome:
			if loc := publisherTag.FindStringIndex(text); loc != nil {
				publisher = append(publisher, r.findOrgs(a+loc[1], b, ln.kind, false)...)
			}
			if loc := sourceTag.FindStringIndex(text); loc != nil {
				sourceField = append(sourceField, r.findOrgs(a+loc[1], b, ln.kind, false)...)
			}
		case lineBody:
			// "现将…报告如下:" ends like an addressee line but is not one.
			isAddressee := strings.HasSuffix(text, ":") && utf8.RuneCountInString(text) <= 40 && !strings.Contains(text, "如下")
			orgs := r.findOrgs(a, b, ln.kind, isAddressee)
			if isAddressee {
				addressee = append(addressee, orgs...)
				addresseeRegions = append(addresseeRegions, r.findRegions(a, b, true)...)
			} else {
				bodyOrgs = append(bodyOrgs, orgs...)
				townLines = append(townLines, span{a, b})
			}
			allRegions = append(allRegions, r.findRegions(a, b, false)...)
		case lineSource:
			noteOrgs = append(noteOrgs, r.findOrgs(a, b, ln.kind, false)...)
			allRegions = append(allRegions, r.findRegions(a, b, false)...)
		}
	}

	// Towns in the body are only looked for when the title and the
	// publisher leave the unit or the region open.
	hasRegion := func(orgs []orgMention) bool {
		return slices.ContainsFunc(orgs, func(o orgMention) bool { return o.region != "" })
	}
	if len(titleRegions) == 0 && (len(titleOrgs) == 0 && len(publisher) == 0 || !hasRegion(titleOrgs) && !hasRegion(publisher)) {
		for _, ln := range townLines {
			for _, t := range r.findTowns(ln.start, ln.end, false) {
				if t.self {
					selfTowns = append(selfTowns, t)
				} else {
					bodyTowns = append(bodyTowns, t)
				}
			}
		}
	}

	// The reporting unit.
	var withRegion, withoutRegion []orgMention
	for _, o := range bodyOrgs {
		if o.region != "" {
			withRegion = append(withRegion, o)
		} else {
			withoutRegion = append(withoutRegion, o)
		}
	}
	unitSource := []struct {
		orgs []orgMention
		src  string
	}{
		{titleOrgs, SourceTitle}, {publisher, SourcePublisher}, {nil, SourceTitle}, {selfTowns, SourceOpening},
		{withRegion, SourceBody}, {withoutRegion, SourceBody}, {bodyTowns, SourceBody}, {sourceField, SourceField},
		{noteOrgs, SourceNote},
	}
	for i, us := range unitSource {
		if i == 2 && len(titleRegions) > 0 {
			// A title that names a region and no unit ("2020年静海区法治
			// 政府建设情况报告") is the report of that region's government.
			tr := titleRegions[0]
			level, _ := utf8.DecodeLastRuneInString(r.norm[tr.a:tr.b])
			m.Bureau, m.BureauType = string(level)+"政府", "政府"
			ev := r.evidence(r.plain(tr.a, tr.b), SourceTitle, tr.a, tr.b)
			m.BureauEvidence = &ev
			break
		}
		if len(us.orgs) > 0 {
			o := us.orgs[0]
			m.Bureau, m.BureauType = bureauName(r.plain(o.bureauA, o.unitB), o), bureauTypeOf(o.unit)
			if o.town {
				m.BureauType = "政府"
			}
			ev := r.evidence(m.Bureau, us.src, o.bureauA, o.unitB)
			m.BureauEvidence = &ev
			break
		}
	}

	// The region.
	pick := func(orgs []orgMention, src string) bool {
		for _, o := range orgs {
			if o.region != "" {
				m.Region = o.region
				ev := r.evidence(r.plain(o.regionA, o.regionA+len(o.region)), src, o.regionA, o.regionA+len(o.region))
				m.RegionEvidence = &ev
				return true
			}
		}
		return false
	}
	switch {
	case pick(titleOrgs, SourceTitle):
	case len(titleRegions) > 0:
		tr := titleRegions[0]
		m.Region = r.norm[tr.a:tr.b]
		ev := r.evidence(r.plain(tr.a, tr.b), SourceTitle, tr.a, tr.b)
		m.RegionEvidence = &ev
	case pick(publisher, SourcePublisher), pick(selfTowns, SourceOpening), pick(withRegion, SourceBody),
		pick(bodyTowns, SourceBody), pick(addressee, SourceAddressee),
		pick(sourceField, SourceField), pick(noteOrgs, SourceNote):
	default:
		// A region named only where the report is sent ("城中区委全面依法
		// 治区委员会:") or in the title of its own plan (《城中区2025年法治
		// 政府建设工作要点》) is the report's when nothing better is stated.
		setRegion := func(rm regionMention, src string) {
			m.Region = r.norm[rm.a:rm.b]
			ev := r.evidence(r.plain(rm.a, rm.b), src, rm.a, rm.b)
			m.RegionEvidence = &ev
		}
		if len(addresseeRegions) > 0 {
			setRegion(addresseeRegions[0], SourceAddressee)
		} else if rm, ok := r.planRegion(allRegions); ok {
			setRegion(rm, SourceBody)
		} else if rm, ok := mostNamedCity(r.norm, allRegions); ok {
			setRegion(rm, SourceBody)
		}
	}
	r.completeRegion(m, allRegions)
}

// planYear is a year right after a region in a document title.
var planYear = regexp.MustCompile(`^\s*(?:19|20)\d{2}\s*年`)

// planRegion is the first region that opens the title of a document of a
// year: 《城中区2025年法治政府建设工作要点》. Laws (《杭州市…条例》) name the
// region that made them, not the reporting one.
func (r *Report) planRegion(mentions []regionMention) (regionMention, bool) {
	for _, rm := range mentions {
		if strings.HasSuffix(r.norm[:rm.a], "《") && planYear.MatchString(r.norm[rm.b:min(len(r.norm), rm.b+16)]) {
			return rm, true
		}
	}
	return regionMention{}, false
}

// completeRegion puts the city in front of a bare district (光明区 →
// 深圳市光明区) when the text names the pair or names one city.
func (r *Report) completeRegion(m *Meta, mentions []regionMention) {
	if m.Region == "" || strings.HasSuffix(m.Region, "市") || strings.Count(m.Region, "市") > 0 {
		return
	}
	for _, rm := range mentions {
		if rm.levels >= 2 && strings.HasSuffix(r.norm[rm.a:rm.b], m.Region) {
			m.Region = r.norm[rm.a:rm.b]
			ev := r.evidence(r.plain(rm.a, rm.b), SourceBody, rm.a, rm.b)
			m.RegionEvidence = &ev
			return
		}
	}
	if rm, ok := mostNamedCity(r.norm, mentions); ok {
		city := r.norm[rm.a:rm.b]
		m.Region = city + m.Region
		// The evidence keeps the district's own quote; the city is read
		// from the mention below.
		ev := r.evidence(r.plain(rm.a, rm.b), SourceBody, rm.a, rm.b)
		ev.Value = m.Region
		m.RegionEvidence = &ev
	}
}

// mostNamedCity is the single-level city the text names most often.
func mostNamedCity(norm string, mentions []regionMention) (regionMention, bool) {
	count := map[string]int{}
	first := map[string]regionMention{}
	best := ""
	for _, rm := range mentions {
		name := norm[rm.a:rm.b]
		if rm.levels != 1 || !strings.HasSuffix(name, "市") {
			continue
		}
		if _, ok := first[name]; !ok {
			first[name] = rm
		}
		count[name]++
		if best == "" || count[name] > count[best] {
			best = name
		}
	}
	rm, ok := first[best]
	return rm, ok
}

// bureauName writes a unit the way reports name themselves: the level of
// its region in front (张家港市教育局 → 市教育局, 光明区人力资源局 → 区人力资源局).
func bureauName(written string, o orgMention) string {
	if o.region == "" || o.town {
		return written
	}
	level, _ := utf8.DecodeLastRuneInString(o.region)
	unit := written[len(written)-min(len(written), len(o.unit)):]
	// written keeps the original characters; the unit is its tail, of the
	// same rune count as the folded unit.
	n := utf8.RuneCountInString(o.unit)
	for i := len(written); i >= 0; i-- {
		if utf8.RuneStart(written[min(i, len(written)-1)]) && utf8.RuneCountInString(written[i:]) == n {
			unit = written[i:]
			break
		}
	}
	return string(level) + unit
}

// withTowns merges the towns of a line into its units in text order; a
// unit inside a town's office (the 人民政府 of 杨舍镇人民政府) gives way.
func withTowns(orgs, towns []orgMention) []orgMention {
	if len(towns) == 0 {
		return orgs
	}
	out := append([]orgMention(nil), towns...)
	for _, o := range orgs {
		inside := false
		for _, t := range towns {
			if o.bureauA < t.unitB && t.bureauA < o.unitB {
				inside = true
			}
		}
		if !inside {
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(x, y orgMention) int { return cmp.Compare(x.bureauA, y.bureauA) })
	return out
}
