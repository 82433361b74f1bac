//go:build reliability

// Reliability tests: crashes during imports, and load. They take minutes,
// so they run with `make reliability` (which .ci/run calls), not with
// `make test`. See docs/reliability.md.
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
	"fazhi/ingest"
)

// envInt reads a count from the environment, so that the loops can be
// shortened while working on them (FAZHI_KILLS=3 FAZHI_LOAD_SECONDS=5).
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// importer is one way data enters the warehouse, as the kill test drives
// it: start begins import number i (each brings new rows) and returns once
// it is under way; kill ends it with SIGKILL. A new importer (the CSV and
// xlsx upload of POST /api/v1/imports) is one more entry in importers.
type importer struct {
	name  string
	start func(h *killHarness, t *testing.T, i int) (kill func(), finished <-chan struct{})
}

var importers = []importer{
	{"report upload over HTTP (POST /documents, one batch of many reports)", (*killHarness).uploadReports},
	{"LoadBatch of 100,000 figures in a child process", (*killHarness).loadBatch},
	{"CSV import over HTTP (POST /api/v1/imports, 100,000 rows in one file)", (*killHarness).uploadCSV},
}

// killHarness holds the database and credentials of one kill loop.
type killHarness struct {
	db      string
	token   string   // API token of an analyst, for uploads
	reports [][]byte // the corpus reports the upload batches are made of
}

// TestReliabilityKillDuringImport kills fazhi with SIGKILL in the middle of
// a large import, again and again. After each kill the database must open,
// hold no part of the killed batch (it landed whole or not at all), and
// every earlier batch must be intact.
func TestReliabilityKillDuringImport(t *testing.T) {
	kills := envInt("FAZHI_KILLS", 20)
	for _, imp := range importers {
		t.Run(imp.name, func(t *testing.T) {
			h := newKillHarness(t)
			// An import that runs to its end: an earlier batch for the kills
			// to leave intact, and the time an import takes now (they slow
			// down as the database grows), within which the kills fall.
			var before analytics.Integrity
			var span time.Duration
			complete := func(i int) {
				_, finished := imp.start(h, t, i)
				began := time.Now() // start returns once the import is under way
				<-finished
				span = time.Since(began)
				before = h.check(t, nil)
			}
			var landed, nothing int
			for i := 1; i <= kills; i++ {
				if i%5 == 1 {
					complete(1000 + i)
				}
				// Kill at a random moment of the import's life, a little
				// past its expected end so that some finish.
				kill, finished := imp.start(h, t, i)
				delay := time.Duration(rand.Int64N(int64(span) * 5 / 4))
				select {
				case <-finished:
				case <-time.After(delay):
				}
				kill()
				after := h.check(t, &before)
				outcome := "nothing stored"
				if len(after.Rows) > len(before.Rows) {
					landed++
					outcome = "landed whole"
				} else {
					nothing++
				}
				t.Logf("kill %2d after %v of an import taking about %v: %s", i, delay.Round(time.Millisecond),
					span.Round(time.Millisecond), outcome)
				before = after
			}
			t.Logf("%d kills: %d imports had landed whole, %d left nothing, none in part", kills, landed, nothing)
		})
	}
}

func newKillHarness(t *testing.T) *killHarness {
	h := &killHarness{db: filepath.Join(t.TempDir(), "kill.duckdb")}
	ctx := context.Background()
	wh, err := analytics.Open(ctx, h.db, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wh.CreateUser(ctx, fazhi.User{Name: "loader", Role: fazhi.RoleAnalyst, CreatedBy: "test"}, "reliability password"); err != nil {
		t.Fatal(err)
	}
	if h.token, err = wh.CreateToken(ctx, "loader", "reliability"); err != nil {
		t.Fatal(err)
	}
	if err := wh.UpsertOrgs(ctx, ingest.SampleOrgs()); err != nil {
		t.Fatal(err)
	}
	wh.Close()
	files, _ := filepath.Glob("../../ingest/testdata/corpus/*.txt")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		h.reports = append(h.reports, data)
	}
	if len(h.reports) < 10 {
		t.Fatalf("only %d corpus reports", len(h.reports))
	}
	return h
}

