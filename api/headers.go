package api

import (
	"github.com/labstack/echo/v5"
)

// contentSecurityPolicy allows only this site's own scripts, styles,
// images and connections. Pages run no inline script (static/fazhi.js
// reads chart options from <script type="application/json"> blocks).
// Templates carry no style attributes (a chart's own height goes as
// data-height, set by fazhi.js); style-src-attr 'unsafe-inline' is there
// only for the tooltips echarts builds as HTML with style attributes.
// <style> elements and every script stay 'self'. Echarts draws
// on canvas and may export images as data: URLs.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries. Responses are
// not cached by default: pages may show figures under review or a user's
// data; static assets set their own caching (see cacheStatic).
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cache-Control", "no-store")
		if c.Request().TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}
