package static

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// build runs a compiler command whose output is dir/name, and skips the
// test when the compiler is not installed.
func build(t *testing.T, name string, cmd ...string) string {
	t.Helper()
	if _, err := exec.LookPath(cmd[0]); err != nil {
		t.Skipf("%s not installed: %v", cmd[0], err)
	}
	out := filepath.Join(t.TempDir(), name)
	c := exec.Command(cmd[0], append(cmd[1:], "-o", out)...)
	if msg, err := c.CombinedOutput(); err != nil {
		t.Skipf("%s cannot build %s here: %v\n%s", cmd[0], name, err, msg)
	}
	return out
}

func names(r *Result) map[string]bool {
	m := map[string]bool{}
	for _, sc := range r.Syscalls() {
		m[sc.Name()] = true
	}
	return m
}

func analyze(t *testing.T, path string) *Result {
	t.Helper()
	r, err := Analyze(path, Options{})
	if err != nil {
		t.Fatalf("Analyze(%s): %v", path, err)
	}
	return r
}

func TestKnownProgramExactSyscalls(t *testing.T) {
	bin := build(t, "known", "gcc", "-O1", "-nostdlib", "-static", "-fno-pie", "-no-pie",
		"-fno-asynchronous-unwind-tables", "-s", "testdata/known.c")
	r := analyze(t, bin)

	got := strings.Join(func() []string {
		var s []string
		for _, sc := range r.Syscalls() {
			s = append(s, sc.Name())
		}
		return s
	}(), " ")
	if want := "getpid exit getuid gettid"; got != want {
		t.Errorf("syscalls = %q, want %q", got, want)
	}
	if r.Unresolved.UnknownNumbers != 1 {
		t.Errorf("UnknownNumbers = %d, want 1 (the number read from the stack)", r.Unresolved.UnknownNumbers)
	}
	getuid, _ := syscalls.Parse("getuid")
	reaches := r.Reaches(getuid)
	if len(reaches) != 1 || reaches[0].Via == "" {
		t.Errorf("getuid reaches = %+v, want one call through the wrapper", reaches)
	}
}

// smallC is a C program whose syscalls follow from its source: open (openat
// in glibc), read, close, write, getpid and gettid through syscall(), and
// exit_group when main returns.
const smallC = `
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
	char buf[16];
	int fd = open("/etc/hostname", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	write(1, buf, n > 0 ? n : 0);
	syscall(SYS_getpid);
	syscall(SYS_gettid);
	return 0;
}
`

func TestSmallCProgramBuilds(t *testing.T) {
	src := filepath.Join(t.TempDir(), "small.c")
	if err := os.WriteFile(src, []byte(smallC), 0o644); err != nil {
		t.Fatal(err)
	}
	// glibc opens with openat, musl with open; both exit with exit_group.
	glibc := []string{"openat", "read", "close", "write", "getpid", "gettid", "exit_group"}
	musl := []string{"open", "read", "close", "write", "getpid", "gettid", "exit_group"}
	tests := []struct {
		name string
		cmd  []string
		want []string
	}{
		{"dynamic glibc", []string{"gcc", "-O2", src}, glibc},
		{"static glibc", []string{"gcc", "-O2", "-static", src}, glibc},
		{"static-pie glibc", []string{"gcc", "-O2", "-static-pie", src}, glibc},
		{"static musl", []string{"musl-gcc", "-O2", "-static", src}, musl},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(analyze(t, build(t, "small", tt.cmd...)))
			for _, name := range tt.want {
				if !got[name] {
					t.Errorf("%s missing from %v", name, got)
				}
			}
		})
	}
}

func TestStaticGoBinary(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	prog := "package main\nimport \"os\"\nfunc main() { b, _ := os.ReadFile(\"/etc/hostname\"); os.Stdout.Write(b) }\n"
	if err := os.WriteFile(src, []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "prog")
	cmd := exec.Command("go", "build", "-o", bin, src)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("go build failed: %v\n%s", err, out)
	}
	got := names(analyze(t, bin))
	// The runtime's own syscalls, and the ones os.ReadFile makes through
	// syscall.Syscall, whose number the analysis follows back to the caller.
	for _, name := range []string{"openat", "read", "write", "close", "fstat", "mmap", "clone", "futex", "rt_sigaction", "exit_group"} {
		if !got[name] {
			t.Errorf("%s missing from %v", name, got)
		}
	}
}