// check opens the database as a restarted server would, and checks that
// no batch landed in part and that the batches of before are intact.
func (h *killHarness) check(t *testing.T, before *analytics.Integrity) analytics.Integrity {
	t.Helper()
	wh, err := analytics.Open(context.Background(), h.db, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatalf("the database does not open after the kill: %v", err)
	}
	defer wh.Close()
	in, err := wh.CheckIntegrity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if in.Orphans != 0 {
		t.Errorf("%d rows belong to no recorded batch: a batch landed in part", in.Orphans)
	}
	for id, n := range in.Rows {
		if n != in.Recorded[id] {
			t.Errorf("batch %s holds %d rows of the %d it recorded", id, n, in.Recorded[id])
		}
	}
	if before != nil {
		for id, n := range before.Rows {
			if in.Rows[id] != n {
				t.Errorf("earlier batch %s held %d rows, now %d", id, n, in.Rows[id])
			}
		}
		if len(in.Rows) > len(before.Rows)+1 {
			t.Errorf("one import made %d batches", len(in.Rows)-len(before.Rows))
		}
	}
	return in
}

// uploadReports starts the server and sends it one upload of 300 reports
// (the corpus, each copy made distinct), stored as one batch.
func (h *killHarness) uploadReports(t *testing.T, i int) (func(), <-chan struct{}) {
	srv := startServe(t, "--db", h.db, "--sample=false")
	var files []namedFile
	for k := 0; len(files) < 300; k++ {
		data := append([]byte(nil), h.reports[k%len(h.reports)]...)
		data = append(data, "\n报送标识："+letters(i*1000+k)+"\n"...)
		files = append(files, namedFile{fmt.Sprintf("batch%d-%d.txt", i, k), data})
	}
	ct, body := multipartBody(files, nil)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		req, _ := http.NewRequest(http.MethodPost, "http://"+srv.Addr+"/documents", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+h.token)
		res, err := (&http.Client{CheckRedirect: noRedirect}).Do(req)
		if err != nil {
			return // killed
		}
		res.Body.Close()
		if i >= 1000 && res.StatusCode != http.StatusSeeOther {
			t.Errorf("upload of 300 reports: %d", res.StatusCode)
		}
		srv.Kill() // a complete import: stop the server too, so that the check can open the file
	}()
	return srv.Kill, finished
}

// uploadCSV starts the server and imports one CSV file of 100,000 rows,
// one batch: figures of 200 bureaus of its own over 2000–2024, so that
// every batch brings only new rows (the orgs are added beforehand, as an
// import names stored orgs only).
func (h *killHarness) uploadCSV(t *testing.T, i int) (func(), <-chan struct{}) {
	ctx := context.Background()
	cat := fazhi.DefaultCatalog()
	region := fmt.Sprintf("csv%d", i)
	orgs := []fazhi.Org{{Code: region, Name: "导入测试区" + letters(i), Kind: fazhi.OrgDistrict}}
	var counts []fazhi.Indicator
	for _, ind := range cat.Indicators {
		if ind.Kind == fazhi.KindCount && len(counts) < 20 {
			counts = append(counts, ind)
		}
	}
	var csv bytes.Buffer
	csv.WriteString("org,year,indicator,value\n")
	for b := 0; b < 200; b++ {
		code := fmt.Sprintf("%s-%d", region, b)
		orgs = append(orgs, fazhi.Org{Code: code, Name: "局" + letters(b), Kind: fazhi.OrgBureau, ParentCode: region})
		for y := 2000; y < 2025; y++ {
			for _, ind := range counts {
				fmt.Fprintf(&csv, "%s,%d,%s,10\n", code, y, ind.Code)
			}
		}
	}
	wh, err := analytics.Open(ctx, h.db, cat)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.UpsertOrgs(ctx, orgs); err != nil {
		t.Fatal(err)
	}
	wh.Close()
	srv := startServe(t, "--db", h.db, "--sample=false")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", region+".csv")
	w.Write(csv.Bytes())
	mw.Close()
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		req, _ := http.NewRequest(http.MethodPost, "http://"+srv.Addr+"/api/v1/imports", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+h.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return // killed
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if i >= 1000 && res.StatusCode != http.StatusOK {
			t.Errorf("CSV import of 100,000 rows: %d %.300s", res.StatusCode, msg)
		}
		srv.Kill()
	}()
	return srv.Kill, finished
}

// loadBatch runs a child process that loads 100,000 new figures in one
// batch (see childLoad).
func (h *killHarness) loadBatch(t *testing.T, i int) (func(), <-chan struct{}) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FAZHI_CHILD=load", "FAZHI_LOAD_DB="+h.db, "FAZHI_LOAD_BATCH="+strconv.Itoa(i))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || !strings.HasPrefix(line, "loading") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("load child did not start: %q %v %s", line, err, stderr.String())
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		io.Copy(io.Discard, out)
		if err := cmd.Wait(); i >= 1000 && err != nil {
			t.Errorf("load child: %v %s", err, stderr.String())
		}
	}()
	return func() { cmd.Process.Kill(); <-finished }, finished
}

