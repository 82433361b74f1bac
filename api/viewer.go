package api

import (
	"slices"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/dashboards"
)

const viewerKey = "viewer"

// setViewer records how pages should greet the request's principal and
// what they may offer: authenticate and sign-in call it.
func (s *Server) setViewer(c *echo.Context) {
	p := current(c)
	v := dashboards.Viewer{CanRead: s.permits(p, ruleRead), CanUpload: s.permits(p, ruleUpload), CanReview: s.permits(p, ruleReview),
		CanExport: s.permits(p, ruleExport), CanAdmin: s.permits(p, ruleAdmin)}
	if p.signedIn() {
		v.Name, v.DisplayName, v.RoleLabel, v.CSRF = p.user.Name, p.user.DisplayName, p.user.Role.Label(), p.csrf
	}
	c.Set(viewerKey, v)
}

// viewerOf is the reader of the request's pages.
func viewerOf(c *echo.Context) dashboards.Viewer {
	v, _ := c.Get(viewerKey).(dashboards.Viewer)
	return v
}

// pendingScope says whose figures under review (or rejected) the request
// may see: all of them (analysts, admins), those of some orgs (a
// reporter: its org and those below it), or none (viewers, strangers).
func (s *Server) pendingScope(c *echo.Context) (all bool, orgs []string, err error) {
	p := current(c)
	switch {
	case s.permits(p, ruleReview):
		return true, nil, nil
	case p.signedIn() && p.user.Role == fazhi.RoleReporter:
		orgs, err = s.wh.OrgAndBelow(c.Request().Context(), p.user.OrgCode)
		return false, orgs, err
	}
	return false, nil, nil
}

// seesPending is true when the request may see the figures under review
// of org; uploadedBy is who uploaded them (a reporter sees its own
// uploads, even before they are filed under an org).
func (s *Server) seesPending(c *echo.Context, org, uploadedBy string) (bool, error) {
	all, orgs, err := s.pendingScope(c)
	if err != nil || all {
		return all, err
	}
	if p := current(c); p.signedIn() && uploadedBy == p.user.Name {
		return true, nil
	}
	return org != "" && slices.Contains(orgs, org), nil
}
