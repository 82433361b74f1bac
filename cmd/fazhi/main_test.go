package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMain lets tests run the fazhi binary as a child process: this test
// binary re-run with FAZHI_RUN_MAIN=1 is fazhi itself. Only a separate
// process can hold a DuckDB file, or be killed with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("FAZHI_RUN_MAIN") == "1" {
		main()
		return
	}
	if run, ok := childModes[os.Getenv("FAZHI_CHILD")]; ok {
		run()
		return
	}
	os.Exit(m.Run())
}

// childModes are other programs this test binary can be re-run as
// (FAZHI_CHILD=name), registered by the tests that need them.
var childModes = map[string]func(){}

// child is a fazhi process started by a test.
type child struct {
	cmd  *exec.Cmd
	Addr string        // where `fazhi serve` listens, once it says so
	Out  []string      // what it printed to stdout up to then
	done chan struct{} // closed when the process has exited
}

var listening = regexp.MustCompile(`serving on https?://(\S+)`)

// startServe runs `fazhi serve ARGS` in a child process and waits until it
// listens. The child is killed when the test ends, if still running.
func startServe(t testing.TB, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "FAZHI_RUN_MAIN=1", "FAZHI_ADMIN_PASSWORD=", "FAZHI_PUBLIC_READ=")
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	t.Cleanup(func() { c.Kill() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		cmd.Wait()
		close(c.done)
	}()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("fazhi serve exited before listening; it printed %q", c.Out)
			}
			c.Out = append(c.Out, line)
			if m := listening.FindStringSubmatch(line); m != nil {
				c.Addr = m[1]
				go func() {
					for range lines {
					}
				}()
				return c
			}
		case <-timeout:
			t.Fatalf("fazhi serve did not listen within 60 s; it printed %q", c.Out)
		}
	}
}

// Kill ends the child with SIGKILL, as a power cut or the OOM killer
// would, and waits for it.
func (c *child) Kill() {
	c.cmd.Process.Kill() // an error only says it has exited already
	<-c.done
}

// printed is the child's stdout up to listening, as one string.
func (c *child) printed() string { return strings.Join(c.Out, "\n") }
