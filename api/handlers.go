package api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/analytics"
	"fazhi/dashboards"
)

// page renders a page model into the response.
func page(c *echo.Context, render func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

func (s *Server) overview(c *echo.Context) error {
	p, err := dashboards.Overview(c.Request().Context(), s.wh, c.QueryParam("indicator"))
	if err != nil {
		return err
	}
	return page(c, func(b *bytes.Buffer) error { return p.Render(b) })
}

func (s *Server) figures(c *echo.Context) error {
	f, err := figureFilter(c)
	if err != nil {
		return err
	}
	p, err := dashboards.Figures(c.Request().Context(), s.wh, f)
	if err != nil {
		return err
	}
	return page(c, func(b *bytes.Buffer) error { return p.Render(b) })
}

// figureFilter reads the filter of /figures and its exports.
func figureFilter(c *echo.Context) (analytics.FigureFilter, error) {
	f := analytics.FigureFilter{Org: c.QueryParam("org"), Indicator: c.QueryParam("indicator")}
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
