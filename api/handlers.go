package api

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/analytics"
	"fazhi/dashboards"
)

// pageModel is what every page model is: it renders itself, and embeds
// dashboards.Page, which is told who reads it.
type pageModel interface {
	Render(io.Writer) error
	SetViewer(dashboards.Viewer)
}

// page renders a page model for the request's reader into the response.
func page(c *echo.Context, p pageModel) error { return pageStatus(c, http.StatusOK, p) }

// pageStatus is page with another status, e.g. a form shown again with
// what was wrong.
func pageStatus(c *echo.Context, status int, p pageModel) error {
	p.SetViewer(viewerOf(c))
	var buf bytes.Buffer
	if err := p.Render(&buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

func (s *Server) overview(c *echo.Context) error {
	p, err := dashboards.Overview(c.Request().Context(), s.wh, c.QueryParam("indicator"))
	if err != nil {
		return err
	}
	return page(c, p)
}

// figures lists stored figures; figures not confirmed are listed only to
// who may see them: analysts and admins all, a reporter its own orgs'.
func (s *Server) figures(c *echo.Context) error {
	f, err := s.figureFilter(c)
	if err != nil {
		return err
	}
	p, err := dashboards.Figures(c.Request().Context(), s.wh, f)
	if err != nil {
		return err
	}
	return page(c, p)
}

// figureFilter reads the filter of /figures and its exports, and limits
// the figures not confirmed to those the request may see.
func (s *Server) figureFilter(c *echo.Context) (analytics.FigureFilter, error) {
	all, orgs, err := s.pendingScope(c)
	if err != nil {
		return analytics.FigureFilter{}, err
	}
	f := analytics.FigureFilter{Org: c.QueryParam("org"), Indicator: c.QueryParam("indicator"),
		HideUnconfirmed: !all, UnconfirmedOrgs: orgs}
	if y := c.QueryParam("year"); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil || year < 1949 || year > 2100 {
			return f, fazhi.Errorf(fazhi.EINVALID, "年度 %q 不是有效的年份", y)
		}
		f.Year = year
	}
	return f, nil
}

// healthz answers 200 when the database answers a query, 503 otherwise.
func (s *Server) healthz(c *echo.Context) error {
	if err := s.wh.Ping(c.Request().Context()); err != nil {
		s.log.Error().Err(err).Msg("health check")
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "error"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}

// catalog serves the indicator catalogue the server runs with.
func (s *Server) catalog(c *echo.Context) error {
	return c.JSON(http.StatusOK, s.wh.Catalog())
}
