package plan

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb"
)

// app builds an AppUsage from syscall number to need.
func app(name string, needs map[int]Need) AppUsage {
	u := Usage{}
	for nr, n := range needs {
		for len(u.needs) <= nr {
			u.needs = append(u.needs, Unused)
		}
		u.needs[nr] = n
	}
	return AppUsage{App: name, Usage: u}
}

func TestComputeOrdersStepsGreedily(t *testing.T) {
	apps := []AppUsage{
		app("big", map[int]Need{0: Required, 1: Required, 2: Required, 3: Required}),
		app("small", map[int]Need{0: Required, 1: Required}),
		app("ready", map[int]Need{0: Required, 10: Both}),
		app("free-later", map[int]Need{1: Required}),
	}
	os := loupedb.NewSet(0, 10)

	got := Compute(apps, os)
	want := Plan{
		SupportedAtStart: []string{"ready"},
		Steps: []Step{
			{Work: Work{Implement: []int{1}, Stub: []int{}, Fake: []int{}}, Apps: []string{"free-later", "small"}},
			{Work: Work{Implement: []int{2, 3}, Stub: []int{}, Fake: []int{}}, Apps: []string{"big"}},
		},
		Missing: Work{Implement: []int{1, 2, 3}, Stub: []int{}, Fake: []int{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Compute =\n%+v\nwant\n%+v", got, want)
	}
}

func TestComputeBreaksTiesByStubsThenName(t *testing.T) {
	apps := []AppUsage{
		app("c", map[int]Need{1: Required, 5: StubOnly, 6: FakeOnly}),
		app("b", map[int]Need{2: Required}),
		app("a", map[int]Need{3: Required, 7: Both}),
	}
	got := Compute(apps, loupedb.NewSet())
	var order []string
	for _, s := range got.Steps {
		order = append(order, s.Apps...)
	}
	// All need one implementation; b needs no stub or fake, a needs one,
	// c two.
	if want := []string{"b", "a", "c"}; !reflect.DeepEqual(order, want) {
		t.Errorf("order = %v, want %v", order, want)
	}

	tied := []AppUsage{app("y", map[int]Need{1: Required}), app("x", map[int]Need{2: Required})}
	got = Compute(tied, loupedb.NewSet())
	if got.Steps[0].Apps[0] != "x" {
		t.Errorf("first step = %v, want x (name order breaks exact ties)", got.Steps[0].Apps)
	}
}

func TestComputeUpgradesTreatmentWhenNeedsCombine(t *testing.T) {
	apps := []AppUsage{
		app("a", map[int]Need{1: Both, 2: StubOnly}),
		app("b", map[int]Need{1: FakeOnly, 2: FakeOnly, 9: Required}),
	}
	got := Compute(apps, loupedb.NewSet())
	want := []Step{
		{Work: Work{Implement: []int{}, Stub: []int{1, 2}, Fake: []int{}}, Apps: []string{"a"}},
		// 1 can no longer be stubbed but can be faked; 2 cannot be either.
		{Work: Work{Implement: []int{2, 9}, Stub: []int{}, Fake: []int{1}}, Apps: []string{"b"}},
	}
	if !reflect.DeepEqual(got.Steps, want) {
		t.Errorf("steps =\n%+v\nwant\n%+v", got.Steps, want)
	}
	wantMissing := Work{Implement: []int{2, 9}, Stub: []int{}, Fake: []int{1}}
	if !reflect.DeepEqual(got.Missing, wantMissing) {
		t.Errorf("missing = %+v, want %+v", got.Missing, wantMissing)
	}
}

func TestComputeCountsStubsAndFakesAsWork(t *testing.T) {
	apps := []AppUsage{
		app("stub", map[int]Need{0: Required, 4: StubOnly}),
		app("fake", map[int]Need{0: Required, 5: FakeOnly}),
		app("listed", map[int]Need{0: Required, 4: Both, 5: Both}),
	}
	got := Compute(apps, loupedb.NewSet(0))
	if len(got.SupportedAtStart) != 0 {
		t.Errorf("supported at start = %v, want none", got.SupportedAtStart)
	}
	if len(got.Steps) != 2 {
		t.Fatalf("steps = %+v, want 2", got.Steps)
	}
	// "fake" and "stub" tie on one fake or stub each; after "fake" (name
	// order) fakes 5, "listed" needs only a stub of 4, like "stub".
	if want := []string{"fake"}; !reflect.DeepEqual(got.Steps[0].Apps, want) {
		t.Errorf("step 1 apps = %v, want %v", got.Steps[0].Apps, want)
	}
	if want := []string{"listed", "stub"}; !reflect.DeepEqual(got.Steps[1].Apps, want) {
		t.Errorf("step 2 apps = %v, want %v", got.Steps[1].Apps, want)
	}
}

func TestComputeIgnoresInputOrder(t *testing.T) {
	var apps []AppUsage
	for i := range 8 {
		needs := map[int]Need{}
		for nr := range i + 1 {
			needs[nr*3%11] = allNeeds[1+(nr+i)%4]
		}
		apps = append(apps, app(fmt.Sprintf("app%d", i), needs))
	}
	want := Compute(apps, loupedb.NewSet(0, 3))
	reversed := make([]AppUsage, len(apps))
	for i, a := range apps {
		reversed[len(apps)-1-i] = a
	}
	if got := Compute(reversed, loupedb.NewSet(0, 3)); !reflect.DeepEqual(got, want) {
		t.Errorf("plan depends on input order:\n%+v\n%+v", got, want)
	}
}
