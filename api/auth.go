package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/analytics"
)

// Cookies. The session cookie holds a random token whose sha256 is the
// stored session id; the login cookie holds the sign-in form's CSRF token
// before there is a session to tie it to.
const (
	sessionCookie = "fazhi_session"
	loginCookie   = "fazhi_login"
)

const principalKey = "principal"

// principal is who makes a request: a signed-in user (by session cookie
// or API token) or, with a zero user, a stranger.
type principal struct {
	user     fazhi.User
	session  string // the session cookie's token; "" for API tokens and strangers
	csrf     string // the session's CSRF token
	viaToken bool   // authenticated by Authorization: Bearer, so exempt from CSRF checks
	// err is why the session could not be looked up (the database failed):
	// public routes still answer, others fail with it (see authorize).
	err error
}

func (p *principal) signedIn() bool { return p.user.ID != 0 }

// current is the principal of a request; a stranger before authenticate ran.
func current(c *echo.Context) *principal {
	if p, ok := c.Get(principalKey).(*principal); ok {
		return p
	}
	return &principal{}
}

// authenticate finds who makes the request: an API token when the request
// carries one (a wrong token is refused, not treated as a stranger), else
// the session cookie. An unknown or expired session cookie is cleared.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		ctx := c.Request().Context()
		p := &principal{}
		if h := c.Request().Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				return echo.NewHTTPError(http.StatusUnauthorized, "Authorization 只接受 Bearer API 令牌")
			}
			u, err := s.wh.TokenUser(ctx, strings.TrimSpace(token))
			if fazhi.ErrorCode(err) == fazhi.ENOTFOUND {
				return echo.NewHTTPError(http.StatusUnauthorized, "API 令牌无效或已撤销")
			} else if err != nil {
				return err
			}
			p.user, p.viaToken = u, true
		} else if ck, err := c.Cookie(sessionCookie); err == nil {
			sess, err := s.wh.Session(ctx, ck.Value, time.Now())
			switch fazhi.ErrorCode(err) {
			case "":
				p.user, p.session, p.csrf = sess.User, ck.Value, sess.CSRF
			case fazhi.ENOTFOUND:
				s.clearCookie(c, sessionCookie, "/")
			default:
				p.err = err
			}
		}
		c.Set(principalKey, p)
		s.setViewer(c)
		if p.signedIn() {
			logger := zerologCtx(c).With().Str("user", p.user.Name).Logger()
			c.SetRequest(c.Request().WithContext(logger.WithContext(ctx)))
		}
		return next(c)
	}
}

// setSession signs a user in: a new session (never one the client chose)
// and its cookie.
func (s *Server) setSession(c *echo.Context, u fazhi.User) error {
	token, sess, err := s.wh.CreateSession(c.Request().Context(), u, c.RealIP())
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.Request().TLS != nil, MaxAge: int(analytics.SessionMaxAge.Seconds())})
	c.Set(principalKey, &principal{user: sess.User, session: token, csrf: sess.CSRF})
	s.setViewer(c)
	return nil
}

func (s *Server) clearCookie(c *echo.Context, name, path string) {
	c.SetCookie(&http.Cookie{Name: name, Value: "", Path: path, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: c.Request().TLS != nil, MaxAge: -1})
}

// who names the person behind a request in provenance, review and audit
// records: the signed-in user's name.
func who(c *echo.Context) string {
	if p := current(c); p.signedIn() {
		return p.user.Name
	}
	return "匿名 " + c.RealIP() // not reached: every change needs an account
}
