package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"

	"github.com/rs/zerolog"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
	"fazhi/dashboards"
	"fazhi/ingest"
)

func init() {
	commands["serve"] = command{summary: "serve the dashboards and the API", run: runServe}
}

// Defaults, overridable by flag or environment.
const (
	defaultAddr = "127.0.0.1:8080"
	defaultDB   = "data/fazhi.duckdb"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr("FAZHI_ADDR", defaultAddr), "address to listen on (env FAZHI_ADDR)")
	dbPath := fs.String("db", envOr("FAZHI_DB", defaultDB), "DuckDB file, created with its folder when missing (env FAZHI_DB)")
	sample := fs.Bool("sample", true, "load the bundled sample data into an empty database")
	limits := limitFlags(fs)
	envPublic, _ := strconv.ParseBool(os.Getenv("FAZHI_PUBLIC_READ"))
	publicRead := fs.Bool("public-read", envPublic,
		"anyone may read the dashboards without signing in; exports, uploads and changes still need an account (env FAZHI_PUBLIC_READ=true)")
	adminPassword := fs.String("admin-password", "", "password of the first admin, created when the database has no users "+
		"(env FAZHI_ADMIN_PASSWORD; made up and printed once when neither is given)")
	tlsCert := fs.String("tls-cert", envOr("FAZHI_TLS_CERT", ""), "PEM certificate: serve HTTPS (env FAZHI_TLS_CERT)")
	tlsKey := fs.String("tls-key", envOr("FAZHI_TLS_KEY", ""), "PEM private key of --tls-cert (env FAZHI_TLS_KEY)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fazhi.Errorf(fazhi.EINVALID, "--tls-cert and --tls-key go together")
	}
	if *adminPassword == "" {
		*adminPassword = os.Getenv("FAZHI_ADMIN_PASSWORD")
	}
	log := newLogger(stderr)
	if err := dashboards.CheckAssets(); err != nil {
		return err
	}
	wh, err := analytics.Open(ctx, *dbPath, fazhi.DefaultCatalog())
	if err != nil {
		return err
	}
	defer wh.Close()
	if *sample {
		if err := loadSampleIfEmpty(ctx, wh, log); err != nil {
			return err
		}
	}
	if err := ensureAdmin(ctx, wh, *adminPassword, stdout); err != nil {
		return err
	}
	srv := api.New(wh, log, api.Options{PublicRead: *publicRead, TLSCert: *tlsCert, TLSKey: *tlsKey, Uploads: limits()})
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	log.Info().Str("db", *dbPath).Str("addr", *addr).Bool("public_read", *publicRead).Msg("starting fazhi")
	return srv.Serve(ctx, *addr, func(a net.Addr) {
		log.Info().Str("url", scheme+"://"+a.String()).Msg("listening")
		fmt.Fprintf(stdout, "法治指标看板 serving on %s://%s (database %s)\n", scheme, a, *dbPath)
	})
}

// firstAdmin is the name of the account created on a database without users.
const firstAdmin = "admin"

// ensureAdmin creates the first admin when the database has no users, with
// the given password or, when none is given, a made-up one printed once.
func ensureAdmin(ctx context.Context, wh *analytics.Warehouse, password string, stdout io.Writer) error {
	if has, err := wh.HasUsers(ctx); err != nil || has {
		return err
	}
	made := password == ""
	if made {
		password = randomPassword()
	}
	u, err := wh.CreateUser(ctx, fazhi.User{Name: firstAdmin, DisplayName: "系统管理员", Role: fazhi.RoleAdmin,
		CreatedBy: "fazhi serve（首次启动）"}, password)
	if err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	if err := wh.Audit(ctx, analytics.AuditEvent{Actor: "fazhi serve", Action: "user_add", Target: u.Name,
		Detail: "首次启动创建的管理员", Outcome: analytics.AuditOK, Address: "cli"}); err != nil {
		return err
	}
	if made {
		fmt.Fprintf(stdout, "首个管理员账号已创建：用户名 %s，密码 %s\n（密码只显示这一次；请登录后在“我的账号”中修改）\n", u.Name, password)
	} else {
		fmt.Fprintf(stdout, "首个管理员账号已创建：用户名 %s，密码为 --admin-password / FAZHI_ADMIN_PASSWORD 所给\n", u.Name)
	}
	return nil
}

// loadSampleIfEmpty gives a new database the bundled sample: generated
// figures (method sample) and the real 张家港市教育局 2019 report's figures.
func loadSampleIfEmpty(ctx context.Context, wh *analytics.Warehouse, log zerolog.Logger) error {
	empty, err := wh.IsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	cat := wh.Catalog()
	report, err := ingest.ZhangjiagangEducation2019(cat)
	if err != nil {
		return fmt.Errorf("bundled report figures: %w", err)
	}
	for _, b := range []ingest.Bundle{ingest.GenerateSample(cat), report} {
		batch, err := wh.LoadBatch(ctx, loadOf(b, "fazhi（内置示例）"))
		if err != nil {
			return fmt.Errorf("load sample data: %w", err)
		}
		log.Info().Str("batch", batch.ID).Int("observations", batch.New).Str("method", string(b.Method)).Msg("loaded sample data")
	}
	return nil
}

// loadOf turns what a reader produced into a warehouse load.
func loadOf(b ingest.Bundle, who string) analytics.Load {
	return analytics.Load{
		Batch:   fazhi.Batch{CreatedBy: who, Method: b.Method, Note: b.Note},
		Sources: b.Sources, Orgs: b.Orgs, Observations: b.Observations,
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// newLogger logs JSON lines, or readable lines when stderr is a terminal.
func newLogger(w io.Writer) zerolog.Logger {
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			w = zerolog.ConsoleWriter{Out: f, TimeFormat: "15:04:05"}
		}
	}
	return zerolog.New(w).With().Timestamp().Logger()
}
