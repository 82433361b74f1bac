package dashboards

import "testing"

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		v    float64
		unit string
		want string
	}{
		{1234, "件", "1,234"}, {23712, "人次", "23,712"}, {1234567, "", "1,234,567"},
		{95, "%", "95.0%"}, {99.95, "%", "100.0%"}, {2.2, "万元", "2.2"}, {-1234.5, "", "-1,234.5"},
		{0, "件", "0"}, {100, "件", "100"},
	}
	for _, c := range cases {
		if got := FormatNumber(c.v, c.unit); got != c.want {
			t.Errorf("FormatNumber(%v, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
	if got := FormatValue(1234, "场"); got != "1,234 场" {
		t.Errorf("FormatValue = %q", got)
	}
}

func TestDeltaRespectsPolarity(t *testing.T) {
	if d := NewDelta(97.5, 95, "%", "higher"); d.Text != "较上年 +2.5 个百分点" || !d.Good {
		t.Errorf("rate up, higher better: %+v", d)
	}
	if d := NewDelta(12, 10, "%", "lower"); d.Good || d.Class != "down" {
		t.Errorf("loss rate up is bad: %+v", d)
	}
	if d := NewDelta(90, 100, "件", "neutral"); d.Text != "较上年 -10.0%" || d.Class != "flat" {
		t.Errorf("neutral count: %+v", d)
	}
}
