package ingest

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// chineseDigits are the digit characters of Chinese numerals, with the
// financial forms reports sometimes use.
var chineseDigits = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5,
	'六': 6, '七': 7, '八': 8, '九': 9,
	'壹': 1, '贰': 2, '叁': 3, '肆': 4, '伍': 5, '陆': 6, '柒': 7, '捌': 8, '玖': 9,
}

// chineseUnits multiply the digit in front of them within a section.
var chineseUnits = map[rune]int{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000}

// chineseBig close a section: 三万二千 = 3×10⁴ + 2000.
var chineseBig = map[rune]int{'万': 10000, '亿': 100000000}

func isChineseNumeral(r rune) bool {
	switch r {
	case '零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九',
		'壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖',
		'十', '拾', '百', '佰', '千', '仟', '万', '亿':
		return true
	}
	return false
}

// ParseChineseNumber reads a Chinese numeral: positional forms (十二, 二十,
// 一百零五, 两万三千, 三十万) and digit-by-digit forms (二〇一九). It
// refuses strings that are not one well-formed number, such as the plan
// name 十三五 or the colloquial 二百五, so that they are never read as
// figures.
func ParseChineseNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	positional := false
	for _, r := range s {
		if !isChineseNumeral(r) {
			return 0, false
		}
		if _, ok := chineseUnits[r]; ok {
			positional = true
		}
		if _, ok := chineseBig[r]; ok {
			positional = true
		}
	}
	if !positional {
		v := 0
		for _, r := range s {
			v = v*10 + chineseDigits[r]
			if v > 1e12 {
				return 0, false
			}
		}
		return float64(v), true
	}
	var total, section float64
	digit := -1        // pending digit, -1 when none
	lastUnit := 100000 // units within a section must descend
	lastBig := 1e18    // sections must descend too
	zero := false      // a 零 stands for skipped positions
	for _, r := range s {
		if d, ok := chineseDigits[r]; ok {
			if d == 0 {
				zero = true
				continue
			}
			if digit >= 0 {
				return 0, false // two digits in a row: 十三五
			}
			digit = d
			continue
		}
		if u, ok := chineseUnits[r]; ok {
			if u >= lastUnit {
				return 0, false
			}
			n := digit
			if n < 0 {
				if u != 10 {
					return 0, false // 百 or 千 without a digit
				}
				n = 1 // 十二 = 12, 一百零十 is not written but 十 alone is
			}
			section += float64(n * u)
			digit, lastUnit, zero = -1, u, false
			continue
		}
		big := float64(chineseBig[r])
		if digit > 0 {
			section += float64(digit)
		}
		if section == 0 || big >= lastBig {
			return 0, false
		}
		total += section * big
		section, digit, lastUnit, lastBig, zero = 0, -1, 100000, big, false
	}
	if digit > 0 {
		if lastUnit > 10 && lastUnit < 100000 && !zero {
			return 0, false // 二百五: colloquial, ambiguous
		}
		section += float64(digit)
	}
	return total + section, true
}

// parseArabic reads digits with optional thousands separators and decimals
// ("13,206", "122.4552"), scaled by 10^exp without float rounding noise, so
// 122.4552万 is exactly 1224552.
func parseArabic(s string, exp int) (float64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	intPart, frac, _ := strings.Cut(s, ".")
	for exp > 0 {
		if frac != "" {
			intPart += frac[:1]
			frac = frac[1:]
		} else {
			intPart += "0"
		}
		exp--
	}
	if frac != "" {
		intPart += "." + frac
	}
	v, err := strconv.ParseFloat(intPart, 64)
	return v, err == nil
}

// leadingRune is the first rune of s, or 0.
func leadingRune(s string) rune {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return 0
	}
	return r
}

// trailingRune is the last rune of s, or 0.
func trailingRune(s string) rune {
	r, size := utf8.DecodeLastRuneInString(s)
	if size == 0 {
		return 0
	}
	return r
}
