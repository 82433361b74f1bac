package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
	"fazhi/ingest"
)

// viewPages are the views with what each must show for the sample.
var viewPages = []struct {
	path string
	want []string
}{
	{"/compare?year=2024&indicator=litigation_loss_rate", []string{"行政诉讼败诉率：2024 年排名", "越低越好", "中位数", `data-chart="chart-compare"`,
		`data-chart="chart-heatmap"`, "未填报 2024 年该指标的单位", "/compare.xlsx?", "/api/v1/compare?", "format=csv"}},
	{"/compare?bureau_type=%E6%95%99%E8%82%B2", []string{"同类单位：教育", "没有比较意义"}},
	{"/index?year=2024", []string{"2024 年综合指数排名", "等权重（内置） v1", "缺报处理", "中性指标", `data-chart="chart-index"`,
		`data-chart="chart-sensitivity"`, "权重变化 ±20%"}},
	{"/trend?indicator=law_publicity_events&org=320582-rsj&org=320582-jyj", []string{"普法宣传活动：历年变化", "年均复合增长率",
		"2019 年", "缺报", `data-chart="chart-trend-lines"`, `data-chart="chart-trend-changes"`}},
	{"/trend", []string{"未选择单位，显示张家港市的全部单位"}},
	{"/orgs/320582-jyj", []string{"张家港市教育局", "关键指标", "同类单位仅本单位填报，不排名", `data-chart="chart-radar"`,
		`data-chart="chart-small-0"`, "来源文件", "载入批次", "zhangjiagang-jiaoyu-2019.txt", "/orgs/320582-jyj.xlsx"}},
	{"/orgs/320582", []string{"张家港市", "下辖 14 个单位", "/compare?region=320582"}},
	{"/coverage?year=2024", []string{"2024 年未报送的单位（1 个）", "张家港市文体广电和旅游局", "填报完整度", `data-chart="chart-coverage"`, "单位 × 指标填报表"}},
}

func TestViewPagesAnswerWithTheirChartsAndLinks(t *testing.T) {
	srv, _ := newServer(t)
	for _, pg := range viewPages {
		res, body := get(t, srv, pg.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", pg.path, res.StatusCode)
			continue
		}
		for _, want := range pg.want {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", pg.path, want)
			}
		}
		for _, id := range regexp.MustCompile(`data-chart="([^"]+)"`).FindAllStringSubmatch(body, -1) {
			if n := strings.Count(body, `id="`+id[1]+`"`); n != 1 {
				t.Errorf("%s: chart %s has %d elements with its id", pg.path, id[1], n)
			}
		}
		if loc := externalRef.FindStringIndex(body); loc != nil {
			t.Errorf("%s loads from another host: %q", pg.path, body[loc[0]:loc[1]+40])
		}
	}
	for path, status := range map[string]int{
		"/compare?year=abc":                  http.StatusBadRequest,
		"/compare?indicator=nope":            http.StatusBadRequest,
		"/compare?region=%3Cscript%3E":       http.StatusBadRequest,
		"/compare?region=999999":             http.StatusNotFound,
		"/trend?org=%3Cb%3E":                 http.StatusBadRequest,
		"/trend?org=320582-nope":             http.StatusNotFound,
		"/index?methodology=42":              http.StatusNotFound,
		"/orgs/nope":                         http.StatusNotFound,
		"/api/v1/compare?format=xml":         http.StatusBadRequest,
		"/api/v1/compare?format=csv&table=x": http.StatusBadRequest,
		"/coverage?norm=zscore":              http.StatusBadRequest,
	} {
		if res, body := get(t, srv, path); res.StatusCode != status {
			t.Errorf("GET %s = %d, want %d: %.200s", path, res.StatusCode, status, body)
		}
	}
}

// workbooks are the .xlsx of every view with the sheets each must hold
// beyond 指标说明, 数据来源 and 筛选条件.
var workbooks = []struct {
	path   string
	sheets []string
}{
	{"/compare.xlsx?year=2024&indicator=litigation_loss_rate", []string{"排名", "热力图（标准化得分）", "图表"}},
	{"/index.xlsx?year=2024", []string{"综合指数", "敏感性", "权重", "图表"}},
	{"/trend.xlsx?indicator=law_publicity_events&org=320582-rsj&org=320582-jyj", []string{"逐年数据", "趋势图数据", "年均增长", "图表"}},
	{"/orgs/320582-jyj.xlsx?year=2019", []string{"关键指标", "全部指标", "领域得分", "来源文件", "载入批次", "图表"}},
	{"/coverage.xlsx?year=2024", []string{"填报情况", "未报送单位", "图表"}},
	{"/overview.xlsx", []string{"指标汇总", "分单位历年", "图表"}},
	{"/figures.xlsx?org=320582-jyj&year=2019", nil},
}

