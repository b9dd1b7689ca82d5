// Package e2e runs the loupe binary on real Debian applications (nginx,
// sqlite3) and checks the verdicts that are certain for them. It needs
// root, seccomp, and the applications installed (.ci/run installs them);
// each test skips with a message otherwise. "go test -short" skips it all.
package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

var loupe string // the binary under test, built by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "loupe-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	loupe = filepath.Join(dir, "loupe")
	build := exec.Command("go", "build", "-o", loupe, "../cmd/loupe")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build loupe:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func requireRoot(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root for seccomp and PID namespaces")
	}
}

func requireCommand(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (.ci/run installs it)", name)
	}
	return path
}

// exploreResult is the part of "loupe explore --format json" the tests read.
type exploreResult struct {
	Used     []string `json:"used"`
	Required []string `json:"required"`
	StubOnly []string `json:"stub_only"`
	FakeOnly []string `json:"fake_only"`
	Both     []string `json:"both"`
	Stats    struct {
		Runs int `json:"runs"`
	} `json:"stats"`
}

func runLoupe(t *testing.T, env []string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	cmd := exec.Command(loupe, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.Bytes(), errb.Bytes(), err
}

func explore(t *testing.T, env []string, args ...string) *exploreResult {
	t.Helper()
	out, stderr, err := runLoupe(t, env, append([]string{"explore", "--format", "json"}, args...)...)
	if err != nil {
		t.Fatalf("loupe explore %v: %v\n%s", args, err, stderr)
	}
	var res exploreResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("decode result: %v\n%s", err, out)
	}
	return &res
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func assertIn(t *testing.T, list []string, class string, names ...string) {
	t.Helper()
	for _, name := range names {
		if !slices.Contains(list, name) {
			t.Errorf("%s is not %s; %s: %v", name, class, class, list)
		}
	}
}

func TestNginxServerMode(t *testing.T) {
	requireRoot(t)
	requireCommand(t, "nginx")
	requireCommand(t, "curl")

	dir := t.TempDir()
	// nginx workers run as www-data: they must reach the page.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	port := freePort(t)
	setup := exec.Command("../examples/nginx/setup.sh", dir, strconv.Itoa(port))
	if out, err := setup.CombinedOutput(); err != nil {
		t.Fatalf("setup.sh: %v\n%s", err, out)
	}
	env := []string{"LOUPE_NGINX_PORT=" + strconv.Itoa(port)}

	res := explore(t, env, "-t", "../examples/nginx/test.sh", "--timeout", "5s", "--", "nginx", "-c", filepath.Join(dir, "nginx.conf"))

	assertIn(t, res.Required, "required", "socket", "bind", "listen", "epoll_ctl", "epoll_wait")
	// nginx falls back to accept when accept4 fails with ENOSYS.
	assertIn(t, res.StubOnly, "stub-only", "accept4")
	assertNoProcessLeft(t, filepath.Join(dir, "nginx.pid"))
}

// assertNoProcessLeft checks that the PID in pidFile, if any, is gone.
func assertNoProcessLeft(t *testing.T, pidFile string) {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return // the last run never got to write it
	}
	// The file holds the PID inside the run's namespace; any process
	// still running nginx with our configuration would show here.
	_ = b
	out, _ := exec.Command("ps", "-eo", "pid,args").Output()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, filepath.Dir(pidFile)) {
			t.Errorf("process left after the analysis: %s", strings.TrimSpace(line))
			if f := strings.Fields(line); len(f) > 0 {
				if pid, err := strconv.Atoi(f[0]); err == nil {
					syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
	}
}

func TestSqlite3SequentialMode(t *testing.T) {
	requireRoot(t)
	sqlite := requireCommand(t, "sqlite3")

	dir := t.TempDir()
	db := filepath.Join(dir, "data.db")
	create := exec.Command(sqlite, db,
		"create table t(x integer); with recursive n(i) as (select 1 union all select i+1 from n where i < 1000) insert into t select i from n;")
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("create the database: %v\n%s", err, out)
	}
	script := filepath.Join(dir, "test.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ngrep -qx '1000|500500' \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}

	res := explore(t, nil, "-t", script, "--sequential", "--", sqlite, "-readonly", db, "select count(*), sum(x) from t;")

	assertIn(t, res.Required, "required", "read", "openat")
	if len(res.Used) < 10 {
		t.Errorf("only %d syscalls used: %v", len(res.Used), res.Used)
	}
	total := len(res.Required) + len(res.StubOnly) + len(res.FakeOnly) + len(res.Both)
	if total != len(res.Used) {
		t.Errorf("classes hold %d syscalls, %d used", total, len(res.Used))
	}
}

func TestTraceListsSyscallsWithCounts(t *testing.T) {
	requireRoot(t)

	out, stderr, err := runLoupe(t, nil, "trace", "--format", "json", "--", "ls", "-1", "/")
	if err != nil {
		t.Fatalf("loupe trace: %v\n%s", err, stderr)
	}
	var res struct {
		Syscalls []struct {
			Name  string `json:"name"`
			Count int    `json:"count"`
		} `json:"syscalls"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	counts := map[string]int{}
	for _, s := range res.Syscalls {
		counts[s.Name] = s.Count
	}
	for _, name := range []string{"openat", "getdents64", "write", "exit_group"} {
		if counts[name] == 0 {
			t.Errorf("%s not listed; got %v", name, counts)
		}
	}
}

func TestBadInputFailsBeforeWork(t *testing.T) {
	requireRoot(t)
	dir := t.TempDir()
	notExec := filepath.Join(dir, "test.sh")
	os.WriteFile(notExec, []byte("#!/bin/sh\nexit 0\n"), 0o644)
	failing := filepath.Join(dir, "fail.sh")
	os.WriteFile(failing, []byte("#!/bin/sh\necho 'the page was wrong'\nexit 1\n"), 0o755)

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing command", []string{"explore", "--", "/no/such/binary"}, "/no/such/binary"},
		{"missing script", []string{"explore", "-t", filepath.Join(dir, "none.sh"), "--", "true"}, "none.sh"},
		{"script not executable", []string{"explore", "-t", notExec, "--", "true"}, "not executable"},
		{"baseline fails", []string{"explore", "--sequential", "-t", failing, "--", "true"}, "the page was wrong"},
		{"no command", []string{"explore"}, "missing the command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := runLoupe(t, nil, tt.args...)
			if err == nil {
				t.Fatalf("loupe %v succeeded, want an error", tt.args)
			}
			if !strings.Contains(string(stderr), tt.want) {
				t.Errorf("stderr does not mention %q:\n%s", tt.want, stderr)
			}
		})
	}
}
