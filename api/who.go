package api

import "github.com/labstack/echo/v5"

// who names the person behind a request in provenance and review records.
// Until accounts exist (issue #6) that is the client address, said plainly.
func who(c *echo.Context) string {
	return "网页用户 " + c.RealIP()
}
