package ingest

import (
	"strconv"
	"strings"
	"testing"
)

func TestHasFormulaFindsFormulaElementsOnly(t *testing.T) {
	for xml, want := range map[string]bool{
		`<c r="A1"><f>1+1</f><v>2</v></c>`:                 true,
		`<c r="A1"><f t="shared" ref="A1:A3" si="0"/></c>`: true,
		`<c r="B2"><f/></c>`:                               true,
		`<x:c r="A1"><x:f>SUM(A2:A3)</x:f></x:c>`:          true,
		`<c r="A1" t="s"><v>0</v></c><fill/><font/>`:       false,
		`<x:fills count="1"/><sheetFormatPr/><cols/>`:      false,
		`<c t="inlineStr"><is><t>f</t></is></c>`:           false,
		`<c`:                                               false,
	} {
		if got := hasFormula([]byte(xml)); got != want {
			t.Errorf("hasFormula(%s) = %v, want %v", xml, got, want)
		}
	}
}

// TestStreamHasFormulaAcrossChunks puts a formula element across every
// position of a chunk boundary: a tag cut in two must still be found, and
// a sheet without one must not be taken for one.
func TestStreamHasFormulaAcrossChunks(t *testing.T) {
	const chunk = 64 << 10
	filler := strings.Repeat(`<c r="A1"><v>1</v></c>`, chunk/20)
	for _, tag := range []string{`<f>1+1</f>`, `<x:f t="shared"/>`, `<f/>`} {
		for shift := -len(tag) - 2; shift <= 2; shift++ {
			xml := filler[:chunk+shift] + tag + filler
			if found, err := streamHasFormula(strings.NewReader(xml)); err != nil || !found {
				t.Errorf("%s at %d bytes before the chunk's end: found %v, %v", tag, -shift, found, err)
			}
		}
	}
	if found, err := streamHasFormula(strings.NewReader(filler + `<fill/><font/>` + filler)); err != nil || found {
		t.Errorf("a sheet without formulas: found %v, %v", found, err)
	}
}

func TestDimensionGivesTheRowsOfASheet(t *testing.T) {
	for head, want := range map[string]int{
		`<worksheet><dimension ref="A1:F100001"/><sheetData>`: 100001,
		`<x:worksheet><x:dimension ref="B2:C7"/>`:             7,
		`<worksheet><dimension ref="A1"></dimension>`:         0,
		`<worksheet><sheetData>`:                              0,
	} {
		if m := dimensionRef.FindStringSubmatch(head); (m == nil && want != 0) || (m != nil && m[1] != strconv.Itoa(want)) {
			t.Errorf("%s: %v, want %d", head, m, want)
		}
	}
}
