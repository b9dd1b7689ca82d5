package loupedb

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseDynamicAcceptsIrregularFiles(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		wantLen int
		check   map[int]Result
	}{
		{
			name:    "header and rows",
			input:   "# syscall, used, works faked, works stubbed, works both\n0,Y,N,N,N\n1,Y,Y,N,N\n2,Y,N,Y,N\n3,Y,N,N,Y\n",
			wantLen: 4,
			check: map[int]Result{
				0: {Used: true},
				1: {Used: true, Faked: true},
				2: {Used: true, Stubbed: true},
				3: {Used: true, Both: true},
			},
		},
		{
			name:    "no final newline",
			input:   "# h\n0,N,N,N,N\n1,Y,N,N,N",
			wantLen: 2,
			check:   map[int]Result{1: {Used: true}},
		},
		{
			name:    "CRLF, spaces and blank lines",
			input:   "# h\r\n\r\n 0 , Y , N , N , Y \r\n\n",
			wantLen: 1,
			check:   map[int]Result{0: {Used: true, Both: true}},
		},
		{
			name:    "gaps and any order",
			input:   "5,Y,N,N,N\n2,Y,N,N,Y\n",
			wantLen: 6,
			check:   map[int]Result{0: {}, 2: {Used: true, Both: true}, 3: {}, 5: {Used: true}},
		},
		{
			name:    "comment lines anywhere",
			input:   "0,Y,N,N,N\n# more\n1,Y,N,N,N\n",
			wantLen: 2,
		},
		{
			name:    "empty file",
			input:   "",
			wantLen: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDynamic(strings.NewReader(tt.input), "dyn.csv")
			if err != nil {
				t.Fatalf("ParseDynamic: %v", err)
			}
			if len(d) != tt.wantLen {
				t.Errorf("len = %d, want %d", len(d), tt.wantLen)
			}
			for nr, want := range tt.check {
				if got := d.At(nr); got != want {
					t.Errorf("row %d = %+v, want %+v", nr, got, want)
				}
			}
		})
	}
}

func TestParseDynamicRejectsMalformedLines(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		wantLine int
		wantMsg  string
	}{
		{"too few fields", "# h\n0,Y,N,N\n", 2, "got 4 fields, want 5"},
		{"too many fields", "0,Y,N,N,N,N\n", 1, "got 6 fields"},
		{"lowercase flag", "0,y,N,N,N\n", 1, `invalid flag "y" in field 2`},
		{"empty flag", "0,Y,,N,N\n", 1, `invalid flag "" in field 3`},
		{"negative number", "-1,Y,N,N,N\n", 1, `invalid syscall number "-1"`},
		{"plus sign", "+1,Y,N,N,N\n", 1, `invalid syscall number "+1"`},
		{"name instead of number", "read,Y,N,N,N\n", 1, `invalid syscall number "read"`},
		{"number too high", "4096,Y,N,N,N\n", 1, "above the maximum 4095"},
		{"duplicate number", "0,Y,N,N,N\n1,N,N,N,N\n0,N,N,N,N\n", 3, "syscall 0 listed twice"},
		{"static row in dynamic file", "0,Y\n", 1, "got 2 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDynamic(strings.NewReader(tt.input), "x/dyn.csv")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if pe.File != "x/dyn.csv" || pe.Line != tt.wantLine {
				t.Errorf("error at %s:%d, want x/dyn.csv:%d", pe.File, pe.Line, tt.wantLine)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestParseStaticReadsUsedNumbers(t *testing.T) {
	s, err := ParseStatic(strings.NewReader("# syscall, used\n0,Y\n1,N\n2,Y"), "static_binary.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Numbers(); len(got) != 2 || got[0] != 0 || got[1] != 2 {
		t.Errorf("numbers = %v, want [0 2]", got)
	}
	if _, err := ParseStatic(strings.NewReader("0,Y,N\n"), "s.csv"); err == nil {
		t.Error("ParseStatic accepted a row with 3 fields")
	}
}

func TestWriteDynamicRoundTrips(t *testing.T) {
	d := make(Dynamic, 3)
	d[0] = Result{Used: true}
	d[2] = Result{Used: true, Stubbed: true}
	var buf bytes.Buffer
	if err := WriteDynamic(&buf, d); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), dynHeader+"\n0,Y,N,N,N\n1,N,N,N,N\n2,Y,N,Y,N\n") {
		t.Errorf("unexpected output start:\n%.120s", buf.String())
	}
	back, err := ParseDynamic(&buf, "dyn.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(back) < 335 {
		t.Errorf("wrote %d rows, want at least 335 (every x86_64 number)", len(back))
	}
	for nr := range back {
		if back.At(nr) != d.At(nr) {
			t.Errorf("row %d = %+v after the round trip, want %+v", nr, back.At(nr), d.At(nr))
		}
	}
}

func TestWriteStaticRoundTrips(t *testing.T) {
	s := NewSet(0, 59, 600)
	var buf bytes.Buffer
	if err := WriteStatic(&buf, s); err != nil {
		t.Fatal(err)
	}
	back, err := ParseStatic(&buf, "static_binary.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(s) {
		t.Errorf("round trip gave %v, want %v", back.Numbers(), s.Numbers())
	}
}

func TestCountResultsClassifies(t *testing.T) {
	d := Dynamic{
		{Used: true},
		{Used: true, Faked: true},
		{Used: true, Stubbed: true},
		{Used: true, Both: true},
		{Used: true, Faked: true, Stubbed: true},
		{Faked: true, Stubbed: true, Both: true},
	}
	want := Counts{Used: 5, Required: 1, FakeOnly: 1, StubOnly: 1, Both: 2}
	if got := CountResults(d); got != want {
		t.Errorf("CountResults = %+v, want %+v", got, want)
	}
}
