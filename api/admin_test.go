package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
)

func TestAdminManagesUsersAndEveryChangeIsAudited(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	ctx := context.Background()
	admin := signIn(t, srv, wh, fazhi.RoleAdmin, "")
	admin.addr = "10.1.2.3"

	res, _ := admin.postForm("/admin/users", url.Values{"name": {"jyj.report"}, "display_name": {"教育局填报员"},
		"role": {"reporter"}, "org": {"320582-jyj"}, "password": {"initial password 1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add user: %d", res.StatusCode)
	}
	_, page := admin.get(res.Header.Get("Location"))
	for _, want := range []string{"已创建用户 jyj.report", "教育局填报员", "填报单位", "张家港市教育局", "从未登录"} {
		if !strings.Contains(page, want) {
			t.Errorf("users page lacks %q", want)
		}
	}
	// A bad request says what is wrong, and creates nothing.
	res, body := admin.postForm("/admin/users", url.Values{"name": {"no org"}, "role": {"reporter"}, "password": {"initial password 1"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "用户名") {
		t.Errorf("invalid user: %d", res.StatusCode)
	}

	reporter := newClient(t, srv)
	if res, _ := reporter.login("jyj.report", "initial password 1"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new user cannot sign in: %d", res.StatusCode)
	}
	if res, _ := admin.postForm("/admin/users/jyj.report/password", url.Values{"password": {"reset password 22"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if res, _ := reporter.get("/documents"); !redirectsToLogin(res) {
		t.Error("a reset password leaves the user signed in")
	}
	if res, _ := reporter.login("jyj.report", "reset password 22"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset password does not work: %d", res.StatusCode)
	}
	if res, _ := admin.postForm("/admin/users/jyj.report/role", url.Values{"role": {"viewer"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role: %d", res.StatusCode)
	}
	if res, _ := reporter.get("/documents"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a role change does not take effect at once: %d", res.StatusCode)
	}
	if res, _ := admin.postForm("/admin/users/jyj.report/disable", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res, _ := reporter.get("/"); !redirectsToLogin(res) {
		t.Error("a disabled user stays signed in")
	}
	if res, _ := reporter.login("jyj.report", "reset password 22"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled user signs in: %d", res.StatusCode)
	}
	// The admin cannot lock everyone out.
	if res, body := admin.postForm("/admin/users/"+admin.name+"/disable", nil); res.StatusCode != http.StatusConflict || !strings.Contains(body, "唯一") {
		t.Errorf("disable the last admin: %d", res.StatusCode)
	}

	_, audit := admin.get("/admin/audit")
	for _, want := range []string{"创建用户", "重置密码", "修改角色", "停用用户", "jyj.report", "10.1.2.3", "角色 reporter，单位 320582-jyj", "失败"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	events, _ := wh.AuditLog(ctx, analytics.AuditFilter{Actor: admin.name})
	for _, e := range events {
		if strings.Contains(e.Detail, "password") || strings.Contains(e.Detail, "reset password 22") {
			t.Errorf("a password reached the audit log: %+v", e)
		}
	}
	_, only := admin.get("/admin/audit?action=user_disable")
	if n := strings.Count(only, "<tr>"); n != 3 { // the header, the user disabled, the refused attempt on the last admin
		t.Errorf("filtered audit page has %d rows", n-1)
	}
}

func TestUploadsAndDecisionsRecordTheSignedInUser(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	analyst := signIn(t, srv, wh, fazhi.RoleAnalyst, "")
	docURL := uploadReport(t, analyst, "zjg.txt", zjgReport(t))
	_, page := analyst.get(docURL)
	m := figureRow(page, "23712人次</blockquote>")
	if m == nil {
		t.Fatal("no figure 23712人次")
	}
	if res, _ := analyst.postForm(docURL+"/review", url.Values{"action": {"accept"}, "ids": {m[1]}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	docs, _ := wh.Documents(context.Background())
	var created string
	for _, d := range docs {
		created = d.CreatedBy
	}
	_, figs := analyst.get("/figures?org=320582-jyj&year=2019&indicator=law_publicity_participants")
	if created != analyst.name || !strings.Contains(figs, "审核："+analyst.name) {
		t.Errorf("uploaded by %q (want %q); figures page names the reviewer: %v", created, analyst.name, strings.Contains(figs, "审核："+analyst.name))
	}
	events, _ := wh.AuditLog(context.Background(), analytics.AuditFilter{Actor: analyst.name, Action: "review"})
	if len(events) != 1 || events[0].Detail != "accept #"+m[1] || events[0].Target == "" {
		t.Errorf("review audit: %+v", events)
	}
}

// A reporter uploads for its own org (and those below it) only, and sees
// figures under review of those orgs only; a viewer sees none.
func TestReportersSeeAndUploadForTheirOwnOrgsOnly(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	jyj := signIn(t, srv, wh, fazhi.RoleReporter, "320582-jyj")
	gaj := signIn(t, srv, wh, fazhi.RoleReporter, "320582-gaj")
	viewer := signIn(t, srv, wh, fazhi.RoleViewer, "")

	docURL := uploadReport(t, jyj, "zjg.txt", zjgReport(t)) // names 张家港市教育局
	ct, body := multipartFiles(t, nil, map[string][]byte{"zjg-again.txt": append(zjgReport(t), '\n')})
	if res, page := gaj.do(http.MethodPost, "/documents", ct, body); res.StatusCode != http.StatusForbidden || !strings.Contains(page, "只能上传本单位") {
		t.Errorf("公安局 uploads 教育局's report: %d", res.StatusCode)
	}
	ct, body = multipartFiles(t, map[string]string{"org": "320582-jyj"}, map[string][]byte{"x.txt": []byte("开展法治宣讲活动12场。")})
	if res, _ := gaj.do(http.MethodPost, "/documents", ct, body); res.StatusCode != http.StatusForbidden {
		t.Errorf("公安局 files a report under 教育局: %d", res.StatusCode)
	}

	_, own := jyj.get(docURL)
	if !strings.Contains(own, "待审核") || strings.Contains(own, `action="`+docURL+`/review"`) || strings.Contains(own, "确认所选") {
		t.Error("the reporter does not see its figures under review, or may decide on them")
	}
	for who, c := range map[string]*client{"公安局": gaj, "viewer": viewer} {
		res, page := c.get(docURL)
		if res.StatusCode != 200 || strings.Contains(page, "待审核") || !strings.Contains(page, "开展法治宣讲活动") {
			t.Errorf("%s on another org's report: %d, shows pending %v", who, res.StatusCode, strings.Contains(page, "待审核"))
		}
	}
	_, list := gaj.get("/documents")
	if strings.Contains(list, "zjg.txt") || strings.Contains(list, `value="320582-jyj"`) {
		t.Error("公安局 sees 教育局's reports or may file under it")
	}

	// Figures under review on /figures: each reporter sees its own org's.
	src := fazhi.Source{ID: strings.Repeat("ab", 32), FileName: "pending.csv", Size: 1, Content: []byte("x")}
	pending := func(org string) fazhi.Observation {
		return fazhi.Observation{OrgCode: org, Year: 2024, IndicatorCode: "law_publicity_events", Value: 77, Unit: "场",
			Status: fazhi.StatusPending, Method: fazhi.MethodUpload, SourceID: src.ID, Quote: "待核实77场"}
	}
	if _, err := wh.LoadBatch(context.Background(), analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: fazhi.MethodUpload},
		Sources: []fazhi.Source{src}, Observations: []fazhi.Observation{pending("320582-jyj"), pending("320582-gaj")}}); err != nil {
		t.Fatal(err)
	}
	analyst := signIn(t, srv, wh, fazhi.RoleAnalyst, "")
	for who, tc := range map[string]struct {
		c    *client
		want int
	}{"教育局": {jyj, 1}, "公安局": {gaj, 1}, "viewer": {viewer, 0}, "analyst": {analyst, 2}} {
		_, page := tc.c.get("/figures?year=2024&indicator=law_publicity_events")
		if n := strings.Count(page, "待核实77场"); n != tc.want {
			t.Errorf("%s sees %d figures under review, want %d", who, n, tc.want)
		}
	}
}

func TestPublicReadShowsDashboardsToStrangersAndNothingMore(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{PublicRead: true})
	analyst := signIn(t, srv, wh, fazhi.RoleAnalyst, "")
	docURL := uploadReport(t, analyst, "zjg.txt", zjgReport(t))
	stranger := newClient(t, srv)
	for _, p := range []string{"/", "/figures?org=320582-jyj", docURL, "/api/v1/catalog"} {
		res, page := stranger.get(p)
		if res.StatusCode != 200 {
			t.Errorf("%s = %d", p, res.StatusCode)
		}
		if strings.Contains(page, "待审核</span>") || strings.Contains(page, `class="fig pending"`) {
			t.Errorf("%s shows figures under review to a stranger", p)
		}
		if strings.HasPrefix(p, "/api") {
			continue
		}
		if !strings.Contains(page, `href="/login"`) || strings.Contains(page, `href="/documents"`) {
			t.Errorf("%s: nav offers sign-in %v, report review %v", p, strings.Contains(page, `href="/login"`), strings.Contains(page, `href="/documents"`))
		}
	}
	if res, _ := stranger.get("/documents"); !redirectsToLogin(res) {
		t.Errorf("review queue to a stranger: %d", res.StatusCode)
	}
	ct, body := multipartFiles(t, nil, map[string][]byte{"x.txt": []byte("开展法治宣讲活动12场。")})
	if res, _ := stranger.do(http.MethodPost, "/documents", ct, body); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("upload by a stranger: %d", res.StatusCode)
	}
}
