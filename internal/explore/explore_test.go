package explore_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-project/loupe/internal/explore"
	"github.com/loupe-project/loupe/internal/sandbox"
	"github.com/loupe-project/loupe/internal/seccomp"
	"github.com/loupe-project/loupe/internal/workload"
)

// TestMain lets the test binary serve as the sandbox helper: explore
// re-executes its own binary to set up every run.
func TestMain(m *testing.M) {
	sandbox.MaybeRunHelper()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(m.Run())
}

// runTimeout bounds one run of a fixture. The fixtures finish in a few
// milliseconds, but some alterations make them spin or wait for good: a
// faked write, for one, makes stdio retry its write forever.
const runTimeout = time.Second

// requireSandbox skips the test unless runs can be sandboxed here.
func requireSandbox(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("explore tests need root: the sandbox creates a PID namespace")
	}
	if err := seccomp.Available(); err != nil {
		t.Skipf("seccomp is not usable: %v", err)
	}
}

// buildFixture compiles testdata/NAME.c into a static executable in a
// temporary directory and returns its path. Static linking keeps the
// dynamic loader's own calls (read, mmap, openat) out of the verdicts.
func buildFixture(t testing.TB, name string) string {
	t.Helper()
	requireSandbox(t)
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found: the fixtures are C programs compiled at test time")
	}
	src, err := filepath.Abs(filepath.Join("testdata", name+".c"))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), name)
	out, err := exec.Command(gcc, "-O1", "-Wall", "-static", "-pthread", "-o", bin, src).CombinedOutput()
	if err != nil {
		t.Fatalf("compile %s: %v\n%s", src, err, out)
	}
	return bin
}

// sequentialConfig returns the configuration that "loupe explore --
// PATH ARGS..." builds: sequential mode without a test script, judged by
// exit status 0 and the baseline's stdout.
func sequentialConfig(t testing.TB, path string, args ...string) *explore.Config {
	t.Helper()
	return &explore.Config{
		Path:    path,
		Args:    append([]string{path}, args...),
		Env:     os.Environ(),
		Dir:     t.TempDir(),
		Mode:    workload.Sequential,
		Timeout: runTimeout,
	}
}

// analyse runs a whole analysis and fails the test if it does not finish.
func analyse(t testing.TB, cfg *explore.Config) *explore.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := explore.Explore(ctx, cfg)
	if err != nil {
		t.Fatalf("Explore(%v): %v", cfg.Args, err)
	}
	return res
}

// verdictOf returns the verdict on the syscall called name (as
// syscalls.Syscall.Name writes it), and false when it was not used.
func verdictOf(res *explore.Result, name string) (explore.Verdict, bool) {
	for _, v := range res.Syscalls {
		if v.Syscall.Name() == name {
			return v, true
		}
	}
	return explore.Verdict{}, false
}

func usedNames(res *explore.Result) []string {
	var names []string
	for _, v := range res.Syscalls {
		names = append(names, v.Syscall.Name()+"="+v.Class().String())
	}
	return names
}

