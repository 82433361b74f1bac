package api_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"fazhi"
	"fazhi/api"
)

// access is who may use each route, written down apart from the server's
// policy table so that a change of either shows here. Every registered
// route must be listed: a route added later is tested role by role.
var access = map[string][]string{
	"GET /login":          {"anyone"},
	"POST /login":         {"anyone"},
	"GET /healthz":        {"anyone"},
	"GET /static*":        {"anyone"},
	"GET /":               {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /figures":        {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /documents/:id":  {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /api/v1/catalog": {"public", "viewer", "reporter", "analyst", "admin"},

	"GET /compare":              {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /index":                {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /trend":                {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /coverage":             {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /orgs/:code":           {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /api/v1/methodologies": {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /api/v1/overview":      {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /api/v1/figures":       {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /api/v1/compare":       {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /api/v1/index":         {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /api/v1/trend":         {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /api/v1/coverage":      {"public", "viewer", "reporter", "analyst", "admin"},
	"GET /api/v1/orgs/:code":    {"public", "viewer", "reporter", "analyst", "admin"},

	"GET /overview.xlsx": {"analyst", "admin"},
	"GET /figures.xlsx":  {"analyst", "admin"},
	"GET /compare.xlsx":  {"analyst", "admin"},
	"GET /index.xlsx":    {"analyst", "admin"},
	"GET /trend.xlsx":    {"analyst", "admin"},
	"GET /coverage.xlsx": {"analyst", "admin"},

	"POST /logout":           {"viewer", "reporter", "analyst", "admin"},
	"GET /account":           {"viewer", "reporter", "analyst", "admin"},
	"POST /account/password": {"viewer", "reporter", "analyst", "admin"},

	"GET /documents":             {"reporter", "analyst", "admin"},
	"POST /documents":            {"reporter", "analyst", "admin"},
	"POST /documents/:id/review": {"analyst", "admin"},
	"POST /documents/:id/assign": {"analyst", "admin"},
	"POST /labels":               {"analyst", "admin"},

	// A reporter: templates and imports of its own org and those below,
	// its own batches (checked in TestReporterImportsOnlyForItsOwnOrgs).
	"GET /templates.xlsx":        {"reporter", "analyst", "admin"},
	"GET /imports":               {"reporter", "analyst", "admin"},
	"POST /imports":              {"reporter", "analyst", "admin"},
	"POST /imports/confirm":      {"reporter", "analyst", "admin"},
	"GET /imports/:id":           {"reporter", "analyst", "admin"},
	"GET /imports/:id/file":      {"reporter", "analyst", "admin"},
	"POST /imports/:id/rollback": {"admin"},
	"GET /api/v1/imports":        {"reporter", "analyst", "admin"},
	"POST /api/v1/imports":       {"reporter", "analyst", "admin"},

	"GET /admin/users":                 {"admin"},
	"POST /admin/users":                {"admin"},
	"POST /admin/users/:name/password": {"admin"},
	"POST /admin/users/:name/disable":  {"admin"},
	"POST /admin/users/:name/enable":   {"admin"},
	"POST /admin/users/:name/role":     {"admin"},
	"GET /admin/audit":                 {"admin"},
	"POST /index/methodologies":        {"admin"},
}

// files are requests of routes that answer some requests with a file
// (policy files): the file is an export, for analysts and admins only,
// while the route's page or JSON is for every reader. Every such route
// must be listed.
var files = map[string][]string{
	"GET /orgs/:code":        {"/orgs/320582-jyj.xlsx?year=2019"},
	"GET /api/v1/overview":   {"/api/v1/overview?format=csv", "/api/v1/overview?format=xlsx"},
	"GET /api/v1/figures":    {"/api/v1/figures?org=320582-jyj&format=csv"},
	"GET /api/v1/compare":    {"/api/v1/compare?year=2024&format=csv"},
	"GET /api/v1/index":      {"/api/v1/index?year=2024&format=csv"},
	"GET /api/v1/trend":      {"/api/v1/trend?format=csv"},
	"GET /api/v1/coverage":   {"/api/v1/coverage?format=csv"},
	"GET /api/v1/orgs/:code": {"/api/v1/orgs/320582-jyj?format=csv"},
}

// TestEveryRouteHasAPolicy walks the routes the server registers: each
// must have an access policy, and every route that changes state must be
// audited. A route without a policy is refused to everyone, so this test
// is what tells its author.
func TestEveryRouteHasAPolicy(t *testing.T) {
	t.Parallel()
	srv, _ := newBareServer(t, api.Options{})
	routes := srv.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes registered: %v", len(routes), routes)
	}
	for _, r := range routes {
		pol, ok := api.PolicyOf(r)
		if !ok {
			t.Errorf("route %s has no entry in api/policy.go policies", r)
			continue
		}
		if !strings.HasPrefix(r, "GET ") && !strings.HasPrefix(r, "HEAD ") && pol.Audit == "" {
			t.Errorf("route %s changes state but is not audited", r)
		}
		if _, ok := access[r]; !ok {
			t.Errorf("route %s is not in this test's access table: say who may use it", r)
		}
		if _, ok := files[r]; ok != pol.Files {
			t.Errorf("route %s: serves files %v, listed in this test's files table %v", r, pol.Files, ok)
		}
	}
	for r := range access {
		if _, ok := api.PolicyOf(r); !ok {
			t.Errorf("access table lists %s, which has no policy", r)
		}
	}
}

// TestRolesRouteByRoute sends every registered route a request from a
// stranger, a stranger on a --public-read server, and a user of each role,
// and checks who gets past authorization.
func TestRolesRouteByRoute(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	public, _ := newBareServer(t, api.Options{PublicRead: true})
	admin := signIn(t, srv, wh, fazhi.RoleAdmin, "")
	docURL := uploadReport(t, admin, "zjg.txt", zjgReport(t))
	docID := strings.TrimPrefix(docURL, "/documents/")
	target := signIn(t, srv, wh, fazhi.RoleViewer, "") // the user the admin routes act on

	users := map[string]*client{"admin": admin}
	for _, role := range []fazhi.Role{fazhi.RoleViewer, fazhi.RoleReporter, fazhi.RoleAnalyst} {
		users[string(role)] = signIn(t, srv, wh, role, "320582-jyj")
	}
	routes := srv.Routes()
	sort.Strings(routes)
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		path = strings.NewReplacer(":id", docID, ":name", target.name, ":code", "320582-jyj", "*", "fazhi.css").Replace(path)
		allowed := map[string]bool{}
		for _, who := range access[route] {
			allowed[who] = true
		}
		check := func(path, who string, c *client, wantAllowed bool) {
			t.Helper()
			res, body := c.do(method, path, "application/x-www-form-urlencoded", nil)
			denied := redirectsToLogin(res) || res.StatusCode == http.StatusUnauthorized ||
				(res.StatusCode == http.StatusForbidden && strings.Contains(body, "没有权限"))
			if denied == wantAllowed {
				t.Errorf("%s %s by %s: status %d, allowed %v, want %v", method, path, who, res.StatusCode, !denied, wantAllowed)
			}
			if !denied && res.StatusCode >= 500 {
				t.Errorf("%s %s by %s: status %d: %.200s", method, path, who, res.StatusCode, body)
			}
		}
		check(path, "stranger", newClient(t, srv), allowed["anyone"])
		check(path, "stranger (public read)", newClient(t, public), allowed["anyone"] || allowed["public"])
		for _, who := range []string{"viewer", "reporter", "analyst", "admin"} {
			check(path, who, users[who], allowed["anyone"] || allowed[who])
			if route == "POST /logout" { // that one really signs out
				users[who] = signIn(t, srv, wh, fazhi.Role(who), "320582-jyj")
			}
		}
		// A file is an export whoever may read the route.
		for _, file := range files[route] {
			check(file, "stranger", newClient(t, srv), false)
			check(file, "stranger (public read)", newClient(t, public), false)
			for _, who := range []string{"viewer", "reporter", "analyst", "admin"} {
				check(file, who, users[who], who == "analyst" || who == "admin")
			}
		}
		if route == "POST /admin/users/:name/disable" {
			wh.SetDisabled(t.Context(), target.name, false)
		}
	}
}

// TestStateChangesNeedTheSessionsCSRFToken: a signed-in browser's POST
// without the token, or with another session's, is refused on every route
// that changes state; an API token needs none.
func TestStateChangesNeedTheSessionsCSRFToken(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	admin := signIn(t, srv, wh, fazhi.RoleAdmin, "")
	other := signIn(t, srv, wh, fazhi.RoleAdmin, "")
	for _, route := range srv.Routes() {
		method, path, _ := strings.Cut(route, " ")
		if method == http.MethodGet || route == "POST /login" {
			continue
		}
		path = strings.NewReplacer(":id", strings.Repeat("0", 64), ":name", other.name).Replace(path)
		for name, token := range map[string]string{"no token": "", "another session's token": other.csrf} {
			saved := admin.csrf
			admin.csrf = ""
			req := "application/x-www-form-urlencoded"
			var res *http.Response
			var body string
			if token == "" {
				res, body = admin.do(method, path, req, []byte("action=accept"))
			} else {
				res, body = admin.do(method, path, req, []byte("_csrf="+token))
			}
			admin.csrf = saved
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
				t.Errorf("%s with %s: %d", route, name, res.StatusCode)
			}
		}
	}
	// The hidden form field works as the header does.
	admin.formOnly = true
	res, _ := admin.do(http.MethodPost, "/admin/users/"+other.name+"/disable", "application/x-www-form-urlencoded",
		[]byte("_csrf="+admin.csrf+"&x=1"))
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("disable with the form's token: %d", res.StatusCode)
	}
}
