package api_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
	"fazhi/ingest"
)

// evil is markup that runs script if it reaches a page unescaped.
const evil = `</script><script>alert(1)</script><img src=x onerror=alert(2)>`

// sqlEvil is what a query parameter carries to try SQL injection.
const sqlEvil = `' OR '1'='1'; DROP TABLE observations; --`

// hostileEnv is a server with hostile names stored, and its users.
type hostileEnv struct {
	srv              *api.Server
	wh               *analytics.Warehouse
	admin, analyst   *client
	stranger         *client
	observationCount int
}

// unescaped reports where a page lets evil markup through.
func unescaped(page string) bool {
	return strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x")
}

// hostileCases are the hostile inputs of docs/reliability.md (c): each
// says what is sent and what must happen, checks it, and says what it saw.
var hostileCases = []struct {
	input, expected string
	run             func(t *testing.T, e *hostileEnv) string
}{
	{"`<script>` and `<img onerror>` in an org's name, shown on the overview, in chart options and on /figures",
		"escaped in HTML; in the chart's JSON block as \\u003c…; the JSON parses and keeps the name as text",
		func(t *testing.T, e *hostileEnv) string {
			_, page := e.analyst.get("/?indicator=law_publicity_events")
			if unescaped(page) {
				t.Error("overview lets the name through")
			}
			m := regexp.MustCompile(`(?s)<script type="application/json" data-chart="chart-trend">(.*?)</script>`).FindStringSubmatch(page)
			var spec struct {
				Option struct{ Series []struct{ Name string } } `json:"option"`
			}
			if m == nil || json.Unmarshal([]byte(m[1]), &spec) != nil {
				t.Fatal("trend chart JSON missing or broken")
			}
			var found bool
			for _, s := range spec.Option.Series {
				found = found || strings.Contains(s.Name, "<script>alert(1)")
			}
			if !found || !strings.Contains(m[1], `\u003c/script\u003e`) {
				t.Errorf("the name is not carried as escaped JSON text (found %v)", found)
			}
			_, figs := e.analyst.get("/figures?org=evil-1")
			if unescaped(figs) || !strings.Contains(figs, "&lt;script&gt;alert(1)") {
				t.Error("/figures lets the name through")
			}
			return "escaped on both pages; chart JSON carries `\\u003c/script\\u003e`, parses, series name intact"
		}},
	{"`<script>` in a figure's quote and note", "escaped on /figures",
		func(t *testing.T, e *hostileEnv) string {
			_, figs := e.analyst.get("/figures?org=evil-1")
			if unescaped(figs) || strings.Count(figs, "&lt;img src=x onerror=alert(2)&gt;") < 2 {
				t.Error("quote or note not escaped")
			}
			return "escaped"
		}},
	{"`<script>` in a report's text, hence in extracted labels, quotes and sentences; and in its file name",
		"escaped on the review page, the document page and the reports list",
		func(t *testing.T, e *hostileEnv) string {
			doc := uploadReport(t, e.analyst, `<img src=x onerror=alert(3)>.txt`,
				[]byte("张家港市教育局2021年度法治政府建设情况报告\n开展"+evil+"法治宣讲活动12场，累计参与300人次。"))
			for _, p := range []string{doc, doc + "?hl=0-10", "/documents"} {
				if _, page := e.analyst.get(p); unescaped(page) || strings.Contains(page, "<img src=x onerror=alert(3)") {
					t.Errorf("%s lets markup through", p)
				}
			}
			return "escaped on all three"
		}},
	{"`<script>` in a user's display name", "escaped on /admin/users and in the page header",
		func(t *testing.T, e *hostileEnv) string {
			res, _ := e.admin.postForm("/admin/users", url.Values{"name": {"evil.name"}, "display_name": {evil[:40]},
				"role": {"viewer"}, "password": {testPassword}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("add: %d", res.StatusCode)
			}
			c := newClient(t, e.srv)
			c.login("evil.name", testPassword)
			_, own := c.get("/account")
			_, users := e.admin.get("/admin/users")
			if unescaped(own) || unescaped(users) {
				t.Error("display name not escaped")
			}
			return "escaped"
		}},
	{"`<script>` as the user name of a failed sign-in", "refused (401); escaped on /admin/audit",
		func(t *testing.T, e *hostileEnv) string {
			c := newClient(t, e.srv)
			c.addr = "192.0.2.66"
			res, _ := c.login(evil, "whatever password")
			_, audit := e.admin.get("/admin/audit?action=login")
			if res.StatusCode != http.StatusUnauthorized || unescaped(audit) || !strings.Contains(audit, "192.0.2.66") {
				t.Errorf("sign-in %d, audit escaped %v", res.StatusCode, !unescaped(audit))
			}
			return fmt.Sprintf("%d; audit entry escaped", res.StatusCode)
		}},
	{"SQL metacharacters (`" + sqlEvil + "`) in every query parameter of every GET route but the workbooks (their query is read as by their /api/v1 form)",
		"no 5xx: values are bound as query parameters, never spliced into SQL — a filter on the string finds nothing (200), a number that is not one is 400, an unknown id 404, a stranger's page redirects (303); every table intact",
		func(t *testing.T, e *hostileEnv) string {
			statuses := map[int]int{}
			for _, route := range e.srv.Routes() {
				method, path, _ := strings.Cut(route, " ")
				// A view's workbook reads its query as its /api/v1 form
				// does (one handler, another writer): sent there, not
				// here, where each unfiltered workbook costs a second.
				if method != http.MethodGet || strings.HasSuffix(path, ".xlsx") {
					continue
				}
				path = strings.NewReplacer(":id", url.PathEscape(sqlEvil), ":code", url.PathEscape(sqlEvil), "*", "fazhi.css").Replace(path)
				for _, param := range []string{"org", "year", "indicator", "hl", "figure", "next", "actor", "action", "before", "done", "user",
					"region", "bureau_type", "norm", "methodology", "format", "table"} {
					res, _ := e.admin.get(path + "?" + param + "=" + url.QueryEscape(sqlEvil))
					statuses[res.StatusCode]++
					if res.StatusCode >= 500 {
						t.Errorf("%s?%s=…: %d", path, param, res.StatusCode)
					}
				}
			}
			if s, err := e.wh.Summary(context.Background()); err != nil || s.Observations != e.observationCount {
				t.Errorf("observations after: %v %v", s.Observations, err)
			}
			if users, err := e.wh.Users(context.Background()); err != nil || len(users) < 2 {
				t.Errorf("users after: %d %v", len(users), err)
			}
			return fmt.Sprintf("statuses %v; tables intact", statuses)
		}},
	{"SQL metacharacters in path parameters (`/documents/{id}`, `/admin/users/{name}/…`) and form fields (label mapping, user name)",
		"404 for an unknown document or user; a label stored as the literal text; an invalid user name refused with 400",
		func(t *testing.T, e *hostileEnv) string {
			r1, _ := e.admin.get("/documents/" + url.PathEscape(sqlEvil))
			r2, _ := e.admin.postForm("/admin/users/"+url.PathEscape("x' OR '1'='1")+"/disable", nil)
			r3, _ := e.admin.postForm("/labels", url.Values{"label": {"'); DROP TABLE label_mappings; --"}, "indicator": {"law_publicity_events"}})
			r4, _ := e.admin.postForm("/admin/users", url.Values{"name": {"a'; DROP TABLE users; --"}, "role": {"viewer"}, "password": {testPassword}})
			m, err := e.wh.LabelMappings(context.Background())
			if r1.StatusCode != 404 || r2.StatusCode != 404 || r3.StatusCode != http.StatusSeeOther || r4.StatusCode != 400 ||
				err != nil || m["'); DROP TABLE label_mappings; --"] != "law_publicity_events" {
				t.Errorf("statuses %d %d %d %d, mapping %v %v", r1.StatusCode, r2.StatusCode, r3.StatusCode, r4.StatusCode, m, err)
			}
			return fmt.Sprintf("%d, %d, %d (label stored literally), %d", r1.StatusCode, r2.StatusCode, r3.StatusCode, r4.StatusCode)
		}},
	{"path traversal in uploaded file names (`../../../../etc/cron.d/x.txt`, `/etc/passwd.txt`)",
		"stored and shown under the base name only; nothing is written to disk (uploads live in the database)",
		func(t *testing.T, e *hostileEnv) string {
			ct, body := multipartFiles(t, nil, map[string][]byte{
				"../../../../etc/cron.d/x.txt": []byte("张家港市公安局2021年度法治政府建设情况报告\n开展法治宣讲活动7场。"),
				"/etc/passwd.txt":              []byte("张家港市司法局2021年度法治政府建设情况报告\n开展法治宣讲活动8场。")})
			res, _ := e.analyst.do(http.MethodPost, "/documents", ct, body)
			docs, _ := e.wh.Documents(context.Background())
			var names []string
			for _, d := range docs {
				names = append(names, d.FileName)
				if strings.Contains(d.FileName, "/") {
					t.Errorf("stored file name %q", d.FileName)
				}
			}
			return fmt.Sprintf("%d; stored names %q", res.StatusCode, names)
		}},
	{"path traversal in static asset paths (`/static/../go.mod`, `/static/%2e%2e/go.mod`, `/static/..%2fgo.mod`)",
		"never 200",
		func(t *testing.T, e *hostileEnv) string {
			var got []int
			for _, p := range []string{"/static/../go.mod", "/static/%2e%2e/go.mod", "/static/..%2fgo.mod", "/static/%2e%2e%2fgo.mod", "/static/vendor/../../render.go"} {
				res, _ := e.stranger.get(p)
				got = append(got, res.StatusCode)
				if res.StatusCode == 200 {
					t.Errorf("%s served", p)
				}
			}
			return fmt.Sprint(got)
		}},
	{"an oversized report upload (21 MB) and an oversized form (2 MB)", "413 with the limit named; nothing stored",
		func(t *testing.T, e *hostileEnv) string {
			before, _ := e.wh.Documents(context.Background())
			ct, body := multipartFiles(t, nil, map[string][]byte{"big.txt": bytes.Repeat([]byte("法治"), 21<<20/6)})
			r1, page := e.analyst.do(http.MethodPost, "/documents", ct, body)
			r2, _ := e.analyst.postForm("/labels", url.Values{"label": {strings.Repeat("x", 2<<20)}})
			after, _ := e.wh.Documents(context.Background())
			if r1.StatusCode != 413 || !strings.Contains(page, "20 MB") || r2.StatusCode != 413 || len(after) != len(before) {
				t.Errorf("%d %d, documents %d → %d", r1.StatusCode, r2.StatusCode, len(before), len(after))
			}
			return fmt.Sprintf("%d, %d; nothing stored", r1.StatusCode, r2.StatusCode)
		}},
	{"malformed uploads: a PNG named .txt beside a good report, an empty file, a truncated multipart body, no boundary, JSON instead of a form",
		"400 naming the file where there is one; nothing of the upload stored",
		func(t *testing.T, e *hostileEnv) string {
			before, _ := e.wh.Documents(context.Background())
			png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 3}, 100)...)
			good := []byte("张家港市教育局2022年度法治政府建设情况报告\n开展法治宣讲活动9场。")
			ct, body := multipartFiles(t, nil, map[string][]byte{"chart.txt": png, "good.txt": good})
			r1, p1 := e.analyst.do(http.MethodPost, "/documents", ct, body)
			ct, body = multipartFiles(t, nil, map[string][]byte{"empty.txt": {}})
			r2, p2 := e.analyst.do(http.MethodPost, "/documents", ct, body)
			ct, body = multipartFiles(t, nil, map[string][]byte{"cut.txt": good})
			r3, _ := e.analyst.do(http.MethodPost, "/documents", ct, body[:len(body)/2])
			r4, _ := e.analyst.do(http.MethodPost, "/documents", "multipart/form-data", body)
			r5, _ := e.analyst.do(http.MethodPost, "/documents", "application/json", []byte(`{"files":[]}`))
			after, _ := e.wh.Documents(context.Background())
			got := []int{r1.StatusCode, r2.StatusCode, r3.StatusCode, r4.StatusCode, r5.StatusCode}
			for _, s := range got {
				if s != 400 {
					t.Errorf("statuses %v", got)
					break
				}
			}
			if !strings.Contains(p1, "chart.txt") || !strings.Contains(p2, "empty.txt") || len(after) != len(before) {
				t.Errorf("messages name the file: %v %v; documents %d → %d", strings.Contains(p1, "chart.txt"),
					strings.Contains(p2, "empty.txt"), len(before), len(after))
			}
			return fmt.Sprintf("%v; nothing stored", got)
		}},
	{"malformed form values: a full-width year `２０１９`, figure ids `1 OR 1=1`, invalid UTF-8", "400 with a message; nothing changed",
		func(t *testing.T, e *hostileEnv) string {
			docs, _ := e.wh.Documents(context.Background())
			id := docs[0].SourceID
			r1, _ := e.analyst.postForm("/documents/"+id+"/assign", url.Values{"org": {"320582-jyj"}, "year": {"２０１９"}})
			r2, _ := e.analyst.postForm("/documents/"+id+"/review", url.Values{"action": {"accept"}, "ids": {"1 OR 1=1"}})
			r3, _ := e.analyst.postForm("/documents/"+id+"/review", url.Values{"action": {"\xff\xfe"}, "ids": {"1"}})
			got := []int{r1.StatusCode, r2.StatusCode, r3.StatusCode}
			if got[0] != 400 || got[1] != 400 || got[2] != 400 {
				t.Errorf("statuses %v", got)
			}
			return fmt.Sprint(got)
		}},
	{"spreadsheet formula injection in imports: `=HYPERLINK(…)` as a workbook cell formula; `=1+1`, `+1`, `-1+2`, `@SUM(A1)` as CSV values; `=cmd|' /C calc'!A0` as a CSV note",
		"a formula cell is refused (400, the cell named); `=1+1`, `-1+2`, `@SUM(A1)` are refused (422, each line named) and `+1` is read as the number 1; nothing stored; a formula-like note is stored as text and neutralised in exports",
		func(t *testing.T, e *hostileEnv) string {
			before := e.uploadBatches(t)
			book := excelize.NewFile()
			book.SetSheetRow("Sheet1", "A1", &[]any{"org", "year", "indicator", "value"})
			book.SetSheetRow("Sheet1", "A2", &[]any{"320582-jyj", 2023, "litigation_cases", 1})
			book.SetCellFormula("Sheet1", "D2", `HYPERLINK("http://evil.example","12")`)
			var xb bytes.Buffer
			book.WriteTo(&xb)
			r1, p1 := upload(t, e.analyst, "/api/v1/imports", "formula.xlsx", xb.Bytes(), nil, nil)
			csv := "org,year,indicator,value\n320582-jyj,2023,litigation_cases,=1+1\n320582-jyj,2023,litigation_lost,+1\n" +
				"320582-jyj,2023,enforcement_training_sessions,-1+2\n320582-jyj,2023,admin_penalty_cases,@SUM(A1)\n"
			r2, p2 := upload(t, e.analyst, "/api/v1/imports", "formula.csv", []byte(csv), nil, nil)
			note := "org,year,indicator,value,note\n320582-jyj,2023,litigation_cases,4,=cmd|' /C calc'!A0\n"
			r3, _ := upload(t, e.analyst, "/api/v1/imports", "note.csv", []byte(note), nil, nil)
			_, export := e.analyst.get("/api/v1/figures?org=320582-jyj&year=2023&indicator=litigation_cases&format=csv")
			if r1.StatusCode != 400 || !strings.Contains(p1, "D2") || r2.StatusCode != 422 || !strings.Contains(p2, `"line":2,`) || !strings.Contains(p2, `"line":4,`) ||
				!strings.Contains(p2, `"line":5,`) || strings.Contains(p2, `"line":3,`) ||
				r3.StatusCode != 200 || e.uploadBatches(t) != before+1 || !strings.Contains(export, "'=cmd") {
				t.Errorf("%d %s; %d %s; note %d; export neutralised %v", r1.StatusCode, p1, r2.StatusCode, p2, r3.StatusCode, strings.Contains(export, "'=cmd"))
			}
			return fmt.Sprintf("%d (cell D2 named), %d (lines 2, 4, 5 named), note stored as text (%d) and exported as `'=cmd…`", r1.StatusCode, r2.StatusCode, r3.StatusCode)
		}},
	{"a zip bomb named .xlsx (40 MB of zeros in about 40 KB) and a 21 MB CSV import",
		"400 before anything is inflated; 413 with the 20 MB limit named; nothing stored",
		func(t *testing.T, e *hostileEnv) string {
			before := e.uploadBatches(t)
			var zb bytes.Buffer
			zw := zip.NewWriter(&zb)
			w, _ := zw.Create("xl/worksheets/sheet1.xml")
			w.Write(make([]byte, 40<<20))
			zw.Close()
			r1, p1 := upload(t, e.analyst, "/imports", "bomb.xlsx", zb.Bytes(), nil, nil)
			big := append([]byte("org,year,indicator,value\n"), bytes.Repeat([]byte("320582-jyj,2023,litigation_cases,1\n"), 21<<20/35)...)
			r2, p2 := upload(t, e.analyst, "/api/v1/imports", "big.csv", big, nil, nil)
			if r1.StatusCode != 400 || !strings.Contains(p1, "压缩炸弹") || r2.StatusCode != 413 || !strings.Contains(p2, "20 MB") ||
				e.uploadBatches(t) != before {
				t.Errorf("%d %d", r1.StatusCode, r2.StatusCode)
			}
			return fmt.Sprintf("%d (%d KB file), %d; nothing stored", r1.StatusCode, zb.Len()>>10, r2.StatusCode)
		}},
	{"path traversal in an imported file's name (`../../../../etc/cron.d/x.csv`)",
		"stored and offered for download under the base name only; nothing is written to disk",
		func(t *testing.T, e *hostileEnv) string {
			csv := []byte("org,year,indicator,value\n320582-gaj,2022,litigation_cases,9\n")
			res, body := upload(t, e.analyst, "/api/v1/imports", "../../../../etc/cron.d/x.csv", csv, nil, nil)
			var sum analytics.ImportSummary
			json.Unmarshal([]byte(body), &sum)
			file, _ := e.analyst.get("/imports/" + sum.BatchID + "/file")
			disp := file.Header.Get("Content-Disposition")
			if res.StatusCode != 200 || sum.File != "x.csv" || strings.Contains(disp, "/") || strings.Contains(disp, "..") {
				t.Errorf("%d, stored as %q, downloaded as %q", res.StatusCode, sum.File, disp)
			}
			return fmt.Sprintf("%d; stored as %q; downloaded with `%s`", res.StatusCode, sum.File, disp)
		}},
	{"`<script>` in an imported row's org name and in its note (CSV and the result page)",
		"the unknown org is refused (422) and its name escaped on the result page and in the JSON; the note is stored and escaped on /figures and the batch page",
		func(t *testing.T, e *hostileEnv) string {
			bad := []byte("org_name,year,indicator,value\n\"" + strings.ReplaceAll(evil, `"`, `""`) + "\",2023,litigation_cases,1\n")
			r1, p1 := upload(t, e.analyst, "/imports", "evil-org.csv", bad, nil, nil)
			r2, j2 := upload(t, e.analyst, "/api/v1/imports", "evil-org.csv", bad, nil, nil)
			good := []byte("org,year,indicator,value,note\n320582-sfj,2022,litigation_cases,6,\"" + strings.ReplaceAll(evil, `"`, `""`) + "\"\n")
			r3, j3 := upload(t, e.analyst, "/api/v1/imports", "evil-note.csv", good, nil, nil)
			var sum analytics.ImportSummary
			json.Unmarshal([]byte(j3), &sum)
			_, figs := e.analyst.get("/figures?org=320582-sfj&year=2022&indicator=litigation_cases")
			_, batch := e.analyst.get("/imports/" + sum.BatchID)
			if r1.StatusCode != 422 || unescaped(p1) || r2.StatusCode != 422 || strings.Contains(j2, "<script>") ||
				r3.StatusCode != 200 || unescaped(figs) || unescaped(batch) || !strings.Contains(figs, "&lt;script&gt;") {
				t.Errorf("%d %d %d; unescaped: result %v figures %v batch %v", r1.StatusCode, r2.StatusCode, r3.StatusCode,
					unescaped(p1), unescaped(figs), unescaped(batch))
			}
			return fmt.Sprintf("%d, %d (escaped in page and JSON); note stored (%d) and escaped", r1.StatusCode, r2.StatusCode, r3.StatusCode)
		}},
	{"CR/LF and another host in the post-sign-in destination (`next=/%0d%0aSet-Cookie:x`, `next=//evil.example`)",
		"redirect to `/`, no header injected",
		func(t *testing.T, e *hostileEnv) string {
			var locs []string
			for _, next := range []string{"/\r\nSet-Cookie: x=1", "//evil.example"} {
				c := newClient(t, e.srv)
				_, page := c.get("/login")
				m := loginForm.FindStringSubmatch(page)
				res, _ := c.postForm("/login", url.Values{"_csrf": {m[1]}, "name": {e.admin.name}, "password": {testPassword}, "next": {next}})
				locs = append(locs, res.Header.Get("Location"))
				if res.Header.Get("Location") != "/" || len(res.Header.Values("Set-Cookie")) > 2 {
					t.Errorf("next=%q: %q", next, res.Header.Get("Location"))
				}
			}
			return fmt.Sprintf("Location %q", locs)
		}},
	{"a forged `X-Request-Id` (`../../x y`, 200 characters)", "replaced by a generated id in the response and the logs",
		func(t *testing.T, e *hostileEnv) string {
			var ids []string
			for _, id := range []string{"../../x y", strings.Repeat("a", 200)} {
				req, _ := http.NewRequest(http.MethodGet, "/healthz", nil)
				req.Header.Set("X-Request-Id", id)
				rec := newRecorder()
				e.srv.ServeHTTP(rec, req)
				got := rec.Header().Get("X-Request-Id")
				ids = append(ids, got)
				if got == id || !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(got) {
					t.Errorf("request id %q kept as %q", id, got)
				}
			}
			return "replaced, e.g. " + ids[0]
		}},
}