// writeScript writes an executable shell script into dir.
func writeScript(t testing.TB, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExploreClassifiesFixtures(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		want    map[string]explore.Class
		used    []string          // syscalls used, whatever their class
		counts  map[string]uint64 // calls of a syscall in the baseline run
		unused  []string          // syscalls the fixture never makes in a passing run
	}{
		{
			name:    "ignored results are both",
			fixture: "ignore",
			want:    map[string]explore.Class{"getppid": explore.Both, "sched_yield": explore.Both, "umask": explore.Both},
		},
		{
			name:    "read data is required",
			fixture: "readsum",
			want:    map[string]explore.Class{"read": explore.Required},
		},
		{
			name:    "accept4 falls back to accept",
			fixture: "accept4",
			want:    map[string]explore.Class{"accept4": explore.StubOnly, "getpeername": explore.FakeOnly},
			unused:  []string{"accept"},
		},
		{
			name:    "every task is traced",
			fixture: "threads",
			want: map[string]explore.Class{
				"gettid":  explore.Both, // only in a pthread
				"getppid": explore.Both, // only in a fork child
				"getpgid": explore.Both, // only in a vfork child
				"getsid":  explore.Both, // only in a raw clone3 child
			},
			// glibc 2.34 and later create threads with clone3 and forks
			// with clone. The helper's exec of the fixture is not counted.
			used:   []string{"clone", "clone3", "vfork", "wait4"},
			unused: []string{"execve"},
		},
		{
			name:    "numbers above 334 are named",
			fixture: "newsyscalls",
			want:    map[string]explore.Class{"close_range": explore.Both, "faccessat2": explore.Both},
		},
		{
			name:    "int 0x80 calls are i386 calls",
			fixture: "int80",
			want:    map[string]explore.Class{"i386:getpid": explore.Required},
			unused:  []string{"getpid"},
		},
		{
			name:    "stubbed execve still starts the application",
			fixture: "exec",
			want:    map[string]explore.Class{"execve": explore.StubOnly},
			counts:  map[string]uint64{"execve": 1}, // its own exec, not the helper's
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bin := buildFixture(t, tt.fixture)
			if tt.fixture == "int80" {
				if out, err := exec.Command(bin).CombinedOutput(); err != nil {
					t.Skipf("this kernel does not serve int 0x80 from 64-bit programs (IA32 emulation off?): %v %s", err, out)
				}
			}
			res := analyse(t, sequentialConfig(t, bin))
			t.Logf("verdicts: %v", usedNames(res))

			for name, want := range tt.want {
				v, ok := verdictOf(res, name)
				if !ok {
					t.Errorf("%s: not in the used set, want it used and %v", name, want)
					continue
				}
				if got := v.Class(); got != want {
					t.Errorf("%s: class %v (stub passes %v, fake passes %v), want %v", name, got, v.Stub, v.Fake, want)
				}
			}
			for _, name := range tt.used {
				if _, ok := verdictOf(res, name); !ok {
					t.Errorf("%s: not in the used set, want it used", name)
				}
			}
			for name, want := range tt.counts {
				if v, _ := verdictOf(res, name); v.Count != want {
					t.Errorf("%s: counted %d times, want %d", name, v.Count, want)
				}
			}
			for _, name := range tt.unused {
				if _, ok := verdictOf(res, name); ok {
					t.Errorf("%s: in the used set, want it unused", name)
				}
			}
		})
	}
}

func TestExploreKillsDaemon(t *testing.T) {
	bin := buildFixture(t, "daemon")
	checkDaemonIsVisible(t, bin)
	pidFile := filepath.Join(t.TempDir(), "daemon.pids")
	res := analyse(t, sequentialConfig(t, bin, pidFile))

	if len(res.Syscalls) == 0 {
		t.Error("used set is empty, want the daemon's syscalls")
	}
	if _, ok := verdictOf(res, "setsid"); !ok {
		t.Error("setsid: not in the used set, want it used by the daemon's child")
	}

	pids := readPids(t, pidFile)
	if len(pids) == 0 {
		t.Fatalf("%s lists no PID, want one per run whose daemon started", pidFile)
	}
	t.Logf("%d runs, daemon PIDs %v", res.Stats.Runs, pids)
	for _, pid := range pids {
		if state, alive := processState(pid, "daemon"); alive {
			t.Errorf("daemon PID %d is still in /proc (state %c) after Explore returned, want it killed and reaped", pid, state)
		}
	}
}

