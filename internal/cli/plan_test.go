package cli

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
)

func TestPlanJSON(t *testing.T) {
	dir := smallDB(t)
	code, stdout, stderr := runCommand(t, "plan", "--db", dir, "--os", filepath.Join(dir, "Tiny.syscalls"), "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got planJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("invalid JSON %q: %v", stdout, err)
	}
	// Tiny provides read and write, so doc, which needs only read, is
	// supported at start. web then needs a stub of close. kv turns close
	// into an implementation, because it can only fake it, and needs openat.
	want := planJSON{
		SupportedAtStart: []string{"doc"},
		Steps: []planStepJSON{
			{planWorkJSON: planWorkJSON{Implement: []string{}, Stub: []string{"close"}, Fake: []string{}}, Apps: []string{"web"}},
			{planWorkJSON: planWorkJSON{Implement: []string{"close", "openat"}, Stub: []string{}, Fake: []string{}}, Apps: []string{"kv"}},
		},
		Missing: planWorkJSON{Implement: []string{"close", "openat"}, Stub: []string{}, Fake: []string{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestPlanFindsListByName(t *testing.T) {
	dir := smallDB(t)
	code, stdout, stderr := runCommand(t, "plan", "--db", dir, "--os", "Tiny", "--workload", "suite")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"OS: Tiny (2 syscalls)", "Applications: 2 (workloads: suite)", "Supported at start (2): doc web"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestPlanCSV(t *testing.T) {
	dir := smallDB(t)
	code, stdout, stderr := runCommand(t, "plan", "--db", dir, "--os", "Tiny", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "step,kind,name\n0,app,doc\n1,app,web\n1,stub,close\n2,app,kv\n2,implement,close\n2,implement,openat\nmissing,implement,close\nmissing,implement,openat\n"
	if stdout != want {
		t.Errorf("got:\n%s\nwant:\n%s", stdout, want)
	}
}

func TestPlanRejectsBadOSList(t *testing.T) {
	dir := smallDB(t)
	tests := []struct {
		name, os, wantErr string
		wantCode          int
	}{
		{"missing file", filepath.Join(dir, "None.syscalls"), "no such file", 1},
		{"unknown name", "None", `OS list "None" not found: no such file, and the database has the OS lists Tiny`, 1},
		{"no --os", "", "missing --os", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCommand(t, "plan", "--db", dir, "--os", tt.os)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.wantCode, tt.wantErr)
			}
		})
	}
	loupedbtest.WriteFile(t, dir, "Bad.syscalls", "read\nread write\n")
	code, _, stderr := runCommand(t, "plan", "--db", dir, "--os", filepath.Join(dir, "Bad.syscalls"))
	if code != 1 || !strings.Contains(stderr, "Bad.syscalls:2:") {
		t.Errorf("exit %d, stderr %q; want 1 and the file and line", code, stderr)
	}
}
