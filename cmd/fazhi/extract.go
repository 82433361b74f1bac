package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"fazhi"
	"fazhi/ingest"
)

func init() {
	commands["extract"] = command{
		summary: "print the figures of report files (.txt/.html) without storing them",
		run:     runExtract,
	}
}

// runExtract reads each report, extracts its figures and prints them as
// JSON lines or an aligned table. A file that cannot be read stops the run
// with an error naming it.
func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "jsonl", "output format: jsonl or table")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: fazhi extract [--format jsonl|table] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *format != "jsonl" && *format != "table" {
		return fazhi.Errorf(fazhi.EINVALID, "unknown --format %q: use jsonl or table", *format)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fazhi.Errorf(fazhi.EINVALID, "no report files given")
	}
	cat := fazhi.DefaultCatalog()
	var table *columns
	if *format == "table" {
		table = newColumns(stdout)
		fmt.Fprintln(table, "FILE\tYEAR\tREGION\tBUREAU\tINDICATOR\tLABEL\tVALUE\tUNIT\tQUAL\tQUOTE\tOFFSETS\tCONF")
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, name := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read report %s: %w", name, err)
		}
		report, err := ingest.ReadReport(name, data)
		if err != nil {
			return err
		}
		for _, f := range ingest.ExtractFigures(report, cat) {
			if table == nil {
				if err := enc.Encode(f); err != nil {
					return fmt.Errorf("write figures of %s: %w", name, err)
				}
				continue
			}
			fmt.Fprintf(table, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d-%d\t%.2f\n",
				f.File, f.Year, f.Region, f.Bureau, f.Indicator, f.Label,
				strconv.FormatFloat(f.Value, 'f', -1, 64), f.Unit, f.Qualifier, f.Quote, f.Start, f.End, f.Confidence)
		}
	}
	if table != nil {
		return table.Flush()
	}
	return nil
}
