package sandbox_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loupe-project/loupe/internal/sandbox"
	"github.com/loupe-project/loupe/internal/seccomp"
	"github.com/loupe-project/loupe/internal/syscalls"
	"github.com/loupe-project/loupe/internal/trace"
)

// TestMain lets the test binary serve as the sandbox helper, which Start
// re-executes.
func TestMain(m *testing.M) {
	sandbox.MaybeRunHelper()
	os.Exit(m.Run())
}

func requireSandbox(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("sandbox tests need root: the sandbox creates a PID namespace")
	}
	if err := seccomp.Available(); err != nil {
		t.Skipf("seccomp is not usable: %v", err)
	}
}

// startShell starts "/bin/sh -c SCRIPT" in a sandbox with stdout and
// stderr in files of a temporary directory, which is also its working
// directory, and kills the run when the test ends.
func startShell(t *testing.T, script string, rules ...seccomp.Rule) (*sandbox.Run, *runFiles) {
	t.Helper()
	requireSandbox(t)
	dir := t.TempDir()
	files := &runFiles{dir: dir, stdout: filepath.Join(dir, "stdout"), stderr: filepath.Join(dir, "stderr")}
	stdout, err := os.Create(files.stdout)
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	stderr, err := os.Create(files.stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()

	run, err := sandbox.Start(&sandbox.Spec{
		Path:   "/bin/sh",
		Args:   []string{"sh", "-c", script},
		Env:    []string{"PATH=/usr/bin:/bin", "LOUPE_TEST_VALUE=42"},
		Dir:    dir,
		Stdout: stdout,
		Stderr: stderr,
		Rules:  rules,
	})
	if err != nil {
		t.Fatalf("Start(sh -c %q): %v", script, err)
	}
	t.Cleanup(run.Kill)
	return run, files
}

type runFiles struct {
	dir, stdout, stderr string
}

func (f *runFiles) read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitMain waits for the application's first process to exit and returns
// its exit status.
func waitMain(t *testing.T, run *sandbox.Run) int {
	t.Helper()
	select {
	case <-run.MainExited():
	case <-time.After(10 * time.Second):
		t.Fatal("the application's first process did not exit within 10s")
	}
	st := run.MainStatus()
	if !st.Exited() {
		t.Fatalf("the application's first process ended with wait status %#x, want a normal exit", uint32(st))
	}
	return st.ExitStatus()
}

func mustSyscall(t *testing.T, name string) syscalls.Syscall {
	t.Helper()
	s, err := syscalls.Parse(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStartPassesArgsEnvAndDir(t *testing.T) {
	run, files := startShell(t, `echo "$0 $LOUPE_TEST_VALUE"; pwd; exit 3`)

	if got := waitMain(t, run); got != 3 {
		t.Errorf("exit status %d, want 3", got)
	}
	want := "sh 42\n" + files.dir + "\n"
	if got := files.read(t, files.stdout); got != want {
		t.Errorf("stdout %q, want %q (argv[0], the environment and the working directory)", got, want)
	}
}

func TestStartUsesOwnPIDNamespace(t *testing.T) {
	run, files := startShell(t, `readlink /proc/self/ns/pid`)
	if got := waitMain(t, run); got != 0 {
		t.Fatalf("exit status %d, want 0; stderr: %s", got, files.read(t, files.stderr))
	}

	own, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(files.read(t, files.stdout))
	if got == "" || got == own {
		t.Errorf("the application's PID namespace is %q, want one other than the test's %q", got, own)
	}
}

func TestStartRestoresOpenFileLimit(t *testing.T) {
	out, err := exec.Command("/bin/sh", "-c", "ulimit -n").Output()
	if err != nil {
		t.Fatal(err)
	}
	run, files := startShell(t, `ulimit -n`)
	if got := waitMain(t, run); got != 0 {
		t.Fatalf("exit status %d, want 0", got)
	}
	if got := files.read(t, files.stdout); got != string(out) {
		t.Errorf("soft RLIMIT_NOFILE in the run %q, want %q as in a child that os/exec starts", got, out)
	}
}

func TestStartAltersSyscalls(t *testing.T) {
	tests := []struct {
		name   string
		script string
		rule   seccomp.Rule
		want   string
	}{
		{
			name:   "stubbed mkdir fails",
			script: `mkdir d 2>/dev/null; echo "status $?"; test -d d && echo exists; true`,
			rule:   seccomp.Stub(syscalls.Syscall{}),
			want:   "status 1\n",
		},
		{
			name:   "faked mkdir succeeds without running",
			script: `mkdir d; echo "status $?"; test -d d && echo exists; true`,
			rule:   seccomp.Fake(syscalls.Syscall{}),
			want:   "status 0\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.rule.Syscall = mustSyscall(t, "mkdir")
			run, files := startShell(t, tt.script, tt.rule)
			if got := waitMain(t, run); got != 0 {
				t.Fatalf("exit status %d, want 0; stderr: %s", got, files.read(t, files.stderr))
			}
			if got := files.read(t, files.stdout); got != tt.want {
				t.Errorf("stdout %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStartWithStubbedExecve(t *testing.T) {
	// The shell itself must start: only its own exec of /bin/true fails.
	run, files := startShell(t, `/bin/true; echo "status $?"`, seccomp.Stub(mustSyscall(t, "execve")))
	if got := waitMain(t, run); got != 0 {
		t.Fatalf("exit status %d, want 0 from the shell's echo; stderr: %s", got, files.read(t, files.stderr))
	}
	got := files.read(t, files.stdout)
	if got == "" || got == "status 0\n" {
		t.Errorf("stdout %q, want a non-zero status from the stubbed exec of /bin/true", got)
	}
}

func TestStartMissingExecutable(t *testing.T) {
	requireSandbox(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	stderrPath := filepath.Join(dir, "stderr")
	stderr, err := os.Create(stderrPath)
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()

	run, err := sandbox.Start(&sandbox.Spec{Path: missing, Args: []string{"missing"}, Dir: dir, Stderr: stderr})
	if err != nil {
		// Start may also report it directly.
		if !strings.Contains(err.Error(), missing) {
			t.Errorf("Start error %q, want it to name %s", err, missing)
		}
		return
	}
	defer run.Kill()
	if got := waitMain(t, run); got != 127 {
		t.Errorf("exit status %d, want 127 for an executable that does not exist", got)
	}
	b, _ := os.ReadFile(stderrPath)
	if !strings.Contains(string(b), missing) {
		t.Errorf("stderr %q, want it to name %s", b, missing)
	}
}

func TestKillEndsDaemonizedTree(t *testing.T) {
	// The subshell forks a sleep that starts a new session and outlives
	// both the subshell and the first process.
	run, _ := startShell(t, `setsid sleep 300 & sleep 300 & wait`)

	var pids []int
	deadline := time.Now().Add(5 * time.Second)
	for len(pids) < 3 && time.Now().Before(deadline) {
		var err error
		if pids, err = run.Processes(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(pids) < 3 {
		t.Fatalf("Processes() = %v, want the shell and its two sleeps", pids)
	}

	run.Kill()
	select {
	case <-run.Done():
	default:
		t.Error("Done is still open after Kill, want it closed")
	}
	for _, pid := range pids {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
			t.Errorf("PID %d of the run is still in /proc after Kill, want it killed and reaped", pid)
		}
	}
	if pids, err := run.Processes(); err == nil && len(pids) != 0 {
		t.Errorf("Processes() after Kill = %v, want none", pids)
	}
}

func TestDoneAfterTreeExits(t *testing.T) {
	run, _ := startShell(t, `sleep 0.1 & exit 0`)
	if got := waitMain(t, run); got != 0 {
		t.Errorf("exit status %d, want 0", got)
	}
	select {
	case <-run.Done():
	case <-time.After(5 * time.Second):
		t.Error("Done still open 5s after the last process of the tree exited, want it closed")
	}
}

func TestWaitReady(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		wantErr error
	}{
		{"quiet process is ready", `exec sleep 300`, nil},
		{"exited tree is reported", `exit 0`, sandbox.ErrTreeDied},
		{"busy process never gets ready", `while :; do :; done`, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, _ := startShell(t, tt.script)
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			if err := run.WaitReady(ctx); !errors.Is(err, tt.wantErr) {
				t.Errorf("WaitReady() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestObserveDeliversCalls(t *testing.T) {
	requireSandbox(t)
	run, err := sandbox.Start(&sandbox.Spec{
		Path:    "/bin/sh",
		Args:    []string{"sh", "-c", "mkdir d; rmdir d"},
		Dir:     t.TempDir(),
		Observe: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Kill()
	if run.Listener == nil {
		t.Fatal("Run.Listener is nil in observe mode, want the seccomp listener")
	}
	if run.ExecMarker == 0 {
		t.Error("Run.ExecMarker is 0, want the pathname pointer of the helper's execve")
	}

	rec := trace.Start(run.Listener, run.ExecMarker)
	select {
	case <-run.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the observed run did not end within 10s")
	}
	res, err := rec.Stop()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"mkdir", "rmdir", "execve", "wait4"} {
		if res.Counts[mustSyscall(t, name)] == 0 {
			t.Errorf("%s: not recorded, want the shell's or its children's calls", name)
		}
	}
}
