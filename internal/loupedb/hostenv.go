package loupedb

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"

	"golang.org/x/sys/unix"
)

// Uname returns the kernel release and machine of the running system, as
// uname -r and uname -m print them ("6.1.0-18-amd64", "x86_64").
func Uname() (release, machine string, err error) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "", "", fmt.Errorf("uname: %w", err)
	}
	return unix.ByteSliceToString(u.Release[:]), unix.ByteSliceToString(u.Machine[:]), nil
}

// FileSHA256 returns the SHA-256 of the file at path, in hex.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// glibcPaths are the paths at which distributions install the x86_64 glibc.
var glibcPaths = []string{
	"/lib/x86_64-linux-gnu/libc.so.6",
	"/usr/lib/x86_64-linux-gnu/libc.so.6",
	"/lib64/libc.so.6",
	"/usr/lib64/libc.so.6",
	"/usr/lib/libc.so.6",
	"/lib/libc.so.6",
}

// Libc returns the C library that the executable at binary loads, read
// without running anything: "glibc 2.36", "musl 1.2.3", "static" for an
// executable without a program interpreter, or "unknown" with the reason in
// err. The library is found from the executable's program interpreter
// (PT_INTERP); glibc's version comes from the banner string in libc.so.6
// ("GNU C Library ... release version 2.36"), musl's from the version string
// in its loader, which is also its libc.
func Libc(binary string) (string, error) {
	f, err := elf.Open(binary)
	if err != nil {
		return "unknown", fmt.Errorf("reading the program interpreter: %w", err)
	}
	defer f.Close()
	interp := ""
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		data, err := io.ReadAll(p.Open())
		if err != nil {
			return "unknown", fmt.Errorf("reading the program interpreter of %s: %w", binary, err)
		}
		interp = string(bytes.TrimRight(data, "\x00"))
	}
	switch {
	case interp == "":
		return "static", nil
	case strings.Contains(interp, "ld-musl"):
		v, err := muslVersion(interp)
		if err != nil {
			return "musl", err
		}
		return "musl " + v, nil
	case strings.Contains(interp, "ld-linux"):
		for _, path := range glibcPaths {
			if v, err := glibcVersion(path); err == nil {
				return "glibc " + v, nil
			}
		}
		return "glibc", fmt.Errorf("no readable glibc libc.so.6 in %s", strings.Join(glibcPaths, ", "))
	}
	return "unknown", fmt.Errorf("unknown program interpreter %s", interp)
}

var glibcBanner = regexp.MustCompile(`GNU C Library [^\n\x00]*release version ([0-9]+\.[0-9]+(?:\.[0-9]+)?)`)

// glibcVersion reads the release version from the banner in the read-only
// data of a glibc libc.so.6.
func glibcVersion(path string) (string, error) {
	data, err := rodata(path)
	if err != nil {
		return "", err
	}
	m := glibcBanner.FindSubmatch(data)
	if m == nil {
		return "", fmt.Errorf("%s: no glibc version banner", path)
	}
	return string(m[1]), nil
}

var musl = regexp.MustCompile(`\x00([0-9]+\.[0-9]+\.[0-9]+)\x00`)

// muslVersion reads the version of the musl loader at path.
//
// NOTE: musl has no banner. The version is the first NUL-terminated string
// of the form N.N.N in its read-only data, which holds for musl 1.2.3
// (Debian 12) but is not a documented interface.
func muslVersion(path string) (string, error) {
	data, err := rodata(path)
	if err != nil {
		return "", err
	}
	m := musl.FindSubmatch(data)
	if m == nil {
		return "", fmt.Errorf("%s: no version string found", path)
	}
	return string(m[1]), nil
}

// rodata returns the .rodata section of the ELF file at path.
func rodata(path string) ([]byte, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := f.Section(".rodata")
	if s == nil {
		return nil, fmt.Errorf("%s: no .rodata section", path)
	}
	return s.Data()
}

// FillHost sets the environment fields of r from the running system and the
// application's executable at binary: Kernel and Arch from uname, Libc (see
// Libc) and BinarySHA256. A C library that cannot be identified is recorded
// as Libc returns it, with a warning in the log, because the run stays
// useful without it.
func (r *NewRun) FillHost(binary string) error {
	release, machine, err := Uname()
	if err != nil {
		return err
	}
	r.Kernel, r.Arch = release, machine
	if r.BinarySHA256, err = FileSHA256(binary); err != nil {
		return fmt.Errorf("hashing the application binary: %w", err)
	}
	r.Libc, err = Libc(binary)
	if err != nil {
		slog.Warn("C library version not identified", "binary", binary, "libc", r.Libc, "error", err)
	}
	return nil
}