func init() { childModes["load"] = childLoad }

// childLoad is the load child: it opens the database, says "loading", and
// loads batch FAZHI_LOAD_BATCH: 100,000 figures of 250 bureaus from a
// source of its own, so that every batch brings only new rows.
func childLoad() {
	ctx := context.Background()
	cat := fazhi.DefaultCatalog()
	wh, err := analytics.Open(ctx, os.Getenv("FAZHI_LOAD_DB"), cat)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n := os.Getenv("FAZHI_LOAD_BATCH")
	content := []byte("reliability batch " + n)
	src := fazhi.Source{ID: ingest.SHA256(content), FileName: "reliability-" + n + ".csv", Size: int64(len(content)), Content: content}
	orgs := []fazhi.Org{{Code: "rel", Name: "可靠性测试区", Kind: fazhi.OrgDistrict}}
	var obs []fazhi.Observation
	for b := 0; len(obs) < 100_000; b++ {
		org := fmt.Sprintf("rel-%d", b)
		orgs = append(orgs, fazhi.Org{Code: org, Name: "局" + org, Kind: fazhi.OrgBureau, ParentCode: "rel"})
		for y := 2000; y < 2025 && len(obs) < 100_000; y++ {
			for _, ind := range cat.Indicators[:16] {
				obs = append(obs, fazhi.Observation{OrgCode: org, Year: y, IndicatorCode: ind.Code, Value: float64(b + y),
					Unit: ind.Unit, Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID,
					Location: fmt.Sprintf("line %d", len(obs)+2)})
			}
		}
	}
	fmt.Println("loading", len(obs))
	if _, err := wh.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "reliability", Method: fazhi.MethodUpload},
		Orgs: orgs, Sources: []fazhi.Source{src}, Observations: obs}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	wh.Close()
}

