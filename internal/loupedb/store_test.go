package loupedb_test

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
)

func sampleRun() *loupedb.NewRun {
	d := make(loupedb.Dynamic, 3)
	d[0] = loupedb.Result{Used: true}
	d[1] = loupedb.Result{Used: true, Both: true}
	d[2] = loupedb.Result{Used: true, Faked: true}
	return &loupedb.NewRun{
		Dynamic:           d,
		StaticBinary:      loupedb.NewSet(0, 1, 2, 3),
		Command:           []string{"/usr/sbin/nginx", "-g", "daemon off;"},
		Invocation:        []string{"loupe", "explore", "--db", "/tmp/db"},
		TestScript:        "/home/u/test.sh",
		TestScriptContent: []byte("#!/bin/sh\ngrep -q ok \"$1\"\n"),
		Mode:              "server",
		Timeout:           10 * time.Second,
		Replicas:          2,
		LoupeVersion:      "v0.1.0",
		Kernel:            "6.1.0-18-amd64",
		Libc:              "glibc 2.36",
		Arch:              "x86_64",
		BinarySHA256:      strings.Repeat("ab", 32),
		Start:             time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC),
	}
}

func TestStoreWritesReadableRun(t *testing.T) {
	db := t.TempDir()
	run := sampleRun()
	dir, replaced, err := loupedb.Store(db, "nginx", "benchmark-wrk", run)
	if err != nil {
		t.Fatal(err)
	}
	if replaced {
		t.Error("first Store reported a replaced run")
	}
	if filepath.Dir(dir) != filepath.Join(db, "nginx", "benchmark-wrk") || len(filepath.Base(dir)) != 32 {
		t.Errorf("run directory = %s, want nginx/benchmark-wrk/<32 hex digits>", dir)
	}

	got, err := loupedb.LoadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	for nr := range 400 {
		if got.Dynamic.At(nr) != run.Dynamic.At(nr) {
			t.Errorf("row %d = %+v, want %+v", nr, got.Dynamic.At(nr), run.Dynamic.At(nr))
		}
	}
	if !got.StaticBinary.Equal(run.StaticBinary) {
		t.Errorf("static binary = %v, want %v", got.StaticBinary.Numbers(), run.StaticBinary.Numbers())
	}
	d := got.Descriptor
	if d == nil {
		t.Fatal("no descriptor")
	}
	if d.App != "nginx" || d.Workload != "benchmark-wrk" || d.Mode != "server" || d.Timeout != "10s" || d.Replicas != 2 {
		t.Errorf("descriptor = %+v", d)
	}
	if !d.Date.Equal(run.Start) || d.Kernel != run.Kernel || d.Libc != run.Libc || d.BinarySHA256 != run.BinarySHA256 {
		t.Errorf("descriptor environment = %+v", d)
	}
	if want := (loupedb.Counts{Used: 3, Required: 1, FakeOnly: 1, Both: 1}); d.Counts != want {
		t.Errorf("counts = %+v, want %+v", d.Counts, want)
	}
	script, err := os.ReadFile(filepath.Join(dir, loupedb.TestScriptFile))
	if err != nil || string(script) != string(run.TestScriptContent) {
		t.Errorf("test script copy = %q, %v; want the script", script, err)
	}
}

func TestStoreDescriptorHasSortedKeys(t *testing.T) {
	dir, _, err := loupedb.Store(t.TempDir(), "nginx", "suite", sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, loupedb.DescriptorFile))
	if err != nil {
		t.Fatal(err)
	}
	// Top-level keys are the lines indented by two spaces.
	var keys []string
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "  \""); ok && !strings.HasPrefix(line, "   ") {
			keys = append(keys, rest[:strings.IndexByte(rest, '"')])
		}
	}
	if !slices.IsSorted(keys) || len(keys) < 10 {
		t.Errorf("top-level keys = %v, want sorted", keys)
	}
}

