package loupedb

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSyscallListReadsNamesAndNumbers(t *testing.T) {
	input := "read\n# comment\n\n 1 \nsyscall_435\nopenat\nread\nfutimensat\npipe2"
	set, unknown, err := ParseSyscallList(strings.NewReader(input), "X.syscalls")
	if err != nil {
		t.Fatal(err)
	}
	want := NewSet(0, 1, 435, 257, 293)
	if !set.Equal(want) {
		t.Errorf("set = %v, want %v", set.Names(), want.Names())
	}
	if len(unknown) != 1 || unknown[0] != "X.syscalls:8: futimensat" {
		t.Errorf("unknown = %q, want [X.syscalls:8: futimensat]", unknown)
	}
}

func TestParseSyscallListRejectsMalformedLines(t *testing.T) {
	tests := []struct {
		name, input string
		wantLine    int
	}{
		{"two names on a line", "read\nread write\n", 2},
		{"comma list", "read,write\n", 1},
		{"number too high", "99999\n", 1},
		{"number with suffix", "12abc\n", 1},
		{"i386 name", "read\ni386:getpid\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseSyscallList(strings.NewReader(tt.input), "X.syscalls")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if pe.Line != tt.wantLine {
				t.Errorf("error on line %d, want %d: %v", pe.Line, tt.wantLine, err)
			}
		})
	}
}
