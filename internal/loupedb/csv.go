package loupedb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// MaxNumber is the highest syscall number a results file may hold. It is far
// above any x86_64 number and bounds the memory a corrupt file can claim.
const MaxNumber = 4095

// Result is one row of dyn.csv: whether the syscall was used in a passing
// baseline run, and which alterations still let the test pass. As written by
// loupe and by the original Loupe tool, Faked means "works faked but not
// stubbed", Stubbed "works stubbed but not faked" and Both "works stubbed and
// works faked". Older files may set Faked and Stubbed together instead of
// Both, and a few rows of the public data set set flags on unused syscalls.
type Result struct {
	Used, Faked, Stubbed, Both bool
}

// Dynamic holds the rows of one dyn.csv, indexed by x86_64 syscall number.
// Numbers past the end of the slice, or missing from the file, read as unused.
type Dynamic []Result

// At returns the result for nr, the zero Result (unused) when the file has no
// row for it.
func (d Dynamic) At(nr int) Result {
	if nr < 0 || nr >= len(d) {
		return Result{}
	}
	return d[nr]
}

// Used returns the set of syscalls marked used.
func (d Dynamic) Used() *Set {
	s := &Set{}
	for nr, r := range d {
		if r.Used {
			s.Add(nr)
		}
	}
	return s
}

// ParseError is a malformed line in a database file.
type ParseError struct {
	File string // path as given to the parser
	Line int    // 1-based
	Err  error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// dynHeader and staticHeader are the comment lines that loupe writes.
const (
	dynHeader    = "# syscall, used, works faked, works stubbed, works both"
	staticHeader = "# syscall, used"
)

// ParseDynamic reads a dyn.csv: lines starting with '#' are comments, blank
// lines are skipped, and every other line is "nr,used,faked,stubbed,both"
// with Y or N flags. Rows may come in any order and need not cover every
// number, but a number may appear only once. name is used in errors.
func ParseDynamic(r io.Reader, name string) (Dynamic, error) {
	var d Dynamic
	seen := &Set{}
	err := scanRows(r, name, 5, func(nr int, flags []bool) error {
		if seen.Has(nr) {
			return fmt.Errorf("syscall %d listed twice", nr)
		}
		seen.Add(nr)
		if nr >= len(d) {
			d = append(d, make(Dynamic, nr+1-len(d))...)
		}
		d[nr] = Result{Used: flags[0], Faked: flags[1], Stubbed: flags[2], Both: flags[3]}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ParseStatic reads a static_binary.csv or static_sources.csv: comment lines
// starting with '#', then "nr,Y|N" lines. It returns the set of numbers
// marked Y. name is used in errors.
func ParseStatic(r io.Reader, name string) (*Set, error) {
	used := &Set{}
	seen := &Set{}
	err := scanRows(r, name, 2, func(nr int, flags []bool) error {
		if seen.Has(nr) {
			return fmt.Errorf("syscall %d listed twice", nr)
		}
		seen.Add(nr)
		if flags[0] {
			used.Add(nr)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return used, nil
}

// scanRows calls row for every data line of r, which must have exactly
// fields comma-separated fields: a syscall number and fields-1 Y/N flags.
// Spaces and tabs around fields and a trailing '\r' are ignored.
func scanRows(r io.Reader, name string, fields int, row func(nr int, flags []bool) error) error {
	sc := bufio.NewScanner(r)
	flags := make([]bool, fields-1)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		nr, err := parseRow(text, flags)
		if err != nil {
			return &ParseError{File: name, Line: line, Err: err}
		}
		if err := row(nr, flags); err != nil {
			return &ParseError{File: name, Line: line, Err: err}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &ParseError{File: name, Line: line + 1, Err: errors.New("line too long")}
		}
		return fmt.Errorf("reading %s: %w", name, err)
	}
	return nil
}

// parseRow checks one data line, fills flags from its Y/N fields and returns
// its syscall number.
func parseRow(text string, flags []bool) (int, error) {
	parts := strings.Split(text, ",")
	if len(parts) != len(flags)+1 {
		return 0, fmt.Errorf("got %d fields, want %d (number and %d Y/N flags)", len(parts), len(flags)+1, len(flags))
	}
	field := strings.TrimSpace(parts[0])
	nr, err := strconv.Atoi(field)
	if err != nil || nr < 0 || strings.HasPrefix(field, "+") {
		return 0, fmt.Errorf("invalid syscall number %q", field)
	}
	if nr > MaxNumber {
		return 0, fmt.Errorf("syscall number %d above the maximum %d", nr, MaxNumber)
	}
	for i, p := range parts[1:] {
		switch strings.TrimSpace(p) {
		case "Y":
			flags[i] = true
		case "N":
			flags[i] = false
		default:
			return 0, fmt.Errorf("invalid flag %q in field %d, want Y or N", strings.TrimSpace(p), i+2)
		}
	}
	return nr, nil
}

// WriteDynamic writes d in the dyn.csv format, one row per number from 0 to
// the highest number in loupe's x86_64 table, or to the end of d if it is
// longer.
func WriteDynamic(w io.Writer, d Dynamic) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, dynHeader)
	for nr := 0; nr <= max(syscalls.Max(syscalls.X86_64), len(d)-1); nr++ {
		r := d.At(nr)
		fmt.Fprintf(bw, "%d,%s,%s,%s,%s\n", nr, yn(r.Used), yn(r.Faked), yn(r.Stubbed), yn(r.Both))
	}
	return bw.Flush()
}

// WriteStatic writes s in the static_*.csv format, with the same rows as
// WriteDynamic.
func WriteStatic(w io.Writer, s *Set) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, staticHeader)
	nrs := s.Numbers()
	last := syscalls.Max(syscalls.X86_64)
	if len(nrs) > 0 {
		last = max(last, nrs[len(nrs)-1])
	}
	for nr := 0; nr <= last; nr++ {
		fmt.Fprintf(bw, "%d,%s\n", nr, yn(s.Has(nr)))
	}
	return bw.Flush()
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}
