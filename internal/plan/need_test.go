package plan

import (
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb"
)

var allNeeds = []Need{Unused, Required, StubOnly, FakeOnly, Both}

func TestMergeFollowsTheRules(t *testing.T) {
	tests := []struct {
		a, b, want Need
	}{
		{Unused, Unused, Unused},
		{Unused, StubOnly, StubOnly},
		{FakeOnly, Unused, FakeOnly},
		{Required, Both, Required},
		{Both, Both, Both},
		{Both, StubOnly, StubOnly},
		{FakeOnly, Both, FakeOnly},
		{StubOnly, StubOnly, StubOnly},
		// No alteration works for both members: the set requires it.
		{StubOnly, FakeOnly, Required},
	}
	for _, tt := range tests {
		if got := Merge(tt.a, tt.b); got != tt.want {
			t.Errorf("Merge(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestMergeIgnoresOrder(t *testing.T) {
	for _, a := range allNeeds {
		for _, b := range allNeeds {
			if Merge(a, b) != Merge(b, a) {
				t.Errorf("Merge(%v, %v) != Merge(%v, %v)", a, b, b, a)
			}
			for _, c := range allNeeds {
				if Merge(Merge(a, b), c) != Merge(a, Merge(b, c)) {
					t.Errorf("Merge is not associative on %v, %v, %v", a, b, c)
				}
			}
		}
	}
}

func TestNeedOfReadsColumnsAsTheHeaderSays(t *testing.T) {
	tests := []struct {
		row  loupedb.Result
		want Need
	}{
		{loupedb.Result{}, Unused},
		{loupedb.Result{Faked: true, Stubbed: true, Both: true}, Unused},
		{loupedb.Result{Used: true}, Required},
		{loupedb.Result{Used: true, Faked: true}, FakeOnly},
		{loupedb.Result{Used: true, Stubbed: true}, StubOnly},
		{loupedb.Result{Used: true, Both: true}, Both},
		{loupedb.Result{Used: true, Faked: true, Stubbed: true}, Both},
		{loupedb.Result{Used: true, Faked: true, Stubbed: true, Both: true}, Both},
	}
	for _, tt := range tests {
		if got := NeedOf(tt.row); got != tt.want {
			t.Errorf("NeedOf(%+v) = %v, want %v", tt.row, got, tt.want)
		}
	}
}
