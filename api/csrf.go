package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v5"
)

// csrfHeader carries the session's CSRF token on API calls made from a
// page (the page has it in <meta name="csrf-token">); forms carry it in
// the hidden field csrfField.
const (
	csrfHeader = "X-CSRF-Token"
	csrfField  = "_csrf"
)

// checkCSRF refuses a state change made with a session cookie unless it
// carries the session's synchronizer token: a page of another site can
// make a browser send our cookie, but cannot read the token. Requests
// authenticated by API token carry no cookie and are not checked.
func checkCSRF(c *echo.Context, p *principal) error {
	r := c.Request()
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField) // parsed by enforce
	}
	if !equalTokens(got, p.csrf) {
		return echo.NewHTTPError(http.StatusForbidden, "表单已失效或来源不明（CSRF 校验失败）：请刷新页面后重试")
	}
	return nil
}

// multipartMemory is how much of a multipart body is kept in memory; the
// rest goes to temporary files that net/http removes after the request.
const multipartMemory = 8 << 20

// parseForm reads a form body, urlencoded or multipart, once: handlers
// read the parsed values afterwards. Other bodies (JSON, files) are left
// to their handlers. A body over the route's limit is 413.
func parseForm(r *http.Request) error {
	var err error
	switch ct := r.Header.Get("Content-Type"); {
	case strings.HasPrefix(ct, "multipart/form-data"):
		err = r.ParseMultipartForm(multipartMemory)
	case ct == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		err = r.ParseForm()
	default:
		return nil
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, tooLarge(tooBig.Limit))
	case err != nil:
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式无效")
	}
	return nil
}
