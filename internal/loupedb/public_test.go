package loupedb_test

import (
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
)

func TestPublicDataSetLoads(t *testing.T) {
	db, err := loupedb.Open(loupedbtest.PublicDir(t), loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(db.Apps) != 116 {
		t.Errorf("loaded %d applications, want 116", len(db.Apps))
	}
	if len(db.OSLists) != 11 {
		t.Errorf("loaded %d OS lists, want 11", len(db.OSLists))
	}

	var bench, suite, runs, withSources int
	for _, app := range db.Apps {
		var hasBench, hasSuite bool
		for _, w := range app.Workloads {
			hasBench = hasBench || w.Kind == loupedb.Benchmark
			hasSuite = hasSuite || w.Kind == loupedb.Suite
			for _, r := range w.Runs {
				runs++
				if r.StaticSources != nil {
					withSources++
				}
				if n := len(r.Dynamic); n != 335 && n != 336 {
					t.Errorf("%s has %d rows, want 335 or 336", r.Dir, n)
				}
			}
		}
		if hasBench {
			bench++
		}
		if hasSuite {
			suite++
		}
	}
	if bench != 111 || suite != 11 {
		t.Errorf("%d applications with a benchmark and %d with a suite, want 111 and 11", bench, suite)
	}
	if runs != 125 {
		t.Errorf("loaded %d runs, want 125", runs)
	}
	if withSources != 9 {
		t.Errorf("%d runs have static_sources.csv, want 9", withSources)
	}
}

func TestPublicDataSetChoosesRunsByName(t *testing.T) {
	db, err := loupedb.Open(loupedbtest.PublicDir(t), loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ app, workload, want string }{
		// A hashed run comes before an imported one.
		{"nginx", "suite-nginx-tests", "c7d2ac9eca329a756e7690251213b81f"},
		// Two hashed runs: name order.
		{"lua", "benchmark-lua-test", "5b48cb66be56e21425e0d1b0328c9cfc"},
	}
	for _, tt := range tests {
		w := db.App(tt.app).Workload(tt.workload)
		if w == nil {
			t.Fatalf("%s/%s not found", tt.app, tt.workload)
		}
		if len(w.Runs) != 2 {
			t.Errorf("%s/%s has %d runs, want 2", tt.app, tt.workload, len(w.Runs))
		}
		if got := w.Chosen().Name; got != tt.want {
			t.Errorf("%s/%s: chose %s, want %s", tt.app, tt.workload, got, tt.want)
		}
	}
}

func TestPublicDataSetTruncatedFileReadsAsUnused(t *testing.T) {
	db, err := loupedb.Open(loupedbtest.PublicDir(t), loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Other imported runs go up to 335; envoy's file has no header line and
	// stops at 334.
	run := db.App("envoy").Workload("benchmark-envoy-test").Chosen()
	if len(run.Dynamic) != 335 {
		t.Fatalf("envoy has %d rows, want 335", len(run.Dynamic))
	}
	if run.Dynamic.At(335).Used {
		t.Error("row 335 of envoy, absent from the file, reads as used")
	}
}
