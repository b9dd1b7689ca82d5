package plot

import (
	"math"
	"reflect"
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
	"github.com/loupe-project/loupe/internal/plan"
)

// testDB writes a database with three applications:
//
//	a: benchmark (read required, write both, close stub-only), static
//	   binary {0 1 2 3 4}
//	b: benchmark (read both, close fake-only, openat required), static
//	   binary {0 3 257}, static source {0 3}
//	c: suite only (read required), no static results
//
// and an OS list that provides read.
func testDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	loupedbtest.WriteRun(t, dir, "a", "benchmark-x", "r1", map[int]string{0: "YNNN", 1: "YNNY", 3: "YNYN"})
	loupedbtest.WriteFile(t, dir, "a/benchmark-x/r1/data/static_binary.csv", "# syscall, used\n0,Y\n1,Y\n2,Y\n3,Y\n4,Y\n5,N\n")
	loupedbtest.WriteRun(t, dir, "b", "benchmark-y", "r2", map[int]string{0: "YNNY", 3: "YYNN", 257: "YNNN"})
	loupedbtest.WriteFile(t, dir, "b/benchmark-y/r2/data/static_binary.csv", "# syscall, used\n0,Y\n3,Y\n257,Y\n")
	loupedbtest.WriteFile(t, dir, "b/benchmark-y/r2/data/static_sources.csv", "# syscall, used\n0,Y\n3,Y\n4,N\n")
	loupedbtest.WriteRun(t, dir, "c", "suite", "r3", map[int]string{0: "YNNN"})
	loupedbtest.WriteFile(t, dir, "Read.syscalls", "read\n")
	return dir
}