// TestReliabilityReadersAndUploaders runs 50 readers and 5 uploaders
// against the server on loopback for 60 s (FAZHI_LOAD_SECONDS): no
// response may be a 5xx, and every accepted upload must be stored exactly
// once, whole.
func TestReliabilityReadersAndUploaders(t *testing.T) {
	const readers, uploaders = 50, 5
	duration := time.Duration(envInt("FAZHI_LOAD_SECONDS", 60)) * time.Second
	ctx := context.Background()
	cat := fazhi.DefaultCatalog()
	wh, err := analytics.Open(ctx, filepath.Join(t.TempDir(), "load.duckdb"), cat)
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	if err := loadSampleIfEmpty(ctx, wh, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < readers+uploaders; i++ {
		role := fazhi.RoleViewer
		if i >= readers {
			role = fazhi.RoleAnalyst
		}
		if _, err := wh.CreateUser(ctx, fazhi.User{Name: fmt.Sprintf("u%d", i), Role: role, CreatedBy: "test"}, "load test password"); err != nil {
			t.Fatal(err)
		}
	}
	srvCtx, stop := context.WithCancel(ctx)
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() {
		served <- api.New(wh, zerolog.Nop()).Serve(srvCtx, "127.0.0.1:0", func(a net.Addr) { addrc <- a })
	}()
	base := "http://" + (<-addrc).String()
	transport := &http.Transport{MaxIdleConnsPerHost: readers + uploaders}

	// Every user signs in through the login form.
	clients := make([]*http.Client, readers+uploaders)
	csrf := make([]string, readers+uploaders)
	for i := range clients {
		clients[i], csrf[i] = signInClient(t, base, transport, fmt.Sprintf("u%d", i))
	}
	report, err := os.ReadFile("../../ingest/testdata/corpus/zhangjiagang-jiaoyu-2019.txt")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ingest.ReadReport("x.txt", report)
	if err != nil {
		t.Fatal(err)
	}
	figuresPerReport := len(ingest.ExtractFigures(r, cat))

	var (
		requests, uploads atomic.Int64
		mu                sync.Mutex
		failures          []string
		wg                sync.WaitGroup
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	deadline := time.Now().Add(duration)
	pages := []string{"/", "/?indicator=litigation_loss_rate", "/figures?org=320582-jyj", "/figures?year=2020",
		"/api/v1/catalog", "/static/fazhi.js", "/account", "/healthz"}
	for i := 0; i < readers; i++ {
		wg.Add(1)
		go func(c *http.Client) {
			defer wg.Done()
			for k := 0; time.Now().Before(deadline); k++ {
				p := pages[k%len(pages)]
				res, err := c.Get(base + p)
				if err != nil {
					fail("GET %s: %v", p, err)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				requests.Add(1)
				if res.StatusCode != 200 {
					fail("GET %s: %d", p, res.StatusCode)
				}
			}
		}(clients[i])
	}
	for i := 0; i < uploaders; i++ {
		wg.Add(1)
		go func(i int, c *http.Client, token string) {
			defer wg.Done()
			for k := 0; time.Now().Before(deadline); k++ {
				data := append(append([]byte(nil), report...), "\n报送标识："+letters(i*100000+k)+"\n"...)
				ct, body := multipartBody([]namedFile{{fmt.Sprintf("u%d-%d.txt", i, k), data}}, map[string]string{"_csrf": token})
				res, err := c.Post(base+"/documents", ct, bytes.NewReader(body))
				if err != nil {
					fail("upload: %v", err)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				requests.Add(1)
				if res.StatusCode == http.StatusSeeOther {
					uploads.Add(1)
				} else {
					fail("upload: %d", res.StatusCode)
				}
			}
		}(i, clients[readers+i], csrf[readers+i])
	}
	wg.Wait()
	stop()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	for _, f := range failures {
		t.Error(f)
	}

	docs, err := wh.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in, err := wh.CheckIntegrity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var figures int
	for _, d := range docs {
		if n := d.Pending + d.Confirmed + d.Rejected; n != figuresPerReport {
			t.Errorf("report %s holds %d figures, want %d", d.FileName, n, figuresPerReport)
		}
		figures += d.Pending
	}
	if int64(len(docs)) != uploads.Load() || in.Orphans != 0 {
		t.Errorf("%d accepted uploads, %d reports stored, %d orphan rows", uploads.Load(), len(docs), in.Orphans)
	}
	t.Logf("%d readers and %d uploaders for %v: %d requests (%.0f/s), %d uploads stored once each with %d figures, no 5xx",
		readers, uploaders, duration, requests.Load(), float64(requests.Load())/duration.Seconds(), uploads.Load(), figures)
}

// signInClient signs name in through the login form and returns a client
// carrying the session, and the session's CSRF token.
func signInClient(t *testing.T, base string, tr http.RoundTripper, name string) (*http.Client, string) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: tr, CheckRedirect: noRedirect, Timeout: 2 * time.Minute}
	res, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no login form for %s", name)
	}
	res, err = c.PostForm(base+"/login", url.Values{"_csrf": {string(m[1])}, "name": {name}, "password": {"load test password"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %v %v", name, res, err)
	}
	res.Body.Close()
	res, err = c.Get(base + "/account")
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(res.Body)
	res.Body.Close()
	token := regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`).FindSubmatch(page)
	if token == nil {
		t.Fatalf("%s: no CSRF token on the account page", name)
	}
	return c, string(token[1])
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

type namedFile struct {
	name string
	data []byte
}

func multipartBody(files []namedFile, fields map[string]string) (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile("files", f.name)
		w.Write(f.data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// letters writes n in letters, so that it makes a file distinct without
// adding a number the extractor would read as a figure.
func letters(n int) string {
	s := ""
	for {
		s = string(rune('a'+n%26)) + s
		n /= 26
		if n == 0 {
			return s
		}
	}
}

// TestReliabilitySlowClientsAreDropped: a client that sends its headers
// byte by byte (slow loris) is cut off by the server's read-header
// timeout, and meanwhile others are served.
func TestReliabilitySlowClientsAreDropped(t *testing.T) {
	c := startServe(t, "--db", filepath.Join(t.TempDir(), "slow.duckdb"), "--sample=false")
	conns := make([]net.Conn, 20)
	for i := range conns {
		conn, err := net.Dial("tcp", c.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\nX-Slow: ", c.Addr) // and never the end of the headers
		conns[i] = conn
	}
	if res, err := http.Get("http://" + c.Addr + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz while 20 slow clients wait: %v %v", res, err)
	}
	began := time.Now()
	for _, conn := range conns {
		conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		if _, err := io.ReadAll(conn); err != nil { // returns when the server closes the connection
			t.Fatalf("a slow client was not cut off within 30 s: %v", err)
		}
	}
	if d := time.Since(began); d > 15*time.Second {
		t.Errorf("slow clients cut off after %v", d)
	}
	t.Logf("20 slow clients cut off %v after they started", time.Since(began).Round(time.Second))
}
