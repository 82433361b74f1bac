package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeCreatesTheDatabaseAndShutsDownGracefully runs `fazhi serve` as a
// user would: on a database path whose folders do not exist yet, with the
// sample, then stops it the way SIGINT does (by cancelling its context).
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
	buf := make([]byte, 512)
	n, err := pr.Read(buf)
	if err != nil {
		t.Fatalf("serve printed nothing: %v", err)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`).FindStringSubmatch(string(buf[:n]))
	if m == nil {
		t.Fatalf("serve did not say where it listens: %q", buf[:n])
	}
	for _, path := range []string{"/healthz", "/"} {
		res, err := http.Get("http://" + m[1] + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		if path == "/" && !strings.Contains(string(body), "张家港市") {
			t.Errorf("overview does not show the sample")
		}
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

func TestUnknownCommandFails(t *testing.T) {
	var stderr strings.Builder
	if code := run(context.Background(), []string{"frobnicate"}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "unknown command") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}