func TestExploreTimesOutHangingApplication(t *testing.T) {
	bin := buildFixture(t, "hang")
	pidFile := filepath.Join(t.TempDir(), "hang.pids")
	cfg := sequentialConfig(t, bin, pidFile)
	cfg.Timeout = 500 * time.Millisecond

	start := time.Now()
	_, err := explore.Explore(context.Background(), cfg)
	elapsed := time.Since(start)

	var baseErr *explore.BaselineError
	if !errors.As(err, &baseErr) {
		t.Fatalf("Explore error = %v, want a *BaselineError for the baseline that timed out", err)
	}
	if !strings.Contains(baseErr.Reason, "timed out") {
		t.Errorf("BaselineError.Reason = %q, want it to say the run timed out", baseErr.Reason)
	}
	if elapsed > 5*time.Second {
		t.Errorf("Explore took %v, want it to give up shortly after the %v timeout", elapsed, cfg.Timeout)
	}

	pids := readPids(t, pidFile)
	if len(pids) != 2 {
		t.Errorf("%s lists %d PIDs, want 2 (the fixture and its fork child)", pidFile, len(pids))
	}
	for _, pid := range pids {
		if state, alive := processState(pid, "hang"); alive {
			t.Errorf("hanging PID %d is still in /proc (state %c) after Explore returned, want it killed and reaped", pid, state)
		}
	}
}

// checkDaemonIsVisible starts the daemon fixture outside loupe and checks
// that processState finds the daemon by the PID it writes, so that the
// leftover check of TestExploreKillsDaemon can fail.
func checkDaemonIsVisible(t *testing.T, bin string) {
	t.Helper()
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "native.pids")
	// The daemon keeps the descriptors it inherited: a pipe would keep
	// Run waiting for it, a file does not.
	output, err := os.Create(filepath.Join(dir, "native.out"))
	if err != nil {
		t.Fatal(err)
	}
	defer output.Close()
	cmd := exec.Command(bin, pidFile)
	cmd.Stdout, cmd.Stderr = output, output
	if err := cmd.Run(); err != nil {
		t.Fatalf("daemon fixture outside loupe: %v", err)
	}
	pids := readPids(t, pidFile)
	if len(pids) != 1 {
		t.Fatalf("daemon fixture outside loupe wrote %d PIDs, want 1", len(pids))
	}
	pid := pids[0]
	defer func() {
		syscall.Kill(pid, syscall.SIGKILL)
		// The daemon's parent is a subreaper or init, which reaps it.
	}()
	if _, alive := processState(pid, "daemon"); !alive {
		t.Fatalf("processState(%d) does not see the running daemon, so the leftover check could never fail", pid)
	}
}

// readPids reads the PIDs that a fixture appended to path, one a line.
func readPids(t testing.TB, path string) []int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the fixture's PID file: %v", err)
	}
	var pids []int
	for _, line := range strings.Fields(string(b)) {
		pid, err := strconv.Atoi(line)
		if err != nil {
			t.Fatalf("PID file %s: invalid line %q", path, line)
		}
		pids = append(pids, pid)
	}
	return pids
}

// processState returns the state letter of process pid and true when it
// exists and its command name is comm, zombies included. A PID reused by
// another program does not count.
func processState(pid int, comm string) (byte, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	open := strings.IndexByte(string(b), '(')
	end := strings.LastIndexByte(string(b), ')')
	if open < 0 || end < open || end+2 >= len(b) {
		return 0, false
	}
	if string(b[open+1:end]) != comm {
		return 0, false
	}
	return b[end+2], true
}

func TestExploreDetectsOwnFilter(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want bool
	}{
		{"prctl PR_SET_SECCOMP", nil, true},
		{"seccomp syscall", []string{"seccomp"}, true},
	}
	bin := buildFixture(t, "ownfilter")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := analyse(t, sequentialConfig(t, bin, tt.args...))
			if res.OwnFilter != tt.want {
				t.Errorf("OwnFilter = %v, want %v", res.OwnFilter, tt.want)
			}
		})
	}

	t.Run("no filter", func(t *testing.T) {
		res := analyse(t, sequentialConfig(t, buildFixture(t, "ignore")))
		if res.OwnFilter {
			t.Error("OwnFilter = true for a fixture that installs no filter, want false")
		}
	})
}

