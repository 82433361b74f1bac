// Command fazhi is the 法治指标看板 binary: it serves the dashboards and runs
// the ingest, extract and maintenance subcommands. This package only wires
// the other packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"fazhi"
)

// command is one subcommand: it parses its own flags from args.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands is filled by the init functions of the files beside this one,
// one file per subcommand.
var commands = map[string]command{}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "fazhi: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if err := cmd.run(ctx, args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		// A user-facing error says what to do; its code ("conflict: ") adds
		// nothing. What wraps it (a hint) stays.
		msg := err.Error()
		var fe *fazhi.Error
		if errors.As(err, &fe) {
			msg = strings.Replace(msg, fe.Error(), fe.Message, 1)
		}
		fmt.Fprintf(stderr, "fazhi %s: %s\n", args[0], msg)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "fazhi — 法治指标看板\n\nUsage: fazhi <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nRun 'fazhi <command> -h' for the flags of a command.")
}
