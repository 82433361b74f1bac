package api_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/xuri/excelize/v2"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
	"fazhi/ingest"
)

// upload sends a multipart upload as a browser's form would; h is
// usually a signed-in client.
func upload(t *testing.T, h http.Handler, target, name string, data []byte, fields map[string]string, header http.Header) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	out, _ := io.ReadAll(res.Body)
	return res, string(out)
}

func postForm(t *testing.T, h http.Handler, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, nil))
	return rec.Result()
}

// templateFor downloads a template and fills it as a bureau's clerk would.
func templateFor(t *testing.T, h http.Handler, org string, year int, values map[string]any) []byte {
	t.Helper()
	res, body := get(t, h, "/templates.xlsx?org="+org+"&year="+strconv.Itoa(year))
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("template: %d %v", res.StatusCode, res.Header)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(ingest.TemplateSheet)
	for i, r := range rows {
		if len(r) > 0 {
			if v, ok := values[r[0]]; ok {
				if err := f.SetCellValue(ingest.TemplateSheet, "D"+strconv.Itoa(i+1), v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	f.WriteTo(&buf)
	return buf.Bytes()
}

// trendValue reads a bureau's value for a year from the overview's trend chart.
func trendValue(t *testing.T, h http.Handler, indicator, bureau, year string) any {
	t.Helper()
	res, body := get(t, h, "/?indicator="+indicator)
	if res.StatusCode != 200 {
		t.Fatalf("overview = %d", res.StatusCode)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" data-chart="chart-trend">(.*?)</script>`).FindStringSubmatch(body)
	var spec struct {
		Option struct {
			Series []struct {
				Name string
				Data []struct{ Value any }
			}
			XAxis []struct{ Data []string } `json:"xAxis"`
		}
	}
	if m == nil || json.Unmarshal([]byte(m[1]), &spec) != nil {
		t.Fatal("no trend chart on the overview")
	}
	col := -1
	for i, y := range spec.Option.XAxis[0].Data {
		if y == year {
			col = i
		}
	}
	for _, s := range spec.Option.Series {
		if s.Name == bureau && col >= 0 {
			return s.Data[col].Value
		}
	}
	t.Fatalf("no %s %s in the trend chart", bureau, year)
	return nil
}

func TestTemplateToOverviewThroughDryRunImportAndRollback(t *testing.T) {
	bare, wh := newBareServer(t, api.Options{})
	analyst := signIn(t, bare, wh, fazhi.RoleAnalyst, "")
	admin := signIn(t, bare, wh, fazhi.RoleAdmin, "")
	srv := analyst
	ctx := context.Background()
	sampleValue := trendValue(t, srv, "law_publicity_events", "张家港市教育局", "2024")

	filled := templateFor(t, srv, "320582-jyj", 2024, map[string]any{
		"law_publicity_events": 999, "litigation_cases": 12, "head_appearance_cases": 12, "head_appearance_rate": 100})

	// A dry run says what would happen and stores nothing.
	res, body := upload(t, srv, "/api/v1/imports?dry_run=1", "教育局2024.xlsx", filled, nil, nil)
	var dry analytics.ImportSummary
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &dry) != nil {
		t.Fatalf("dry run: %d %s", res.StatusCode, body)
	}
	if !dry.DryRun || dry.Stored || dry.BatchID != "" || dry.New != 4 || dry.Refused != 0 || dry.Format != ingest.FormatTemplate {
		t.Fatalf("dry run summary: %+v", dry)
	}
	if v := trendValue(t, srv, "law_publicity_events", "张家港市教育局", "2024"); v != sampleValue {
		t.Fatalf("a dry run changed the overview: %v → %v", sampleValue, v)
	}

	// The real import, through the page's form.
	res, body = upload(t, srv, "/imports", "教育局2024.xlsx", filled, nil, nil)
	if res.StatusCode != 200 || !strings.Contains(body, "导入成功") {
		t.Fatalf("import: %d %s", res.StatusCode, body)
	}
	batch1 := regexp.MustCompile(`批次 (b-[0-9T]+-[0-9a-f]+) 已入库`).FindStringSubmatch(body)
	if batch1 == nil {
		t.Fatal("the result page does not name the batch")
	}
	if v := trendValue(t, srv, "law_publicity_events", "张家港市教育局", "2024"); v != 999.0 {
		t.Fatalf("overview shows %v for 张家港市教育局 2024, want the uploaded 999", v)
	}
	figs, err := wh.Figures(ctx, analytics.FigureFilter{Org: "320582-jyj", Year: 2024, Indicator: "law_publicity_events"})
	if err != nil {
		t.Fatal(err)
	}
	var counted *analytics.Figure
	for i := range figs {
		if figs[i].Counts {
			counted = &figs[i]
		}
	}
	if counted == nil || counted.Method != fazhi.MethodUpload || counted.Status != fazhi.StatusConfirmed ||
		!strings.HasPrefix(counted.Location, "填报表!D") || counted.Quote != "999" || counted.SourceFile != "教育局2024.xlsx" ||
		counted.LoadedBy != analyst.name {
		t.Fatalf("the counted figure: %+v", counted)
	}

	// Uploading the same file again changes nothing.
	res, body = upload(t, srv, "/api/v1/imports", "again.xlsx", filled, nil, nil)
	var again analytics.ImportSummary
	json.Unmarshal([]byte(body), &again)
	if res.StatusCode != 200 || again.Stored || again.Unchanged != 4 || again.New+again.Updated != 0 {
		t.Fatalf("the same file again: %d %+v", res.StatusCode, again)
	}

	// A corrected workbook updates one value and keeps the old one in the history.
	corrected := templateFor(t, srv, "320582-jyj", 2024, map[string]any{
		"law_publicity_events": 1000, "litigation_cases": 12, "head_appearance_cases": 12, "head_appearance_rate": 100})
	res, body = upload(t, srv, "/api/v1/imports", "教育局2024-更正.xlsx", corrected, nil, nil)
	var second analytics.ImportSummary
	json.Unmarshal([]byte(body), &second)
	if res.StatusCode != 200 || !second.Stored || second.Updated != 1 || second.Unchanged != 3 {
		t.Fatalf("corrected upload: %d %s", res.StatusCode, body)
	}
	res, body = get(t, srv, "/imports/"+second.BatchID)
	if res.StatusCode != 200 || !strings.Contains(body, "999") || !strings.Contains(body, "1,000") || !strings.Contains(body, "教育局2024.xlsx") {
		t.Fatalf("batch page lacks old → new: %d", res.StatusCode)
	}

	// The history page lists both, with their files.
	res, body = get(t, srv, "/imports")
	for _, want := range []string{batch1[1], second.BatchID, "教育局2024-更正.xlsx", "/imports/" + second.BatchID + "/file", "数据导入"} {
		if !strings.Contains(body, want) {
			t.Errorf("/imports lacks %q", want)
		}
	}
	if strings.Contains(body, "/rollback") {
		t.Error("/imports offers an analyst rollback, which only admins may do")
	}
	if _, body := get(t, admin, "/imports"); !strings.Contains(body, `action="/imports/`+second.BatchID+`/rollback"`) ||
		!strings.Contains(body, `name="_csrf"`) {
		t.Error("/imports offers an admin no rollback form with its CSRF field")
	}
	res, body = get(t, srv, "/imports/"+batch1[1]+"/file")
	if res.StatusCode != 200 || body != string(filled) || !strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("original file: %d %v, %d bytes", res.StatusCode, res.Header, len(body))
	}

	// Only an admin rolls back. Rolling back the correction restores 999,
	// rolling back the first the sample value.
	if res := postForm(t, analyst, "/imports/"+second.BatchID+"/rollback"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("an analyst rolled back: %d", res.StatusCode)
	}
	if res := postForm(t, admin, "/imports/"+batch1[1]+"/rollback"); res.StatusCode != http.StatusConflict {
		t.Fatalf("rolling back a batch a later one changed: %d", res.StatusCode)
	}
	res = postForm(t, admin, "/imports/"+second.BatchID+"/rollback")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/imports?rolled_back=") {
		t.Fatalf("rollback: %d %v", res.StatusCode, res.Header)
	}
	if v := trendValue(t, srv, "law_publicity_events", "张家港市教育局", "2024"); v != 999.0 {
		t.Fatalf("after rolling back the correction: %v, want 999", v)
	}
	if res := postForm(t, admin, "/imports/"+batch1[1]+"/rollback"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rollback of the first: %d", res.StatusCode)
	}
	if v := trendValue(t, srv, "law_publicity_events", "张家港市教育局", "2024"); v != sampleValue {
		t.Fatalf("after rolling back both: %v, want the sample's %v", v, sampleValue)
	}
	if _, body := get(t, srv, "/imports?rolled_back="+batch1[1]); !strings.Contains(body, "已撤销") {
		t.Error("the history page does not say the batch was rolled back")
	}
}

func TestBadUploadsAreRefusedClearlyAndStoreNothing(t *testing.T) {
	ctx := context.Background()
	cat := fazhi.DefaultCatalog()
	wh, err := analytics.Open(ctx, filepath.Join(t.TempDir(), "fazhi.duckdb"), cat)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	if err := wh.UpsertOrgs(ctx, ingest.SampleOrgs()); err != nil {
		t.Fatal(err)
	}
	lim := ingest.DefaultLimits()
	lim.MaxBytes, lim.MaxRows, lim.MaxSheetRows = 200_000, 5, 5
	srv := signIn(t, api.New(wh, zerolog.Nop(), api.Options{Uploads: lim}), wh, fazhi.RoleAnalyst, "")

	good := templateFor(t, srv, "320582-jyj", 2024, map[string]any{"litigation_cases": 3})
	formula := func() []byte {
		f, _ := excelize.OpenReader(bytes.NewReader(good))
		f.SetCellFormula(ingest.TemplateSheet, "D5", "1+1")
		var b bytes.Buffer
		f.WriteTo(&b)
		return b.Bytes()
	}()
	otherVersion := func() []byte {
		f, _ := excelize.OpenReader(bytes.NewReader(good))
		f.SetCellStr("_fazhi", "B2", "fazhi-template/0")
		f.DeleteDefinedName(&excelize.DefinedName{Name: "fazhi_version"})
		var b bytes.Buffer
		f.WriteTo(&b)
		return b.Bytes()
	}()
	bomb := func() []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create("xl/worksheets/sheet1.xml")
		w.Write(make([]byte, 40<<20))
		zw.Close()
		return b.Bytes()
	}()
	const head = "org,year,indicator,value\n"
	cases := []struct {
		name   string
		data   []byte
		status int
		want   string
	}{
		{"big.csv", bytes.Repeat([]byte("x"), 200_001), http.StatusRequestEntityTooLarge, "上限"},
		{"rows.csv", []byte(head + strings.Repeat("320582-jyj,2023,litigation_cases,1\n", 6)), http.StatusBadRequest, "超过 5 行"},
		{"bomb.xlsx", bomb, http.StatusBadRequest, "压缩炸弹"},
		{"formula.xlsx", formula, http.StatusBadRequest, "填报表!D5 是公式"},
		{"empty.csv", nil, http.StatusBadRequest, "文件为空"},
		{"old.xlsx", otherVersion, http.StatusBadRequest, "fazhi-template/0"},
		{"org.csv", []byte(head + "320582-xxx,2023,litigation_cases,1\n"), http.StatusUnprocessableEntity, "320582-xxx"},
		{"indicator.csv", []byte(head + "320582-jyj,2023,诉讼,1\n"), http.StatusUnprocessableEntity, "诉讼"},
		{"text.csv", []byte(head + "320582-jyj,2023,litigation_cases,十二\n"), http.StatusUnprocessableEntity, "不是数字"},
		{"dup.csv", []byte(head + "320582-jyj,2023,litigation_cases,1\n320582-jyj,2023,行政诉讼案件,2\n"), http.StatusUnprocessableEntity, "重复"},
		{"year.csv", []byte(head + "320582-jyj,1990,litigation_cases,1\n"), http.StatusUnprocessableEntity, "1990"},
		{"part.csv", []byte(head + "320582-jyj,2023,litigation_cases,1\n320582-jyj,2023,head_appearance_cases,2\n"), http.StatusUnprocessableEntity, "大于"},
	}
	for _, c := range cases {
		res, body := upload(t, srv, "/api/v1/imports", c.name, c.data, nil, nil)
		if res.StatusCode != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s, want %d mentioning %q", c.name, res.StatusCode, body, c.status, c.want)
		}
		if c.status == http.StatusUnprocessableEntity {
			var s analytics.ImportSummary
			if json.Unmarshal([]byte(body), &s) != nil || s.Stored || s.Refused == 0 || len(s.Problems) == 0 || s.Problems[0].Line != 2 && c.name != "dup.csv" && c.name != "part.csv" {
				t.Errorf("%s: summary %s", c.name, body)
			}
		}
		// The page form shows the same refusal.
		if res, body := upload(t, srv, "/imports", c.name, c.data, map[string]string{"dry_run": "1"}, nil); res.StatusCode != c.status ||
			!strings.Contains(body, c.want) {
			t.Errorf("%s via the form: %d, want %d mentioning %q", c.name, res.StatusCode, c.status, c.want)
		}
	}
	if figs, _ := wh.Figures(ctx, analytics.FigureFilter{}); len(figs) != 0 {
		t.Fatalf("refused uploads stored %d figures", len(figs))
	}
	if bs, _ := wh.Batches(ctx, analytics.BatchFilter{}); len(bs) != 0 {
		t.Fatalf("refused uploads recorded %d batches", len(bs))
	}
	// A form without the session's CSRF token (as another site's page
	// would post it) is refused before anything is read.
	srv.formOnly = true
	res, body := upload(t, srv, "/imports", "x.csv", good, nil, nil)
	srv.formOnly = false
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
		t.Errorf("upload without the CSRF token: %d", res.StatusCode)
	}
	if res, _ := get(t, srv, "/templates.xlsx?org=320582&year=2024"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("template for a district: %d", res.StatusCode)
	}
	if res, _ := get(t, srv, "/templates.xlsx?org=nope&year=2024"); res.StatusCode != http.StatusNotFound {
		t.Errorf("template for an unknown org: %d", res.StatusCode)
	}
}

