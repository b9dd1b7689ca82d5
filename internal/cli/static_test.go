package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-project/loupe/internal/syscalls"
)

func runStaticCommand(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(args, &Env{Stdout: &out, Stderr: &errOut, Version: "test"})
	return code, out.String(), errOut.String()
}

func TestStaticCSVOfGoBinary(t *testing.T) {
	// The test binary is a Go binary that makes syscalls of its own.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runStaticCommand(t, "static", "--format", "csv", self)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if got, want := len(lines), syscalls.Max(syscalls.X86_64)+2; got != want {
		t.Errorf("%d lines, want a comment and %d rows", got, want-1)
	}
	if lines[1] != "0,Y" {
		t.Errorf("read (row 0) = %q, want 0,Y", lines[1])
	}
}

func TestStaticTextAndJSON(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runStaticCommand(t, "static", "--explain", self)
	if code != 0 || !strings.Contains(out, "\nwrite\n") || !strings.Contains(out, "path: ") {
		t.Errorf("text: exit %d, stdout %.300q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runStaticCommand(t, "static", "--format", "json", self)
	if code != 0 || !strings.Contains(out, `"name": "write"`) {
		t.Errorf("json: exit %d, stdout %.300q, stderr %q", code, out, errOut)
	}
}

func TestStaticRejectsBadInput(t *testing.T) {
	notELF := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notELF, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"no binary", []string{"static"}, 2, "expected one BINARY"},
		{"unknown format", []string{"static", "--format", "xml", notELF}, 2, "invalid --format"},
		{"not an ELF file", []string{"static", notELF}, 1, "not an ELF file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runStaticCommand(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if !strings.Contains(errOut, tt.message) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.message)
			}
		})
	}
}
