package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"fazhi"
)

// benchAnalyst signs in an analyst on the benchmark server, through the
// login form, and returns the cookies to send: exports need that role.
func benchAnalyst(b *testing.B) []*http.Cookie {
	b.Helper()
	srv := benchServer(b)
	const name, password = "bench-analyst", "correct horse battery staple"
	if _, err := bench.wh.CreateUser(context.Background(), fazhi.User{Name: name, Role: fazhi.RoleAnalyst, CreatedBy: "bench"}, password); err != nil &&
		fazhi.ErrorCode(err) != fazhi.ECONFLICT {
		b.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	m := loginForm.FindStringSubmatch(rec.Body.String())
	if m == nil {
		b.Fatal("login page has no CSRF field")
	}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"_csrf": {m[1]}, "name": {name}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(cookies) == 0 {
		b.Fatalf("analyst could not sign in: %d", rec.Code)
	}
	return cookies
}
