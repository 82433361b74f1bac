package analytics_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"fazhi"
	"fazhi/analytics"
)

func TestAccountsSignInAndOut(t *testing.T) {
	ctx := context.Background()
	w, path := openTemp(t)
	if has, _ := w.HasUsers(ctx); has {
		t.Fatal("a new database has users")
	}
	u, err := w.CreateUser(ctx, fazhi.User{Name: "wang.li", DisplayName: "王丽", Role: fazhi.RoleAnalyst, CreatedBy: "test"}, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.CreateUser(ctx, fazhi.User{Name: "wang.li", Role: fazhi.RoleViewer, CreatedBy: "test"}, "another password"); fazhi.ErrorCode(err) != fazhi.ECONFLICT {
		t.Errorf("duplicate name: %v", err)
	}
	for _, bad := range []struct {
		u  fazhi.User
		pw string
	}{
		{fazhi.User{Name: "has space", Role: fazhi.RoleViewer, CreatedBy: "t"}, "long enough pw"},
		{fazhi.User{Name: "<script>", Role: fazhi.RoleViewer, CreatedBy: "t"}, "long enough pw"},
		{fazhi.User{Name: "short", Role: fazhi.RoleViewer, CreatedBy: "t"}, "short"},
		{fazhi.User{Name: "nobody", Role: "root", CreatedBy: "t"}, "long enough pw"},
		{fazhi.User{Name: "rep", Role: fazhi.RoleReporter, CreatedBy: "t"}, "long enough pw"},                     // no org
		{fazhi.User{Name: "rep", Role: fazhi.RoleReporter, OrgCode: "nowhere", CreatedBy: "t"}, "long enough pw"}, // unknown org
	} {
		if _, err := w.CreateUser(ctx, bad.u, bad.pw); err == nil || fazhi.ErrorCode(err) == fazhi.EINTERNAL {
			t.Errorf("%+v accepted or internal error: %v", bad.u, err)
		}
	}

	// The password is stored as an argon2id hash, never as given.
	w.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "correct horse battery") {
		t.Fatal("the password is stored in clear")
	}
	if !regexp.MustCompile(`\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$`).Match(raw) {
		t.Error("no argon2id hash in the file")
	}
	w, err = analytics.Open(ctx, path, fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	for _, tc := range []struct {
		name, pw string
		ok       bool
	}{{"wang.li", "correct horse battery", true}, {"wang.li", "wrong password", false}, {"nobody", "correct horse battery", false}} {
		got, ok, err := w.Authenticate(ctx, tc.name, tc.pw)
		if err != nil || ok != tc.ok || (ok && got.ID != u.ID) {
			t.Errorf("Authenticate(%s, %s) = %v, %v", tc.name, tc.pw, ok, err)
		}
	}

	token, s, err := w.CreateSession(ctx, u, "127.0.0.1")
	if err != nil || len(token) < 43 || len(s.CSRF) < 43 || token == s.CSRF {
		t.Fatalf("session %q csrf %q: %v", token, s.CSRF, err)
	}
	got, err := w.Session(ctx, token, time.Now())
	if err != nil || got.User.Name != "wang.li" || got.User.Role != fazhi.RoleAnalyst || got.CSRF != s.CSRF {
		t.Fatalf("session lookup: %+v %v", got, err)
	}
	if _, err := w.Session(ctx, token+"x", time.Now()); fazhi.ErrorCode(err) != fazhi.ENOTFOUND {
		t.Errorf("a forged token finds a session: %v", err)
	}
	if err := w.DeleteSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Session(ctx, token, time.Now()); fazhi.ErrorCode(err) != fazhi.ENOTFOUND {
		t.Errorf("a signed-out session still works: %v", err)
	}
}

func TestSessionsExpireWhenIdleAndAfterTheirLifetime(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	u, err := w.CreateUser(ctx, fazhi.User{Name: "zhao", Role: fazhi.RoleViewer, CreatedBy: "test"}, "a long password")
	if err != nil {
		t.Fatal(err)
	}
	idle, _, _ := w.CreateSession(ctx, u, "")
	if _, err := w.Session(ctx, idle, time.Now().Add(analytics.SessionIdle+time.Minute)); fazhi.ErrorCode(err) != fazhi.ENOTFOUND {
		t.Errorf("idle session still valid: %v", err)
	}
	if _, err := w.Session(ctx, idle, time.Now()); err == nil {
		t.Error("an expired session is not removed")
	}

	busy, _, _ := w.CreateSession(ctx, u, "")
	start := time.Now()
	// Used every hour, it lives until its maximum age and no longer.
	for at := time.Hour; at < analytics.SessionMaxAge; at += time.Hour {
		if _, err := w.Session(ctx, busy, start.Add(at)); err != nil {
			t.Fatalf("active session ended after %v: %v", at, err)
		}
	}
	if _, err := w.Session(ctx, busy, start.Add(analytics.SessionMaxAge+time.Minute)); fazhi.ErrorCode(err) != fazhi.ENOTFOUND {
		t.Errorf("session outlives its maximum age: %v", err)
	}
}

func TestDisablingAndPasswordChangesEndSessionsAndTokens(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	admin, _ := w.CreateUser(ctx, fazhi.User{Name: "admin", Role: fazhi.RoleAdmin, CreatedBy: "test"}, "admin password")
	u, err := w.CreateUser(ctx, fazhi.User{Name: "li", Role: fazhi.RoleAnalyst, CreatedBy: "admin"}, "first password")
	if err != nil {
		t.Fatal(err)
	}
	keep, _, _ := w.CreateSession(ctx, u, "")
	other, _, _ := w.CreateSession(ctx, u, "")
	if err := w.SetPassword(ctx, "li", "second password", keep); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Session(ctx, other, time.Now()); err == nil {
		t.Error("a password change leaves other sessions signed in")
	}
	if _, err := w.Session(ctx, keep, time.Now()); err != nil {
		t.Errorf("the session that changed the password was signed out: %v", err)
	}
	if _, ok, _ := w.Authenticate(ctx, "li", "first password"); ok {
		t.Error("the old password still works")
	}

	token, err := w.CreateToken(ctx, "li", "nightly export")
	if err != nil || !strings.HasPrefix(token, "fzt_") {
		t.Fatalf("token %q: %v", token, err)
	}
	if got, err := w.TokenUser(ctx, token); err != nil || got.Name != "li" {
		t.Fatalf("token user: %v %v", got, err)
	}
	if err := w.SetDisabled(ctx, "li", true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Session(ctx, keep, time.Now()); err == nil {
		t.Error("a disabled user is still signed in")
	}
	if _, err := w.TokenUser(ctx, token); err == nil {
		t.Error("a disabled user's token still works")
	}
	if _, ok, _ := w.Authenticate(ctx, "li", "second password"); ok {
		t.Error("a disabled user can sign in")
	}
	if err := w.SetDisabled(ctx, "li", false); err != nil {
		t.Fatal(err)
	}
	if n, err := w.RevokeTokens(ctx, "li"); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	if _, err := w.TokenUser(ctx, token); err == nil {
		t.Error("a revoked token still works")
	}

	// The last enabled admin can be neither disabled nor demoted.
	if err := w.SetDisabled(ctx, "admin", true); fazhi.ErrorCode(err) != fazhi.ECONFLICT {
		t.Errorf("disable last admin: %v", err)
	}
	if err := w.SetRole(ctx, "admin", fazhi.RoleViewer, ""); fazhi.ErrorCode(err) != fazhi.ECONFLICT {
		t.Errorf("demote last admin: %v", err)
	}
	if err := w.SetRole(ctx, "li", fazhi.RoleAdmin, ""); err != nil {
		t.Fatal(err)
	}
	if err := w.SetDisabled(ctx, admin.Name, true); err != nil {
		t.Errorf("with a second admin the first can be disabled: %v", err)
	}
}

func TestReporterScopeIsItsOrgAndThoseBelow(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	if err := w.UpsertOrgs(ctx, append(testOrgs,
		fazhi.Org{Code: "320582-jyj-a", Name: "某学校", FullName: "某学校", Kind: fazhi.OrgBureau, ParentCode: "320582-jyj"})); err != nil {
		t.Fatal(err)
	}
	got, err := w.OrgAndBelow(ctx, "320582-jyj")
	if err != nil || strings.Join(got, ",") != "320582-jyj,320582-jyj-a" {
		t.Errorf("below 教育局: %v %v", got, err)
	}
	got, _ = w.OrgAndBelow(ctx, "320582")
	if len(got) != 4 {
		t.Errorf("below 张家港市: %v", got)
	}
	if got, _ := w.OrgAndBelow(ctx, "nowhere"); len(got) != 0 {
		t.Errorf("unknown org: %v", got)
	}
	if _, err := w.CreateUser(ctx, fazhi.User{Name: "jyj", Role: fazhi.RoleReporter, OrgCode: "320582-jyj", CreatedBy: "t"}, "reporter password"); err != nil {
		t.Fatal(err)
	}
	// Other roles carry no org.
	v, err := w.CreateUser(ctx, fazhi.User{Name: "v", Role: fazhi.RoleViewer, OrgCode: "320582-jyj", CreatedBy: "t"}, "viewer password")
	if err != nil || v.OrgCode != "" {
		t.Errorf("viewer with org: %+v %v", v, err)
	}
}

func TestAuditLogKeepsEveryEntryNewestFirst(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	for i, a := range []string{"login", "upload_reports", "login"} {
		if err := w.Audit(ctx, analytics.AuditEvent{Actor: "li", Action: a, Outcome: analytics.AuditOK, Target: strings.Repeat("x", i*500),
			Address: "10.0.0.1", RequestID: "r1", Detail: "bad utf8 \xff"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Audit(ctx, analytics.AuditEvent{Actor: "li"}); err == nil {
		t.Error("an event without action was recorded")
	}
	all, err := w.AuditLog(ctx, analytics.AuditFilter{})
	if err != nil || len(all) != 3 || all[0].ID < all[2].ID || all[0].At.IsZero() {
		t.Fatalf("audit log: %+v %v", all, err)
	}
	if len([]rune(all[0].Target)) > 257 || !strings.Contains(all[0].Detail, "\uFFFD") {
		t.Errorf("hostile fields are kept as given: %d runes, %q", len([]rune(all[0].Target)), all[0].Detail)
	}
	logins, _ := w.AuditLog(ctx, analytics.AuditFilter{Action: "login"})
	older, _ := w.AuditLog(ctx, analytics.AuditFilter{Before: all[0].ID})
	if len(logins) != 2 || len(older) != 2 {
		t.Errorf("filters: %d logins, %d older", len(logins), len(older))
	}
}

// The audit log is append-only: no statement of the warehouse's source
// updates or deletes its rows.
func TestNoCodeChangesTheAuditLog(t *testing.T) {
	files, _ := os.ReadDir(".")
	change := regexp.MustCompile(`(?is)(UPDATE\s+audit_log|DELETE\s+FROM\s+audit_log|DROP\s+TABLE\s+audit_log|TRUNCATE\s+audit_log)`)
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		if loc := change.FindIndex(src); loc != nil {
			t.Errorf("%s changes the audit log: %q", f.Name(), src[loc[0]:loc[1]])
		}
	}
}
