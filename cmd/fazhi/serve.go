package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"

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
	if err := fs.Parse(args); err != nil {
		return err
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
	srv := api.New(wh, log, api.WithLimits(limits()))
	log.Info().Str("db", *dbPath).Str("addr", *addr).Msg("starting fazhi")
	return srv.Serve(ctx, *addr, func(a net.Addr) {
		log.Info().Str("url", "http://"+a.String()).Msg("listening")
		fmt.Fprintf(stdout, "法治指标看板 serving on http://%s (database %s)\n", a, *dbPath)
	})
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
