package api_test

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
)

func TestSignInSetsAHardenedSessionCookieAndSignOutEndsIt(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	ctx := context.Background()
	if _, err := wh.CreateUser(ctx, fazhi.User{Name: "li.na", Role: fazhi.RoleViewer, CreatedBy: "test"}, testPassword); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv)
	// A stranger is sent to sign in, and back afterwards.
	res, _ := c.get("/figures?org=320582-jyj")
	if !redirectsToLogin(res) {
		t.Fatalf("stranger on /figures: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, page := c.get(res.Header.Get("Location"))
	if !strings.Contains(page, `name="next" value="/figures?org=320582-jyj"`) || !strings.Contains(page, "用户名") {
		t.Fatalf("login page does not keep where the user was going")
	}
	m := loginForm.FindStringSubmatch(page)
	res, _ = c.postForm("/login", url.Values{"_csrf": {m[1]}, "name": {"li.na"}, "password": {testPassword}, "next": {"/figures?org=320582-jyj"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/figures?org=320582-jyj" {
		t.Fatalf("sign in: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "fazhi_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure || session.Path != "/" ||
		len(session.Value) < 43 {
		t.Fatalf("session cookie %+v", session)
	}
	first := session.Value
	res, page = c.get("/figures?org=320582-jyj")
	if res.StatusCode != 200 || !strings.Contains(page, "li.na") || !strings.Contains(page, `action="/logout"`) {
		t.Fatalf("signed-in page: %d", res.StatusCode)
	}
	c.csrf = csrfMeta.FindStringSubmatch(page)[1]
	// Sessions exist only once signed in, and each sign-in makes a new
	// one: a cookie planted before sign-in (session fixation) is not used.
	planted := newClient(t, srv)
	planted.cookies["fazhi_session"] = "planted-by-an-attacker"
	planted.login("li.na", testPassword)
	if v := planted.cookies["fazhi_session"]; v == "planted-by-an-attacker" || v == first || planted.csrf == "" {
		t.Errorf("sign-in kept a planted or earlier session id: %q", v)
	}
	second := c.cookies["fazhi_session"]
	if res, _ := c.do(http.MethodPost, "/logout", "", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if _, ok := c.cookies["fazhi_session"]; ok {
		t.Error("logout leaves the cookie")
	}
	// The old cookie no longer works, even if the browser kept it.
	c.cookies["fazhi_session"] = second
	if res, _ := c.get("/figures"); !redirectsToLogin(res) {
		t.Errorf("a signed-out session still reads: %d", res.StatusCode)
	}

	events, _ := wh.AuditLog(ctx, analytics.AuditFilter{Actor: "li.na"})
	var got []string
	for _, e := range events {
		got = append(got, e.Action+":"+e.Outcome)
		if e.Address == "" || e.RequestID == "" {
			t.Errorf("audit entry without address or request id: %+v", e)
		}
	}
	if strings.Join(got, " ") != "logout:ok login:ok login:ok" {
		t.Errorf("audit log of li.na: %v", got)
	}
}

func TestSessionCookieIsSecureUnderTLS(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	if _, err := wh.CreateUser(context.Background(), fazhi.User{Name: "tls", Role: fazhi.RoleViewer, CreatedBy: "test"}, testPassword); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	hc := ts.Client()
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := hc.Get(ts.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS under TLS")
	}
	m := loginForm.FindStringSubmatch(string(body))
	res, err = hc.PostForm(ts.URL+"/login", url.Values{"_csrf": {m[1]}, "name": {"tls"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var secure bool
	for _, ck := range res.Cookies() {
		if ck.Name == "fazhi_session" {
			secure = ck.Secure
		}
	}
	if res.StatusCode != http.StatusSeeOther || !secure {
		t.Errorf("sign in over TLS: %d, Secure cookie %v", res.StatusCode, secure)
	}
	_ = tls.VersionTLS12
}

func TestWrongPasswordsAreRefusedThenRateLimited(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	ctx := context.Background()
	if _, err := wh.CreateUser(ctx, fazhi.User{Name: "zhou", Role: fazhi.RoleViewer, CreatedBy: "test"}, testPassword); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv)
	for i := 0; i < 5; i++ {
		res, page := c.login("zhou", "guess number "+string(rune('0'+i)))
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "用户名或密码错误") {
			t.Fatalf("wrong password %d: %d", i, res.StatusCode)
		}
	}
	// The sixth attempt within the minute is refused before the password
	// is even checked, right or wrong.
	res, page := c.login("zhou", testPassword)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "登录尝试过多") || res.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth attempt: %d", res.StatusCode)
	}
	// Another name from another address is not affected...
	if _, err := wh.CreateUser(ctx, fazhi.User{Name: "wu", Role: fazhi.RoleViewer, CreatedBy: "test"}, testPassword); err != nil {
		t.Fatal(err)
	}
	other := newClient(t, srv)
	other.addr = "198.51.100.7"
	if res, _ := other.login("wu", testPassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another user is locked out too: %d", res.StatusCode)
	}
	// ...but one address trying many names is limited as well.
	spray := newClient(t, srv)
	spray.addr = "203.0.113.9"
	var limited bool
	for i := 0; i < 25 && !limited; i++ {
		res, _ := spray.login("name"+string(rune('a'+i)), "wrong password")
		limited = res.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("one address may try any number of names")
	}

	events, _ := wh.AuditLog(ctx, analytics.AuditFilter{Actor: "zhou", Action: "login"})
	var failed, denied int
	for _, e := range events {
		switch e.Outcome {
		case analytics.AuditFailed:
			failed++
		case analytics.AuditDenied:
			denied++
		}
	}
	if failed != 5 || denied != 1 {
		t.Errorf("audit: %d failed and %d denied logins of zhou, want 5 and 1", failed, denied)
	}
}

func TestLoginFormNeedsItsOwnTokenAndRedirectsOnlyWithinTheSite(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	if _, err := wh.CreateUser(context.Background(), fazhi.User{Name: "he", Role: fazhi.RoleViewer, CreatedBy: "test"}, testPassword); err != nil {
		t.Fatal(err)
	}
	// A login form posted from another site has no login cookie.
	c := newClient(t, srv)
	res, _ := c.postForm("/login", url.Values{"_csrf": {"forged"}, "name": {"he"}, "password": {testPassword}})
	if res.StatusCode != http.StatusForbidden || c.cookies["fazhi_session"] != "" {
		t.Errorf("cross-site login: %d", res.StatusCode)
	}
	for _, next := range []string{"//evil.example/", "https://evil.example/", `/\evil.example`, "javascript:alert(1)", "/login"} {
		c := newClient(t, srv)
		_, page := c.get("/login")
		m := loginForm.FindStringSubmatch(page)
		res, _ := c.postForm("/login", url.Values{"_csrf": {m[1]}, "name": {"he"}, "password": {testPassword}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirects to %q", next, loc)
		}
	}
}

func TestAPITokensAuthenticateScriptsWithoutCSRF(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	ctx := context.Background()
	if _, err := wh.CreateUser(ctx, fazhi.User{Name: "script", Role: fazhi.RoleAnalyst, CreatedBy: "test"}, testPassword); err != nil {
		t.Fatal(err)
	}
	token, err := wh.CreateToken(ctx, "script", "nightly")
	if err != nil {
		t.Fatal(err)
	}
	bot := newClient(t, srv)
	bot.token = token
	if res, body := bot.get("/api/v1/catalog"); res.StatusCode != 200 || !strings.Contains(body, "law_publicity_events") {
		t.Fatalf("catalog with token: %d", res.StatusCode)
	}
	// A state change with the token needs no CSRF token and is recorded
	// under the token's user.
	loc := uploadReport(t, bot, "zjg.txt", zjgReport(t))
	if !strings.HasPrefix(loc, "/documents/") {
		t.Fatalf("upload with token went to %q", loc)
	}
	_, list := bot.get("/documents")
	if !strings.Contains(list, "script") {
		t.Error("the upload is not recorded under the token's user")
	}
	bot.token = token + "x"
	if res, body := bot.get("/api/v1/catalog"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "令牌") {
		t.Errorf("a wrong token: %d %s", res.StatusCode, body)
	}
	bot.token = ""
	if res, _ := bot.get("/api/v1/catalog"); res.StatusCode != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("API without credentials: %d", res.StatusCode)
	}
	events, _ := wh.AuditLog(ctx, analytics.AuditFilter{Actor: "script", Action: "upload_reports"})
	if len(events) != 1 || events[0].Outcome != analytics.AuditOK || !strings.Contains(events[0].Detail, "zjg.txt") {
		t.Errorf("upload audit: %+v", events)
	}
}

func TestChangingOnesPasswordSignsOutOtherSessions(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	me := signIn(t, srv, wh, fazhi.RoleViewer, "")
	phone := newClient(t, srv)
	phone.login(me.name, testPassword)
	res, page := me.postForm("/account/password", url.Values{"current": {"wrong one"}, "password": {"a new long password"}, "confirm": {"a new long password"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "当前密码不正确") {
		t.Fatalf("wrong current password: %d", res.StatusCode)
	}
	res, page = me.postForm("/account/password", url.Values{"current": {testPassword}, "password": {"a new long password"}, "confirm": {"a new long password"}})
	if res.StatusCode != 200 || !strings.Contains(page, "密码已修改") {
		t.Fatalf("change password: %d", res.StatusCode)
	}
	if res, _ := me.get("/account"); res.StatusCode != 200 {
		t.Errorf("the session that changed the password was signed out: %d", res.StatusCode)
	}
	if res, _ := phone.get("/account"); !redirectsToLogin(res) {
		t.Errorf("another session survives a password change: %d", res.StatusCode)
	}
}
