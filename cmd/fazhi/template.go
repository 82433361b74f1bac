package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"fazhi"
	"fazhi/analytics"
	"fazhi/ingest"
)

func init() {
	commands["template"] = command{summary: "write a bureau's Excel template for a year", run: runTemplate}
}

func runTemplate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("template", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", envOr("FAZHI_DB", defaultDB), "DuckDB file (env FAZHI_DB)")
	org := fs.String("org", "", "org code of the bureau, e.g. 320582-jyj")
	year := fs.Int("year", 0, "year the template is for")
	out := fs.String("out", "", "file to write (default: 法治指标填报_<单位>_<年度>.xlsx)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *org == "" || *year == 0 {
		fs.Usage()
		return errors.New("--org and --year are required")
	}
	if lim := ingest.DefaultLimits(); *year < lim.MinYear || *year > lim.MaxYear {
		return fazhi.Errorf(fazhi.EINVALID, "年度 %d 超出允许范围 %d–%d", *year, lim.MinYear, lim.MaxYear)
	}
	wh, err := analytics.Open(ctx, *dbPath, fazhi.DefaultCatalog())
	if err != nil {
		return err
	}
	defer wh.Close()
	o, err := wh.Org(ctx, *org)
	if err != nil {
		return err
	}
	if o.Kind != fazhi.OrgBureau {
		return fazhi.Errorf(fazhi.EINVALID, "%s 不是填报单位：模板只为填报单位生成", o.FullName)
	}
	var buf bytes.Buffer
	if err := ingest.WriteTemplate(&buf, wh.Catalog(), o, *year); err != nil {
		return err
	}
	path := *out
	if path == "" {
		path = ingest.TemplateFileName(o, *year)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %d 年度填报模板已写入 %s\n", o.FullName, *year, path)
	return nil
}
