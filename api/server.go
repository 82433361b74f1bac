// Package api is the HTTP server: routes, middleware and thin handlers that
// read the request, ask dashboards or analytics, and write the answer.
package api

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	stdlog "log"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/rs/zerolog"

	"fazhi"
	"fazhi/analytics"
	"fazhi/dashboards"
	"fazhi/ingest"
)

// Server serves the dashboards and the API of one warehouse.
type Server struct {
	echo *echo.Echo
	wh   *analytics.Warehouse
	log  zerolog.Logger
	opts Options
	// logins limits failed sign-in attempts per client address and per
	// user name.
	loginsByAddr, loginsByName *limiter
	// held are uploads that passed a dry run, ready to be imported.
	held heldUploads
}

// Options are the server's settings beyond its warehouse and log.
type Options struct {
	// PublicRead lets anyone read the dashboards without signing in, as on
	// a public site; exports, uploads and every change still need an account.
	PublicRead bool
	// TLSCert and TLSKey are PEM files: with them the server speaks HTTPS
	// only, and its cookies are marked Secure.
	TLSCert, TLSKey string
	// Uploads are the limits of imported files; the zero value means
	// ingest.DefaultLimits().
	Uploads ingest.Limits
}

// New builds a server with every route registered.
func New(wh *analytics.Warehouse, log zerolog.Logger, opts ...Options) *Server {
	s := &Server{echo: echo.New(), wh: wh, log: log,
		loginsByAddr: newLimiter(loginAttemptsPerAddr, time.Minute),
		loginsByName: newLimiter(loginAttemptsPerName, time.Minute)}
	if len(opts) > 0 {
		s.opts = opts[0]
	}
	s.opts.Uploads = s.opts.Uploads.WithDefaults()
	s.echo.HTTPErrorHandler = s.handleError
	s.echo.Pre(s.requestID)
	// Routing is done before these run, so authorize sees the matched
	// route's path and looks up its policy.
	s.echo.Use(s.recoverPanic, s.logRequest, securityHeaders, s.authenticate, s.authorize)
	s.routes()
	return s
}

func (s *Server) routes() {
	e := s.echo
	e.GET("/", s.overview)
	e.GET("/figures", s.figures)
	e.GET("/documents/:id", s.document)
	s.reviewRoutes()
	s.authRoutes()
	s.adminRoutes()
	e.GET("/healthz", s.healthz)
	e.GET("/api/v1/catalog", s.catalog)
	e.StaticFS("/static", dashboards.Static(), cacheStatic)
	s.viewRoutes()
	s.importRoutes()
}

// Routes lists the registered routes as "METHOD /path", for the test that
// every route has a policy.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.echo.Router().Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// ServeHTTP makes the server usable with httptest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Serve listens on addr until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish for up to 10 seconds. ready, when not
// nil, is told the address actually listened on. With Options.TLSCert and
// TLSKey it serves HTTPS only.
func (s *Server) Serve(ctx context.Context, addr string, ready func(net.Addr)) error {
	sc := echo.StartConfig{
		Address: addr, HideBanner: true, HidePort: true, GracefulTimeout: 10 * time.Second,
		ListenerAddrFunc: ready,
		BeforeServeFunc: func(hs *http.Server) error {
			hs.ReadHeaderTimeout = 10 * time.Second // slow-loris clients are dropped
			hs.ReadTimeout = 2 * time.Minute        // uploads of large workbooks
			hs.WriteTimeout = 2 * time.Minute
			hs.IdleTimeout = 2 * time.Minute
			hs.MaxHeaderBytes = 64 << 10
			hs.ErrorLog = stdlog.New(s.log.With().Str("component", "http").Logger(), "", 0)
			return nil
		},
		OnShutdownError: func(err error) { s.log.Error().Err(err).Msg("graceful shutdown") },
	}
	if s.opts.TLSCert != "" || s.opts.TLSKey != "" {
		cert, err := tls.LoadX509KeyPair(s.opts.TLSCert, s.opts.TLSKey)
		if err != nil {
			return fazhi.Errorf(fazhi.EINVALID, "TLS certificate %s / key %s: %v", s.opts.TLSCert, s.opts.TLSKey, err)
		}
		sc.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert},
			NextProtos: []string{"h2", "http/1.1"}}
	}
	if err := sc.Start(ctx, s); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", addr, err)
	}
	return nil
}
