package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"fazhi"
	"fazhi/analytics"
)

func init() {
	commands["user"] = command{summary: "manage accounts: add, passwd, disable, enable, list, token", run: runUser}
}

// stdin is where passwords are read from when not on a terminal; tests
// replace it.
var stdin io.Reader = os.Stdin

const userUsage = `Usage:
  fazhi user add NAME --role viewer|reporter|analyst|admin [--org CODE] [--display-name NAME] [--random-password]
  fazhi user passwd NAME [--random-password]
  fazhi user disable NAME
  fazhi user enable NAME
  fazhi user list
  fazhi user token NAME [--label TEXT]      print a new API token for NAME's scripts (shown once)
  fazhi user token --revoke NAME            revoke every API token of NAME

Every subcommand takes --db PATH (env FAZHI_DB). A password is asked twice
on a terminal, read from the first line of standard input otherwise, or
made up and printed with --random-password. Changes are written to the
audit log. The server must be stopped: while it runs, manage users on its
/admin/users page.
`

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, userUsage)
		if len(args) == 0 {
			return fazhi.Errorf(fazhi.EINVALID, "no user subcommand given")
		}
		return nil
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, userUsage) }
	dbPath := fs.String("db", envOr("FAZHI_DB", defaultDB), "DuckDB file (env FAZHI_DB)")
	role := fs.String("role", "", "role: viewer, reporter, analyst or admin")
	org := fs.String("org", "", "org code of a reporter")
	display := fs.String("display-name", "", "the person's name, shown in pages")
	random := fs.Bool("random-password", false, "make up a password and print it")
	label := fs.String("label", "", "what a token is for")
	revoke := fs.Bool("revoke", false, "revoke the user's API tokens instead of creating one")
	// Flags may come before or after the name: fazhi user add NAME --role R.
	var names []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	needName := sub != "list"
	if needName && len(names) != 1 || !needName && len(names) != 0 {
		fs.Usage()
		return fazhi.Errorf(fazhi.EINVALID, "user %s: give exactly one user name", sub)
	}

	wh, err := analytics.Open(ctx, *dbPath, fazhi.DefaultCatalog())
	if fazhi.ErrorCode(err) == fazhi.ECONFLICT {
		return fmt.Errorf("%w\n(while the server runs, manage users on its /admin/users page)", err)
	} else if err != nil {
		return err
	}
	defer wh.Close()
	u := userCmd{wh: wh, stdout: stdout, stderr: stderr, actor: cliUser()}
	switch sub {
	case "add":
		return u.add(ctx, fazhi.User{Name: names[0], DisplayName: *display, Role: fazhi.Role(*role), OrgCode: *org}, *random)
	case "passwd":
		return u.passwd(ctx, names[0], *random)
	case "disable", "enable":
		return u.setDisabled(ctx, names[0], sub == "disable")
	case "list":
		return u.list(ctx)
	case "token":
		if *revoke {
			return u.revoke(ctx, names[0])
		}
		return u.token(ctx, names[0], *label)
	}
	fs.Usage()
	return fazhi.Errorf(fazhi.EINVALID, "unknown user subcommand %q", sub)
}

// userCmd runs the user subcommands on an open warehouse.
type userCmd struct {
	wh             *analytics.Warehouse
	stdout, stderr io.Writer
	actor          string // who the audit log says made the change
}

func (u userCmd) audit(ctx context.Context, action, target, detail string) error {
	return u.wh.Audit(ctx, analytics.AuditEvent{Actor: u.actor, Action: action, Target: target, Detail: detail,
		Outcome: analytics.AuditOK, Address: "cli"})
}

