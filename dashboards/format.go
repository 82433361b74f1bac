package dashboards

import (
	"math"
	"strconv"
	"strings"
)

// FormatNumber writes a value the way Chinese official documents do:
// thousands separated by commas (1,234), rates with one decimal (95.0%),
// other fractions with at most two decimals (2.2 万元).
func FormatNumber(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	if unit == "%" {
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	}
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// FormatValue is FormatNumber followed by the unit (none after a %).
func FormatValue(v float64, unit string) string {
	if unit == "%" || unit == "" {
		return FormatNumber(v, unit)
	}
	return FormatNumber(v, unit) + " " + unit
}

// Delta describes a change against the previous year: for rates in
// percentage points (百分点), for other indicators in per cent.
type Delta struct {
	Text  string // e.g. "+2.5 个百分点", "-12.0%", "持平"
	Class string // up, down, flat: up/down are coloured by polarity in CSS
	Good  bool
}

// NewDelta compares cur with prev for an indicator of the given unit and
// polarity ("higher", "lower", "neutral").
func NewDelta(cur, prev float64, unit, polarity string) Delta {
	diff := cur - prev
	if math.Abs(diff) < 1e-9 {
		return Delta{Text: "持平", Class: "flat"}
	}
	var text string
	if unit == "%" {
		text = signed(diff) + " 个百分点"
	} else if prev != 0 {
		text = signed(100*diff/math.Abs(prev)) + "%"
	} else {
		text = "新增 " + FormatValue(cur, unit)
	}
	d := Delta{Text: "较上年 " + text}
	switch {
	case polarity == "neutral":
		d.Class = "flat"
	case (diff > 0) == (polarity == "higher"):
		d.Class, d.Good = "up", true
	default:
		d.Class = "down"
	}
	return d
}

func signed(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if v > 0 {
		return "+" + s
	}
	return s
}
