package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtract measures reading and extraction over the corpus text;
// SetBytes makes the result a throughput in MB/s of report text.
func BenchmarkExtract(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	type doc struct {
		name string
		data []byte
	}
	var docs []doc
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, doc{filepath.Base(f), data})
		total += len(data)
	}
	lexicon() // load the embedded word list outside the timing
	b.SetBytes(int64(total))
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			r, err := ReadReport(d.name, d.data)
			if err != nil {
				b.Fatal(err)
			}
			ExtractFigures(r, nil)
		}
	}
}
