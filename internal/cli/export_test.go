package cli

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportSQLiteWritesFile(t *testing.T) {
	dir := smallDB(t)
	out := filepath.Join(t.TempDir(), "db.sqlite")
	code, _, stderr := runCommand(t, "export", "sqlite", "--db", dir, "-o", out, "--run", "web/suite/imported")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "Exported 3 applications, 5 runs and 1 OS lists") {
		t.Errorf("stderr = %q", stderr)
	}
	conn, err := sql.Open("sqlite", out)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var chosen string
	if err := conn.QueryRow(`SELECT r.name FROM runs r JOIN workloads w ON w.id = r.workload_id
		JOIN applications a ON a.id = w.application_id WHERE a.name = 'web' AND w.name = 'suite' AND r.chosen = 1`).Scan(&chosen); err != nil {
		t.Fatal(err)
	}
	if chosen != "imported" {
		t.Errorf("chosen run = %s, want imported (picked with --run)", chosen)
	}
}

func TestExportRejectsBadCommandLine(t *testing.T) {
	dir := smallDB(t)
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no format", []string{"export", "--db", dir, "-o", "x"}, `want "export sqlite"`},
		{"other format", []string{"export", "csv", "--db", dir, "-o", "x"}, `want "export sqlite"`},
		{"no output", []string{"export", "sqlite", "--db", dir}, "missing -o FILE"},
		{"no db", []string{"export", "sqlite", "-o", "x"}, "missing --db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCommand(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.wantErr)
			}
		})
	}
}
