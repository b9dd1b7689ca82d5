package loupedb_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
)

func writeDescriptor(t *testing.T, dir, rel string, date time.Time) {
	t.Helper()
	loupedbtest.WriteFile(t, dir, rel, `{"app": "x", "date": "`+date.Format(time.RFC3339)+`", "format_version": 1}`)
}

func TestOpenChoosesRunsByTheRule(t *testing.T) {
	dir := t.TempDir()
	day := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, run := range []string{"imported", "ffff", "0000", "dated-old", "dated-new", "dated-new-b"} {
		loupedbtest.WriteRun(t, dir, "app", "suite", run, nil)
	}
	writeDescriptor(t, dir, "app/suite/dated-old/run.json", day)
	writeDescriptor(t, dir, "app/suite/dated-new/run.json", day.Add(time.Hour))
	writeDescriptor(t, dir, "app/suite/dated-new-b/run.json", day.Add(time.Hour))

	db, err := loupedb.Open(dir, loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := db.App("app").Workload("suite")
	var got []string
	for _, r := range w.Runs {
		got = append(got, r.Name)
	}
	want := "dated-new dated-new-b dated-old 0000 ffff imported"
	if strings.Join(got, " ") != want {
		t.Errorf("run order = %v, want %s", got, want)
	}
	if w.Chosen().Name != "dated-new" {
		t.Errorf("chosen = %s, want dated-new", w.Chosen().Name)
	}
	if err := w.Choose("imported"); err != nil {
		t.Fatal(err)
	}
	if w.Chosen().Name != "imported" {
		t.Errorf("chosen after Choose = %s, want imported", w.Chosen().Name)
	}
	if err := w.Choose("nope"); err == nil || !strings.Contains(err.Error(), "runs: dated-new,") {
		t.Errorf("Choose(nope) error = %v, want one listing the runs", err)
	}
}

func TestOpenReadsLayout(t *testing.T) {
	dir := t.TempDir()
	loupedbtest.WriteRun(t, dir, "nginx", "benchmark-wrk", "abc", map[int]string{0: "YNNN", 1: "YNNY"})
	loupedbtest.WriteRun(t, dir, "nginx", "suite-nginx-tests", "imported", map[int]string{0: "YNNN"})
	loupedbtest.WriteFile(t, dir, "nginx/benchmark-wrk/abc/data/static_binary.csv", "# syscall, used\n0,Y\n1,N\n")
	loupedbtest.WriteFile(t, dir, "README.md", "not an application")
	loupedbtest.WriteFile(t, dir, "Tiny.syscalls", "read\nwrite\n")
	loupedbtest.WriteFile(t, dir, "nginx/notes.txt", "a file in an application directory")
	if err := os.MkdirAll(filepath.Join(dir, ".git", "objects"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "empty", "suite"), 0o755); err != nil {
		t.Fatal(err)
	}

	db, err := loupedb.Open(dir, loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(db.Apps) != 1 || db.Apps[0].Name != "nginx" {
		t.Fatalf("apps = %v, want only nginx", db.Apps)
	}
	nginx := db.Apps[0]
	if len(nginx.Workloads) != 2 {
		t.Fatalf("nginx has %d workloads, want 2", len(nginx.Workloads))
	}
	bench := nginx.Workload("benchmark-wrk")
	if bench.Kind != loupedb.Benchmark || nginx.Workload("suite-nginx-tests").Kind != loupedb.Suite {
		t.Errorf("kinds = %v, %v", bench.Kind, nginx.Workload("suite-nginx-tests").Kind)
	}
	run := bench.Chosen()
	if run.Dynamic.Used().Len() != 2 {
		t.Errorf("used = %v, want 2 syscalls", run.Dynamic.Used().Names())
	}
	if run.StaticBinary == nil || run.StaticBinary.Len() != 1 {
		t.Errorf("static binary = %v, want [read]", run.StaticBinary.Names())
	}
	if run.StaticSources != nil {
		t.Errorf("static sources = %v, want nil (no file)", run.StaticSources.Names())
	}
	if len(db.OSLists) != 1 || db.OSLists[0].Name != "Tiny" || db.OSLists[0].Syscalls.Len() != 2 {
		t.Errorf("OS lists = %+v, want Tiny with 2 syscalls", db.OSLists)
	}
}

func TestOpenReportsMalformedFiles(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		wantMsg string
	}{
		{
			name: "bad row",
			setup: func(t *testing.T, dir string) {
				loupedbtest.WriteFile(t, dir, "a/suite/r/data/dyn.csv", "# h\n0,Y,N,N,N\n1,Y,N,X,N\n")
			},
			wantMsg: filepath.Join("a", "suite", "r", "data", "dyn.csv") + ":3: invalid flag \"X\"",
		},
		{
			name: "missing dyn.csv",
			setup: func(t *testing.T, dir string) {
				loupedbtest.WriteFile(t, dir, "a/suite/r/data/static_binary.csv", "0,Y\n")
			},
			wantMsg: "dyn.csv: no such file",
		},
		{
			name: "bad static file",
			setup: func(t *testing.T, dir string) {
				loupedbtest.WriteRun(t, dir, "a", "suite", "r", nil)
				loupedbtest.WriteFile(t, dir, "a/suite/r/data/static_sources.csv", "0,Y\n0,N\n")
			},
			wantMsg: "static_sources.csv:2: syscall 0 listed twice",
		},
		{
			name: "bad descriptor",
			setup: func(t *testing.T, dir string) {
				loupedbtest.WriteRun(t, dir, "a", "suite", "r", nil)
				loupedbtest.WriteFile(t, dir, "a/suite/r/run.json", "{")
			},
			wantMsg: "run.json: invalid run descriptor",
		},
		{
			name: "bad workload name",
			setup: func(t *testing.T, dir string) {
				loupedbtest.WriteRun(t, dir, "a", "tests", "r", nil)
			},
			wantMsg: `invalid workload name "tests"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			loupedbtest.WriteRun(t, dir, "good", "suite", "r", nil)
			tt.setup(t, dir)

			_, err := loupedb.Open(dir, loupedb.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("Open error = %v, want one containing %q", err, tt.wantMsg)
			}

			db, err := loupedb.Open(dir, loupedb.Options{SkipInvalid: true})
			if err != nil {
				t.Fatalf("Open with SkipInvalid: %v", err)
			}
			if len(db.Skipped) != 1 || !strings.Contains(db.Skipped[0].Error(), tt.wantMsg) {
				t.Errorf("skipped = %v, want one error containing %q", db.Skipped, tt.wantMsg)
			}
			if db.App("good") == nil {
				t.Error("the valid application was not loaded")
			}
		})
	}
}

func TestOpenRejectsMissingDirectory(t *testing.T) {
	_, err := loupedb.Open(filepath.Join(t.TempDir(), "nope"), loupedb.Options{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error = %v, want one wrapping ErrNotExist", err)
	}
}