// uploadBatches counts the stored upload batches.
func (e *hostileEnv) uploadBatches(t *testing.T) int {
	t.Helper()
	bs, err := e.wh.Batches(context.Background(), analytics.BatchFilter{Method: fazhi.MethodUpload})
	if err != nil {
		t.Fatal(err)
	}
	return len(bs)
}

// TestHostileInputs runs the table of hostile inputs; with -v it prints
// the table docs/reliability.md shows, with what was observed.
func TestHostileInputs(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	e := &hostileEnv{srv: srv, wh: wh, admin: signIn(t, srv, wh, fazhi.RoleAdmin, ""),
		analyst: signIn(t, srv, wh, fazhi.RoleAnalyst, ""), stranger: newClient(t, srv)}
	src := fazhi.Source{ID: ingest.SHA256([]byte("evil")), FileName: "evil.csv", Size: 4, Content: []byte("evil")}
	if _, err := wh.LoadBatch(context.Background(), analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: fazhi.MethodUpload},
		Orgs:    []fazhi.Org{{Code: "evil-1", Name: "局" + evil, FullName: "张家港市" + evil, Kind: fazhi.OrgBureau, ParentCode: "320582", BureauType: "教育"}},
		Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{{OrgCode: "evil-1", Year: 2024, IndicatorCode: "law_publicity_events", Value: 5,
			Unit: "场", Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID, Quote: "5场" + evil, Note: evil}}}); err != nil {
		t.Fatal(err)
	}
	s, _ := wh.Summary(context.Background())
	e.observationCount = s.Observations
	var table []string
	for i, tc := range hostileCases {
		var observed string
		ok := t.Run(fmt.Sprint(i+1), func(t *testing.T) { observed = tc.run(t, e) })
		if !ok {
			observed = "FAILED: " + observed
		}
		table = append(table, fmt.Sprintf("| %d | %s | %s | %s |", i+1, tc.input, tc.expected, observed))
	}
	t.Log("\n| # | hostile input | expected | observed |\n|---|---|---|---|\n" + strings.Join(table, "\n"))
}
