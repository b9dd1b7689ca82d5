package plot

import (
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
	"github.com/loupe-project/loupe/internal/plan"
)

// publicApps returns the benchmark applications of the public data set.
func publicApps(t *testing.T) ([]plan.AppUsage, []App, *loupedb.DB) {
	t.Helper()
	db, err := loupedb.Open(loupedbtest.PublicDir(t), loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	usages, err := plan.Select(db, nil, plan.Bench)
	if err != nil {
		t.Fatal(err)
	}
	apps, err := Apps(db, usages)
	if err != nil {
		t.Fatal(err)
	}
	return usages, apps, db
}

func TestPublicCumulativeMatchesUsage(t *testing.T) {
	usages, apps, _ := publicApps(t)
	if len(apps) != 111 {
		t.Fatalf("got %d benchmark applications, want 111", len(apps))
	}
	merged := plan.MergeAll(usages)
	for _, s := range Cumulative(apps) {
		for i := 1; i < len(s.Shares); i++ {
			if s.Shares[i] > s.Shares[i-1] {
				t.Errorf("%v: share %d (%g) above share %d (%g)", s.Analysis, i, s.Shares[i], i-1, s.Shares[i-1])
				break
			}
		}
		switch s.Analysis {
		case DynamicUsed:
			// The line covers exactly the syscalls the merged set uses.
			if got, want := len(s.Syscalls), len(merged.Used()); got != want {
				t.Errorf("dynamic used: %d syscalls, want %d as in the merged usage", got, want)
			}
			if s.Apps != 111 {
				t.Errorf("dynamic used: over %d apps, want 111", s.Apps)
			}
		case DynamicRequired:
			// A syscall required by one application is required by the set.
			if got, want := len(s.Syscalls), len(merged.With(plan.Required)); got > want {
				t.Errorf("dynamic required: %d syscalls, more than the %d the merged set requires", got, want)
			}
		}
	}
}

func TestPublicBreakdownSumsToUsed(t *testing.T) {
	usages, apps, _ := publicApps(t)
	used := map[string]int{}
	for _, u := range usages {
		used[u.App] = len(u.Usage.Used())
	}
	bars := Breakdown(apps)
	if len(bars) != len(usages) {
		t.Fatalf("got %d bars, want %d", len(bars), len(usages))
	}
	for _, b := range bars {
		if b.Used() != used[b.App] {
			t.Errorf("%s: bar sums to %d, want %d used syscalls", b.App, b.Used(), used[b.App])
		}
	}
}

func TestPublicPlanCurvesEndWithEveryApp(t *testing.T) {
	usages, _, db := publicApps(t)
	curves := PlanCurves(usages, db.OSLists)
	if len(curves) != len(db.OSLists) || len(curves) == 0 {
		t.Fatalf("got %d curves for %d OS lists", len(curves), len(db.OSLists))
	}
	for _, c := range curves {
		last := c.Points[len(c.Points)-1]
		if last.Apps != len(usages) {
			t.Errorf("%s: plan ends with %d applications, want %d", c.OS, last.Apps, len(usages))
		}
		if want := len(c.Plan.Missing.Implement); last.Implemented < want {
			t.Errorf("%s: %d implemented, fewer than the %d missing", c.OS, last.Implemented, want)
		}
	}
}

func TestPublicHeatmapCoversEveryRow(t *testing.T) {
	_, apps, _ := publicApps(t)
	h := HeatmapOf(apps)
	// Some imported runs have a row for 335.
	if h.Syscalls != 336 {
		t.Errorf("syscalls = %d, want 336", h.Syscalls)
	}
	used := h.Panels[0]
	if used.Analysis != DynamicUsed || used.Shares[0] != 1 {
		t.Errorf("panel 0 = %v with read at %g, want dynamic used with every application using read", used.Analysis, used.Shares[0])
	}
}
