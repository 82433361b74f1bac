package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDebugMeta(t *testing.T) {
	files, _ := filepath.Glob("testdata/corpus/*.txt")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		r, err := ReadReport(f, data)
		if err != nil {
			t.Fatal(err)
		}
		m := r.Meta
		t.Logf("%s | region=%s | bureau=%s (%s) | year=%d | pub=%s | title=%s", filepath.Base(f), m.Region, m.Bureau, m.BureauType, m.Year, m.PublishDate, m.Title)
		for _, rm := range r.Removed {
			if rm.Kind != RemovedChrome {
				t.Logf("   removed %s %q %d-%d", rm.Kind, rm.Quote, rm.Start, rm.End)
			}
		}
	}
}
