package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
	"fazhi/ingest"
)

// browserPage is a page the browser test opens: the least number of
// charts it must draw, and CSS selectors that must and must not match
// (what the reader is offered).
type browserPage struct {
	name, path   string
	charts       int
	want, absent []string
	open         string // a <summary> to click open before the screenshot
}

// Selectors of what only some readers are offered.
const (
	downloadLinks = `p.downloads a[href*=".xlsx"]`
	weightsForm   = `form[action="/index/methodologies"]`
	importForm    = `form[action="/imports"][enctype="multipart/form-data"]`
	rollbackForm  = `form[action$="/rollback"]`
)

// browserReaders are who opens which pages: a stranger on a --public-read
// site and a user of each role, signed in through the sign-in form. nav is
// the menu each must see, exactly. Together they cover every page.
var browserReaders = []struct {
	role  fazhi.Role // "" for the stranger
	org   string
	nav   string
	pages []browserPage
}{
	{"", "", "/ /compare /index /trend /coverage /figures", []browserPage{
		{"login", "/login", 0, []string{`form.login input[name="_csrf"]`}, []string{`header .account form`}, ""},
		{"overview", "/", 2, []string{`header .account a[href="/login"]`}, []string{downloadLinks}, ""},
		{"index", "/index?year=2024", 2, nil, []string{weightsForm, downloadLinks}, ""},
	}},
	{fazhi.RoleViewer, "", "/ /compare /index /trend /coverage /figures", []browserPage{
		{"compare", "/compare?year=2024&indicator=litigation_loss_rate", 2, nil, []string{downloadLinks}, ""},
		{"coverage", "/coverage?year=2024", 1, []string{`td.cov.pending`}, []string{downloadLinks}, ""},
		{"figures", "/figures?org=320582-jyj&year=2019", 0, nil, nil, ""},
		{"account", "/account", 0, []string{`form[action="/account/password"] input[name="_csrf"]`}, nil, ""},
	}},
	{fazhi.RoleReporter, "320582-jyj", "/ /compare /index /trend /coverage /figures /imports /documents", []browserPage{
		{"documents", "/documents", 0, []string{`form[action="/documents"] input[name="_csrf"]`}, nil, ""},
		{"imports", "/imports", 0, []string{importForm + ` input[name="_csrf"]`, `#t-org option[value="320582-jyj"]`},
			[]string{rollbackForm, `#t-org option[value="320582-gaj"]`}, ""},
		{"trend", "/trend?indicator=law_publicity_events&org=320582-jyj&org=320582-rsj&org=320582-gaj", 2, nil, []string{downloadLinks}, ""},
	}},
	{fazhi.RoleAnalyst, "", "/ /compare /index /trend /coverage /figures /imports /documents", []browserPage{
		{"imports", "/imports", 0, []string{importForm + ` input[name="_csrf"]`, `#t-org option[value="320582-gaj"]`}, []string{rollbackForm}, ""},
		{"org", "/orgs/320582-jyj", 10, []string{downloadLinks}, nil, ""},
		{"review", "", 0, []string{`form[action$="/review"] input[name="_csrf"]`}, nil, ""}, // the uploaded report's page
		{"index", "/index?year=2024", 2, []string{downloadLinks}, []string{weightsForm}, ""},
	}},
	{fazhi.RoleAdmin, "", "/ /compare /index /trend /coverage /figures /imports /documents /admin/users /admin/audit", []browserPage{
		{"imports", "/imports", 0, []string{importForm + ` input[name="_csrf"]`, rollbackForm + ` input[name="_csrf"]`}, nil, ""},
		{"import-batch", "{batch}", 0, []string{rollbackForm + ` input[name="_csrf"]`, `a[href$="/file"]`}, nil, ""},
		{"index", "/index?year=2024", 2, []string{weightsForm + ` input[name="_csrf"]`, downloadLinks}, nil, "#weights > summary"},
		{"users", "/admin/users", 0, []string{`form[action="/admin/users"] input[name="_csrf"]`}, nil, ""},
		{"audit", "/admin/audit", 0, nil, nil, ""},
	}},
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
// at desktop and phone width, as a stranger on a --public-read site and as
// a user of each role signed in through the sign-in form, against a server
// holding the sample. Each page answers under its Content-Security-Policy,
// each chart draws on its canvas, nothing is written to the console as an
// error (a CSP violation is one), the menu and forms are those the reader
// may use, and a screenshot of each is saved in out/screenshots/ for a
// person to look at. The admin then saves index weights through the form.
func TestPagesDrawTheirChartsInChromium(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	srv, wh := newBareServer(t, api.Options{PublicRead: true})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	reviewPage := uploadReport(t, signIn(t, srv, wh, fazhi.RoleAnalyst, ""), "zjg.txt", zjgReport(t))
	// 文体广电和旅游局 has not reported 2024: its upload waits for review.
	src := fazhi.Source{ID: ingest.SHA256([]byte("browser pending")), FileName: "待审核.csv", Size: 7, Content: []byte("pending")}
	pendingBatch, err := wh.LoadBatch(context.Background(), analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: fazhi.MethodUpload},
		Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{{OrgCode: "320582-wtlj", Year: 2024, IndicatorCode: "law_publicity_events", Value: 12,
			Unit: "场", Status: fazhi.StatusPending, Method: fazhi.MethodUpload, SourceID: src.ID}}})
	if err != nil {
		t.Fatal(err)
	}
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

	for _, reader := range browserReaders {
		who := string(reader.role)
		if who == "" {
			who = "public"
		}
		// Each reader has a browser context of its own: its own cookies.
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		defer cancel()
		b := &browserTab{ctx: tab}
		b.listen()
		var name string
		if reader.role != "" {
			name = fmt.Sprintf("browser-%s", who)
			if _, err := wh.CreateUser(context.Background(), fazhi.User{Name: name, Role: reader.role, OrgCode: reader.org, CreatedBy: "test"}, testPassword); err != nil {
				t.Fatal(err)
			}
			if err := b.signIn(ts.URL, name); err != nil {
				t.Fatalf("%s signs in: %v", who, err)
			}
		}
		for _, vp := range []struct {
			name          string
			width, height int64
			mobile        bool
		}{{"desktop", 1280, 900, false}, {"phone", 400, 860, true}} {
			for _, pg := range reader.pages {
				if pg.path == "" {
					pg.path = reviewPage
				}
				if pg.path == "{batch}" {
					pg.path = "/imports/" + pendingBatch.ID
				}
				t.Run(who+"-"+pg.name+"-"+vp.name, func(t *testing.T) {
					emulate := []chromedp.EmulateViewportOption{}
					if vp.mobile {
						emulate = append(emulate, chromedp.EmulateMobile)
					}
					if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(vp.width, vp.height, emulate...), reducedMotion); err != nil {
						t.Fatal(err)
					}
					png := b.check(t, ts.URL, pg, reader.nav)
					if err := os.WriteFile(filepath.Join(shots, who+"-"+pg.name+"-"+vp.name+".png"), png, 0o644); err != nil {
						t.Fatal(err)
					}
				})
			}
		}
		if reader.role == fazhi.RoleAdmin {
			t.Run("admin-saves-weights", func(t *testing.T) { b.saveWeights(t, ts.URL, name) })
		}
		if reader.role == fazhi.RoleReporter {
			t.Run("reporter-imports-csv", func(t *testing.T) { b.importCSV(t, ts.URL, reader.nav, shots) })
		}
	}
}