func (u userCmd) add(ctx context.Context, nu fazhi.User, random bool) error {
	if err := fazhi.ValidateUserName(nu.Name); err != nil {
		return err
	}
	pw, err := u.password(random)
	if err != nil {
		return err
	}
	nu.CreatedBy = u.actor
	created, err := u.wh.CreateUser(ctx, nu, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(u.stdout, "created %s (%s)\n", created.Name, created.Role.Label())
	if random {
		fmt.Fprintf(u.stdout, "password: %s\n", pw)
	}
	return u.audit(ctx, "user_add", created.Name, "角色 "+string(created.Role)+orgNote(created.OrgCode))
}

func orgNote(org string) string {
	if org == "" {
		return ""
	}
	return "，单位 " + org
}

func (u userCmd) passwd(ctx context.Context, name string, random bool) error {
	if _, err := u.wh.User(ctx, name); err != nil {
		return err
	}
	pw, err := u.password(random)
	if err != nil {
		return err
	}
	if err := u.wh.SetPassword(ctx, name, pw, ""); err != nil {
		return err
	}
	fmt.Fprintf(u.stdout, "password of %s changed; its sessions are signed out\n", name)
	if random {
		fmt.Fprintf(u.stdout, "password: %s\n", pw)
	}
	return u.audit(ctx, "user_password", name, "")
}

func (u userCmd) setDisabled(ctx context.Context, name string, disabled bool) error {
	if err := u.wh.SetDisabled(ctx, name, disabled); err != nil {
		return err
	}
	action, said := "user_enable", "enabled"
	if disabled {
		action, said = "user_disable", "disabled; its sessions and API tokens no longer work"
	}
	fmt.Fprintf(u.stdout, "%s %s\n", name, said)
	return u.audit(ctx, action, name, "")
}

func (u userCmd) list(ctx context.Context) error {
	users, err := u.wh.Users(ctx)
	if err != nil {
		return err
	}
	tw := newColumns(u.stdout)
	fmt.Fprintln(tw, "NAME\tROLE\tORG\tSTATUS\tLAST LOGIN\tCREATED BY\tDISPLAY NAME")
	for _, x := range users {
		status, last := "active", "never"
		if x.Disabled {
			status = "disabled"
		}
		if !x.LastLogin.IsZero() {
			last = x.LastLogin.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.Name, x.Role, dash(x.OrgCode), status, last, x.CreatedBy, x.DisplayName)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (u userCmd) token(ctx context.Context, name, label string) error {
	token, err := u.wh.CreateToken(ctx, name, label)
	if err != nil {
		return err
	}
	fmt.Fprintln(u.stderr, "API token for "+name+" (shown once; send it as `Authorization: Bearer <token>`):")
	fmt.Fprintln(u.stdout, token)
	return u.audit(ctx, "token_create", name, label)
}

func (u userCmd) revoke(ctx context.Context, name string) error {
	n, err := u.wh.RevokeTokens(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(u.stdout, "revoked %d API token(s) of %s\n", n, name)
	return u.audit(ctx, "token_revoke", name, fmt.Sprintf("%d 个令牌", n))
}

// password asks for a new password twice on a terminal, reads the first
// line of standard input otherwise, or makes one up.
func (u userCmd) password(random bool) (string, error) {
	if random {
		return randomPassword(), nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(u.stderr, "New password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(u.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(u.stderr, "Repeat it: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(u.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", fazhi.Errorf(fazhi.EINVALID, "the two passwords differ")
		}
		return string(a), fazhi.ValidatePassword(string(a))
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fazhi.Errorf(fazhi.EINVALID, "no password on standard input (or use --random-password)")
	}
	return pw, fazhi.ValidatePassword(pw)
}

// randomPassword is 4 groups of 5 letters and digits that cannot be
// confused with one another (no 0/o, 1/l/i): about 99 bits.
func randomPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	const fair = 256 - 256%len(alphabet) // bytes at or above are skipped: no letter more likely than another
	var b strings.Builder
	var one [1]byte
	for n := 0; n < 20; {
		rand.Read(one[:])
		if int(one[0]) >= fair {
			continue
		}
		if n > 0 && n%5 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[int(one[0])%len(alphabet)])
		n++
	}
	return b.String()
}