func TestExploreCountsScriptRetries(t *testing.T) {
	bin := buildFixture(t, "ignore")
	cfg := sequentialConfig(t, bin)
	// The script runs in its own directory. Its first run leaves a
	// marker there and requests another try with exit status 200.
	script := writeScript(t, t.TempDir(), "test.sh", `#!/bin/sh
if [ ! -e tried ]; then
	: > tried
	exit 200
fi
grep -qx done "$1"
`)
	var err error
	if cfg.Test, err = workload.NewScript(script); err != nil {
		t.Fatal(err)
	}

	var progress []explore.Progress
	cfg.Progress = func(p explore.Progress) { progress = append(progress, p) }
	res := analyse(t, cfg)

	if res.Stats.Retries != 1 {
		t.Errorf("Stats.Retries = %d, want 1: the script asked for another try once", res.Stats.Retries)
	}
	if v, ok := verdictOf(res, "getppid"); !ok || v.Class() != explore.Both {
		t.Errorf("getppid: verdict %+v (used %v), want used and both", v, ok)
	}
	if v, ok := verdictOf(res, "write"); !ok || v.Class() != explore.Required {
		t.Errorf("write: verdict %+v (used %v), want used and required: the script greps the output", v, ok)
	}
	if len(progress) == 0 {
		t.Fatal("Progress was never called, want one call per run")
	}
	if last := progress[len(progress)-1]; last.Done != res.Stats.Runs {
		t.Errorf("last Progress.Done = %d, want Stats.Runs = %d", last.Done, res.Stats.Runs)
	}
}

func TestExploreBaselineFailures(t *testing.T) {
	tests := []struct {
		name       string
		script     string // test script body; empty: no script
		command    []string
		server     bool // server mode; otherwise sequential
		wantReason string
		wantOutput string
	}{
		{
			name:       "script never passes",
			script:     "#!/bin/sh\necho 'backend answered 503 Service Unavailable'\nexit 1\n",
			wantReason: "status 1",
			wantOutput: "backend answered 503 Service Unavailable",
		},
		{
			name:       "script always asks for another try",
			script:     "#!/bin/sh\necho 'port still in use'\nexit 200\n",
			wantReason: "another try",
			wantOutput: "port still in use",
		},
		{
			name:       "application exits non-zero",
			command:    []string{"/bin/sh", "-c", "echo 'config file missing' >&2; exit 3"},
			wantReason: "exit status 3",
			wantOutput: "config file missing",
		},
		{
			name:       "server exits before it is ready",
			script:     "#!/bin/sh\nexit 0\n",
			command:    []string{"/bin/sh", "-c", "echo 'bind: address already in use' >&2; exit 0"},
			server:     true,
			wantReason: "exited before it was ready",
			wantOutput: "address already in use",
		},
		{
			name:       "output differs between unaltered runs",
			command:    []string{"/bin/sh", "-c", "od -An -N8 -tx8 /dev/urandom"},
			wantReason: "different output",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSandbox(t)
			cfg := sequentialConfig(t, "/bin/true")
			if tt.command != nil {
				cfg.Path, cfg.Args = tt.command[0], tt.command
			}
			if tt.server {
				cfg.Mode = workload.Server
			}
			if tt.script != "" {
				script := writeScript(t, t.TempDir(), "test.sh", tt.script)
				var err error
				if cfg.Test, err = workload.NewScript(script); err != nil {
					t.Fatal(err)
				}
			}

			_, err := explore.Explore(context.Background(), cfg)
			var baseErr *explore.BaselineError
			if !errors.As(err, &baseErr) {
				t.Fatalf("Explore error = %v, want a *BaselineError", err)
			}
			if !strings.Contains(baseErr.Reason, tt.wantReason) {
				t.Errorf("BaselineError.Reason = %q, want it to contain %q", baseErr.Reason, tt.wantReason)
			}
			if !strings.Contains(string(baseErr.Output), tt.wantOutput) {
				t.Errorf("BaselineError.Output = %q, want it to contain %q", baseErr.Output, tt.wantOutput)
			}
			if !strings.Contains(err.Error(), tt.wantOutput) {
				t.Errorf("error message %q, want it to show the output %q", err, tt.wantOutput)
			}
		})
	}
}