// reducedMotion asks for charts without their entry animation (fazhi.js
// honours prefers-reduced-motion), so that a screenshot taken once they
// are drawn shows them whole.
var reducedMotion = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
	return err
})

// browserTab is a reader's tab and what its console reported.
type browserTab struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

// listen collects the console's errors and exceptions, CSP violations
// among them.
func (b *browserTab) listen() {
	console := chromedp.Console(b.ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.problems = append(b.problems, m.String())
				b.mu.Unlock()
			}
		}
	}()
}

// takeProblems returns the console errors since the last call.
func (b *browserTab) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// signIn fills in and sends the sign-in form.
func (b *browserTab) signIn(base, name string) error {
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Navigate(base+"/login"),
		chromedp.SetValue(`form.login input[name="name"]`, name),
		chromedp.SetValue(`form.login input[name="password"]`, testPassword),
		chromedp.Click(`form.login button[type="submit"]`),
		chromedp.WaitVisible(`header.site .account form[action="/logout"]`))
}

// check opens a page and checks it; it returns the page's screenshot.
// retryStaleContext runs a query again when Chromium reports that the
// page's JavaScript context it was sent to is gone: a page that has just
// been navigated to can replace its first context (about:blank's) after
// NavigateResponse returns, and the query then names a context that no
// longer exists. It is the browser's race, not the page's fault.
func retryStaleContext[T any](ctx context.Context, q chromedp.Action[T]) (T, error) {
	for attempt := 0; ; attempt++ {
		v, err := chromedp.Run(ctx, q)
		if err == nil || attempt == 2 || !strings.Contains(err.Error(), "Cannot find context with specified id") {
			return v, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (b *browserTab) check(t *testing.T, base string, pg browserPage, nav string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	b.takeProblems()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+pg.path))
	if err != nil {
		t.Fatalf("open %s: %v", pg.path, err)
	}
	if res.Status != 200 {
		t.Fatalf("%s: status %d", pg.path, res.Status)
	}
	if csp, _ := res.Headers["Content-Security-Policy"].(string); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("%s: served without its Content-Security-Policy (%q)", pg.path, csp)
	}
	// Every chart holder gets data-rendered and a canvas with something
	// drawn on it.
	drawn, err := retryStaleContext(ctx, chromedp.Poll[int](`(() => {
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
	menu, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll('header.site nav a')).map(a => a.getAttribute('href')).join(' ')`))
	if err != nil || menu != nav {
		t.Errorf("%s: menu %q, want %q (%v)", pg.path, menu, nav, err)
	}
	for _, sel := range append(pg.want, pg.absent...) {
		q, _ := json.Marshal(sel)
		found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(`+string(q)+`) !== null`))
		if want := !slices.Contains(pg.absent, sel); err != nil || found != want {
			t.Errorf("%s: %s present %v, want %v (%v)", pg.path, sel, found, want, err)
		}
	}
	if pg.open != "" {
		if err := chromedp.Do(ctx, chromedp.Click(pg.open)); err != nil {
			t.Errorf("%s: open %s: %v", pg.path, pg.open, err)
		}
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("%s: screenshot: %v", pg.path, err)
	}
	if p := b.takeProblems(); len(p) > 0 {
		t.Errorf("%s: console errors:\n%s", pg.path, strings.Join(p, "\n"))
	}
	return png
}

// saveWeights sends the weights form of /index as a browser does, with
// its CSRF field, and checks the ranking names the new methodology and
// the admin who saved it.
func (b *browserTab) saveWeights(t *testing.T, base, admin string) {
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	b.takeProblems()
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/index?year=2024"),
		chromedp.Click(`#weights > summary`),
		chromedp.SetValue(weightsForm+` input[name="name"]`, "浏览器测试权重"),
		chromedp.SetValue(weightsForm+` input[name="area.enforcement"]`, "2"),
		chromedp.Click(weightsForm+` button[type="submit"]`))
	if err != nil {
		t.Fatal(err)
	}
	// The form posts, then the server redirects to the ranking: wait for
	// it, asking again while the tab is between pages.
	var text string
	for deadline := time.Now().Add(20 * time.Second); ; {
		text, err = chromedp.Run(ctx, chromedp.Evaluate[string](
			`location.search.includes('methodology=') && document.readyState === 'complete' ? document.body.innerText : ''`))
		if text != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ranking after saving the weights: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(text, "浏览器测试权重 v1") || !strings.Contains(text, admin+" 于") {
		t.Errorf("the ranking does not name the saved methodology and its admin:\n%.600s", text)
	}
	if p := b.takeProblems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// importCSV uploads a CSV through the /imports form as a reporter's
// browser does, with its CSRF field: a dry run at desktop width, then the
// real import at phone width; each result page is checked and saved.
func (b *browserTab) importCSV(t *testing.T, base, nav string, shots string) {
	// 99,999 is far more than the previous year's: flagged for review. The
	// desktop's dry run is then imported with the result page's button; the
	// phone imports a corrected file directly.
	csv := func(value int) string {
		file := filepath.Join(t.TempDir(), "教育局补报.csv")
		if err := os.WriteFile(file, []byte(fmt.Sprintf("单位编码,年度,指标,数值,备注\n320582-jyj,2024,law_publicity_events,%d,<script>alert(1)</script>\n"+
			"320582-jyj,2024,litigation_cases,7,\n", value)), 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	for _, step := range []struct {
		name          string
		width, height int64
		mobile, real  bool
		headline      string
		file          string
	}{{"desktop", 1280, 900, false, false, "检查通过", csv(99999)}, {"phone", 400, 860, true, true, "导入成功", csv(99998)}} {
		file := step.file
		ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
		b.takeProblems()
		emulate := []chromedp.EmulateViewportOption{}
		if step.mobile {
			emulate = append(emulate, chromedp.EmulateMobile)
		}
		actions := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(step.width, step.height, emulate...), reducedMotion,
			chromedp.Navigate(base + "/imports"), chromedp.SetUploadFiles(importForm+` input[name="file"]`, []string{file})}
		if step.real {
			actions = append(actions, chromedp.RemoveAttribute(importForm+` input[name="dry_run"]`, "checked"))
		}
		actions = append(actions, chromedp.Click(importForm+` button[type="submit"]`),
			chromedp.WaitVisible(`p.notice[role="status"]`))
		if err := chromedp.Do(ctx, actions...); err != nil {
			cancel()
			t.Fatalf("upload (%s): %v", step.name, err)
		}
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('p.notice[role="status"]').innerText`))
		menu, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
			`Array.from(document.querySelectorAll('header.site nav a')).map(a => a.getAttribute('href')).join(' ')`))
		if !strings.Contains(text, step.headline) || !strings.Contains(text, "待复核") || menu != nav {
			t.Errorf("result page (%s): headline %q, menu %q", step.name, text, menu)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, "reporter-import-result-"+step.name+".png"), png, 0o644); err != nil {
			cancel()
			t.Fatal(err)
		}
		if !step.real {
			// The batch's link is on the new page only.
			err := chromedp.Do(ctx, chromedp.Click(`form[action="/imports/confirm"] button[type="submit"]`),
				chromedp.WaitVisible(`a[href^="/imports/b-"]`))
			text, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('p.notice[role="status"]').innerText`))
			if err != nil || !strings.Contains(text, "导入成功") {
				t.Errorf("import after the dry run: %q %v", text, err)
			}
		}
		cancel()
		if p := b.takeProblems(); len(p) > 0 {
			t.Errorf("console errors (%s):\n%s", step.name, strings.Join(p, "\n"))
		}
	}
}