// TestDryRunOffersToImportTheSameFile: after a dry run that passes, the
// result page imports the file it checked with one button, once, for the
// user who uploaded it only.
func TestDryRunOffersToImportTheSameFile(t *testing.T) {
	bare, wh := newBareServer(t, api.Options{})
	analyst := signIn(t, bare, wh, fazhi.RoleAnalyst, "")
	other := signIn(t, bare, wh, fazhi.RoleAnalyst, "")
	csv := []byte("单位编码,年度,指标,数值\n320582-jyj,2024,law_publicity_events,321\n")

	res, body := upload(t, analyst, "/imports", "教育局补报.csv", csv, map[string]string{"dry_run": "1"}, nil)
	token := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if res.StatusCode != 200 || token == nil || !strings.Contains(body, `action="/imports/confirm"`) {
		t.Fatalf("the dry run's page offers no import: %d %s", res.StatusCode, body)
	}
	if v := trendValue(t, analyst, "law_publicity_events", "张家港市教育局", "2024"); v == 321.0 {
		t.Fatal("the dry run stored the value")
	}
	form := url.Values{"token": {token[1]}}
	if res, _ := other.postForm("/imports/confirm", form); res.StatusCode != http.StatusGone {
		t.Fatalf("another user imported the held file: %d", res.StatusCode)
	}
	res, body = analyst.postForm("/imports/confirm", form)
	if res.StatusCode != 200 || !strings.Contains(body, "导入成功") {
		t.Fatalf("confirm: %d %s", res.StatusCode, body)
	}
	if v := trendValue(t, analyst, "law_publicity_events", "张家港市教育局", "2024"); v != 321.0 {
		t.Fatalf("after the confirmed import the overview shows %v, want 321", v)
	}
	if res, body := analyst.postForm("/imports/confirm", form); res.StatusCode != http.StatusGone || !strings.Contains(body, "重新上传") {
		t.Fatalf("the held file was imported twice: %d", res.StatusCode)
	}
	// A dry run with refused values offers nothing to import.
	bad := []byte("单位编码,年度,指标,数值\n320582-jyj,2024,law_publicity_events,很多\n")
	if _, body := upload(t, analyst, "/imports", "坏.csv", bad, map[string]string{"dry_run": "1"}, nil); strings.Contains(body, "/imports/confirm") {
		t.Error("a dry run with refused values offers to import")
	}
}
