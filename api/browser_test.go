package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserPages are the pages the browser test draws, with the least number
// of charts each must render.
var browserPages = []struct {
	name, path string
	charts     int
}{
	{"overview", "/", 2},
	{"compare", "/compare?year=2024&indicator=litigation_loss_rate", 2},
	{"index", "/index?year=2024", 2},
	{"trend", "/trend?indicator=law_publicity_events&org=320582-jyj&org=320582-rsj&org=320582-gaj", 2},
	{"org", "/orgs/320582-jyj", 10},
	{"coverage", "/coverage?year=2024", 1},
	{"figures", "/figures?org=320582-jyj&year=2019", 0},
}

// chromium finds the browser: CHROMIUM, or chromium on the PATH. Without
// one the test is skipped locally and fails in CI (CI=true), which installs
// it (see .ci/run).
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed: the browser tests must run in CI (.ci/run installs it)")
		}
		t.Skip("chromium is not installed; set CHROMIUM or install it to run the browser tests")
	}
	return path
}

// TestPagesDrawTheirChartsInChromium opens every page in headless Chromium
// at desktop and phone width against a server holding the sample: each
// answers, each chart draws on its canvas, nothing is written to the
// console as an error, and a screenshot of each is saved in
// out/screenshots/ for a person to look at.
func TestPagesDrawTheirChartsInChromium(t *testing.T) {
	bin := chromium(t)
	srv, _ := newServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	shots := filepath.Join("..", "out", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"), chromedp.UserDataDir(t.TempDir()))
	defer cancel()
	browser, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(browser); err != nil { // start the browser once
		t.Fatalf("start %s: %v", bin, err)
	}

	for _, vp := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 900, false}, {"phone", 400, 860, true}} {
		for _, pg := range browserPages {
			t.Run(pg.name+"-"+vp.name, func(t *testing.T) {
				tab, cancel := chromedp.NewContext(browser)
				defer cancel()
				tab, cancel = context.WithTimeout(tab, 60*time.Second)
				defer cancel()
				var mu sync.Mutex
				var problems []string
				console := chromedp.Console(tab)
				go func() {
					for m, err := range console {
						if err != nil {
							return
						}
						if m.Type == chromedp.ConsoleError || m.IsException() {
							mu.Lock()
							problems = append(problems, m.String())
							mu.Unlock()
						}
					}
				}()
				emulate := []chromedp.EmulateViewportOption{}
				if vp.mobile {
					emulate = append(emulate, chromedp.EmulateMobile)
				}
				res, err := chromedp.Run(tab, chromedp.NavigateResponse(ts.URL+pg.path))
				if err == nil && res.Status != 200 {
					err = fmt.Errorf("status %d", res.Status)
				}
				if err == nil {
					err = chromedp.Do(tab, chromedp.EmulateViewport(vp.width, vp.height, emulate...))
				}
				if err != nil {
					t.Fatalf("open %s: %v", pg.path, err)
				}
				// Every chart holder gets data-rendered and a canvas with
				// something drawn on it.
				drawn, err := chromedp.Run(tab, chromedp.Poll[int](`(() => {
					const holders = document.querySelectorAll('script[data-chart]');
					let drawn = 0;
					for (const h of holders) {
						const el = document.getElementById(h.dataset.chart);
						const c = el && el.getAttribute('data-rendered') && el.querySelector('canvas');
						if (!c || !c.width || !c.height) return false;
						const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
						let ink = false;
						for (let i = 3; i < px.length; i += 64) if (px[i] > 0) { ink = true; break; }
						if (!ink) return false;
						drawn++;
					}
					return holders.length === drawn ? drawn + 1 : false;
				})()`, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(100*time.Millisecond)))
				if err != nil {
					t.Fatalf("%s: charts not drawn: %v", pg.path, err)
				}
				if drawn-1 < pg.charts {
					t.Errorf("%s: %d charts drawn, want at least %d", pg.path, drawn-1, pg.charts)
				}
				// Let the entry animation finish before the screenshot.
				if err := chromedp.Do(tab, chromedp.Sleep(900*time.Millisecond)); err != nil {
					t.Fatal(err)
				}
				png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatalf("%s: screenshot: %v", pg.path, err)
				}
				if err := os.WriteFile(filepath.Join(shots, pg.name+"-"+vp.name+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if len(problems) > 0 {
					t.Errorf("%s: console errors:\n%s", pg.path, strings.Join(problems, "\n"))
				}
			})
		}
	}
}