func TestExploreStartErrors(t *testing.T) {
	requireSandbox(t)
	dir := t.TempDir()
	notExecutable := filepath.Join(dir, "not-executable")
	if err := os.WriteFile(notExecutable, []byte("#!/bin/sh\nexit 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")

	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{"missing executable", missing, "no such file"},
		{"executable without x bit", notExecutable, "permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := explore.Explore(context.Background(), sequentialConfig(t, tt.path))
			if err == nil {
				t.Fatalf("Explore(%s) succeeded, want an error", tt.path)
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("error %q, want it to name the executable %s", err, tt.path)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestExploreScriptErrors(t *testing.T) {
	requireSandbox(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "test.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexit 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("NewScript rejects a script without x bit", func(t *testing.T) {
		_, err := workload.NewScript(script)
		if err == nil || !strings.Contains(err.Error(), "not executable") {
			t.Errorf("NewScript(%s) error = %v, want one saying it is not executable", script, err)
		}
	})
	t.Run("NewScript rejects a missing script", func(t *testing.T) {
		_, err := workload.NewScript(filepath.Join(dir, "missing.sh"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("NewScript(missing.sh) error = %v, want one wrapping os.ErrNotExist", err)
		}
	})
	t.Run("Explore fails on a script it cannot run", func(t *testing.T) {
		cfg := sequentialConfig(t, "/bin/true")
		cfg.Test = &workload.Script{Path: script}
		_, err := explore.Explore(context.Background(), cfg)
		if err == nil {
			t.Fatal("Explore succeeded with a test script that cannot run, want an error")
		}
		if !strings.Contains(err.Error(), script) {
			t.Errorf("error %q, want it to name the script %s", err, script)
		}
	})
}

func TestExploreServerMode(t *testing.T) {
	bin := buildFixture(t, "server")
	port := freePort(t)
	cfg := sequentialConfig(t, bin, strconv.Itoa(port))
	cfg.Mode = workload.Server
	script := writeScript(t, t.TempDir(), "test.sh", `#!/bin/bash
exec 3<>/dev/tcp/127.0.0.1/`+strconv.Itoa(port)+` || exit 1
echo ping >&3
read -r -t 1 answer <&3
[ "$answer" = pong ]
`)
	var err error
	if cfg.Test, err = workload.NewScript(script); err != nil {
		t.Fatal(err)
	}
	res := analyse(t, cfg)
	t.Logf("verdicts: %v", usedNames(res))

	if res.Mode != "server" {
		t.Errorf("Result.Mode = %q, want server", res.Mode)
	}
	want := map[string]explore.Class{
		"socket":  explore.Required,
		"bind":    explore.Required,
		"listen":  explore.Required,
		"accept":  explore.Required,
		"getppid": explore.Both,
	}
	for name, class := range want {
		v, ok := verdictOf(res, name)
		if !ok {
			t.Errorf("%s: not in the used set, want it used and %v", name, class)
			continue
		}
		if got := v.Class(); got != class {
			t.Errorf("%s: class %v (stub passes %v, fake passes %v), want %v", name, got, v.Stub, v.Fake, class)
		}
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestExploreConcurrentAnalyses(t *testing.T) {
	bin := buildFixture(t, "readsum")
	results := make(chan *explore.Result, 2)
	errs := make(chan error, 2)
	for range 2 {
		// Both analyses write readsum.dat into their own directory.
		cfg := sequentialConfig(t, bin)
		go func() {
			res, err := explore.Explore(context.Background(), cfg)
			results <- res
			errs <- err
		}()
	}
	for range 2 {
		res, err := <-results, <-errs
		if err != nil {
			t.Errorf("concurrent Explore: %v, want both analyses to finish", err)
			continue
		}
		if v, ok := verdictOf(res, "read"); !ok || v.Class() != explore.Required {
			t.Errorf("read: verdict %+v (used %v) in a concurrent analysis, want used and required", v, ok)
		}
	}
}
