package loupedb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// OSList is the set of syscalls an operating system supports, read from a
// <OS>.syscalls file.
type OSList struct {
	Name     string // file name without ".syscalls"
	Path     string
	Syscalls *Set
	// Unknown lists the well-formed names that are not x86_64 syscalls,
	// as "file:line: name". They cannot match any result, so they are left
	// out of Syscalls; the public Gvisor list names "futimensat", for one.
	Unknown []string
}

// ParseSyscallList reads a syscall list: one x86_64 syscall a line, as a
// name ("openat", "syscall_435") or a plain number. Blank lines and lines
// starting with '#' are skipped, and duplicates are allowed. A line that is
// neither a number nor a name is an error. name is used in messages.
func ParseSyscallList(r io.Reader, name string) (*Set, []string, error) {
	set := &Set{}
	var unknown []string
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		nr, known, err := parseListEntry(text)
		if err != nil {
			return nil, nil, &ParseError{File: name, Line: line, Err: err}
		}
		if !known {
			unknown = append(unknown, fmt.Sprintf("%s:%d: %s", name, line, text))
			continue
		}
		set.Add(nr)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, &ParseError{File: name, Line: line + 1, Err: errors.New("line too long")}
		}
		return nil, nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return set, unknown, nil
}

// parseListEntry reads one entry of a syscall list. known is false for a
// well-formed name that is not an x86_64 syscall.
func parseListEntry(text string) (nr int, known bool, err error) {
	if text[0] >= '0' && text[0] <= '9' {
		nr, err := strconv.Atoi(text)
		if err != nil || nr > MaxNumber {
			return 0, false, fmt.Errorf("invalid syscall number %q (want 0 to %d)", text, MaxNumber)
		}
		return nr, true, nil
	}
	for _, c := range text {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return 0, false, fmt.Errorf("invalid syscall name %q: want one name or number a line", text)
		}
	}
	sc, err := syscalls.Parse(text)
	if err != nil || sc.Arch != syscalls.X86_64 {
		return 0, false, nil
	}
	if sc.Nr > MaxNumber {
		return 0, false, fmt.Errorf("invalid syscall number in %q (want 0 to %d)", text, MaxNumber)
	}
	return sc.Nr, true, nil
}

// ReadOSList reads the syscall list at path. The OS name is the file name
// without its ".syscalls" extension.
func ReadOSList(path string) (*OSList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	set, unknown, err := ParseSyscallList(f, path)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(filepath.Base(path), osListExt)
	return &OSList{Name: name, Path: path, Syscalls: set, Unknown: unknown}, nil
}

const osListExt = ".syscalls"
