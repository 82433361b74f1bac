package ingest

import "unicode/utf8"

// singleCounties are the counties whose name is one character (息县, 沛县,
// 黟县): the gazetteer of the People's Republic lists them, and no rule on
// the characters can tell them from 全县, 本县, 各县 or 到县. 和县 and 成县
// are left out: 市和县两级 and 建成县城 are far more common in reports than
// the two counties. Former counties (彬县, 户县, 华县, 蓟县, 沙县, 滦县) stay,
// since older reports name them.
var singleCounties = func() map[string]bool {
	const names = "蠡雄易献蔚涉磁魏威赵唐青沧邱景" + // 河北
		"祁沁盂代兴隰岚吉蒲绛夏" + // 山西
		"沛丰" + // 江苏
		"萧泗寿歙黟泾" + // 安徽
		"沙" + // 福建
		"莒费曹单冠莘" + // 山东
		"滑浚淇杞睢郏叶嵩息范" + // 河南
		"理茂荣渠珙" + // 四川
		"眉陇乾洋勉佳彬户华" + // 陕西
		"礼徽岷文漳宁环" + // 甘肃
		"蓟滦" // 天津, 河北 (former)
	set := map[string]bool{}
	for _, r := range names {
		set[string(r)] = true
	}
	return set
}()

// isSingleCounty says whether name, read in front of suffix and followed
// by next, is a county of one character. 县级 and 县域 after it make
// a word of the 县 (兴县域经济, 代县级…), not a county.
func isSingleCounty(name string, suffix rune, next string) bool {
	if suffix != '县' || !singleCounties[name] {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	return r != '级' && r != '域'
}
