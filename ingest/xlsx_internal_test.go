package ingest

import "testing"

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
