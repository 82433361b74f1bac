package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/rs/zerolog"
)

const requestIDKey = "request_id"

// validRequestID accepts an upstream proxy's id only when it is short and
// plain, so that a client cannot inject text into our logs.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID gives every request an id, taken from X-Request-Id when a proxy
// set a sane one, echoed in the response and carried by the request logger.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !validRequestID.MatchString(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		logger := s.log.With().Str("request_id", id).Logger()
		c.SetRequest(c.Request().WithContext(logger.WithContext(c.Request().Context())))
		return next(c)
	}
}

// logRequest writes one zerolog line per request.
func (s *Server) logRequest(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			s.echo.HTTPErrorHandler(c, err) // write the error now so that its status is logged
		}
		status := 0
		if r, uerr := echo.UnwrapResponse(c.Response()); uerr == nil {
			status = r.Status
		}
		ev := zerolog.Ctx(c.Request().Context()).Info()
		if status >= 500 {
			ev = zerolog.Ctx(c.Request().Context()).Error().Err(err)
		}
		ev.Str("method", c.Request().Method).Str("path", c.Request().URL.Path).Int("status", status).
			Dur("latency", time.Since(start)).Str("remote", c.RealIP()).Msg("request")
		return nil
	}
}

// recoverPanic turns a panic in a handler into a 500 with the stack in the
// log, never in the response.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				zerolog.Ctx(c.Request().Context()).Error().Str("stack", string(debug.Stack())).
					Msgf("panic: %v", r)
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// cacheStatic lets browsers keep assets for an hour: they change only with
// a new binary.
func cacheStatic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		return next(c)
	}
}

// zerologCtx is the request's logger, carrying its request id.
func zerologCtx(c *echo.Context) *zerolog.Logger { return zerolog.Ctx(c.Request().Context()) }
