package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/spf13/pflag"

	"github.com/loupe-project/loupe/internal/loupedb"
)

func parseDBFlags(t *testing.T, args ...string) *dbFlags {
	t.Helper()
	fs := pflag.NewFlagSet("explore", pflag.ContinueOnError)
	f := addDBFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f
}

func newTestRepo(t *testing.T) string {
	t.Helper()
	t.Setenv("GIT_AUTHOR_NAME", "Test")
	t.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
	dir := filepath.Join(t.TempDir(), "db")
	if err := loupedb.Init(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func testNewRun() *loupedb.NewRun {
	d := make(loupedb.Dynamic, 4)
	d[0] = loupedb.Result{Used: true}
	d[1] = loupedb.Result{Used: true, Both: true}
	d[3] = loupedb.Result{Used: true, Stubbed: true}
	return &loupedb.NewRun{
		Dynamic:  d,
		Command:  []string{"/bin/app", "--serve"},
		Mode:     "sequential",
		Timeout:  10 * time.Second,
		Replicas: 1,
		Kernel:   "6.1.0",
		Libc:     "glibc 2.36",
		Arch:     "x86_64",
		Start:    time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func TestDBFlagsCheckRejectsBadFlags(t *testing.T) {
	db := newTestRepo(t)
	plain := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"app without db", []string{"--app", "x"}, "need --db DIR"},
		{"commit without db", []string{"--commit"}, "need --db DIR"},
		{"db without app", []string{"--db", db, "--workload", "suite"}, "--db needs --app NAME and --workload NAME"},
		{"bad app", []string{"--db", db, "--app", "a/b", "--workload", "suite"}, "invalid application name"},
		{"bad workload", []string{"--db", db, "--app", "a", "--workload", "bench"}, "invalid workload name"},
		{"not a repository", []string{"--db", plain, "--app", "a", "--workload", "suite"}, "loupe db init"},
		{"missing database", []string{"--db", filepath.Join(plain, "nope"), "--app", "a", "--workload", "suite"}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := parseDBFlags(t, tt.args...).check()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("check() = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
	if err := parseDBFlags(t).check(); err != nil {
		t.Errorf("check() without any flag = %v, want nil", err)
	}
}

func TestDBFlagsCheckRejectsDirtyDatabase(t *testing.T) {
	db := newTestRepo(t)
	if err := os.WriteFile(filepath.Join(db, "scratch"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := parseDBFlags(t, "--db", db, "--app", "a", "--workload", "suite").check()
	if err == nil || !strings.Contains(err.Error(), "uncommitted changes (scratch)") {
		t.Errorf("check() = %v, want an uncommitted-changes error", err)
	}
	if err := parseDBFlags(t, "--db", db, "--app", "a", "--workload", "suite", "--allow-dirty").check(); err != nil {
		t.Errorf("check() with --allow-dirty = %v", err)
	}
}

func TestDBFlagsStoreCommitsRun(t *testing.T) {
	db := newTestRepo(t)
	f := parseDBFlags(t, "--db", db, "--app", "app", "--workload", "benchmark-load", "--commit")
	if err := f.check(); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	env := &Env{Stdout: &bytes.Buffer{}, Stderr: &stderr, Version: "v1.2.3"}
	dir, err := f.store(env, testNewRun())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dir, filepath.Join(db, "app", "benchmark-load")+string(filepath.Separator)) {
		t.Errorf("run directory = %s", dir)
	}
	run, err := loupedb.LoadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if run.Descriptor.LoupeVersion != "v1.2.3" {
		t.Errorf("loupe version = %q, want the Env version", run.Descriptor.LoupeVersion)
	}

	r, err := git.PlainOpen(db)
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.CommitObject(head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	wantMsg := "Add app/benchmark-load run " + filepath.Base(dir)[:8] + "\n\n3 used, 1 required, 1 stub-only, 0 fake-only, 1 both.\n"
	if c.Message != wantMsg {
		t.Errorf("commit message = %q, want %q", c.Message, wantMsg)
	}
	if !strings.Contains(stderr.String(), "Stored the run in "+dir) {
		t.Errorf("stderr = %q", stderr.String())
	}

	// The same experiment again replaces the run, and the commit message
	// starts with "Update".
	again := testNewRun()
	again.Dynamic[0] = loupedb.Result{Used: true, Faked: true}
	if err := f.check(); err != nil {
		t.Fatalf("check() after a committed run: %v", err)
	}
	if _, err := f.store(env, again); err != nil {
		t.Fatal(err)
	}
	head, _ = r.Head()
	c, _ = r.CommitObject(head.Hash())
	if !strings.HasPrefix(c.Message, "Update app/benchmark-load run") || !strings.Contains(c.Message, "0 required, 1 stub-only, 1 fake-only") {
		t.Errorf("second commit message = %q", c.Message)
	}
}

func TestDBInitCreatesRepository(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	code, stdout, stderr := runCommand(t, "db", "init", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, dir) {
		t.Errorf("stdout = %q", stdout)
	}
	if _, err := git.PlainOpen(dir); err != nil {
		t.Errorf("no repository in %s: %v", dir, err)
	}
	if code, _, _ := runCommand(t, "db", "init", dir); code != 1 {
		t.Errorf("second init: exit %d, want 1", code)
	}
	if code, _, _ := runCommand(t, "db", "create", dir); code != 2 {
		t.Errorf("db create: exit %d, want 2", code)
	}
}