func TestStoreReplacesSameExperiment(t *testing.T) {
	db := t.TempDir()
	first := sampleRun()
	dir1, _, err := loupedb.Store(db, "nginx", "suite", first)
	if err != nil {
		t.Fatal(err)
	}

	// A later run on a patched kernel with a new loupe, other results and
	// no static analysis: the same experiment.
	second := sampleRun()
	second.Start = first.Start.Add(48 * time.Hour)
	second.Kernel = "6.1.0-21-amd64"
	second.LoupeVersion = "v0.2.0"
	second.Timeout = 20 * time.Second
	second.Dynamic[2] = loupedb.Result{Used: true}
	second.StaticBinary = nil
	dir2, replaced, err := loupedb.Store(db, "nginx", "suite", second)
	if err != nil {
		t.Fatal(err)
	}
	if dir2 != dir1 || !replaced {
		t.Errorf("second Store wrote %s (replaced %v), want %s replaced", dir2, replaced, dir1)
	}
	got, err := loupedb.LoadRun(dir2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Dynamic.At(2) != (loupedb.Result{Used: true}) || got.StaticBinary != nil {
		t.Errorf("replaced run still has old results: %+v, static %v", got.Dynamic.At(2), got.StaticBinary)
	}
	entries, err := os.ReadDir(filepath.Join(db, "nginx", "suite"))
	if err != nil || len(entries) != 1 {
		t.Errorf("workload directory holds %d entries (%v), want 1", len(entries), err)
	}
}

func TestRunIDDependsOnEnvironmentOnly(t *testing.T) {
	base := sampleRun()
	id := func(r *loupedb.NewRun) string {
		dir, _, err := loupedb.Store(t.TempDir(), "app", "suite", r)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Base(dir)
	}
	baseID := id(base)
	tests := []struct {
		name   string
		change func(r *loupedb.NewRun)
		same   bool
	}{
		{"date", func(r *loupedb.NewRun) { r.Start = r.Start.Add(time.Hour) }, true},
		{"loupe version", func(r *loupedb.NewRun) { r.LoupeVersion = "v9" }, true},
		{"timeout", func(r *loupedb.NewRun) { r.Timeout = time.Minute }, true},
		{"replicas", func(r *loupedb.NewRun) { r.Replicas = 5 }, true},
		{"script path", func(r *loupedb.NewRun) { r.TestScript = "/elsewhere/test.sh" }, true},
		{"kernel patch level", func(r *loupedb.NewRun) { r.Kernel = "6.1.0-99-amd64" }, true},
		{"results", func(r *loupedb.NewRun) { r.Dynamic[0] = loupedb.Result{} }, true},
		{"kernel series", func(r *loupedb.NewRun) { r.Kernel = "6.12.1" }, false},
		{"command", func(r *loupedb.NewRun) { r.Command = []string{"/usr/sbin/nginx"} }, false},
		{"argument split", func(r *loupedb.NewRun) { r.Command = []string{"/usr/sbin/nginx", "-g daemon", "off;"} }, false},
		{"script content", func(r *loupedb.NewRun) { r.TestScriptContent = []byte("#!/bin/sh\n") }, false},
		{"binary", func(r *loupedb.NewRun) { r.BinarySHA256 = strings.Repeat("cd", 32) }, false},
		{"libc", func(r *loupedb.NewRun) { r.Libc = "glibc 2.41" }, false},
		{"arch", func(r *loupedb.NewRun) { r.Arch = "aarch64" }, false},
		{"mode", func(r *loupedb.NewRun) { r.Mode = "sequential" }, false},
	}
	for _, tt := range tests {
		r := sampleRun()
		tt.change(r)
		if got := id(r) == baseID; got != tt.same {
			t.Errorf("changing the %s: same directory = %v, want %v", tt.name, got, tt.same)
		}
	}
}

func TestStoreRejectsInvalidInput(t *testing.T) {
	tests := []struct {
		name, app, workload string
		change              func(r *loupedb.NewRun)
		wantErr             string
	}{
		{"app with slash", "a/b", "suite", nil, "invalid application name"},
		{"dot app", ".git", "suite", nil, "invalid application name"},
		{"bad workload", "a", "bench", nil, "invalid workload name"},
		{"no command", "a", "suite", func(r *loupedb.NewRun) { r.Command = nil }, "no command"},
		{"bad mode", "a", "suite", func(r *loupedb.NewRun) { r.Mode = "x" }, `mode "x"`},
		{"no date", "a", "suite", func(r *loupedb.NewRun) { r.Start = time.Time{} }, "no start date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := t.TempDir()
			r := sampleRun()
			if tt.change != nil {
				tt.change(r)
			}
			_, _, err := loupedb.Store(db, tt.app, tt.workload, r)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want one containing %q", err, tt.wantErr)
			}
			entries, _ := os.ReadDir(db)
			if len(entries) != 0 {
				t.Errorf("rejected Store left %d entries in the database", len(entries))
			}
		})
	}
}

func TestStoredRunsSortNewestFirst(t *testing.T) {
	db := t.TempDir()
	old := sampleRun()
	newer := sampleRun()
	newer.Start = old.Start.Add(time.Hour)
	newer.Libc = "glibc 2.41"
	if _, _, err := loupedb.Store(db, "a", "suite", old); err != nil {
		t.Fatal(err)
	}
	want, _, err := loupedb.Store(db, "a", "suite", newer)
	if err != nil {
		t.Fatal(err)
	}
	loupedbtest.WriteRun(t, db, "a", "suite", "imported", nil)
	opened, err := loupedb.Open(db, loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := opened.App("a").Workload("suite")
	var names []string
	for _, r := range w.Runs {
		names = append(names, r.Name)
	}
	if w.Chosen().Dir != want || len(names) != 3 || names[2] != "imported" {
		t.Errorf("runs = %v, chosen %s; want the newest stored run first and imported last", names, w.Chosen().Dir)
	}
	if !reflect.DeepEqual(w.Chosen().Descriptor.Command, newer.Command) {
		t.Errorf("command = %v", w.Chosen().Descriptor.Command)
	}
}
