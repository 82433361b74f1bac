package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
	"fazhi/ingest"
)

// TestReadersSeeTheViewsButNeitherExportsNorPendingValues: a viewer, and a
// stranger on a --public-read site, read every view and its JSON; the
// download links, the files themselves and the weights form are not
// theirs, and a figure under review shows as pending, never its value.
func TestReadersSeeTheViewsButNeitherExportsNorPendingValues(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{PublicRead: true})
	// 文体广电和旅游局 has not reported 2024; its upload waits for review.
	src := fazhi.Source{ID: ingest.SHA256([]byte("pending for readers")), FileName: "待审核上报.csv", Size: 7, Content: []byte("pending")}
	if _, err := wh.LoadBatch(context.Background(), analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: fazhi.MethodUpload},
		Sources: []fazhi.Source{src},
		Observations: []fazhi.Observation{{OrgCode: "320582-wtlj", Year: 2024, IndicatorCode: "law_publicity_events", Value: 7313377,
			Unit: "场", Status: fazhi.StatusPending, Method: fazhi.MethodUpload, SourceID: src.ID, Quote: "开展普法活动7313377场"}}}); err != nil {
		t.Fatal(err)
	}
	pending := func(body string) bool {
		return strings.Contains(body, "7313377") || strings.Contains(body, "7,313,377")
	}
	readers := map[string]*client{
		"viewer":                  signIn(t, srv, wh, fazhi.RoleViewer, ""),
		"reporter of another org": signIn(t, srv, wh, fazhi.RoleReporter, "320582-jyj"),
		"stranger (public read)":  newClient(t, srv),
	}
	for who, c := range readers {
		for _, path := range []string{"/", "/compare?year=2024&indicator=law_publicity_events", "/index?year=2024",
			"/trend?indicator=law_publicity_events&org=320582-wtlj", "/coverage?year=2024", "/orgs/320582-wtlj?year=2024",
			"/figures?org=320582-wtlj&year=2024"} {
			res, body := c.get(path)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: %s = %d", who, path, res.StatusCode)
				continue
			}
			for _, offer := range []string{".xlsx", "format=csv", "下载本视图", `action="/index/methodologies"`, "请下载 Excel"} {
				if strings.Contains(body, offer) {
					t.Errorf("%s: %s offers %q", who, path, offer)
				}
			}
			if pending(body) {
				t.Errorf("%s: %s shows the value of a figure under review", who, path)
			}
			if !strings.Contains(body, `href="/compare"`) || strings.Contains(body, `href="/admin/users"`) {
				t.Errorf("%s: %s: the nav does not fit the reader", who, path)
			}
		}
		// Coverage says a figure waits for review, without its value.
		if _, body := c.get("/coverage?year=2024"); !strings.Contains(body, `class="cov pending"`) {
			t.Errorf("%s: coverage does not mark the figure under review", who)
		}
		for _, path := range []string{"/api/v1/coverage?year=2024", "/api/v1/figures?org=320582-wtlj",
			"/api/v1/compare?year=2024&indicator=law_publicity_events", "/api/v1/orgs/320582-wtlj?year=2024",
			"/api/v1/trend?indicator=law_publicity_events&org=320582-wtlj", "/api/v1/overview", "/api/v1/index?year=2024"} {
			res, body := c.get(path)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Errorf("%s: %s = %d %s", who, path, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if pending(body) {
				t.Errorf("%s: %s gives the value of a figure under review", who, path)
			}
		}
		// Files are exports: refused, and an unknown format is one too.
		for _, path := range []string{"/compare.xlsx?year=2024", "/figures.xlsx?org=320582-wtlj", "/orgs/320582-wtlj.xlsx",
			"/api/v1/coverage?year=2024&format=csv", "/api/v1/compare?format=xlsx", "/api/v1/compare?format=parquet"} {
			res, body := c.get(path)
			refused := res.StatusCode == http.StatusUnauthorized || redirectsToLogin(res) ||
				(res.StatusCode == http.StatusForbidden && strings.Contains(body, "只有分析审核人员和管理员可以导出数据"))
			if !refused || res.Header.Get("Content-Disposition") != "" {
				t.Errorf("%s: %s = %d %q", who, path, res.StatusCode, res.Header.Get("Content-Disposition"))
			}
		}
	}

	// Who reviews sees the figure under review on /figures and in its
	// JSON and workbook, and is offered the downloads.
	analyst := signIn(t, srv, wh, fazhi.RoleAnalyst, "")
	for _, path := range []string{"/figures?org=320582-wtlj&year=2024", "/api/v1/figures?org=320582-wtlj"} {
		if _, body := analyst.get(path); !pending(body) {
			t.Errorf("analyst: %s lacks the figure under review", path)
		}
	}
	if _, body := analyst.get("/compare?year=2024"); !strings.Contains(body, "下载本视图") || !strings.Contains(body, "/compare.xlsx?") {
		t.Error("analyst: no download links on /compare")
	}
	if res, _ := analyst.get("/api/v1/compare?format=parquet"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("analyst: unknown format = %d, want 400", res.StatusCode)
	}
	// The reporter of the org sees its own figure under review.
	own := signIn(t, srv, wh, fazhi.RoleReporter, "320582-wtlj")
	if _, body := own.get("/api/v1/figures?org=320582-wtlj"); !pending(body) {
		t.Error("the org's reporter does not see its figure under review")
	}

	// On a private site a stranger is offered only the sign-in.
	private, _ := newBareServer(t, api.Options{})
	_, login := newClient(t, private).get("/login")
	if strings.Contains(login, `href="/compare"`) || strings.Contains(login, `href="/figures"`) {
		t.Error("the sign-in page of a private site links to pages the stranger may not read")
	}
}
