package api_test

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fazhi/api"
)

// TestChartsDrawUnderTheContentSecurityPolicy loads pages in headless
// Chromium, as served with their Content-Security-Policy: every chart is
// drawn (fazhi.js and echarts ran), and the browser reports no violation.
func TestChartsDrawUnderTheContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (.ci/run installs it)")
	}
	srv, _ := newBareServer(t, api.Options{PublicRead: true})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for _, page := range []string{"/", "/figures?org=320582-jyj", "/login"} {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
			"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir="+filepath.Join(t.TempDir(), "profile"), "--enable-logging=stderr", "--v=0",
			"--virtual-time-budget=5000", "--dump-dom", ts.URL+page)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		dom, err := cmd.Output()
		cancel()
		if err != nil {
			t.Fatalf("chromium on %s: %v\n%s", page, err, stderr.String())
		}
		charts := len(regexp.MustCompile(`<div class="chart" id=`).FindAll(dom, -1))
		drawn := strings.Count(string(dom), `data-rendered="1"`)
		if charts != drawn {
			t.Errorf("%s: %d of %d charts drawn", page, drawn, charts)
		}
		if page == "/" && charts < 2 {
			t.Errorf("%s: only %d charts on the page", page, charts)
		}
		for _, line := range strings.Split(stderr.String(), "\n") {
			if strings.Contains(line, "Content Security Policy") || strings.Contains(line, "Refused to") {
				t.Errorf("%s: %s", page, line)
			}
		}
	}
}