func openWorkbook(t *testing.T, h http.Handler, path string) *excelize.File {
	t.Helper()
	res, body := get(t, h, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d: %.300s", path, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "filename*=UTF-8''") {
		t.Errorf("%s: Content-Disposition %q", path, cd)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s does not open: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestEveryViewDownloadsAsAWorkbookWithItsSheets(t *testing.T) {
	srv, _ := newServer(t)
	for _, wb := range workbooks {
		f := openWorkbook(t, srv, wb.path)
		have := f.GetSheetList()
		for _, want := range append(wb.sheets, "指标说明", "数据来源", "筛选条件") {
			if !slices.Contains(have, want) {
				t.Errorf("%s: no sheet %s in %v", wb.path, want, have)
			}
		}
		main := have[0]
		panes, err := f.GetPanes(main)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header of %s not frozen: %+v %v", wb.path, main, panes, err)
		}
		tables, _ := f.GetTables(main)
		if len(tables) == 0 {
			t.Errorf("%s: sheet %s has no table (autofilter)", wb.path, main)
		}
		rows, err := f.GetRows("数据来源")
		if err != nil || len(rows) < 2 || rows[0][8] != "原文" || !strings.Contains(strings.Join(rows[1], ""), "张家港市") {
			t.Errorf("%s: 数据来源 sheet %v: %d rows, header %v", wb.path, err, len(rows), rows[:min(1, len(rows))])
		}
		filters, _ := f.GetRows("筛选条件")
		if len(filters) < 3 || !strings.Contains(strings.Join(filters[len(filters)-1], ""), "示例数据") {
			t.Errorf("%s: 筛选条件 does not say the sample is generated: %v", wb.path, filters)
		}
		if slices.Contains(wb.sheets, "图表") {
			if charts, _ := f.GetPictures("图表", "A1"); charts != nil {
				t.Logf("%s: pictures on 图表 (unexpected but harmless)", wb.path)
			}
		}
	}

	// Numbers are numbers with formats: the loss rate 8.3% is stored as
	// 0.083 in a 0.0% cell, a year as a plain number.
	f := openWorkbook(t, srv, "/compare.xlsx?year=2024&indicator=litigation_loss_rate")
	rows, _ := f.GetRows("排名", excelize.Options{RawCellValue: true})
	var found bool
	for i, r := range rows[1:] {
		if len(r) > 5 && r[2] == "张家港市公安局" {
			cell, _ := excelize.CoordinatesToCellName(6, i+2)
			shown, _ := f.GetCellValue("排名", cell)
			if r[5] != "0.083" || shown != "8.3%" {
				t.Errorf("公安局 loss rate stored %q shown %q, want 0.083 shown 8.3%%", r[5], shown)
			}
			found = true
		}
	}
	if !found {
		t.Error("张家港市公安局 not in the ranking sheet")
	}
	if v, _ := f.GetCellValue("排名", "A2"); v != "1" {
		t.Errorf("first rank = %q", v)
	}
}

func TestExportsNeutraliseFormulasAndKeepNumbers(t *testing.T) {
	srv, wh := newServer(t)
	ctx := context.Background()
	evil := `=HYPERLINK("http://x","点我")`
	src := fazhi.Source{ID: ingest.SHA256([]byte("formula")), FileName: "@evil.csv", Size: 7, Content: []byte("formula")}
	if _, err := wh.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "+tester", Method: fazhi.MethodUpload},
		Orgs:    []fazhi.Org{{Code: "320582-evil", Name: evil, FullName: evil, Kind: fazhi.OrgBureau, ParentCode: "320582", BureauType: "-类型"}},
		Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{{OrgCode: "320582-evil", Year: 2024, IndicatorCode: "law_publicity_events", Value: 500,
			Unit: "场", Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID, Quote: "-1+2"}}}); err != nil {
		t.Fatal(err)
	}
	f := openWorkbook(t, srv, "/compare.xlsx?year=2024&indicator=law_publicity_events&region=320582")
	for _, sheet := range []string{"排名", "数据来源"} {
		rows, _ := f.GetRows(sheet)
		seen := false
		for i, r := range rows {
			for j, v := range r {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("%s!%s holds a formula %q", sheet, cell, formula)
				}
				typ, _ := f.GetCellType(sheet, cell)
				if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset && v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
					t.Errorf("%s!%s starts with %q: %q", sheet, cell, v[0], v)
				}
				if v == "'"+evil {
					seen = true
				}
			}
		}
		if !seen {
			t.Errorf("%s: the org name is not there, neutralised", sheet)
		}
	}
	rows, _ := f.GetRows("排名", excelize.Options{RawCellValue: true})
	if rows[1][2] != "'"+evil || rows[1][5] != "500" {
		t.Errorf("first row %v: want the neutralised name and 500 as a number", rows[1])
	}

	res, body := get(t, srv, "/api/v1/compare?year=2024&indicator=law_publicity_events&region=320582&format=csv")
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/csv; charset=utf-8" {
		t.Fatalf("csv = %d %q", res.StatusCode, ct)
	}
	if !strings.HasPrefix(body, "\ufeff名次,单位编码,单位") {
		t.Errorf("csv lacks the BOM or the Chinese header: %.60q", body)
	}
	if !strings.Contains(body, `"'=HYPERLINK(""http://x"",""点我"")"`) || !strings.Contains(body, ",'-类型,500,") {
		t.Errorf("csv does not neutralise formulas or keep numbers:\n%s", body)
	}
	_, body = get(t, srv, "/api/v1/compare?year=2024&indicator=law_publicity_events&region=320582&format=csv&table=sources")
	if !strings.Contains(body, ",'-1+2,") || !strings.Contains(body, ",'@evil.csv,") || !strings.Contains(body, ",'+tester,") {
		t.Errorf("sources csv does not neutralise quote, file or loader:\n%.2000s", body)
	}
}

