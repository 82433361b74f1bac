package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fazhi"
	"fazhi/analytics"
)

// fazhiUser runs `fazhi user ARGS` with input on standard input.
func fazhiUser(t *testing.T, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	stdin = strings.NewReader(input)
	var out, errOut strings.Builder
	code = run(context.Background(), append([]string{"user"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUserCommandsManageAccountsAndAuditThem(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.duckdb")
	// A reporter needs a known org: load one.
	wh, err := analytics.Open(context.Background(), db, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.UpsertOrgs(context.Background(), []fazhi.Org{{Code: "320582-jyj", Name: "教育局", FullName: "张家港市教育局", Kind: fazhi.OrgBureau}}); err != nil {
		t.Fatal(err)
	}
	wh.Close()

	if code, _, errOut := fazhiUser(t, "long enough password\n", "add", "wang", "--role", "analyst", "--db", db); code != 0 {
		t.Fatalf("add: %s", errOut)
	}
	if code, out, errOut := fazhiUser(t, "", "add", "--db", db, "--role", "reporter", "--org", "320582-jyj", "jyj", "--random-password"); code != 0 ||
		!regexp.MustCompile(`password: [a-z2-9]{5}(-[a-z2-9]{5}){3}`).MatchString(out) {
		t.Fatalf("add with a made-up password: %d %q %s", code, out, errOut)
	}
	for _, bad := range [][]string{
		{"add", "x", "--role", "root", "--db", db},           // unknown role
		{"add", "y", "--role", "reporter", "--db", db},       // reporter without org
		{"add", "wang", "--role", "viewer", "--db", db},      // taken
		{"add", "has space", "--role", "viewer", "--db", db}, // bad name
		{"passwd", "nobody", "--db", db},                     // unknown user
		{"add", "--role", "viewer", "--db", db},              // no name
		{"frobnicate", "x", "--db", db},                      // unknown subcommand
	} {
		if code, _, errOut := fazhiUser(t, "long enough password\n", bad...); code == 0 || errOut == "" {
			t.Errorf("%v: exit %d, %q", bad, code, errOut)
		}
	}
	if code, _, errOut := fazhiUser(t, "short\n", "add", "z", "--role", "viewer", "--db", db); code == 0 || !strings.Contains(errOut, "密码至少") {
		t.Errorf("short password: %d %q", code, errOut)
	}
	if code, _, _ := fazhiUser(t, "second long password\n", "passwd", "wang", "--db", db); code != 0 {
		t.Fatal("passwd")
	}
	if code, _, _ := fazhiUser(t, "", "disable", "jyj", "--db", db); code != 0 {
		t.Fatal("disable")
	}
	code, token, _ := fazhiUser(t, "", "token", "wang", "--label", "nightly export", "--db", db)
	token = strings.TrimSpace(token)
	if code != 0 || !strings.HasPrefix(token, "fzt_") {
		t.Fatalf("token: %d %q", code, token)
	}
	code, list, _ := fazhiUser(t, "", "list", "--db", db)
	if code != 0 || !regexp.MustCompile(`wang\s+analyst\s+-\s+active`).MatchString(list) ||
		!regexp.MustCompile(`jyj\s+reporter\s+320582-jyj\s+disabled`).MatchString(list) {
		t.Errorf("list:\n%s", list)
	}

	wh, err = analytics.Open(context.Background(), db, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	ctx := context.Background()
	if _, ok, _ := wh.Authenticate(ctx, "wang", "second long password"); !ok {
		t.Error("passwd did not set the password")
	}
	if u, err := wh.TokenUser(ctx, token); err != nil || u.Name != "wang" {
		t.Errorf("the printed token does not work: %v", err)
	}
	events, _ := wh.AuditLog(ctx, analytics.AuditFilter{})
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
		if !strings.Contains(e.Actor, "命令行") || e.Address != "cli" {
			t.Errorf("CLI audit entry %+v", e)
		}
	}
	if strings.Join(actions, " ") != "token_create user_disable user_password user_add user_add" {
		t.Errorf("audit: %v", actions)
	}
	wh.Close()
	if code, out, _ := fazhiUser(t, "", "token", "--revoke", "wang", "--db", db); code != 0 || !strings.Contains(out, "revoked 1") {
		t.Errorf("revoke: %q", out)
	}
}

// While `fazhi serve` holds the database, user commands say so and where
// to manage users instead.
func TestUserCommandsRefuseWhileTheServerRuns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "held.duckdb")
	startServe(t, "--db", db, "--sample=false")
	code, _, errOut := fazhiUser(t, "long enough password\n", "add", "li", "--role", "viewer", "--db", db)
	if code == 0 || !strings.Contains(errOut, "held by another fazhi process") || !strings.Contains(errOut, "/admin/users") {
		t.Errorf("exit %d: %q", code, errOut)
	}
}
