package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Towns and sub-district offices report like the government of their area
// (杨舍镇, 五常街道, 人民街街道办事处). Their name is part of the unit, and
// 街道, 镇 and 乡 are common words of every report (赋权街道, 城乡, 乡镇), so
// a town counts only where a report names itself: in the title, as the
// subject of the opening year ("2024年,五常街道…"), behind its region, or
// with its office (办事处, 人民政府, 党工委).
var townSuffixes = []struct {
	suffix string
	office bool
}{
	{"街道办事处", true}, {"街道办", true}, {"镇人民政府", true}, {"乡人民政府", true},
	{"镇政府", true}, {"乡政府", true}, {"街道", false}, {"镇", false}, {"乡", false},
}

var (
	// townNotNext are characters that after 街道, 镇 or 乡 make it part of
	// a longer word: 城镇化, 乡村, 镇级, 街道社区.
	townNotNext = newRuneBits("化村级域区里长内外街镇乡社干")
	// townOffice follows a bare name: 五常街道党工委.
	townOffice = []string{"党工委", "党委", "人民政府", "政府", "办事处"}
	// openingLead is the opening year in front of a town: "2024年,五常街道…".
	openingLead = regexp.MustCompile(`^\s*(?:19|20)\d{2}\s*年(?:度|以来|来)?\s*[,、]?\s*$`)
	// notTownNames end like a town but are words: 城乡, 乡镇, 小城镇.
	notTownNames = map[string]bool{"小城": true, "特色小": true, "乡镇": true, "城乡": true, "各乡": true}
)

// findTowns lists the towns and sub-district offices named in norm[a:b]
// in one of the places a report names itself; title says norm[a:b] is the
// title line.
func (r *Report) findTowns(a, b int, title bool) []orgMention {
	var out []orgMention
	s := r.norm[:b]
	for p := a; p < b; {
		// The lead bytes of 街, 镇 and 乡 spare decoding every character.
		if c := s[p]; c != 0xE8 && c != 0xE9 && c != 0xE4 {
			p++
			continue
		}
		ch, size := utf8.DecodeRuneInString(s[p:])
		if ch != '街' && ch != '镇' && ch != '乡' {
			p += size
			continue
		}
		suffix, office := "", false
		for _, ts := range townSuffixes {
			if strings.HasPrefix(s[p:], ts.suffix) {
				suffix, office = ts.suffix, ts.office
				break
			}
		}
		if suffix == "" {
			p += size
			continue
		}
		end := p + len(suffix)
		if next, _ := utf8.DecodeRuneInString(s[end:]); !office && townNotNext.has(next) {
			p += size
			continue
		}
		if !office {
			for _, o := range townOffice {
				if strings.HasPrefix(s[end:], o) {
					office = true
				}
			}
		}
		nameStart, n := p, 0
		for n < 4 {
			c, cs := utf8.DecodeLastRuneInString(s[:nameStart])
			if cs == 0 || nameStart-cs < a || !isHan(c) || regionStopSet.has(c) || isRegionLevel(c) || c == '镇' || c == '乡' {
				break
			}
			nameStart -= cs
			n++
		}
		name := s[nameStart:p]
		before, bs := utf8.DecodeLastRuneInString(s[:nameStart])
		bounded := bs == 0 || nameStart == a || !isHan(before) || regionStopSet.has(before) || isRegionLevel(before)
		if n < 2 || !bounded || notTownNames[name] {
			p += size
			continue
		}
		o := orgMention{unit: suffix, town: true, kind: lineBody, bureauA: nameStart, unitB: end, lineStart: a}
		if start, levels, ok := regionBefore(s, nameStart); levels > 0 && ok && start >= a {
			o.region, o.regionA = s[start:nameStart], start
		}
		o.self = title || openingLead.MatchString(s[a:nameStart])
		if o.self || office || o.region != "" {
			out = append(out, o)
		}
		p = end
	}
	return out
}
