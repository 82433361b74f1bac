package api

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"unicode"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/analytics"
	"fazhi/dashboards"
)

func (s *Server) authRoutes() {
	s.echo.GET("/login", s.loginPage)
	s.echo.POST("/login", s.login)
	s.echo.POST("/logout", s.logout)
	s.echo.GET("/account", s.account)
	s.echo.POST("/account/password", s.changePassword)
}

// Failed sign-ins allowed per minute, per client address and per user
// name. An office behind one NAT address shares the first, so it is the
// larger.
const (
	loginAttemptsPerAddr = 20
	loginAttemptsPerName = 5
)

func (s *Server) loginPage(c *echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if current(c).signedIn() {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return s.showLogin(c, http.StatusOK, "", next, "")
}

// showLogin renders the sign-in form with a fresh pre-session CSRF token
// in a cookie and a hidden field: a form posted from another site lacks
// the cookie's value.
func (s *Server) showLogin(c *echo.Context, status int, name, next, problem string) error {
	token := analytics.RandomToken()
	c.SetCookie(&http.Cookie{Name: loginCookie, Value: token, Path: "/login", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.Request().TLS != nil, MaxAge: 3600})
	return pageStatus(c, status, dashboards.Login(name, next, token, problem))
}

// login checks the form's token, the attempt limits, then the password;
// on success it starts a new session and goes where the user was headed.
func (s *Server) login(c *echo.Context) error {
	r := c.Request()
	if err := parseForm(r); err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	next := safeNext(r.PostFormValue("next"))
	auditActor(c, name)
	ck, err := c.Cookie(loginCookie)
	if err != nil || !equalTokens(ck.Value, r.PostFormValue("_csrf")) {
		auditOutcome(c, analytics.AuditDenied, "登录表单令牌无效")
		return s.showLogin(c, http.StatusForbidden, name, next, "登录页面已过期，请重新输入用户名和密码")
	}
	addr := c.RealIP()
	if !s.loginsByAddr.allow(addr) || !s.loginsByName.allow(name) {
		auditOutcome(c, analytics.AuditDenied, "登录尝试过多")
		c.Response().Header().Set("Retry-After", "60")
		return s.showLogin(c, http.StatusTooManyRequests, name, next, "登录尝试过多，请 1 分钟后再试")
	}
	u, ok, err := s.wh.Authenticate(r.Context(), name, r.PostFormValue("password"))
	if err != nil {
		return err
	}
	if !ok {
		s.loginsByAddr.fail(addr)
		s.loginsByName.fail(name)
		auditOutcome(c, analytics.AuditFailed, "用户名或密码错误")
		return s.showLogin(c, http.StatusUnauthorized, name, next, "用户名或密码错误")
	}
	if err := s.setSession(c, u); err != nil {
		return err
	}
	s.clearCookie(c, loginCookie, "/login")
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c *echo.Context) error {
	if p := current(c); p.session != "" {
		if err := s.wh.DeleteSession(c.Request().Context(), p.session); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie, "/")
	if s.opts.PublicRead {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) account(c *echo.Context) error {
	p, err := dashboards.Account(c.Request().Context(), s.wh, current(c).user)
	if err != nil {
		return err
	}
	return page(c, p)
}

// changePassword lets a user replace their own password, given the
// current one; their other sessions end.
func (s *Server) changePassword(c *echo.Context) error {
	r, me := c.Request(), current(c)
	ctx := r.Context()
	p, err := dashboards.Account(ctx, s.wh, me.user)
	if err != nil {
		return err
	}
	auditTarget(c, me.user.Name)
	fail := func(status int, msg string) error {
		auditOutcome(c, analytics.AuditFailed, msg)
		p.Error = msg
		return pageStatus(c, status, p)
	}
	if me.viaToken {
		return echo.NewHTTPError(http.StatusForbidden, "API 令牌不能修改密码")
	}
	if !s.loginsByName.allow(me.user.Name) {
		return fail(http.StatusTooManyRequests, "尝试次数过多，请 1 分钟后再试")
	}
	if _, ok, err := s.wh.Authenticate(ctx, me.user.Name, r.PostFormValue("current")); err != nil {
		return err
	} else if !ok {
		s.loginsByName.fail(me.user.Name)
		return fail(http.StatusBadRequest, "当前密码不正确")
	}
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("confirm") {
		return fail(http.StatusBadRequest, "两次输入的新密码不一致")
	}
	if err := s.wh.SetPassword(ctx, me.user.Name, pw, me.session); err != nil {
		if fazhi.ErrorCode(err) == fazhi.EINVALID {
			return fail(http.StatusBadRequest, fazhi.ErrorMessage(err))
		}
		return err
	}
	p.Done = "密码已修改；本账号在其他浏览器上的登录已全部退出。"
	return page(c, p)
}

// safeNext keeps a post-login destination on this site: a path, never
// another host ("//evil", "/\evil") or a scheme.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) ||
		strings.HasPrefix(next, "/login") || len(next) > 2000 || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return "/"
	}
	return next
}

// equalTokens compares secrets in constant time; an empty one never matches.
func equalTokens(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
