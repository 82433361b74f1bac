package api

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v5"
	"github.com/rs/zerolog"

	"fazhi"
	"fazhi/dashboards"
)

// statusOf maps an application error to an HTTP status.
func statusOf(err error) int {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code
	}
	var sc echo.HTTPStatusCoder
	if errors.As(err, &sc) && sc.StatusCode() != 0 {
		return sc.StatusCode()
	}
	switch fazhi.ErrorCode(err) {
	case fazhi.EINVALID:
		return http.StatusBadRequest
	case fazhi.ENOTFOUND:
		return http.StatusNotFound
	case fazhi.ECONFLICT:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// handleError answers an error as a page or, under /api/ and /healthz, as
// JSON. Internal errors are logged with the request id and shown only as a
// generic message with that id: no SQL, paths or stack reach the client.
func (s *Server) handleError(c *echo.Context, err error) {
	if r, _ := echo.UnwrapResponse(c.Response()); r != nil && r.Committed {
		return
	}
	status := statusOf(err)
	msg := fazhi.ErrorMessage(err)
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg = he.Message
		if status == http.StatusNotFound {
			msg = "页面不存在"
		}
	}
	if status >= 500 {
		id, _ := c.Get(requestIDKey).(string)
		zerolog.Ctx(c.Request().Context()).Error().Err(err).Msg("request failed")
		msg = "服务器内部错误，请联系管理员并提供请求编号 " + id
	}
	path := c.Request().URL.Path
	if strings.HasPrefix(path, "/api/") || path == "/healthz" {
		c.JSON(status, map[string]string{"error": msg})
		return
	}
	var buf bytes.Buffer
	if rerr := dashboards.RenderError(&buf, viewerOf(c), status, msg); rerr != nil {
		c.String(status, msg)
		return
	}
	c.HTMLBlob(status, buf.Bytes())
}
