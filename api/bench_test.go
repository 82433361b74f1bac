package api_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/xuri/excelize/v2"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
)

// The benchmark dataset: 300 regions × 35 bureaus × 10 years × 35
// indicators, about 3.6 million figures, built once per process in a
// temporary folder (see LoadSynthetic).
var bench struct {
	once sync.Once
	dir  string
	srv  *api.Server
	wh   *analytics.Warehouse
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.wh != nil {
		bench.wh.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

func benchServer(b *testing.B) *api.Server {
	b.Helper()
	bench.once.Do(func() {
		ctx := context.Background()
		if bench.dir, bench.err = os.MkdirTemp("", "fazhi-bench-"); bench.err != nil {
			return
		}
		bench.wh, bench.err = analytics.Open(ctx, filepath.Join(bench.dir, "bench.duckdb"), fazhi.DefaultCatalog())
		if bench.err != nil {
			return
		}
		start := time.Now()
		n, err := bench.wh.LoadSynthetic(ctx, analytics.Synthetic{Regions: 300, Bureaus: 35, Years: 10, Indicators: 35, FirstYear: 2015})
		if bench.err = err; err != nil {
			return
		}
		fmt.Fprintf(os.Stderr, "benchmark dataset: %d observations in %v\n", n, time.Since(start).Round(time.Millisecond))
		bench.srv = api.New(bench.wh, zerolog.Nop())
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.srv
}

// benchGet requests target b.N times and reports the median time of a
// request, which is what a user waits for, beside go test's mean.
func benchGet(b *testing.B, target string) {
	srv := benchServer(b)
	cookies := benchAnalyst(b) // a signed-in reader: the session check is part of every request
	get := func() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, target, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d: %.300s", target, rec.Code, rec.Body.String())
		}
	}
	get() // warm the caches once, as a running server has them
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		get()
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms/median")
}

func BenchmarkComparePageBureauType(b *testing.B) {
	benchGet(b, "/compare?year=2024&indicator=litigation_loss_rate&bureau_type="+url.QueryEscape("类型03"))
}

func BenchmarkComparePageRegion(b *testing.B) {
	benchGet(b, "/compare?year=2024&indicator=law_publicity_events&region=S00R0100")
}

func BenchmarkTrendPageOrgs(b *testing.B) {
	var q []string
	for _, r := range []int{3, 70, 150, 222, 299} {
		q = append(q, fmt.Sprintf("org=S00R%04d-B%02d", r, r%35))
	}
	benchGet(b, "/trend?indicator=law_publicity_events&"+strings.Join(q, "&"))
}

func BenchmarkTrendPageRegion(b *testing.B) {
	benchGet(b, "/trend?indicator=ecert_completion_rate&region=S00R0042")
}

// BenchmarkExcelExport100k downloads /figures.xlsx of one indicator: about
// 103,000 figures with their provenance on the 数据来源 sheet, and
// reports the peak Go heap and the peak growth of the process's resident
// memory (Go and DuckDB) during the export.
func BenchmarkExcelExport100k(b *testing.B) {
	srv := benchServer(b)
	target := "/figures.xlsx?indicator=law_publicity_events"
	cookies := benchAnalyst(b)
	var peakHeap, peakRSS uint64
	var rows int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		resetPeakRSS()
		base := rss()
		stop := sampleHeap(&peakHeap)
		b.StartTimer()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, target, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		srv.ServeHTTP(rec, req)
		b.StopTimer()
		stop()
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", target, rec.Code)
		}
		if grown := peakRSSNow() - base; grown > peakRSS && peakRSSNow() > base {
			peakRSS = grown
		}
		if i == 0 {
			rows = countRows(b, rec.Body.Bytes())
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(peakHeap)/(1<<20), "MB-peak-heap")
	b.ReportMetric(float64(peakRSS)/(1<<20), "MB-peak-rss-growth")
}

// countRows reads the number of data rows of the 数据来源 sheet.
func countRows(b *testing.B, xlsx []byte) int {
	f, err := openXLSX(xlsx)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows("数据来源")
	if err != nil {
		b.Fatal(err)
	}
	n := -1
	for rows.Next() {
		n++
	}
	return n
}

// sampleHeap records the largest Go heap in use until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > *peak {
				*peak = v
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// resetPeakRSS resets the kernel's high-water mark of resident memory
// (Linux: /proc/self/clear_refs), so that VmHWM measures one export.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func rss() uint64        { return procStatus("VmRSS:") }
func peakRSSNow() uint64 { return procStatus("VmHWM:") }

func procStatus(field string) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func openXLSX(b []byte) (*excelize.File, error) { return excelize.OpenReader(bytesReader(b)) }

func bytesReader(b []byte) io.Reader { return strings.NewReader(string(b)) }
