package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeCreatesTheDatabaseAndShutsDownGracefully runs `fazhi serve` as a
// user would on a fresh machine: on a database path whose folders do not
// exist yet, with the sample; it prints the first admin's password once,
// which signs in; then it stops the way SIGINT does (by cancelling its
// context).
func TestServeCreatesTheDatabaseAndShutsDownGracefully(t *testing.T) {
	db := filepath.Join(t.TempDir(), "new", "nested", "x.duckdb")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, pw, io.Discard)
		pw.Close()
	}()
	var printed strings.Builder
	buf := make([]byte, 512)
	var addr []string
	for addr == nil {
		n, err := pr.Read(buf)
		if err != nil {
			t.Fatalf("serve stopped printing: %v after %q", err, printed.String())
		}
		printed.Write(buf[:n])
		addr = regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`).FindStringSubmatch(printed.String())
	}
	go io.Copy(io.Discard, pr)
	pass := regexp.MustCompile(`用户名 admin，密码 (\S+)`).FindStringSubmatch(printed.String())
	if pass == nil {
		t.Fatalf("serve did not print the first admin's password: %q", printed.String())
	}
	base := "http://" + addr[1]
	if res, err := http.Get(base + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	if res, err := http.Get(base + "/"); err != nil || res.Request.URL.Path != "/login" {
		t.Fatalf("a stranger on / is not sent to sign in: %v %v", res.Request.URL, err)
	}
	page := signInOver(t, base, "admin", pass[1])
	if !strings.Contains(page, "张家港市") || !strings.Contains(page, "系统管理员") {
		t.Errorf("the overview after sign-in does not show the sample")
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited with %d after shutdown", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down within 15 s")
	}
}

// signInOver signs in over real HTTP through the login form and returns
// the page it lands on.
func signInOver(t *testing.T, base, name, password string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	res, err := hc.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(string(body))
	if m == nil {
		t.Fatalf("no login form at %s", res.Request.URL)
	}
	res, err = hc.PostForm(base+"/login", url.Values{"_csrf": {m[1]}, "name": {name}, "password": {password}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ = io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Request.URL.Path != "/" {
		t.Fatalf("sign in as %s: %d at %s", name, res.StatusCode, res.Request.URL)
	}
	return string(body)
}

func TestPublicReadShowsTheOverviewWithoutSigningIn(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	c := startServe(t, "--db", db, "--public-read", "--admin-password", "chosen admin password")
	if strings.Contains(c.printed(), "chosen admin password") || !strings.Contains(c.printed(), "--admin-password") {
		t.Errorf("serve printed a password it was given, or did not say where it came from: %q", c.printed())
	}
	res, err := http.Get("http://" + c.Addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Request.URL.Path != "/" || !strings.Contains(string(body), "张家港市") {
		t.Errorf("public overview: %d at %s", res.StatusCode, res.Request.URL)
	}
	if page := signInOver(t, "http://"+c.Addr, "admin", "chosen admin password"); !strings.Contains(page, "系统管理员") {
		t.Error("not signed in with --admin-password")
	}
}

func TestUnknownCommandFails(t *testing.T) {
	var stderr strings.Builder
	if code := run(context.Background(), []string{"frobnicate"}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "unknown command") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}
