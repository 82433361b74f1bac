package ingest

import (
	"strings"
	"testing"
)

// filler is ordinary report prose, so that each test report is long
// enough for the junk scan to run as it does on real reports.
const filler = `
一、主要工作
(一)加强组织领导。坚持把法治政府建设摆在工作全局的重要位置,主要负责人切实履行推进法治建设第一责任人职责,及时研究解决法治建设中的重大问题,定期听取法治政府建设工作汇报。
(二)严格规范公正文明执法。全面落实行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度,持续规范行政裁量权基准,组织执法人员参加法律知识培训和考试。
(三)深入开展法治宣传教育。落实“谁执法谁普法”普法责任制,利用宪法宣传周、民法典宣传月等时间节点,开展形式多样的普法宣传活动,营造良好的法治氛围。
二、存在的不足
一是法治宣传的针对性还不够强;二是执法人员的专业素质还有待提高;三是行政执法监督机制还需进一步完善。
三、下一步工作打算
我们将继续深入学习贯彻习近平法治思想,进一步加强执法队伍建设,不断提升依法行政水平,为经济社会高质量发展提供坚强的法治保障。
`

func readText(t *testing.T, text string) *Report {
	t.Helper()
	r, err := ReadReport("report.txt", []byte(text+filler))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestMetaRules covers the ways reports name their region, unit and year
// beyond the corpus: one-character counties, towns and sub-district
// offices, short bureau names, years stated mid-line, the addressee, and
// the page chrome of collection sites.
func TestMetaRules(t *testing.T) {
	cases := []struct {
		name, text                 string
		region, bureau, bureauType string
		year                       int
	}{
		{"one-character county in the title",
			"沛县人民政府关于2022年度法治政府建设情况的报告\n2022年,县政府坚持以习近平法治思想为指导,全面推进依法行政。",
			"沛县", "县人民政府", "政府", 2022},
		{"one-character county behind its city",
			"2021年,宿州市萧县城市管理局在县委县政府的坚强领导下,扎实推进法治政府建设。",
			"宿州市萧县", "县城市管理局", "城管", 2021},
		{"one-character county in the opening",
			"2023年,黟县市场监督管理局认真贯彻落实上级部署,法治政府建设取得新成效。",
			"黟县", "县市场监督管理局", "市场监管", 2023},
		{"全县, 本县, 各县 and 市县 are no names",
			"2020年,全县上下深入推进依法行政,本县各部门落实法治建设责任,各县市区交流经验,省市县三级联动。城管局积极作为。",
			"", "城管局", "城管", 2020},
		{"sub-district office in the title",
			"上城区湖滨街道2024年法治政府建设工作报告\n2024年,湖滨街道坚持党建引领,全面推进法治街道建设。",
			"上城区", "湖滨街道", "政府", 2024},
		{"sub-district office as the subject of the opening",
			"2023年,东升街道在区委区政府的坚强领导下,集中赋权街道执法事项28项,深入推进法治建设。",
			"", "东升街道", "政府", 2023},
		{"sub-district office with its full name",
			"关于法治政府建设工作情况的报告\n长江路街道办事处深入贯彻习近平法治思想。现将2025年工作情况总结如下:",
			"", "长江路街道办事处", "政府", 2025},
		{"town government",
			"2022年,锦丰镇人民政府坚持依法行政,推进乡村振兴和新型城镇化建设。",
			"", "锦丰镇人民政府", "政府", 2022},
		{"township as the subject of the opening",
			"2022年,马头乡党委政府高度重视法治政府建设,推进乡村治理法治化。",
			"", "马头乡", "政府", 2022},
		{"县域 and 县级 after a county-like character are words",
			"2021年,我局助力振兴县域经济。\n兴县域特色产业,代县级部门履行职责。住建局积极作为。",
			"", "住建局", "住建", 2021},
		{"赋权街道 and 城乡 are no units",
			"区市监局2021年法治政府建设情况报告\n集中赋权街道,统筹城乡发展,推进乡镇街道综合执法。",
			"", "区市监局", "市场监管", 2021},
		{"short bureau names",
			"区人社局关于法治政府建设工作的报告\n一年来,我局认真落实法治建设责任。\n我局全年受理劳动人事争议案件120件。2021年,我局查办案件80件。",
			"", "区人社局", "人社", 2021},
		{"year of the unit's deeds, not of its plans",
			"城管局法治政府建设工作总结\n一年来,我局坚持依法行政。2019年,我局被评为先进单位。2020年局领导及全体机关干部带头学法。2021年,我局将继续深化改革。",
			"", "城管局", "城管", 2020},
		{"year in the report's own name, not in a plan, range or deadline",
			"住建局工作情况\n根据《2024年法治政府建设工作要点》和2018-2020年规划,截至2022年底完成全部整改任务,我局按时向区委依法治区办报送了2023年度法治政府建设情况报告,并在门户网站公开。",
			"", "住建局", "住建", 2023},
		{"a date is no year of the report",
			"卫健委工作情况\n2021年3月,我委召开会议,部署法治政府建设工作。",
			"", "卫健委", "卫健", 0},
		{"region named only in the addressee",
			"城中区委全面依法治区委员会:\n现将我街道2025年法治政府建设工作情况报告如下。",
			"城中区", "", "", 2025},
		{"region named only in the title of its plan",
			"我局按照《鼓楼区2024年法治政府建设工作要点》要求,扎实推进各项工作。现将2024年工作情况总结如下。",
			"鼓楼区", "", "", 2024},
		{"a slogan in the addressee is no region",
			"全面依法治县委员会办公室:\n现将2022年法治政府建设工作情况报告如下。",
			"", "", "", 2022},
	}
	for _, c := range cases {
		r := readText(t, c.text)
		m := r.Meta
		if m.Region != c.region || m.Bureau != c.bureau || m.BureauType != c.bureauType || m.Year != c.year {
			t.Errorf("%s: region %q bureau %q type %q year %d; want %q %q %q %d",
				c.name, m.Region, m.Bureau, m.BureauType, m.Year, c.region, c.bureau, c.bureauType, c.year)
		}
		for name, ev := range map[string]*Evidence{"region": m.RegionEvidence, "bureau": m.BureauEvidence, "year": m.YearEvidence} {
			if ev != nil && r.Quote(ev.Start, ev.End) != ev.Quote {
				t.Errorf("%s: %s evidence quote %q is not the original at its offsets", c.name, name, ev.Quote)
			}
		}
	}
}

// TestCollectionPageChrome: the counter a collection site puts into the
// title line is cut, so it is neither a figure nor part of the title.
func TestCollectionPageChrome(t *testing.T) {
	for _, title := range []string{
		"司法局2022年度法治政府建设工作报告-23篇(第26/40页)",
		"司法局2022年度法治政府建设工作报告－23篇（第26/40页）",
		"司法局2022年度法治政府建设工作报告(第3页)",
		"司法局2022年度法治政府建设工作报告_23篇",
	} {
		r := readText(t, title+"\n2022年,我局全年办理行政复议案件12件。")
		if r.Meta.Title != "司法局2022年度法治政府建设工作报告" || r.Meta.Year != 2022 || r.Meta.BureauType != "司法" {
			t.Errorf("%s: title %q year %d type %q", title, r.Meta.Title, r.Meta.Year, r.Meta.BureauType)
		}
		for _, f := range ExtractFigures(r, nil) {
			if strings.Contains(f.Quote, "篇") || strings.Contains(f.Quote, "页") {
				t.Errorf("%s: page chrome read as figure %q", title, f.Quote)
			}
		}
		chrome := false
		for _, rm := range r.Removed {
			chrome = chrome || rm.Kind == RemovedChrome && strings.Contains(rm.Quote, "页") || strings.Contains(rm.Quote, "篇")
		}
		if !chrome {
			t.Errorf("%s: counter not reported as removed chrome: %+v", title, r.Removed)
		}
	}
	// Prose keeps its counts of articles.
	r := readText(t, "2022年,我局在省级以上媒体发表宣传稿件-23篇,全年编发简报15期。")
	n := 0
	for _, f := range ExtractFigures(r, nil) {
		if f.Quote == "23篇" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("prose: 23篇 read %d times, want once", n)
	}
}
