package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
	"fazhi/ingest"
)

// newServer serves a fresh warehouse holding the bundled sample. Its
// requests are made by a signed-in analyst: tests of pages and uploads
// read as the people who use them.
func newServer(t *testing.T) (http.Handler, *analytics.Warehouse) {
	t.Helper()
	srv, wh := newBareServer(t, api.Options{})
	return signIn(t, srv, wh, fazhi.RoleAnalyst, ""), wh
}

// newBareServer is the server itself, as a stranger reaches it.
func newBareServer(t *testing.T, opts api.Options) (*api.Server, *analytics.Warehouse) {
	t.Helper()
	ctx := context.Background()
	cat := fazhi.DefaultCatalog()
	wh, err := analytics.Open(ctx, filepath.Join(t.TempDir(), "fazhi.duckdb"), cat)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	report, err := ingest.ZhangjiagangEducation2019(cat)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []ingest.Bundle{ingest.GenerateSample(cat), report} {
		if _, err := wh.LoadBatch(ctx, analytics.Load{Batch: fazhi.Batch{CreatedBy: "test", Method: b.Method},
			Orgs: b.Orgs, Sources: b.Sources, Observations: b.Observations}); err != nil {
			t.Fatal(err)
		}
	}
	return api.New(wh, zerolog.Nop(), opts), wh
}

// client is a browser: it keeps cookies and, once signed in, sends the
// session's CSRF token with every state change (as the X-CSRF-Token
// header; forms' hidden field is tested on its own).
type client struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]string
	csrf    string
	token   string // an API token, sent as Authorization: Bearer
	addr    string // the client's address, "192.0.2.1" by default
	name    string
	// formOnly leaves the CSRF header off: the token must be in the form.
	formOnly bool
}

func newClient(t *testing.T, h http.Handler) *client {
	return &client{t: t, h: h, cookies: map[string]string{}}
}

// ServeHTTP lets a client stand in for the server in get and post.
func (c *client) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, v := range c.cookies {
		r.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	if c.addr != "" {
		r.RemoteAddr = c.addr + ":1234"
	}
	if c.csrf != "" && !c.formOnly && r.Method != http.MethodGet && r.Header.Get("X-CSRF-Token") == "" {
		r.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c.token != "" {
		r.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, r)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// do sends a request and returns the response and its body.
func (c *client) do(method, target, contentType string, body []byte) (*http.Response, string) {
	c.t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) get(target string) (*http.Response, string) {
	c.t.Helper()
	return c.do(http.MethodGet, target, "", nil)
}

func (c *client) postForm(target string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	return c.do(http.MethodPost, target, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

var (
	csrfMeta  = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)
	loginForm = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	userSeq   atomic.Int64
)

// testPassword is the password of every user signIn creates.
const testPassword = "correct horse battery staple"

// signIn creates a user of role (a reporter of org) and signs them in
// through the login form, as a browser would; the client then carries
// their session cookie and CSRF token.
func signIn(t *testing.T, h http.Handler, wh *analytics.Warehouse, role fazhi.Role, org string) *client {
	t.Helper()
	name := fmt.Sprintf("%s%d", role, userSeq.Add(1))
	if _, err := wh.CreateUser(context.Background(), fazhi.User{Name: name, Role: role, OrgCode: org, CreatedBy: "test"}, testPassword); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, h)
	c.login(name, testPassword)
	if c.csrf == "" {
		t.Fatalf("%s could not sign in", name)
	}
	return c
}

// login fills in and sends the login form; on success the client keeps
// the session and its CSRF token.
func (c *client) login(name, password string) (*http.Response, string) {
	c.t.Helper()
	_, page := c.get("/login")
	m := loginForm.FindStringSubmatch(page)
	if m == nil {
		c.t.Fatalf("login page has no CSRF field:\n%s", page)
	}
	res, body := c.postForm("/login", url.Values{"_csrf": {m[1]}, "name": {name}, "password": {password}})
	if res.StatusCode == http.StatusSeeOther {
		_, home := c.get("/account")
		if m := csrfMeta.FindStringSubmatch(home); m != nil {
			c.csrf, c.name = m[1], name
		}
	}
	return res, body
}

func get(t *testing.T, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// post sends a form or a multipart body and returns the response.
func post(t *testing.T, h http.Handler, target, contentType string, body []byte) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// redirectsToLogin is true for a response that sends a stranger to sign in.
func redirectsToLogin(res *http.Response) bool {
	return res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login?next=")
}

// zjgReport is a real published report, 张家港市教育局2019年度法治政府建设情况报告,
// as a bureau site might serve it: with a trailing blank line, so that it
// is another file (sha256) than the one the bundled manual figures quote.
func zjgReport(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../ingest/testdata/corpus/zhangjiagang-jiaoyu-2019.txt")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

// uploadReport uploads one report file and returns its review page's path.
func uploadReport(t *testing.T, c *client, name string, data []byte) string {
	t.Helper()
	ct, body := multipartFiles(t, nil, map[string][]byte{name: data})
	res, page := c.do(http.MethodPost, "/documents", ct, body)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload %s = %d: %s", name, res.StatusCode, page)
	}
	return res.Header.Get("Location")
}

// figureRow finds the review page's row of the figure quoting quote and
// returns [row, id].
func figureRow(page, quote string) []string {
	for _, row := range strings.Split(page, `<tr id="f`)[1:] {
		if id, rest, ok := strings.Cut(row, `"`); ok && strings.Contains(rest[:strings.Index(rest+"</tr>", "</tr>")], quote) {
			return []string{row, id}
		}
	}
	return nil
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
