package cli

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
)

// runCommand runs loupe with args and returns its exit status, stdout and
// stderr.
func runCommand(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, &Env{Stdout: &stdout, Stderr: &stderr, Version: "test"})
	return code, stdout.String(), stderr.String()
}

// smallDB writes a database with three applications:
//
//	web: benchmark (read required, write both, close stub-only) and suite
//	     (read required, write fake-only), plus an imported suite run
//	     where write is required
//	kv:  benchmark (read both, close fake-only, openat required)
//	doc: suite only (read required)
func smallDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	loupedbtest.WriteRun(t, dir, "web", "benchmark-wrk", "a1", map[int]string{0: "YNNN", 1: "YNNY", 3: "YNYN"})
	loupedbtest.WriteRun(t, dir, "web", "suite", "b2", map[int]string{0: "YNNN", 1: "YYNN"})
	loupedbtest.WriteRun(t, dir, "web", "suite", "imported", map[int]string{0: "YNNN", 1: "YNNN"})
	loupedbtest.WriteRun(t, dir, "kv", "benchmark-kv", "c3", map[int]string{0: "YNNY", 3: "YYNN", 257: "YNNN"})
	loupedbtest.WriteRun(t, dir, "doc", "suite", "d4", map[int]string{0: "YNNN"})
	loupedbtest.WriteFile(t, dir, "Tiny.syscalls", "read\n1\n")
	return dir
}

func TestUsageJSONMergesApplications(t *testing.T) {
	dir := smallDB(t)
	tests := []struct {
		name string
		args []string
		want usageJSON
	}{
		{
			name: "one app, benchmark",
			args: []string{"--apps", "web", "--workload", "bench"},
			want: usageJSON{Required: []string{"read"}, StubOnly: []string{"close"}, FakeOnly: []string{}, Both: []string{"write"}},
		},
		{
			name: "one app, both workloads",
			args: []string{"--apps", "web", "--workload", "all"},
			want: usageJSON{Required: []string{"read"}, StubOnly: []string{"close"}, FakeOnly: []string{"write"}, Both: []string{}},
		},
		{
			name: "two apps: stub-only and fake-only give required",
			args: []string{"--apps", "web,kv", "--workload", "bench"},
			want: usageJSON{Required: []string{"read", "close", "openat"}, StubOnly: []string{}, FakeOnly: []string{}, Both: []string{"write"}},
		},
		{
			name: "all apps with either workload",
			args: []string{"--workload", "all"},
			want: usageJSON{Required: []string{"read", "close", "openat"}, StubOnly: []string{}, FakeOnly: []string{"write"}, Both: []string{}},
		},
		{
			name: "another run picked",
			args: []string{"--apps", "web", "--workload", "suite", "--run", "web/suite/imported"},
			want: usageJSON{Required: []string{"read", "write"}, StubOnly: []string{}, FakeOnly: []string{}, Both: []string{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"usage", "--db", dir, "--format", "json"}, tt.args...)
			code, stdout, stderr := runCommand(t, args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr: %s", code, stderr)
			}
			var got usageJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("invalid JSON %q: %v", stdout, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestUsageJSONHasExactlyTheFourKeys(t *testing.T) {
	code, stdout, stderr := runCommand(t, "usage", "--db", smallDB(t), "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	if len(keys) != 4 || raw["required"] == nil || raw["stub_only"] == nil || raw["fake_only"] == nil || raw["both"] == nil {
		t.Errorf("keys = %v, want required, stub_only, fake_only, both", keys)
	}
}

func TestUsageTextAndCSV(t *testing.T) {
	dir := smallDB(t)
	code, stdout, _ := runCommand(t, "usage", "--db", dir, "--apps", "web", "--workload", "bench")
	if code != 0 || !strings.Contains(stdout, "Used: 3\nRequired: 1\nStub only: 1\nFake only: 0\nBoth: 1\n") {
		t.Errorf("text output (exit %d):\n%s", code, stdout)
	}
	code, stdout, _ = runCommand(t, "usage", "--db", dir, "--apps", "web", "--workload", "bench", "--names")
	if code != 0 || !strings.Contains(stdout, "Required (1): read\n") || !strings.Contains(stdout, "Both (1): write\n") {
		t.Errorf("text output with --names (exit %d):\n%s", code, stdout)
	}
	code, stdout, _ = runCommand(t, "usage", "--db", dir, "--apps", "web", "--workload", "bench", "--format", "csv")
	if want := "syscall,need\nread,required\nwrite,both\nclose,stub_only\n"; code != 0 || stdout != want {
		t.Errorf("CSV output (exit %d):\n%s\nwant:\n%s", code, stdout, want)
	}
}

func TestUsageVerboseNamesTheChosenRun(t *testing.T) {
	code, _, stderr := runCommand(t, "usage", "-v", "--db", smallDB(t), "--apps", "web", "--workload", "suite")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "workload=suite run=b2 other_runs=imported") {
		t.Errorf("stderr does not name the chosen run:\n%s", stderr)
	}
}

func TestUsageRejectsBadInput(t *testing.T) {
	dir := smallDB(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"missing db", []string{"usage"}, 2, "missing --db"},
		{"bad workload", []string{"usage", "--db", dir, "--workload", "tests"}, 2, `invalid workload selection "tests"`},
		{"bad format", []string{"usage", "--db", dir, "--format", "xml"}, 2, `invalid --format "xml"`},
		{"unknown app", []string{"usage", "--db", dir, "--apps", "nope"}, 1, `application "nope" not found`},
		{"app without the workload", []string{"usage", "--db", dir, "--apps", "doc", "--workload", "bench"}, 1, `"doc" has no bench workload (it has suite)`},
		{"bad run", []string{"usage", "--db", dir, "--run", "web/suite/zzz"}, 1, `workload web/suite has no run "zzz"`},
		{"malformed run flag", []string{"usage", "--db", dir, "--run", "web"}, 1, "want APP/WORKLOAD/RUN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCommand(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d", code, tt.wantCode)
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.wantErr)
			}
		})
	}
}

func TestUsageSkipsMalformedRunsOnRequest(t *testing.T) {
	dir := smallDB(t)
	loupedbtest.WriteFile(t, dir, "bad/suite/r/data/dyn.csv", "0,Y,N\n")
	code, _, stderr := runCommand(t, "usage", "--db", dir)
	if code != 1 || !strings.Contains(stderr, "dyn.csv:1: got 3 fields") {
		t.Errorf("exit %d, stderr %q; want 1 and the file and line", code, stderr)
	}
	code, _, stderr = runCommand(t, "usage", "--db", dir, "--skip-invalid")
	if code != 0 || !strings.Contains(stderr, "skipping malformed entry") {
		t.Errorf("exit %d, stderr %q; want 0 and a warning", code, stderr)
	}
}