// Syscalls seen by "strace -f" of each program on Debian 12 (nginx and
// redis-server started, sent requests and stopped; sqlite3 creating a table,
// inserting and counting). strace does not see the vDSO-served calls
// (clock_gettime, gettimeofday, time, getcpu), so none is listed. Every one
// must be in the static result.
var realBinaries = []struct {
	path    string
	dynamic []string
}{
	{"/usr/sbin/nginx", strings.Fields(`accept4 access arch_prctl bind brk chown clone close connect dup2 epoll_create epoll_ctl
		epoll_wait eventfd2 execve exit_group fcntl futex geteuid getpid getppid getrandom ioctl listen
		lseek mkdir mmap mprotect munmap newfstatat openat prctl pread64 prlimit64 pwrite64 read recvfrom
		recvmsg rseq rt_sigaction rt_sigprocmask rt_sigreturn rt_sigsuspend sendmsg set_robust_list
		set_tid_address setgid setgroups setsockopt setuid socket socketpair sysinfo uname unlink wait4
		write writev`)},
	{"/usr/bin/redis-server", strings.Fields(`accept4 access arch_prctl bind brk chdir clone3 close epoll_create epoll_ctl epoll_wait execve
		exit_group fcntl futex getcwd getpeername getpid getrandom ioctl listen lseek madvise mmap
		mprotect munmap newfstatat open openat pipe2 prctl pread64 prlimit64 read readlink rseq
		rt_sigaction rt_sigprocmask sched_getaffinity set_robust_list set_tid_address setitimer
		setsockopt socket sysinfo umask write`)},
	{"/usr/bin/sqlite3", strings.Fields(`access arch_prctl brk close connect execve exit_group fchown fcntl fdatasync geteuid getpid
		getrandom getuid ioctl lseek mmap mprotect munmap newfstatat openat pread64 prlimit64 pwrite64
		read rseq rt_sigaction set_robust_list set_tid_address socket unlink write`)},
}

func TestRealBinariesCoverDynamicTrace(t *testing.T) {
	for _, rb := range realBinaries {
		t.Run(filepath.Base(rb.path), func(t *testing.T) {
			if _, err := os.Stat(rb.path); err != nil {
				t.Skipf("%s not installed (Debian packages nginx-light, redis-server, sqlite3)", rb.path)
			}
			r := analyze(t, rb.path)
			got := names(r)
			for _, name := range rb.dynamic {
				if !got[name] {
					t.Errorf("%s: %s is used at run time but missing from the static result", rb.path, name)
				}
			}
			if len(r.MissingLibraries) > 0 {
				t.Errorf("%s: libraries not found: %v", rb.path, r.MissingLibraries)
			}
			t.Logf("%s: %d syscalls, %d unknown numbers, %d indirect calls",
				rb.path, len(got), r.Unresolved.UnknownNumbers, r.Unresolved.IndirectCalls)
		})
	}
}

func TestAnalyzeRejectsInvalidFiles(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "script.sh")
	if err := os.WriteFile(text, []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated")
	if err := os.WriteFile(truncated, self[:len(self)/3], 0o755); err != nil {
		t.Fatal(err)
	}
	header := filepath.Join(dir, "header")
	if err := os.WriteFile(header, self[:64], 0o755); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		path   string
		notELF bool
	}{
		{"shell script", text, true},
		{"empty file", empty, true},
		{"truncated binary", truncated, false},
		{"header only", header, false},
		{"missing file", filepath.Join(dir, "nonexistent"), false},
		{"directory", dir, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Analyze(tt.path, Options{})
			if err == nil {
				t.Fatal("Analyze returned no error")
			}
			if got := errors.Is(err, ErrNotELF); got != tt.notELF {
				t.Errorf("errors.Is(%v, ErrNotELF) = %v, want %v", err, got, tt.notELF)
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestWriteCSVHasEveryNumber(t *testing.T) {
	bin := build(t, "known", "gcc", "-O1", "-nostdlib", "-static", "-fno-pie", "-no-pie", "testdata/known.c")
	r := analyze(t, bin)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if !strings.HasPrefix(lines[0], "#") {
		t.Errorf("first line %q is not a comment", lines[0])
	}
	if got, want := len(lines)-1, syscalls.Max(syscalls.X86_64)+1; got != want {
		t.Errorf("%d rows, want %d", got, want)
	}
	for nr, want := range map[int]string{39: "39,Y", 60: "60,Y", 0: "0,N", 186: "186,Y"} {
		if lines[nr+1] != want {
			t.Errorf("row %d = %q, want %q", nr, lines[nr+1], want)
		}
	}
}

func TestCacheReusesLibraries(t *testing.T) {
	src := filepath.Join(t.TempDir(), "small.c")
	if err := os.WriteFile(src, []byte(smallC), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := build(t, "small", "gcc", "-O2", src)
	cache := NewCache()
	first, err := Analyze(bin, Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	entries := len(cache.entries)
	second, err := Analyze(bin, Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if len(cache.entries) != entries {
		t.Errorf("cache grew from %d to %d entries on the second analysis", entries, len(cache.entries))
	}
	if a, b := len(first.Syscalls()), len(second.Syscalls()); a != b {
		t.Errorf("second analysis found %d syscalls, first %d", b, a)
	}
	if entries < 3 {
		t.Errorf("cache has %d entries, want the binary, libc and the loader", entries)
	}
}