// selectApps opens dir and resolves the applications of every workload.
func selectApps(t *testing.T, dir string, sel plan.Selector) (*loupedb.DB, []plan.AppUsage, []App) {
	t.Helper()
	db, err := loupedb.Open(dir, loupedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	usages, err := plan.Select(db, nil, sel)
	if err != nil {
		t.Fatal(err)
	}
	apps, err := Apps(db, usages)
	if err != nil {
		t.Fatal(err)
	}
	return db, usages, apps
}

func sharesEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

func TestCumulativeRanksSyscallsByShare(t *testing.T) {
	_, _, apps := selectApps(t, testDB(t), plan.All)
	got := Cumulative(apps)
	want := []Series{
		{Analysis: DynamicUsed, Apps: 3, Syscalls: []int{0, 3, 1, 257}, Shares: []float64{1, 2.0 / 3, 1.0 / 3, 1.0 / 3}},
		{Analysis: DynamicRequired, Apps: 3, Syscalls: []int{0, 257}, Shares: []float64{2.0 / 3, 1.0 / 3}},
		{Analysis: StaticBinary, Apps: 2, Syscalls: []int{0, 3, 1, 2, 4, 257}, Shares: []float64{1, 1, 0.5, 0.5, 0.5, 0.5}},
		{Analysis: StaticSources, Apps: 1, Syscalls: []int{0, 3}, Shares: []float64{1, 1}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d series, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Analysis != w.Analysis || g.Apps != w.Apps {
			t.Errorf("series %d = %v over %d apps, want %v over %d", i, g.Analysis, g.Apps, w.Analysis, w.Apps)
		}
		if !reflect.DeepEqual(g.Syscalls, w.Syscalls) {
			t.Errorf("%v: syscalls = %v, want %v", w.Analysis, g.Syscalls, w.Syscalls)
		}
		if !sharesEqual(g.Shares, w.Shares) {
			t.Errorf("%v: shares = %v, want %v", w.Analysis, g.Shares, w.Shares)
		}
	}
}

func TestCumulativeOmitsMissingStaticAnalyses(t *testing.T) {
	_, _, apps := selectApps(t, testDB(t), plan.Suite)
	got := Cumulative(apps)
	var analyses []Analysis
	for _, s := range got {
		analyses = append(analyses, s.Analysis)
	}
	if want := []Analysis{DynamicUsed, DynamicRequired}; !reflect.DeepEqual(analyses, want) {
		t.Errorf("analyses = %v, want %v", analyses, want)
	}
}

func TestBreakdownCountsNeedsPerApp(t *testing.T) {
	_, _, apps := selectApps(t, testDB(t), plan.All)
	got := Breakdown(apps)
	want := []Bar{
		{App: "a", Required: 1, StubOnly: 1, FakeOnly: 0, Both: 1, StaticBinary: 5, StaticSources: -1},
		{App: "b", Required: 1, StubOnly: 0, FakeOnly: 1, Both: 1, StaticBinary: 3, StaticSources: 2},
		{App: "c", Required: 1, StaticBinary: -1, StaticSources: -1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Breakdown =\n%+v\nwant\n%+v", got, want)
	}
}

func TestBreakdownRanksByUsedThenName(t *testing.T) {
	apps := []App{
		{Name: "few", Usage: usageOf(t, map[int]string{0: "YNNN"})},
		{Name: "many-b", Usage: usageOf(t, map[int]string{0: "YNNN", 1: "YNNY"})},
		{Name: "many-a", Usage: usageOf(t, map[int]string{2: "YYNN", 3: "YNYN"})},
	}
	var order []string
	for _, b := range Breakdown(apps) {
		order = append(order, b.App)
	}
	if want := []string{"many-a", "many-b", "few"}; !reflect.DeepEqual(order, want) {
		t.Errorf("order = %v, want %v", order, want)
	}
}

// usageOf returns the usage that dyn.csv rows express.
func usageOf(t *testing.T, rows map[int]string) plan.Usage {
	t.Helper()
	d := make(loupedb.Dynamic, 10)
	for nr, r := range rows {
		d[nr] = loupedb.Result{Used: r[0] == 'Y', Faked: r[1] == 'Y', Stubbed: r[2] == 'Y', Both: r[3] == 'Y'}
	}
	return plan.UsageOf(d)
}

func TestPlanCurvesAccumulateSteps(t *testing.T) {
	db, usages, _ := selectApps(t, testDB(t), plan.All)
	curves := PlanCurves(usages, []*loupedb.OSList{db.OSList("Read"), {Name: "Empty", Syscalls: loupedb.NewSet()}})
	if len(curves) != 2 {
		t.Fatalf("got %d curves, want 2", len(curves))
	}
	tests := []struct {
		os   string
		want []Point
	}{
		// c needs only read. Stubbing write and close supports a; b then
		// needs close and openat implemented, because close is stub-only
		// for a and fake-only for b.
		{"Read", []Point{{Apps: 1}, {Stubbed: 2, Apps: 2}, {Implemented: 2, Stubbed: 2, Apps: 3}}},
		// Without read, every application needs it implemented first.
		{"Empty", []Point{{Apps: 0}, {Implemented: 1, Apps: 1}, {Implemented: 1, Stubbed: 2, Apps: 2}, {Implemented: 3, Stubbed: 2, Apps: 3}}},
	}
	for i, tt := range tests {
		c := curves[i]
		if c.OS != tt.os {
			t.Errorf("curve %d is for %s, want %s", i, c.OS, tt.os)
		}
		if !reflect.DeepEqual(c.Points, tt.want) {
			t.Errorf("%s: points = %+v, want %+v", tt.os, c.Points, tt.want)
		}
	}
}

func TestHeatmapSharesPerNumber(t *testing.T) {
	_, _, apps := selectApps(t, testDB(t), plan.All)
	h := HeatmapOf(apps)
	if h.Syscalls != 335 {
		t.Errorf("syscalls = %d, want 335 (the rows of dyn.csv)", h.Syscalls)
	}
	if len(h.Panels) != 4 {
		t.Fatalf("got %d panels, want 4", len(h.Panels))
	}
	tests := []struct {
		panel  int
		apps   int
		shares map[int]float64 // every other number has share 0
	}{
		{0, 3, map[int]float64{0: 1, 1: 1.0 / 3, 3: 2.0 / 3, 257: 1.0 / 3}},
		{1, 3, map[int]float64{0: 2.0 / 3, 257: 1.0 / 3}},
		{2, 2, map[int]float64{0: 1, 1: 0.5, 2: 0.5, 3: 1, 4: 0.5, 257: 0.5}},
		{3, 1, map[int]float64{0: 1, 3: 1}},
	}
	for _, tt := range tests {
		p := h.Panels[tt.panel]
		if p.Apps != tt.apps {
			t.Errorf("%v: apps = %d, want %d", p.Analysis, p.Apps, tt.apps)
		}
		want := make([]float64, h.Syscalls)
		for nr, s := range tt.shares {
			want[nr] = s
		}
		if !sharesEqual(p.Shares, want) {
			t.Errorf("%v: shares differ from %v", p.Analysis, tt.shares)
		}
	}
}
