package sqlexport_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
	"github.com/loupe-project/loupe/internal/loupedb/sqlexport"
)

func export(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := loupedb.Open(dir, loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.sqlite")
	if err := sqlexport.Write(context.Background(), db, out); err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite", out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func queryInt(t *testing.T, conn *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestWriteExportsSmallDatabase(t *testing.T) {
	dir := t.TempDir()
	loupedbtest.WriteRun(t, dir, "web", "benchmark-wrk", "a1", map[int]string{0: "YNNN", 1: "YNNY", 3: "YNYN"})
	loupedbtest.WriteRun(t, dir, "web", "suite", "b2", map[int]string{0: "YNNN"})
	loupedbtest.WriteRun(t, dir, "web", "suite", "imported", map[int]string{0: "YNNN", 1: "YNNN"})
	loupedbtest.WriteFile(t, dir, "web/suite/b2/data/static_binary.csv", "# syscall, used\n0,Y\n1,Y\n2,N\n")
	loupedbtest.WriteFile(t, dir, "Tiny.syscalls", "read\nwrite\n")
	conn := export(t, dir)

	tests := []struct {
		name  string
		query string
		want  int
	}{
		{"applications", `SELECT count(*) FROM applications`, 1},
		{"workloads", `SELECT count(*) FROM workloads`, 2},
		{"benchmark workloads", `SELECT count(*) FROM workloads WHERE kind = 'benchmark'`, 1},
		{"runs", `SELECT count(*) FROM runs`, 3},
		{"chosen runs", `SELECT count(*) FROM runs WHERE chosen = 1`, 2},
		{"imported is not chosen", `SELECT chosen FROM runs WHERE name = 'imported'`, 0},
		{"rows per run", `SELECT count(*) FROM dynamic_results d JOIN runs r ON r.id = d.run_id WHERE r.name = 'a1'`, 335},
		{"required of a1", `SELECT count(*) FROM dynamic_results d JOIN runs r ON r.id = d.run_id WHERE r.name = 'a1' AND need = 'required'`, 1},
		{"stub-only of a1 is close", `SELECT d.nr FROM dynamic_results d JOIN runs r ON r.id = d.run_id WHERE r.name = 'a1' AND need = 'stub_only'`, 3},
		{"static binary", `SELECT count(*) FROM static_results WHERE source = 'binary'`, 2},
		{"OS syscalls", `SELECT count(*) FROM os_syscalls o JOIN os_lists l ON l.id = o.os_id WHERE l.name = 'Tiny'`, 2},
		{"syscall names", `SELECT nr FROM syscalls WHERE name = 'openat'`, 257},
		{"descriptor is NULL without run.json", `SELECT count(*) FROM runs WHERE descriptor IS NULL`, 3},
	}
	for _, tt := range tests {
		if got := queryInt(t, conn, tt.query); got != tt.want {
			t.Errorf("%s: %s = %d, want %d", tt.name, tt.query, got, tt.want)
		}
	}
}

func TestWriteKeepsOldFileOnError(t *testing.T) {
	dir := t.TempDir()
	loupedbtest.WriteRun(t, dir, "web", "suite", "b2", nil)
	db, err := loupedb.Open(dir, loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.sqlite")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sqlexport.Write(ctx, db, out); err == nil {
		t.Fatal("Write with a canceled context succeeded")
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != "old" {
		t.Errorf("output after a failed export = %q, %v; want the old file", data, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("failed export left %d files, want 1", len(entries))
	}
}

func TestWriteExportsPublicDataSet(t *testing.T) {
	conn := export(t, loupedbtest.PublicDir(t))
	if got := queryInt(t, conn, `SELECT count(*) FROM applications`); got != 116 {
		t.Errorf("applications = %d, want 116", got)
	}
	if got := queryInt(t, conn, `SELECT count(*) FROM runs`); got != 125 {
		t.Errorf("runs = %d, want 125", got)
	}
	if got := queryInt(t, conn, `SELECT count(*) FROM os_lists`); got != 11 {
		t.Errorf("OS lists = %d, want 11", got)
	}
	const nginx = `SELECT count(*) FROM dynamic_results d
		JOIN runs r ON r.id = d.run_id AND r.chosen = 1
		JOIN workloads w ON w.id = r.workload_id AND w.name = 'benchmark-wrk'
		JOIN applications a ON a.id = w.application_id AND a.name = 'nginx'
		WHERE d.need = ?`
	if got := queryInt(t, conn, nginx, "required"); got != 19 {
		t.Errorf("nginx benchmark required = %d, want 19", got)
	}
}
