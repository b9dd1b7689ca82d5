package loupedb

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzParseDynamic checks that ParseDynamic never panics, that its errors
// name the file and a line, and that what it accepts survives a write and a
// second parse. More seeds are in testdata/fuzz/FuzzParseDynamic.
func FuzzParseDynamic(f *testing.F) {
	f.Add("# syscall, used, works faked, works stubbed, works both\n0,Y,N,N,N\n1,Y,N,N,Y\n")
	f.Add("0,Y,N,N,N\n334,Y,N,Y,N")
	f.Add("# h\r\n 2 , Y , Y , N , N \r\n")
	f.Add("0,Y,N,N\n")
	f.Add("0,Y,N,N,N\n0,N,N,N,N\n")
	f.Add("99999999999999999999,Y,N,N,N\n")
	f.Fuzz(func(t *testing.T, input string) {
		d, err := ParseDynamic(strings.NewReader(input), "dyn.csv")
		if err != nil {
			checkParseError(t, err, input)
			return
		}
		var buf bytes.Buffer
		if err := WriteDynamic(&buf, d); err != nil {
			t.Fatal(err)
		}
		back, err := ParseDynamic(&buf, "written")
		if err != nil {
			t.Fatalf("reparsing the written file: %v", err)
		}
		for nr := range max(len(d), len(back)) {
			if d.At(nr) != back.At(nr) {
				t.Fatalf("row %d: %+v, after a round trip %+v", nr, d.At(nr), back.At(nr))
			}
		}
	})
}

// FuzzParseStatic is FuzzParseDynamic for the static result files.
func FuzzParseStatic(f *testing.F) {
	f.Add("# syscall, used\n0,Y\n1,N\n2,Y")
	f.Add("0,Y,N\n")
	f.Add("\n\n#\n5,N\r\n")
	f.Fuzz(func(t *testing.T, input string) {
		s, err := ParseStatic(strings.NewReader(input), "static.csv")
		if err != nil {
			checkParseError(t, err, input)
			return
		}
		var buf bytes.Buffer
		if err := WriteStatic(&buf, s); err != nil {
			t.Fatal(err)
		}
		back, err := ParseStatic(&buf, "written")
		if err != nil {
			t.Fatalf("reparsing the written file: %v", err)
		}
		if !back.Equal(s) {
			t.Fatalf("set %v, after a round trip %v", s.Numbers(), back.Numbers())
		}
	})
}

// FuzzParseSyscallList checks that ParseSyscallList never panics, that its
// errors name the file and a line, and that every accepted entry is in
// range.
func FuzzParseSyscallList(f *testing.F) {
	f.Add("read\nwrite\n# c\n\n257\nsyscall_435\n")
	f.Add("futimensat\npipe2")
	f.Add("read write\n")
	f.Add("i386:getpid\n")
	f.Add("0x10\n")
	f.Fuzz(func(t *testing.T, input string) {
		set, unknown, err := ParseSyscallList(strings.NewReader(input), "X.syscalls")
		if err != nil {
			checkParseError(t, err, input)
			return
		}
		for _, nr := range set.Numbers() {
			if nr < 0 || nr > MaxNumber {
				t.Fatalf("accepted number %d out of range", nr)
			}
		}
		for _, u := range unknown {
			if !strings.HasPrefix(u, "X.syscalls:") {
				t.Fatalf("unknown entry %q does not name the file", u)
			}
		}
	})
}

func checkParseError(t *testing.T, err error, input string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	if lines := strings.Count(input, "\n") + 1; pe.Line < 1 || pe.Line > lines {
		t.Fatalf("error on line %d of a %d-line input: %v", pe.Line, lines, err)
	}
}
