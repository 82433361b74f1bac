package fazhi_test

import (
	"testing"

	"fazhi"
)

func TestConvertUnit(t *testing.T) {
	cases := []struct {
		v        float64
		from, to string
		want     float64
		ok       bool
	}{
		{22000, "元", "万元", 2.2, true},
		{2.2, "万元", "元", 22000, true},
		{71, "位", "人", 71, true},
		{8, "", "名", 8, true},
		{5, "件", "万元", 0, false},
		{5, "人次", "人", 0, false},
		{14, "起", "件", 14, true},
		{62, "户", "件", 62, true},
		{41, "份", "件", 0, false}, // copies of a judgment are not cases
	}
	for _, c := range cases {
		got, ok := fazhi.ConvertUnit(c.v, c.from, c.to)
		if ok != c.ok || (ok && (got-c.want > 1e-9 || c.want-got > 1e-9)) {
			t.Errorf("ConvertUnit(%v, %s, %s) = %v, %v; want %v, %v", c.v, c.from, c.to, got, ok, c.want, c.ok)
		}
	}
}
