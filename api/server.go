// Package api is the HTTP server: routes, middleware and thin handlers that
// read the request, ask dashboards or analytics, and write the answer.
package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/rs/zerolog"

	"fazhi/analytics"
	"fazhi/dashboards"
)

// Server serves the dashboards and the API of one warehouse.
type Server struct {
	echo *echo.Echo
	wh   *analytics.Warehouse
	log  zerolog.Logger
}

// New builds a server with every route registered.
func New(wh *analytics.Warehouse, log zerolog.Logger) *Server {
	s := &Server{echo: echo.New(), wh: wh, log: log}
	s.echo.HTTPErrorHandler = s.handleError
	s.echo.Pre(s.requestID)
	s.echo.Use(s.recoverPanic, s.logRequest)
	s.routes()
	return s
}

func (s *Server) routes() {
	e := s.echo
	e.GET("/", s.overview)
	e.GET("/figures", s.figures)
	e.GET("/documents/:id", s.document)
	s.reviewRoutes()
	e.GET("/healthz", s.healthz)
	e.GET("/api/v1/catalog", s.catalog)
	e.StaticFS("/static", dashboards.Static(), cacheStatic)
	s.viewRoutes()
}

// ServeHTTP makes the server usable with httptest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Serve listens on addr until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish for up to 10 seconds. ready, when not
// nil, is told the address actually listened on.
func (s *Server) Serve(ctx context.Context, addr string, ready func(net.Addr)) error {
	sc := echo.StartConfig{
		Address: addr, HideBanner: true, HidePort: true, GracefulTimeout: 10 * time.Second,
		ListenerAddrFunc: ready,
		BeforeServeFunc: func(hs *http.Server) error {
			hs.ReadHeaderTimeout = 10 * time.Second
			hs.ReadTimeout = 2 * time.Minute // uploads of large workbooks
			hs.WriteTimeout = 2 * time.Minute
			hs.IdleTimeout = 2 * time.Minute
			return nil
		},
		OnShutdownError: func(err error) { s.log.Error().Err(err).Msg("graceful shutdown") },
	}
	if err := sc.Start(ctx, s); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", addr, err)
	}
	return nil
}