func TestJSONListsTheViewWithMissingValuesAsNull(t *testing.T) {
	srv, _ := newServer(t)
	res, body := get(t, srv, "/api/v1/trend?indicator=law_publicity_events&org=320582-rsj")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("json = %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var doc struct {
		View    string
		Sample  bool
		Filters []struct{ Key, Value string }
		Tables  []struct {
			Key  string
			Rows []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%.500s", err, body)
	}
	if doc.View != "trend" || !doc.Sample || len(doc.Tables) != 3 || doc.Tables[0].Key != "trend" {
		t.Fatalf("trend json: %+v", doc)
	}
	// 人社局 skipped 2019 in the sample: a row with null, never zero, and
	// no change for 2020 against the gap.
	var gap, after map[string]any
	for _, r := range doc.Tables[0].Rows {
		switch r["year"] {
		case 2019.0:
			gap = r
		case 2020.0:
			after = r
		}
	}
	if gap == nil || gap["value"] != nil || gap["status"] != "缺报" {
		t.Errorf("2019 row %v", gap)
	}
	if after == nil || after["value"] == nil || after["change"] != nil {
		t.Errorf("2020 row %v: a value and no change across the gap", after)
	}
}

func TestPendingFiguresNeverCountInViews(t *testing.T) {
	srv, wh := newServer(t)
	ctx := context.Background()
	src := fazhi.Source{ID: ingest.SHA256([]byte("pending")), FileName: "pending.xlsx", Size: 7, Content: []byte("pending")}
	// 文体广电和旅游局 has not reported 2024; a pending figure must not fill the gap.
	if _, err := wh.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: fazhi.MethodUpload},
		Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{{OrgCode: "320582-wtlj", Year: 2024, IndicatorCode: "law_publicity_events", Value: 9999,
			Unit: "场", Status: fazhi.StatusPending, Method: fazhi.MethodUpload, SourceID: src.ID}}}); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, srv, "/compare?year=2024&indicator=law_publicity_events")
	if strings.Contains(body, "9,999") {
		t.Error("a pending figure appears in the ranking")
	}
	_, body = get(t, srv, "/api/v1/compare?year=2024&indicator=law_publicity_events&format=csv")
	if strings.Contains(body, "9999") {
		t.Error("a pending figure appears in the CSV")
	}
	_, body = get(t, srv, "/coverage?year=2024")
	if !strings.Contains(body, `class="cov pending"`) {
		t.Error("coverage does not mark the pending figure")
	}
}

