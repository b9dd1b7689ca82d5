package static

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
)

// defaultLibraryDirs are searched after the ld.so.conf directories, as
// glibc's dynamic loader does on x86_64 (its built-in list, plus the
// Debian multiarch directories that ld.so.conf normally adds).
var defaultLibraryDirs = []string{
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
	"/lib64", "/usr/lib64", "/lib", "/usr/lib",
}

// A libraryFinder resolves DT_NEEDED names to files the way glibc's
// dynamic loader does, except that it reads the directories of
// /etc/ld.so.conf instead of the binary /etc/ld.so.cache made from them.
type libraryFinder struct {
	libraryPath []string // LD_LIBRARY_PATH
	systemDirs  []string
}

func newLibraryFinder(libraryPath []string) *libraryFinder {
	dirs := readLdSoConf("/etc/ld.so.conf", 0)
	dirs = append(dirs, defaultLibraryDirs...)
	return &libraryFinder{libraryPath: libraryPath, systemDirs: dedupe(dirs)}
}

// find returns the path of library name needed by loader, or "" when no
// directory has an x86_64 ELF file of that name. exe is the executable,
// whose DT_RPATH applies to every library it loads.
func (lf *libraryFinder) find(name string, loader, exe *object) string {
	if strings.Contains(name, "/") {
		if isX86_64ELF(name) {
			return name
		}
		return ""
	}
	var dirs []string
	if len(loader.runpath) == 0 {
		dirs = append(dirs, expandOrigin(loader.rpath, loader.path)...)
		if exe != loader {
			dirs = append(dirs, expandOrigin(exe.rpath, exe.path)...)
		}
	}
	dirs = append(dirs, lf.libraryPath...)
	dirs = append(dirs, expandOrigin(loader.runpath, loader.path)...)
	dirs = append(dirs, lf.systemDirs...)
	for _, d := range dirs {
		if d == "" {
			continue
		}
		p := filepath.Join(d, name)
		if isX86_64ELF(p) {
			return p
		}
	}
	return ""
}

// expandOrigin substitutes the dynamic string tokens of rpath entries:
// $ORIGIN is the directory of the object, $LIB and $PLATFORM take their
// Debian x86_64 values.
func expandOrigin(dirs []string, objPath string) []string {
	origin := filepath.Dir(objPath)
	if abs, err := filepath.Abs(origin); err == nil {
		origin = abs
	}
	r := strings.NewReplacer(
		"${ORIGIN}", origin, "$ORIGIN", origin,
		"${LIB}", "lib/x86_64-linux-gnu", "$LIB", "lib/x86_64-linux-gnu",
		"${PLATFORM}", "x86_64", "$PLATFORM", "x86_64",
	)
	out := make([]string, 0, len(dirs))
	for _, d := range dirs {
		out = append(out, r.Replace(d))
	}
	return out
}

// isX86_64ELF reports whether path is an ELF file the loader would accept
// for an x86_64 process. Like the loader, it skips 32-bit libraries of the
// same name.
func isX86_64ELF(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var hdr [20]byte
	if _, err := f.ReadAt(hdr[:], 0); err != nil {
		return false
	}
	return bytes.Equal(hdr[:4], []byte(elf.ELFMAG)) &&
		elf.Class(hdr[elf.EI_CLASS]) == elf.ELFCLASS64 &&
		elf.Machine(binary.LittleEndian.Uint16(hdr[18:])) == elf.EM_X86_64
}

// readLdSoConf returns the directories listed in an ld.so.conf file and the
// files it includes.
func readLdSoConf(path string, depth int) []string {
	if depth > 8 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var dirs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "include"):
			pattern := strings.TrimSpace(strings.TrimPrefix(line, "include"))
			if !filepath.IsAbs(pattern) {
				pattern = filepath.Join(filepath.Dir(path), pattern)
			}
			matches, _ := filepath.Glob(pattern)
			for _, m := range matches {
				dirs = append(dirs, readLdSoConf(m, depth+1)...)
			}
		case strings.HasPrefix(line, "hwcap"):
		default:
			dirs = append(dirs, strings.Fields(line)...)
		}
	}
	return dirs
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
