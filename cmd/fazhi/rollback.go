package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"fazhi"
	"fazhi/analytics"
)

func init() {
	commands["rollback"] = command{summary: "undo an imported batch, restoring the values it changed", run: runRollback}
}

func runRollback(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rollback", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: fazhi rollback [--db PATH] BATCH\n\nRemoves the figures the batch added, restores those it changed, and marks it rolled back.")
		fs.PrintDefaults()
	}
	dbPath := fs.String("db", envOr("FAZHI_DB", defaultDB), "DuckDB file (env FAZHI_DB)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("give one batch id")
	}
	wh, err := analytics.Open(ctx, *dbPath, fazhi.DefaultCatalog())
	if err != nil {
		return err
	}
	defer wh.Close()
	who := cliUser()
	b, err := wh.Rollback(ctx, fs.Arg(0), who)
	if err != nil {
		return err
	}
	auditCLI(ctx, wh, who, "rollback", b.ID, fmt.Sprintf("%s：删除新增 %d，恢复修改 %d", b.FileName, b.New, b.Updated))
	fmt.Fprintf(stdout, "批次 %s 已撤销 / rolled back：删除新增 %d 个，恢复修改 %d 个（%s）\n", b.ID, b.New, b.Updated, b.FileName)
	return nil
}
