package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fazhi"
	"fazhi/analytics"
)

// benchOrgs are the bureaus the benchmark files report for.
func benchOrgs(n int) []fazhi.Org {
	orgs := []fazhi.Org{{Code: "r", Name: "某市", FullName: "某市", Kind: fazhi.OrgDistrict}}
	for i := 0; i < n; i++ {
		orgs = append(orgs, fazhi.Org{Code: fmt.Sprintf("r-%d", i), Name: fmt.Sprintf("局%d", i),
			FullName: fmt.Sprintf("某市局%d", i), Kind: fazhi.OrgBureau, ParentCode: "r"})
	}
	return orgs
}

// benchRows calls row for nOrgs × 20 count indicators × years 2015–2024,
// with steady values that keep every part below its whole (no flags, no
// refusals: the benchmark measures the path a clean file takes).
func benchRows(nOrgs int, row func(org string, year int, indicator string, value int)) {
	cat := fazhi.DefaultCatalog()
	parts := map[string]bool{}
	for _, b := range cat.Bounds() {
		parts[b.Part] = true
	}
	var inds []string
	for _, ind := range cat.Indicators {
		if ind.Kind == fazhi.KindCount && len(inds) < 20 {
			inds = append(inds, ind.Code)
		}
	}
	for i := 0; i < nOrgs; i++ {
		for y := 2015; y < 2025; y++ {
			for _, ind := range inds {
				v := 100 + i%50
				if parts[ind] {
					v = 10 + i%5
				}
				row(fmt.Sprintf("r-%d", i), y, ind, v)
			}
		}
	}
}

// benchDB makes a fresh database holding the bureaus.
func benchDB(b *testing.B, nOrgs int) string {
	b.Helper()
	db := filepath.Join(b.TempDir(), "bench.duckdb")
	wh, err := analytics.Open(context.Background(), db, fazhi.DefaultCatalog())
	if err != nil {
		b.Fatal(err)
	}
	if err := wh.UpsertOrgs(context.Background(), benchOrgs(nOrgs)); err != nil {
		b.Fatal(err)
	}
	wh.Close()
	return db
}

// peakMemory samples the Go heap in use while a benchmark runs, and resets
// and reads the process's peak resident set (VmHWM), which also counts
// DuckDB's own allocations.
type peakMemory struct {
	stop chan struct{}
	done sync.WaitGroup
	heap uint64
}

func startPeakMemory() *peakMemory {
	debug.FreeOSMemory()                                  // the garbage of preparing the file is not the import's
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM to the current RSS
	p := &peakMemory{stop: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			p.heap = max(p.heap, sample[0].Value.Uint64()+sample[1].Value.Uint64())
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

// report stops sampling and reports peak-heap-MB and peak-rss-MB.
func (p *peakMemory) report(b *testing.B) {
	close(p.stop)
	p.done.Wait()
	b.ReportMetric(float64(p.heap)/(1<<20), "peak-heap-MB")
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
				kb, _ := strconv.Atoi(f[1])
				b.ReportMetric(float64(kb)/1024, "peak-rss-MB")
			}
		}
	}
}

// benchIngest runs `fazhi ingest` on file into a fresh database per
// iteration, timing the command end to end: reading, parsing, validating
// and loading in one batch.
func benchIngest(b *testing.B, file string, nOrgs, want int, extra ...string) {
	var peak *peakMemory
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := benchDB(b, nOrgs)
		args := append([]string{"ingest", "--db", db, "--format", "json"}, extra...)
		if i == 0 {
			peak = startPeakMemory()
		}
		b.StartTimer()
		var out strings.Builder
		code := run(context.Background(), append(args, file), &out, &out)
		if i == 0 {
			peak.report(b)
		}
		b.StopTimer()
		if code != 0 || !strings.Contains(out.String(), fmt.Sprintf(`"new": %d`, want)) {
			b.Fatalf("ingest exited %d: %.2000s", code, out.String())
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(want)*float64(b.N)/b.Elapsed().Seconds(), "obs/s")
}

// BenchmarkIngestCSV imports 1,000,000 observations (5,000 bureaus × 20
// indicators × 10 years) from one CSV file.
func BenchmarkIngestCSV(b *testing.B) {
	const nOrgs = 5000
	file := filepath.Join(b.TempDir(), "history.csv")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("org,year,indicator,value,unit,note\n")
	n := 0
	benchRows(nOrgs, func(org string, year int, ind string, v int) {
		fmt.Fprintf(w, "%s,%d,%s,%d,,\n", org, year, ind, v)
		n++
	})
	w.Flush()
	f.Close()
	b.ResetTimer()
	benchIngest(b, file, nOrgs, n, "--max-upload-mb", "100", "--max-rows", "1000000")
}

// BenchmarkIngestXLSX imports a long table of 100,000 rows (500 bureaus ×
// 20 indicators × 10 years) from one workbook written as Excel writes one
// (shared strings, empty cells omitted), read with excelize's streaming
// Rows().
func BenchmarkIngestXLSX(b *testing.B) {
	const nOrgs = 500
	file := filepath.Join(b.TempDir(), "history.xlsx")
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"单位编码", "年度", "指标", "数值", "计量单位", "备注"})
	n := 0
	benchRows(nOrgs, func(org string, year int, ind string, v int) {
		n++
		if err := x.SetSheetRow("Sheet1", "A"+strconv.Itoa(n+1), &[]any{org, year, ind, v}); err != nil {
			b.Fatal(err)
		}
	})
	if err := x.SaveAs(file); err != nil {
		b.Fatal(err)
	}
	x.Close()
	b.ResetTimer()
	benchIngest(b, file, nOrgs, n)
}
