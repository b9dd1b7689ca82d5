package explore

import (
	"testing"

	"github.com/loupe-project/loupe/internal/syscalls"
	"github.com/loupe-project/loupe/internal/trace"
)

func TestClassifyCoversEveryOutcome(t *testing.T) {
	tests := []struct {
		stub, fake bool
		want       Class
	}{
		{false, false, Required},
		{true, false, StubOnly},
		{false, true, FakeOnly},
		{true, true, Both},
	}
	for _, tt := range tests {
		if got := Classify(tt.stub, tt.fake); got != tt.want {
			t.Errorf("Classify(stub %v, fake %v) = %v, want %v", tt.stub, tt.fake, got, tt.want)
		}
	}
}

func sc(nr int) syscalls.Syscall { return syscalls.Syscall{Arch: syscalls.X86_64, Nr: nr} }

func TestMergeIsConservative(t *testing.T) {
	a := &replica{
		counts: trace.Counts{sc(0): 3, sc(1): 1, sc(2): 1, sc(3): 2},
		stub:   map[syscalls.Syscall]bool{sc(0): true, sc(1): true, sc(2): false, sc(3): true},
		fake:   map[syscalls.Syscall]bool{sc(0): true, sc(1): false, sc(2): true, sc(3): true},
	}
	b := &replica{
		counts:    trace.Counts{sc(0): 2, sc(1): 1, sc(2): 4, sc(9): 1},
		ownFilter: true,
		stub:      map[syscalls.Syscall]bool{sc(0): true, sc(1): false, sc(2): false, sc(9): true},
		fake:      map[syscalls.Syscall]bool{sc(0): true, sc(1): false, sc(2): true, sc(9): false},
	}
	res := merge([]*replica{a, b})

	want := map[syscalls.Syscall]Verdict{
		sc(0): {Syscall: sc(0), Count: 5, Stub: true, Fake: true, Replicas: 2},
		sc(1): {Syscall: sc(1), Count: 2, Stub: false, Fake: false, Unstable: true, Replicas: 2},
		sc(2): {Syscall: sc(2), Count: 5, Stub: false, Fake: true, Replicas: 2},
		sc(3): {Syscall: sc(3), Count: 2, Stub: true, Fake: true, Unstable: true, Replicas: 1},
		sc(9): {Syscall: sc(9), Count: 1, Stub: true, Fake: false, Unstable: true, Replicas: 1},
	}
	if len(res.Syscalls) != len(want) {
		t.Fatalf("merged %d syscalls, want %d (used if any replica saw it): %+v", len(res.Syscalls), len(want), res.Syscalls)
	}
	for i, got := range res.Syscalls {
		if i > 0 && !syscalls.Less(res.Syscalls[i-1].Syscall, got.Syscall) {
			t.Errorf("syscalls out of order at %d: %v after %v", i, got.Syscall, res.Syscalls[i-1].Syscall)
		}
		if got != want[got.Syscall] {
			t.Errorf("%v: got %+v, want %+v", got.Syscall, got, want[got.Syscall])
		}
	}
	if !res.OwnFilter {
		t.Error("OwnFilter lost in the merge")
	}
}

func TestProgressETAFromMeanRunTime(t *testing.T) {
	p := Progress{Done: 10, Total: 30, Elapsed: 5e9}
	if got, want := p.ETA(), 10e9; float64(got) != want {
		t.Errorf("ETA = %v, want 10s", got)
	}
	if got := (Progress{Done: 0, Total: 30}).ETA(); got != 0 {
		t.Errorf("ETA before any run = %v, want 0", got)
	}
}