func TestMethodologiesAreSavedAsVersionsAndNamedByRankings(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	admin := signIn(t, srv, wh, fazhi.RoleAdmin, "")
	post := func(form url.Values) *http.Response {
		res, _ := admin.postForm("/index/methodologies", form)
		return res
	}
	// The form is the admin's, with the session's CSRF token; who saves
	// is the signed-in admin, whatever the form says.
	_, page := admin.get("/index?year=2024")
	if !strings.Contains(page, `action="/index/methodologies"`) || !strings.Contains(page, `name="_csrf" value="`+admin.csrf+`"`) {
		t.Fatal("the admin's /index has no weights form with the CSRF field")
	}
	form := url.Values{"name": {"2025 年度考核"}, "norm": {"percentile"}, "created_by": {"王分析"}, "year": {"2024"},
		"area.enforcement": {"3"}, "ind.litigation_loss_rate": {"2"}, "area.capacity": {"1"}}
	res := post(form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/index?") {
		t.Fatalf("save = %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	first := res.Header.Get("Location")
	form.Set("area.enforcement", "1")
	second := post(form).Header.Get("Location")
	_, body := admin.get(first)
	if !strings.Contains(body, "2025 年度考核 v1") || !strings.Contains(body, "（"+admin.name+" 于") || !strings.Contains(body, "百分位") {
		t.Errorf("ranking does not name its methodology version and the admin who saved it")
	}
	if strings.Contains(body, "王分析") {
		t.Error("the author is taken from the form")
	}
	_, body = admin.get(second)
	if !strings.Contains(body, "2025 年度考核 v2") {
		t.Errorf("second save is not version 2")
	}
	f := openWorkbook(t, admin, strings.Replace(first, "/index?", "/index.xlsx?", 1))
	rows, _ := f.GetRows("权重")
	var enforcement string
	for _, r := range rows {
		if len(r) > 4 && r[1] == "enforcement" {
			enforcement = r[4]
		}
	}
	if enforcement != "3" {
		t.Errorf("权重 sheet gives enforcement %q, want 3", enforcement)
	}
	for _, bad := range []url.Values{{"name": {""}}, {"name": {"x"}, "ind.gov_service_items": {"2"}}, {"name": {"x"}, "area.enforcement": {"abc"}}} {
		if res := post(bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("bad form %v = %d", bad, res.StatusCode)
		}
	}
	res2, body := admin.get("/api/v1/methodologies")
	var list []analytics.Methodology
	if err := json.Unmarshal([]byte(body), &list); res2.StatusCode != 200 || err != nil || len(list) != 3 || list[0].Version != 1 {
		t.Errorf("methodologies = %d %v %+v", res2.StatusCode, err, list)
	}

	// Every save, and every attempt, is in the audit log.
	events, err := wh.AuditLog(t.Context(), analytics.AuditFilter{Action: "methodology"})
	if err != nil {
		t.Fatal(err)
	}
	var ok, failed int
	for _, e := range events {
		switch {
		case e.Outcome == analytics.AuditOK && e.Actor == admin.name && strings.HasPrefix(e.Target, "2025 年度考核 v"):
			ok++
		case e.Outcome == analytics.AuditFailed && e.Status == http.StatusBadRequest:
			failed++
		}
	}
	if ok != 2 || failed != 3 {
		t.Errorf("audit log: %d saves, %d failed attempts, want 2 and 3: %+v", ok, failed, events)
	}

	// An analyst reads the ranking but neither sees the form nor saves.
	analyst := signIn(t, srv, wh, fazhi.RoleAnalyst, "")
	if _, page := analyst.get("/index?year=2024"); strings.Contains(page, "/index/methodologies") {
		t.Error("an analyst is offered the weights form")
	}
	if res, _ := analyst.postForm("/index/methodologies", url.Values{"name": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an analyst saves a methodology: %d", res.StatusCode)
	}
}

func TestExportErrorsAreNotEmptyFiles(t *testing.T) {
	srv, _ := newServer(t)
	res, body := get(t, srv, "/compare.xlsx?year=abc")
	if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Disposition") != "" || !bytes.Contains([]byte(body), []byte("年度")) {
		t.Errorf("bad export = %d %q: %.100s", res.StatusCode, res.Header.Get("Content-Disposition"), body)
	}
}

func TestViewsEscapeUserSuppliedNames(t *testing.T) {
	srv, wh := newServer(t)
	ctx := context.Background()
	evil := `局</script><script>alert(1)</script><img src=x onerror=alert(2)>`
	src := fazhi.Source{ID: ingest.SHA256([]byte("evil view")), FileName: evil, Size: 9, Content: []byte("evil view")}
	if _, err := wh.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: evil, Method: fazhi.MethodUpload, Note: evil},
		Orgs:    []fazhi.Org{{Code: "320582-x", Name: evil, FullName: evil, Kind: fazhi.OrgBureau, ParentCode: "320582", BureauType: evil}},
		Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{
			{OrgCode: "320582-x", Year: 2024, IndicatorCode: "law_publicity_events", Value: 5, Unit: "场",
				Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID, Quote: evil},
			{OrgCode: "320582-x", Year: 2023, IndicatorCode: "law_publicity_events", Value: 4, Unit: "场",
				Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID, Quote: evil}}}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/compare?year=2024", "/index?year=2024", "/trend?region=320582", "/trend?org=320582-x",
		"/coverage?year=2024", "/orgs/320582-x", "/orgs/320582", "/api/v1/compare?year=2024"} {
		res, body := get(t, srv, target)
		if res.StatusCode != 200 {
			t.Errorf("%s = %d", target, res.StatusCode)
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s: a user-supplied name reached the page unescaped", target)
		}
	}
}
