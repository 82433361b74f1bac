package fazhi

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// Indicator kinds, polarities and aggregation rules.
const (
	KindCount  = "count"
	KindRate   = "rate"
	KindAmount = "amount"

	PolarityHigher  = "higher"  // a higher value is better
	PolarityLower   = "lower"   // a lower value is better
	PolarityNeutral = "neutral" // neither: a volume, not a score

	// AggregateSum adds values over bureaus; AggregateRatio recomputes a rate
	// from the summed numerator and denominator, never by averaging rates.
	AggregateSum   = "sum"
	AggregateRatio = "ratio"
)

// Area is one of the areas of 法治政府建设实施纲要 that group indicators.
type Area struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
}

// Indicator is a catalogue entry: what is counted, in which unit, and how it
// compares and aggregates.
type Indicator struct {
	Code        string `json:"code"`
	Area        string `json:"area"`
	Name        string `json:"name"`
	NameEn      string `json:"name_en"`
	Unit        string `json:"unit"`
	Kind        string `json:"kind"`
	Polarity    string `json:"polarity"`
	Aggregate   string `json:"aggregate"`
	Numerator   string `json:"numerator,omitempty"`
	Denominator string `json:"denominator,omitempty"`
	// AtMost names a count this count can never exceed for the same bureau
	// and year (corrected reconsiderations ≤ reconsideration cases) where no
	// rate says so already; see Catalog.Bounds.
	AtMost  string   `json:"at_most,omitempty"`
	Aliases []string `json:"aliases,omitempty"` // other names used in reports and sheets
}

// PolarityLabel is the Chinese label of the indicator's polarity.
func (ind Indicator) PolarityLabel() string {
	switch ind.Polarity {
	case PolarityHigher:
		return "越高越好"
	case PolarityLower:
		return "越低越好"
	}
	return "中性"
}

// Catalog is the indicator catalogue embedded in the binary.
type Catalog struct {
	Version    string      `json:"version"`
	Areas      []Area      `json:"areas"`
	Indicators []Indicator `json:"indicators"`

	byCode map[string]int
	byName map[string][]int // names, English names and aliases, normalised
}

//go:embed catalog.json
var catalogJSON []byte

var (
	catalogOnce sync.Once
	catalog     *Catalog
)

// DefaultCatalog returns the embedded catalogue. It panics only if the file
// shipped in the binary is broken, which the tests rule out.
func DefaultCatalog() *Catalog {
	catalogOnce.Do(func() {
		c, err := ParseCatalog(catalogJSON)
		if err != nil {
			panic(fmt.Sprintf("embedded catalog.json: %v", err))
		}
		catalog = c
	})
	return catalog
}

// ParseCatalog decodes and checks a catalogue.
func ParseCatalog(data []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("parse catalog: %w", err)
	}
	c.byCode = make(map[string]int, len(c.Indicators))
	for i, ind := range c.Indicators {
		if _, dup := c.byCode[ind.Code]; dup {
			return nil, fmt.Errorf("catalog: indicator %q listed twice", ind.Code)
		}
		c.byCode[ind.Code] = i
	}
	c.indexNames()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks that every entry is complete and that rates point at
// existing count indicators.
func (c *Catalog) Validate() error {
	areas := map[string]bool{}
	for _, a := range c.Areas {
		areas[a.Code] = true
	}
	for _, ind := range c.Indicators {
		switch {
		case ind.Code == "" || ind.Name == "" || ind.NameEn == "":
			return fmt.Errorf("catalog: indicator %q lacks a code or name", ind.Code)
		case !areas[ind.Area]:
			return fmt.Errorf("catalog: indicator %q in unknown area %q", ind.Code, ind.Area)
		case ind.Unit == "":
			return fmt.Errorf("catalog: indicator %q has no unit", ind.Code)
		case ind.Kind != KindCount && ind.Kind != KindRate && ind.Kind != KindAmount:
			return fmt.Errorf("catalog: indicator %q has kind %q", ind.Code, ind.Kind)
		case ind.Polarity != PolarityHigher && ind.Polarity != PolarityLower && ind.Polarity != PolarityNeutral:
			return fmt.Errorf("catalog: indicator %q has polarity %q", ind.Code, ind.Polarity)
		}
		if ind.Kind == KindRate {
			if ind.Aggregate != AggregateRatio || ind.Unit != "%" {
				return fmt.Errorf("catalog: rate %q must aggregate as ratio in %%", ind.Code)
			}
			for _, part := range []string{ind.Numerator, ind.Denominator} {
				p, ok := c.Indicator(part)
				if !ok || p.Kind != KindCount {
					return fmt.Errorf("catalog: rate %q refers to %q, which is not a count indicator", ind.Code, part)
				}
			}
		} else if ind.Aggregate != AggregateSum {
			return fmt.Errorf("catalog: %q must aggregate as sum", ind.Code)
		}
		if ind.AtMost != "" {
			if w, ok := c.Indicator(ind.AtMost); ind.Kind != KindCount || !ok || w.Kind != KindCount || w.Unit != ind.Unit {
				return fmt.Errorf("catalog: %q is at most %q: both must be counts in one unit", ind.Code, ind.AtMost)
			}
		}
	}
	return nil
}

// Indicator looks an indicator up by code.
func (c *Catalog) Indicator(code string) (Indicator, bool) {
	i, ok := c.byCode[code]
	if !ok {
		return Indicator{}, false
	}
	return c.Indicators[i], true
}

// Area looks an area up by code.
func (c *Catalog) Area(code string) (Area, bool) {
	for _, a := range c.Areas {
		if a.Code == code {
			return a, true
		}
	}
	return Area{}, false
}

// InArea lists the indicators of an area in catalogue order.
func (c *Catalog) InArea(area string) []Indicator {
	var out []Indicator
	for _, ind := range c.Indicators {
		if ind.Area == area {
			out = append(out, ind)
		}
	}
	return out
}
