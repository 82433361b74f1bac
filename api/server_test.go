package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"fazhi"
	"fazhi/analytics"
	"fazhi/dashboards"
	"fazhi/ingest"
)

// externalRef finds any attribute or CSS url that loads from another host.
var externalRef = regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?(https?:)?//|@import`)

func TestOverviewShowsSampleBureausAndYears(t *testing.T) {
	srv, _ := newServer(t)
	res, body := get(t, srv, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d: %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no request id in the response")
	}
	for _, want := range []string{`lang="zh-CN"`, "示例数据", "政府职能与政务服务", "组织保障", "张家港市教育局",
		"2016–2024 年（9 个年度）", `data-chart="chart-trend"`, `data-chart="chart-ranking"`, "/static/vendor/echarts.min.js"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	// Each chart's div id is unique on the page, or echarts draws into the wrong element.
	for _, id := range regexp.MustCompile(`data-chart="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if n := strings.Count(body, `id="`+id[1]+`"`); n != 1 {
			t.Errorf("chart %s: %d elements with its id", id[1], n)
		}
	}
	var bureaus int
	if m := regexp.MustCompile(`(\d+) 个单位 · 2016`).FindStringSubmatch(body); m == nil {
		t.Error("overview does not state how many bureaus it shows")
	} else if bureaus = atoi(m[1]); bureaus < 12 {
		t.Errorf("overview shows %d bureaus, want at least 12", bureaus)
	}
	if loc := externalRef.FindStringIndex(body); loc != nil {
		t.Errorf("page loads from another host: %q", body[loc[0]:min(len(body), loc[1]+60)])
	}
	// The chart option is valid JSON with one series per bureau and every year.
	m := regexp.MustCompile(`(?s)<script type="application/json" data-chart="chart-trend">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no trend chart option")
	}
	var spec struct {
		Option struct {
			Series []struct{ Name string }   `json:"series"`
			XAxis  []struct{ Data []string } `json:"xAxis"`
		} `json:"option"`
		Click struct{ Codes map[string]string } `json:"click"`
	}
	if err := json.Unmarshal([]byte(m[1]), &spec); err != nil {
		t.Fatalf("trend option is not JSON: %v", err)
	}
	if len(spec.Option.Series) < 12 || len(spec.Option.XAxis) != 1 || len(spec.Option.XAxis[0].Data) != 9 {
		t.Errorf("trend chart: %d series, x axis %+v", len(spec.Option.Series), spec.Option.XAxis)
	}
	if spec.Click.Codes["张家港市教育局"] != "320582-jyj" {
		t.Errorf("a click on 张家港市教育局 does not lead to its figures: %+v", spec.Click.Codes)
	}
}

func TestOverviewChartsAnyIndicatorAndRefusesUnknown(t *testing.T) {
	srv, _ := newServer(t)
	if res, body := get(t, srv, "/?indicator=litigation_loss_rate"); res.StatusCode != 200 || !strings.Contains(body, "行政诉讼败诉率：各单位历年变化") {
		t.Errorf("chosen indicator: %d", res.StatusCode)
	}
	res, body := get(t, srv, "/?indicator=%3Cscript%3E")
	if res.StatusCode != http.StatusBadRequest || strings.Contains(body, "<script>") {
		t.Errorf("unknown indicator: %d, escaped: %v", res.StatusCode, !strings.Contains(body, "<script>"))
	}
}

func TestHealthz(t *testing.T) {
	srv, wh := newServer(t)
	res, body := get(t, srv, "/healthz")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"database":"ok"`) {
		t.Fatalf("healthz = %d %s", res.StatusCode, body)
	}
	wh.Close() // a closed database must be reported, not hidden
	if res, _ := get(t, srv, "/healthz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("healthz on a closed database = %d, want 503", res.StatusCode)
	}
}

func TestFiguresLeadToTheReportQuote(t *testing.T) {
	srv, _ := newServer(t)
	res, body := get(t, srv, "/figures?org=320582-jyj&year=2019&indicator=law_publicity_events")
	if res.StatusCode != 200 {
		t.Fatalf("figures = %d", res.StatusCode)
	}
	// The manual figure from the report counts; the sample figure is listed, marked, and does not.
	for _, want := range []string{"开展法治宣讲活动143场", "计入图表", "人工录入", "示例数据", "zhangjiagang-jiaoyu-2019.txt"} {
		if !strings.Contains(body, want) {
			t.Errorf("figures page lacks %q", want)
		}
	}
	link := regexp.MustCompile(`href="(/documents/[0-9a-f]{64}\?hl=\d+-\d+)"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatal("no link to the document")
	}
	res, doc := get(t, srv, strings.ReplaceAll(link[1], "&amp;", "&"))
	if res.StatusCode != 200 || !strings.Contains(doc, `<mark id="hl">开展法治宣讲活动143场</mark>`) {
		t.Fatalf("document page = %d, highlight missing", res.StatusCode)
	}
	if res, _ := get(t, srv, "/figures?year=abc"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad year = %d, want 400", res.StatusCode)
	}
	if res, _ := get(t, srv, "/documents/0000"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown document = %d, want 404", res.StatusCode)
	}
}

func TestUserSuppliedNamesAreEscapedInPagesAndCharts(t *testing.T) {
	srv, wh := newServer(t)
	ctx := context.Background()
	evil := `教育局</script><script>alert(1)</script><img src=x onerror=alert(2)>`
	src := fazhi.Source{ID: ingest.SHA256([]byte("evil")), FileName: "evil.csv", Size: 4, Content: []byte("evil")}
	if _, err := wh.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: fazhi.MethodUpload},
		Orgs:    []fazhi.Org{{Code: "x-1", Name: evil, FullName: evil, Kind: fazhi.OrgBureau, ParentCode: "320582"}},
		Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{{OrgCode: "x-1", Year: 2024, IndicatorCode: "law_publicity_events", Value: 5,
			Unit: "场", Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID, Quote: evil}}}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/", "/figures?org=x-1"} {
		_, body := get(t, srv, target)
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s: a user-supplied name reached the page unescaped", target)
		}
	}
}

func TestStaticAssetsComeFromTheBinary(t *testing.T) {
	srv, _ := newServer(t)
	if err := dashboards.CheckAssets(); err != nil {
		t.Fatalf("%v (make test does this for you)", err)
	}
	for _, p := range []string{"/static/fazhi.js", "/static/fazhi.css", "/static/vendor/echarts.min.js"} {
		if res, _ := get(t, srv, p); res.StatusCode != 200 {
			t.Errorf("%s = %d", p, res.StatusCode)
		}
	}
	if res, _ := get(t, srv, "/static/../go.mod"); res.StatusCode == 200 {
		t.Error("static handler serves files outside its folder")
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
