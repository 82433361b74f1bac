package dashboards

import (
	"context"
	"fmt"
	"io"

	"fazhi"
	"fazhi/analytics"
)

// LoginPage is the sign-in form.
type LoginPage struct {
	Page
	Name  string // the name tried, kept after a failed attempt
	Next  string // where to go after signing in
	Token string // the pre-session CSRF token of this form
	Error string
}

// Login builds the sign-in page.
func Login(name, next, token, problem string) *LoginPage {
	return &LoginPage{Page: Page{Title: "登录", Active: "login"}, Name: name, Next: next, Token: token, Error: problem}
}

// Render writes the page.
func (p *LoginPage) Render(w io.Writer) error { return render(w, "login", p) }

// AccountPage shows the signed-in user's account and lets them change
// their password.
type AccountPage struct {
	Page
	User    fazhi.User
	OrgName string
	Done    string // a message after a change
	Error   string
}

// Account builds the page of a user's own account.
func Account(ctx context.Context, w *analytics.Warehouse, u fazhi.User) (*AccountPage, error) {
	p := &AccountPage{Page: Page{Title: "我的账号", Active: "account"}, User: u}
	if u.OrgCode != "" {
		if o, err := w.Org(ctx, u.OrgCode); err == nil {
			p.OrgName = o.FullName
		}
	}
	return p, nil
}

// Render writes the page.
func (p *AccountPage) Render(w io.Writer) error { return render(w, "account", p) }

// UserRow is one account as the users page lists it.
type UserRow struct {
	fazhi.User
	OrgName string
}

// UsersPage lists accounts for an admin, with forms to add one, reset a
// password, change a role, disable or enable.
type UsersPage struct {
	Page
	Users []UserRow
	Roles []fazhi.Role
	Orgs  []fazhi.Org
	Done  string // a message after a change
}

// Users builds the users page. done is the message of the change that led
// here, if any.
func Users(ctx context.Context, w *analytics.Warehouse, done string) (*UsersPage, error) {
	users, err := w.Users(ctx)
	if err != nil {
		return nil, err
	}
	orgs, err := w.Orgs(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("users page: %w", err)
	}
	names := make(map[string]string, len(orgs))
	for _, o := range orgs {
		names[o.Code] = o.FullName
	}
	p := &UsersPage{Page: Page{Title: "用户管理", Active: "users"}, Roles: fazhi.Roles, Orgs: orgs, Done: done}
	for _, u := range users {
		p.Users = append(p.Users, UserRow{User: u, OrgName: names[u.OrgCode]})
	}
	return p, nil
}

// Render writes the page.
func (p *UsersPage) Render(w io.Writer) error { return render(w, "users", p) }

// AuditPage is a page of the audit log, newest first.
type AuditPage struct {
	Page
	Filter analytics.AuditFilter
	Events []analytics.AuditEvent
	// Older is the id to page back from, 0 when this is the last page.
	Older int64
}

// auditPageSize is how many entries a page of the audit log shows.
const auditPageSize = 200

// Audit builds a page of the audit log.
func Audit(ctx context.Context, w *analytics.Warehouse, f analytics.AuditFilter) (*AuditPage, error) {
	f.Limit = auditPageSize
	events, err := w.AuditLog(ctx, f)
	if err != nil {
		return nil, err
	}
	p := &AuditPage{Page: Page{Title: "审计日志", Active: "audit"}, Filter: f, Events: events}
	if len(events) == auditPageSize {
		p.Older = events[len(events)-1].ID
	}
	return p, nil
}

// Render writes the page.
func (p *AuditPage) Render(w io.Writer) error { return render(w, "audit", p) }

// auditActions names the recorded actions in Chinese; an action not listed
// shows as recorded.
var auditActions = map[string]string{
	"login":           "登录",
	"logout":          "退出",
	"password_change": "修改本人密码",
	"upload_reports":  "上传报告",
	"review":          "审核数据",
	"assign_document": "指定报告单位与年度",
	"map_label":       "标签对应指标",
	"user_add":        "创建用户",
	"user_password":   "重置密码",
	"user_disable":    "停用用户",
	"user_enable":     "启用用户",
	"user_role":       "修改角色",
	"token_create":    "创建 API 令牌",
	"token_revoke":    "撤销 API 令牌",
	"rollback":        "撤回批次",
	"methodology":     "修改指数方法",
	"import":          "导入数据",
}

func auditActionLabel(a string) string {
	if l, ok := auditActions[a]; ok {
		return l
	}
	return a
}

func auditOutcomeLabel(o string) string {
	switch o {
	case analytics.AuditOK:
		return "成功"
	case analytics.AuditDenied:
		return "拒绝"
	case analytics.AuditFailed:
		return "失败"
	}
	return o
}
