package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// heldOutSets are report excerpts kept out of the extractor's development
// (see each folder's README and docs/extractor-unseen*.md): answers.tsv as in
// the corpus, and indicators.tsv, the catalogue code an analyst gives each
// answer ("" for none). Each has floors a little under what the extractor
// did when it was measured, so that a rule fitted to the corpus that reads
// other reports worse fails here.
//
// testdata/unseen has since been used to find the extractor's general
// weaknesses (2026-11-26: 124/125 found, 107/124 with the expected
// indicator); testdata/unseen2 was gathered after that, as a check that
// the gains carry over (64/64 found, 47/64 with the expected indicator: they
// did for values, much less for indicators, see docs/extractor-unseen2.md;
// 53/64 after catalogue aliases found with it, so it is no longer unseen).
var heldOutSets = []struct {
	dir             string
	minFound, minOK float64 // shares of answers found, and of those with the expected indicator
}{
	{"testdata/unseen", 0.96, 0.82},
	{"testdata/unseen2", 0.95, 0.70},
}

// TestUnseenReports measures the extractor on reports it was not written
// against: how many answers it finds with the right value, and how many of
// those carry the indicator an analyst would give.
func TestUnseenReports(t *testing.T) {
	for _, set := range heldOutSets {
		t.Run(filepath.Base(set.dir), func(t *testing.T) {
			hits, coded, total := measureHeldOut(t, set.dir)
			found, ok := float64(hits)/float64(total), float64(coded)/float64(max(hits, 1))
			t.Logf("%s: %d/%d found (%.1f%%), %d/%d of them with the right indicator (%.1f%%)",
				set.dir, hits, total, 100*found, coded, hits, 100*ok)
			if found < set.minFound || ok < set.minOK {
				t.Errorf("%s reads worse: %.1f%% found (floor %.0f%%), %.1f%% with the right indicator (floor %.0f%%)",
					set.dir, 100*found, 100*set.minFound, 100*ok, 100*set.minOK)
			}
		})
	}
}

// measureHeldOut counts the answers of dir found with their value, and of
// those the ones whose figure has the expected indicator; it logs each miss.
func measureHeldOut(t *testing.T, dir string) (hits, coded, total int) {
	answers := readAnswers(t, dir)
	codes := map[string]string{} // file + phrase → code
	data, err := os.ReadFile(filepath.Join(dir, "indicators.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if c := strings.Split(row, "\t"); i > 0 && len(c) == 4 {
			codes[c[0]+"\t"+c[2]] = c[3]
		}
	}
	figures := map[string][]Figure{}
	for _, a := range answers {
		figs, ok := figures[a.file]
		if !ok {
			figs = ExtractFigures(readReportIn(t, dir, a.file), nil)
			figures[a.file] = figs
		}
		if !found(a, figs) {
			t.Logf("miss %s: %s = %s %s in %q", a.file, a.label, a.value, a.unit, a.phrase)
			continue
		}
		hits++
		want, got := codes[a.file+"\t"+a.phrase], stating(a, a.values[0], figs).Indicator
		if got == want {
			coded++
		} else {
			t.Logf("indicator %s: %q (%s) read as %q, want %q", a.file, a.phrase, a.label, got, want)
		}
	}
	return hits, coded, len(answers)
}
