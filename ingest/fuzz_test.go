package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

func addFuzzSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(filepath.Base(name), data[:min(len(data), 1500)])
		}
	}
	if data, err := os.ReadFile("testdata/gbk-report.html"); err == nil {
		f.Add("gbk-report.html", data)
	}
	f.Add("x.htm", []byte("<p>办理案件<b>3</b>件&amp;&#x4e00;名</p><script>1</script>"))
	f.Add("x.txt", []byte("截至202"))
	f.Add("x.txt", []byte("三十余万人、百分之九十八、1.5万余元、一百零五件"))
	f.Add("x.txt", []byte("对71位干部(含第3批)进行“2019年度”〔2019〕5号考试,通过7人;3名通过考试的人员参加"))
}

// FuzzReadReport: no input makes the reader panic, and every removal it
// reports lies inside the file.
func FuzzReadReport(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		r, err := ReadReport(name, data)
		if err != nil {
			return
		}
		for _, rm := range r.Removed {
			if rm.Start < 0 || rm.End > len(data) || rm.Start > rm.End {
				t.Fatalf("removal %+v outside the %d-byte file", rm, len(data))
			}
		}
	})
}

// FuzzExtract: extraction never panics and every quote is the original
// text at its offsets.
func FuzzExtract(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		r, err := ReadReport(name, data)
		if err != nil {
			return
		}
		for _, fig := range ExtractFigures(r, nil) {
			if fig.Start < 0 || fig.End > len(data) || fig.Start >= fig.End {
				t.Fatalf("figure %+v outside the %d-byte file", fig, len(data))
			}
			if r.Encoding == EncodingUTF8 && string(data[fig.Start:fig.End]) != fig.Quote {
				t.Fatalf("quote %q but original holds %q", fig.Quote, data[fig.Start:fig.End])
			}
			if !utf8.ValidString(fig.Quote) || fig.Confidence <= 0 || fig.Confidence > 1 {
				t.Fatalf("bad figure %+v", fig)
			}
		}
	})
}
