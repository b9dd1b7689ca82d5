package static

import (
	"os"
	"testing"
)

// BenchmarkAnalyzeNginx measures a cold analysis of nginx and its seven
// libraries (libc, libcrypto, libssl, libpcre2, libz, libcrypt and the
// loader): every iteration starts with an empty cache.
func BenchmarkAnalyzeNginx(b *testing.B) {
	const nginx = "/usr/sbin/nginx"
	if _, err := os.Stat(nginx); err != nil {
		b.Skipf("%s not installed (Debian package nginx-light)", nginx)
	}
	for b.Loop() {
		r, err := Analyze(nginx, Options{Cache: NewCache()})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(r.Syscalls())), "syscalls")
	}
}

// BenchmarkAnalyzeNginxCached measures an analysis whose libraries are
// already disassembled, as when one process analyses several binaries.
func BenchmarkAnalyzeNginxCached(b *testing.B) {
	const nginx = "/usr/sbin/nginx"
	if _, err := os.Stat(nginx); err != nil {
		b.Skipf("%s not installed (Debian package nginx-light)", nginx)
	}
	cache := NewCache()
	if _, err := Analyze(nginx, Options{Cache: cache}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Analyze(nginx, Options{Cache: cache}); err != nil {
			b.Fatal(err)
		}
	}
}
