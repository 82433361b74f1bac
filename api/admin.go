package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/analytics"
	"fazhi/dashboards"
)

func (s *Server) adminRoutes() {
	e := s.echo
	e.GET("/admin/users", s.users)
	e.POST("/admin/users", s.addUser)
	e.POST("/admin/users/:name/password", s.resetPassword)
	e.POST("/admin/users/:name/disable", s.disableUser)
	e.POST("/admin/users/:name/enable", s.enableUser)
	e.POST("/admin/users/:name/role", s.setRole)
	e.GET("/admin/audit", s.auditLog)
}

// doneMessages are the notices the users page shows after a change; the
// page is reached by redirect, so the message is named, not carried.
var doneMessages = map[string]string{
	"added":    "已创建用户 %s。",
	"password": "已重置 %s 的密码，其所有登录已退出。",
	"disabled": "已停用 %s，其所有登录和 API 令牌已失效。",
	"enabled":  "已启用 %s。",
	"role":     "已修改 %s 的角色，下次请求起生效。",
}

func (s *Server) users(c *echo.Context) error {
	ctx := c.Request().Context()
	var done string
	if format, ok := doneMessages[c.QueryParam("done")]; ok {
		if u, err := s.wh.User(ctx, c.QueryParam("user")); err == nil {
			done = fmt.Sprintf(format, u.Name)
		}
	}
	p, err := dashboards.Users(ctx, s.wh, done)
	if err != nil {
		return err
	}
	return page(c, p)
}

// usersDone goes back to the users page with the notice of a change.
func usersDone(c *echo.Context, done, name string) error {
	return c.Redirect(http.StatusSeeOther, "/admin/users?done="+done+"&user="+url.QueryEscape(name))
}

// userParam is the user a route names; the router leaves it escaped.
func userParam(c *echo.Context) string {
	name, err := url.PathUnescape(c.Param("name"))
	if err != nil {
		name = c.Param("name")
	}
	auditTarget(c, name)
	return name
}

func (s *Server) addUser(c *echo.Context) error {
	u := fazhi.User{Name: strings.TrimSpace(c.FormValue("name")), DisplayName: c.FormValue("display_name"),
		Role: fazhi.Role(c.FormValue("role")), OrgCode: c.FormValue("org"), CreatedBy: who(c)}
	auditTarget(c, u.Name)
	auditDetail(c, describeRole(u.Role, u.OrgCode))
	u, err := s.wh.CreateUser(c.Request().Context(), u, c.FormValue("password"))
	if err != nil {
		return err
	}
	return usersDone(c, "added", u.Name)
}

func (s *Server) resetPassword(c *echo.Context) error {
	name := userParam(c)
	if err := s.wh.SetPassword(c.Request().Context(), name, c.FormValue("password"), ""); err != nil {
		return err
	}
	return usersDone(c, "password", name)
}

func (s *Server) disableUser(c *echo.Context) error {
	name := userParam(c)
	if err := s.wh.SetDisabled(c.Request().Context(), name, true); err != nil {
		return err
	}
	return usersDone(c, "disabled", name)
}

func (s *Server) enableUser(c *echo.Context) error {
	name := userParam(c)
	if err := s.wh.SetDisabled(c.Request().Context(), name, false); err != nil {
		return err
	}
	return usersDone(c, "enabled", name)
}

func (s *Server) setRole(c *echo.Context) error {
	name := userParam(c)
	role, org := fazhi.Role(c.FormValue("role")), c.FormValue("org")
	auditDetail(c, describeRole(role, org))
	if err := s.wh.SetRole(c.Request().Context(), name, role, org); err != nil {
		return err
	}
	return usersDone(c, "role", name)
}

// describeRole is a role change as the audit log says it.
func describeRole(r fazhi.Role, org string) string {
	if r == fazhi.RoleReporter {
		return "角色 " + string(r) + "，单位 " + org
	}
	return "角色 " + string(r)
}

func (s *Server) auditLog(c *echo.Context) error {
	f := analytics.AuditFilter{Actor: c.QueryParam("actor"), Action: c.QueryParam("action")}
	if b := c.QueryParam("before"); b != "" {
		before, err := strconv.ParseInt(b, 10, 64)
		if err != nil || before < 0 {
			return fazhi.Errorf(fazhi.EINVALID, "分页参数 %q 无效", b)
		}
		f.Before = before
	}
	p, err := dashboards.Audit(c.Request().Context(), s.wh, f)
	if err != nil {
		return err
	}
	return page(c, p)
}
