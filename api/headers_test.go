package api_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"fazhi"
	"fazhi/api"
)

func TestEveryResponseCarriesSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	admin := signIn(t, srv, wh, fazhi.RoleAdmin, "")
	for _, p := range []string{"/", "/figures", "/login", "/admin/audit", "/static/fazhi.js", "/healthz", "/no-such-page", "/api/v1/catalog"} {
		res, _ := admin.get(p)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self';", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", p, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-eval") || regexp.MustCompile(`script-src[^;]*unsafe-inline`).MatchString(csp) ||
			regexp.MustCompile(`style-src [^;]*unsafe-inline`).MatchString(csp) {
			t.Errorf("%s: CSP allows inline script or <style>: %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", p, h)
		}
		if !strings.HasPrefix(p, "/static") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s may be cached: %q", p, h.Get("Cache-Control"))
		}
	}
}

// Pages run no inline script and carry no style attribute, so that the
// Content-Security-Policy holds without 'unsafe-inline' for them.
func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	admin := signIn(t, srv, wh, fazhi.RoleAdmin, "")
	docURL := uploadReport(t, admin, "zjg.txt", zjgReport(t))
	inlineScript := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>`)
	handler := regexp.MustCompile(`(?i)\son[a-z]+\s*=|javascript:|\sstyle\s*=|<style`)
	for _, p := range []string{"/", "/figures?org=320582-jyj", docURL, "/documents", "/login", "/account", "/admin/users", "/admin/audit", "/no-such-page",
		"/compare", "/index", "/trend", "/coverage", "/orgs/320582-jyj", "/orgs/320582"} {
		_, page := admin.get(p)
		for _, tag := range inlineScript.FindAllString(page, -1) {
			if !strings.Contains(tag, `src="/static/`) && !strings.Contains(tag, `type="application/json"`) {
				t.Errorf("%s: inline script %s", p, tag)
			}
		}
		if loc := handler.FindStringIndex(page); loc != nil {
			t.Errorf("%s: inline handler or style: %q", p, page[loc[0]:min(len(page), loc[1]+40)])
		}
	}
}

func TestBodiesOverTheRoutesLimitAreRefused(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	analyst := signIn(t, srv, wh, fazhi.RoleAnalyst, "")
	// A form route takes 1 MB at most, declared or not.
	big := bytes.Repeat([]byte("a"), 2<<20)
	res, body := analyst.do(http.MethodPost, "/labels", "application/x-www-form-urlencoded", append([]byte("label="), big...))
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "请求过大") {
		t.Errorf("2 MB form: %d", res.StatusCode)
	}
	req := httptest.NewRequest(http.MethodPost, "/labels", io.MultiReader(strings.NewReader("label="), bytes.NewReader(big)))
	req.ContentLength = -1 // chunked: the size is found while reading
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	analyst.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB chunked form: %d", rec.Code)
	}
	// Reports may be larger, up to 20 MB.
	ct, mp := multipartFiles(t, nil, map[string][]byte{"huge.txt": bytes.Repeat([]byte("开展法治宣讲活动12场。"), 21<<20/30)})
	res, body = analyst.do(http.MethodPost, "/documents", ct, mp)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "20 MB") {
		t.Errorf("21 MB upload: %d %s", res.StatusCode, body[:min(200, len(body))])
	}
	// The sign-in form is small.
	res, _ = newClient(t, srv).do(http.MethodPost, "/login", "application/x-www-form-urlencoded", append([]byte("name="), big...))
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB sign-in: %d", res.StatusCode)
	}
}

// An internal failure answers a generic message with the request id: no
// SQL, file path or stack reaches the client.
func TestInternalErrorsShowNoInternals(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{PublicRead: true})
	c := signIn(t, srv, wh, fazhi.RoleAnalyst, "")
	wh.Close()
	for _, p := range []string{"/", "/figures", "/api/v1/catalog", "/documents"} {
		for _, who := range []*client{c, newClient(t, srv)} {
			res, body := who.get(p)
			if p == "/api/v1/catalog" || redirectsToLogin(res) { // served from memory; a stranger is sent to sign in first
				continue
			}
			id := res.Header.Get("X-Request-Id")
			if res.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "服务器内部错误") || !strings.Contains(body, id) {
				t.Errorf("%s: %d %q", p, res.StatusCode, body[:min(len(body), 200)])
			}
			for _, leak := range []string{"sql", "SQL", "duckdb", "DuckDB", ".go:", "goroutine", "fazhi.duckdb", "/tmp/"} {
				if strings.Contains(body, leak) {
					t.Errorf("%s: the response shows %q", p, leak)
				}
			}
		}
	}
}
