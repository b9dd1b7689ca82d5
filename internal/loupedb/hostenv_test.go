package loupedb

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

func TestUnameReturnsReleaseAndMachine(t *testing.T) {
	release, machine, err := Uname()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9]+\.[0-9]+`).MatchString(release) {
		t.Errorf("release = %q, want one starting with N.N", release)
	}
	if machine == "" {
		t.Error("machine is empty")
	}
}

func TestLibcOfDynamicExecutable(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh in PATH")
	}
	got, err := Libc(sh)
	if err != nil {
		t.Skipf("libc of %s not found: %v", sh, err)
	}
	if !regexp.MustCompile(`^(glibc|musl) [0-9]+\.[0-9]+`).MatchString(got) {
		t.Errorf("Libc(%s) = %q, want glibc or musl with a version", sh, got)
	}
}

func TestLibcOfStaticExecutable(t *testing.T) {
	// The test binary of a cgo-free package is static unless built with
	// -linkmode=external.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Libc(exe)
	if err != nil {
		t.Fatal(err)
	}
	if got != "static" && !strings.HasPrefix(got, "glibc") {
		t.Errorf("Libc(test binary) = %q, want static (or glibc when cgo is on)", got)
	}
}

func TestKernelSeriesDropsPatchLevel(t *testing.T) {
	tests := map[string]string{
		"6.1.0-18-amd64":     "6.1",
		"5.15.133+":          "5.15",
		"6.12.9-arch1-1":     "6.12",
		"4.19":               "4.19",
		"6.8rc1":             "6.8",
		"weird":              "weird",
		"6.10-rc3-something": "6.10",
	}
	for in, want := range tests {
		if got := kernelSeries(in); got != want {
			t.Errorf("kernelSeries(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFillHostSetsEnvironment(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh in PATH")
	}
	var r NewRun
	if err := r.FillHost(sh); err != nil {
		t.Fatal(err)
	}
	if r.Kernel == "" || r.Arch == "" || r.Libc == "" || len(r.BinarySHA256) != 64 {
		t.Errorf("FillHost left fields empty: %+v", r)
	}
	if err := r.FillHost("/nonexistent/binary"); err == nil {
		t.Error("FillHost accepted a missing binary")
	}
}

func TestMuslVersionReadsLoader(t *testing.T) {
	const loader = "/lib/ld-musl-x86_64.so.1"
	if _, err := os.Stat(loader); err != nil {
		t.Skip("musl not installed")
	}
	v, err := muslVersion(loader)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^1\.[0-9]+\.[0-9]+$`).MatchString(v) {
		t.Errorf("musl version = %q, want 1.N.N", v)
	}
}
