package plan_test

import (
	"reflect"
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
	"github.com/loupe-project/loupe/internal/plan"
)

func openPublic(tb testing.TB) *loupedb.DB {
	tb.Helper()
	db, err := loupedb.Open(loupedbtest.PublicDir(tb), loupedb.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

func TestPublicUsageCountsByHand(t *testing.T) {
	db := openPublic(t)
	// Counted with awk over the dyn.csv files: "used" is column 2, and the
	// classes come from columns 3 to 5 as the header names them. The
	// nginx+redis row merges per syscall by intersecting what works.
	tests := []struct {
		apps                                     []string
		sel                                      plan.Selector
		used, required, stubOnly, fakeOnly, both int
	}{
		{[]string{"nginx"}, plan.Bench, 50, 19, 1, 13, 17},
		{[]string{"nginx"}, plan.Suite, 65, 41, 23, 1, 0},
		{[]string{"redis"}, plan.Bench, 40, 20, 0, 3, 17},
		{[]string{"sqlite"}, plan.Suite, 50, 29, 1, 2, 18},
		{[]string{"nginx", "redis"}, plan.Bench, 59, 25, 1, 12, 21},
	}
	for _, tt := range tests {
		apps, err := plan.Select(db, tt.apps, tt.sel)
		if err != nil {
			t.Fatal(err)
		}
		u := plan.MergeAll(apps)
		s := u.Sets()
		got := []int{len(u.Used()), len(s.Required), len(s.StubOnly), len(s.FakeOnly), len(s.Both)}
		want := []int{tt.used, tt.required, tt.stubOnly, tt.fakeOnly, tt.both}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v %v: used, required, stub-only, fake-only, both = %v, want %v", tt.apps, tt.sel, got, want)
		}
	}
}

func TestPublicSelectCountsAppsWithEitherWorkload(t *testing.T) {
	db := openPublic(t)
	tests := []struct {
		sel  plan.Selector
		want int
	}{
		{plan.Bench, 111},
		{plan.Suite, 11},
		{plan.All, 116},
	}
	for _, tt := range tests {
		apps, err := plan.Select(db, nil, tt.sel)
		if err != nil {
			t.Fatal(err)
		}
		if len(apps) != tt.want {
			t.Errorf("Select(all, %v) gave %d applications, want %d", tt.sel, len(apps), tt.want)
		}
	}
	if _, err := plan.Select(db, []string{"flask"}, plan.Bench); err == nil {
		t.Error("Select(flask, bench) succeeded, but flask has only a test suite")
	}
}

func TestPublicPlansAreDeterministic(t *testing.T) {
	db := openPublic(t)
	for _, sel := range []plan.Selector{plan.Bench, plan.Suite, plan.All} {
		apps, err := plan.Select(db, nil, sel)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range db.OSLists {
			p := plan.Compute(apps, l.Syscalls)

			// Every application appears exactly once.
			seen := map[string]int{}
			for _, a := range p.SupportedAtStart {
				seen[a]++
			}
			for _, s := range p.Steps {
				for _, a := range s.Apps {
					seen[a]++
				}
			}
			if len(seen) != len(apps) {
				t.Errorf("%s, %v: plan covers %d applications, want %d", l.Name, sel, len(seen), len(apps))
			}
			for a, n := range seen {
				if n != 1 {
					t.Errorf("%s, %v: %s appears %d times", l.Name, sel, a, n)
				}
			}

			// The same input, reloaded and reversed, gives the same plan.
			again := openPublic(t)
			apps2, err := plan.Select(again, nil, sel)
			if err != nil {
				t.Fatal(err)
			}
			for i, j := 0, len(apps2)-1; i < j; i, j = i+1, j-1 {
				apps2[i], apps2[j] = apps2[j], apps2[i]
			}
			if p2 := plan.Compute(apps2, again.OSList(l.Name).Syscalls); !reflect.DeepEqual(p, p2) {
				t.Errorf("%s, %v: two computations of the plan differ", l.Name, sel)
			}
		}
	}
}

// BenchmarkPublicPlans loads the public data set and computes the plan of
// every OS list for every application with either workload.
func BenchmarkPublicPlans(b *testing.B) {
	dir := loupedbtest.PublicDir(b)
	for b.Loop() {
		db, err := loupedb.Open(dir, loupedb.Options{})
		if err != nil {
			b.Fatal(err)
		}
		apps, err := plan.Select(db, nil, plan.All)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range db.OSLists {
			plan.Compute(apps, l.Syscalls)
		}
	}
}

// BenchmarkPublicPlansOnly computes the plans of BenchmarkPublicPlans on a
// database loaded once.
func BenchmarkPublicPlansOnly(b *testing.B) {
	db := openPublic(b)
	apps, err := plan.Select(db, nil, plan.All)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, l := range db.OSLists {
			plan.Compute(apps, l.Syscalls)
		}
	}
}
