package fazhi

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// indexNames maps every normalised name, English name and alias to the
// indicators that use it, so that sheets naming indicators in words resolve.
func (c *Catalog) indexNames() {
	c.byName = map[string][]int{}
	add := func(name string, i int) {
		k := normName(name)
		if k != "" && !slices.Contains(c.byName[k], i) {
			c.byName[k] = append(c.byName[k], i)
		}
	}
	for i, ind := range c.Indicators {
		add(ind.Name, i)
		add(ind.NameEn, i)
		for _, a := range ind.Aliases {
			add(a, i)
		}
	}
}

// Lookup finds the indicator a sheet or file names: by code, by Chinese or
// English name, or by a catalogue alias; spaces, case, full-width forms and
// quotation marks do not matter. A name two indicators share is refused as
// ambiguous rather than guessed.
func (c *Catalog) Lookup(name string) (Indicator, error) {
	s := strings.TrimSpace(name)
	if ind, ok := c.Indicator(s); ok {
		return ind, nil
	}
	if ind, ok := c.Indicator(strings.ToLower(s)); ok {
		return ind, nil
	}
	k := normName(s)
	// A Chinese or English name wins over an alias that happens to equal it.
	for _, i := range c.byName[k] {
		if ind := c.Indicators[i]; normName(ind.Name) == k || normName(ind.NameEn) == k {
			return ind, nil
		}
	}
	switch hits := c.byName[k]; len(hits) {
	case 0:
		return Indicator{}, Errorf(ENOTFOUND, "指标目录中没有“%s”", s)
	case 1:
		return c.Indicators[hits[0]], nil
	default:
		codes := make([]string, len(hits))
		for j, i := range hits {
			codes[j] = c.Indicators[i].Code
		}
		return Indicator{}, Errorf(EINVALID, "“%s”可指多个指标（%s），请填写指标代码", s, strings.Join(codes, "、"))
	}
}

// normName folds what people vary when they type a name: full-width
// letters and digits, case, spaces and quotation marks.
func normName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～': // full-width ASCII forms
			r -= '！' - '!'
		case r == '\u3000':
			continue
		}
		if unicode.IsSpace(r) || strings.ContainsRune("\"'“”‘’「」『』", r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Bound says that one count can never exceed another for the same bureau
// and year: a rate's numerator its denominator, or an AtMost pair.
type Bound struct {
	Part, Whole string // indicator codes
	Why         string // the rate or rule that implies it
}

// Bounds lists the part ≤ whole pairs the catalogue implies, derived from
// the rates' numerators and denominators and from AtMost, without repeats.
func (c *Catalog) Bounds() []Bound {
	var out []Bound
	seen := map[[2]string]bool{}
	add := func(part, whole, why string) {
		if k := [2]string{part, whole}; !seen[k] {
			seen[k] = true
			out = append(out, Bound{Part: part, Whole: whole, Why: why})
		}
	}
	for _, ind := range c.Indicators {
		if ind.Kind == KindRate {
			add(ind.Numerator, ind.Denominator, fmt.Sprintf("%s = %s ÷ %s", ind.Name, c.name(ind.Numerator), c.name(ind.Denominator)))
		}
	}
	for _, ind := range c.Indicators {
		if ind.AtMost != "" {
			add(ind.Code, ind.AtMost, fmt.Sprintf("%s不能多于%s", ind.Name, c.name(ind.AtMost)))
		}
	}
	return out
}

func (c *Catalog) name(code string) string {
	if ind, ok := c.Indicator(code); ok {
		return ind.Name
	}
	return code
}
