package ingest

import "fazhi"

// ZhangjiagangCode is the administrative division code of 张家港市.
const ZhangjiagangCode = "320582"

// sampleBureau is a bureau of 张家港市 in the sample, with the size and
// maturity that shape its generated figures.
type sampleBureau struct {
	suffix, name, bureauType string
	scale                    float64 // workload relative to a small bureau
	firstYear, skipYear      int     // first reported year; a year it did not report (0: none)
	lastYear                 int     // last reported year (0: the sample's last)
}

// sampleBureaus are real bureaus of 张家港市; their figures in the sample
// are generated, except the 教育局 2019 report (see ZhangjiagangEducation2019).
var sampleBureaus = []sampleBureau{
	{"jyj", "教育局", "教育", 1.2, 2016, 0, 0},
	{"gaj", "公安局", "公安", 3.5, 2016, 0, 0},
	{"sfj", "司法局", "司法", 1.0, 2016, 0, 0},
	{"wjw", "卫生健康委员会", "卫健", 1.6, 2016, 0, 0},
	{"rsj", "人力资源和社会保障局", "人社", 1.4, 2016, 2019, 0},
	{"scj", "市场监督管理局", "市场监管", 3.0, 2016, 0, 0},
	{"sthjj", "生态环境局", "生态环境", 1.8, 2017, 0, 0},
	{"jtj", "交通运输局", "交通运输", 2.0, 2016, 0, 0},
	{"zrj", "自然资源和规划局", "自然资源", 1.5, 2016, 2021, 0},
	{"zjj", "住房和城乡建设局", "住建", 1.7, 2016, 0, 0},
	{"mzj", "民政局", "民政", 0.9, 2018, 0, 0},
	{"czj", "财政局", "财政", 0.8, 2016, 0, 0},
	{"yjj", "应急管理局", "应急管理", 1.3, 2019, 0, 0}, // formed in the 2019 reform
	{"wtlj", "文体广电和旅游局", "文旅", 1.0, 2016, 0, 2023},
}

// SampleOrgs is the hierarchy 江苏省 → 苏州市 → 张家港市 → its bureaus.
func SampleOrgs() []fazhi.Org {
	orgs := []fazhi.Org{
		{Code: "320000", Name: "江苏省", FullName: "江苏省", Kind: fazhi.OrgProvince},
		{Code: "320500", Name: "苏州市", FullName: "苏州市", Kind: fazhi.OrgCity, ParentCode: "320000"},
		{Code: ZhangjiagangCode, Name: "张家港市", FullName: "张家港市", Kind: fazhi.OrgDistrict, ParentCode: "320500"},
	}
	for _, b := range sampleBureaus {
		orgs = append(orgs, fazhi.Org{
			Code: ZhangjiagangCode + "-" + b.suffix, Name: b.name, FullName: "张家港市" + b.name,
			Kind: fazhi.OrgBureau, ParentCode: ZhangjiagangCode, BureauType: b.bureauType,
		})
	}
	return orgs
}
