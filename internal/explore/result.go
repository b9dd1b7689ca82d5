package explore

import (
	"sort"
	"time"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// Class is the verdict on one used syscall.
type Class int

const (
	Required Class = iota // neither stubbing nor faking it passes
	StubOnly              // stubbing passes, faking does not
	FakeOnly              // faking passes, stubbing does not
	Both                  // stubbing and faking both pass
)

var classNames = [...]string{Required: "required", StubOnly: "stub-only", FakeOnly: "fake-only", Both: "both"}

func (c Class) String() string { return classNames[c] }

// Classify returns the class of a syscall from whether its stubbed and
// faked runs passed.
func Classify(stubPasses, fakePasses bool) Class {
	switch {
	case stubPasses && fakePasses:
		return Both
	case stubPasses:
		return StubOnly
	case fakePasses:
		return FakeOnly
	}
	return Required
}

// Verdict is the result for one used syscall.
type Verdict struct {
	Syscall syscalls.Syscall
	Count   uint64 // calls seen in the baseline runs, summed over replicas
	Stub    bool   // the application works with it stubbed
	Fake    bool   // the application works with it faked
	// Unstable is set when replicas disagreed; Stub and Fake are then
	// true only where every replica that saw the syscall agreed.
	Unstable bool
	// Replicas is how many replicas saw the syscall.
	Replicas int
}

// Class returns the class of v.
func (v Verdict) Class() Class { return Classify(v.Stub, v.Fake) }

// Result is a finished analysis.
type Result struct {
	Command []string
	Mode    string
	// Syscalls holds every syscall the baseline runs made, in entry and
	// number order.
	Syscalls []Verdict
	// OwnFilter is set when the application installs a seccomp filter of
	// its own, which may override loupe's alterations.
	OwnFilter bool
	Final     *FinalCheck
	Stats     Stats
}

// Stats describes the work an analysis took.
type Stats struct {
	Runs     int // runs of the application, retries included
	Retries  int // runs repeated because the test asked for another try
	Replicas int
	Wall     time.Duration
}

// Select returns the syscalls of r whose verdict satisfies keep.
func (r *Result) Select(keep func(Verdict) bool) []syscalls.Syscall {
	var out []syscalls.Syscall
	for _, v := range r.Syscalls {
		if keep(v) {
			out = append(out, v.Syscall)
		}
	}
	return out
}

// merge combines replicas conservatively: a syscall is used if any replica
// saw it, and stub-able or fake-able only if every replica that saw it
// passed with it. A syscall on which the replicas that saw it disagree, or that
// only some replicas saw, is marked unstable.
func merge(replicas []*replica) *Result {
	type acc struct {
		v                    Verdict
		stubVotes, fakeVotes int
	}
	all := map[syscalls.Syscall]*acc{}
	res := &Result{}
	for _, r := range replicas {
		res.OwnFilter = res.OwnFilter || r.ownFilter
		for s, n := range r.counts {
			a := all[s]
			if a == nil {
				a = &acc{v: Verdict{Syscall: s}}
				all[s] = a
			}
			a.v.Count += n
			a.v.Replicas++
			if r.stub[s] {
				a.stubVotes++
			}
			if r.fake[s] {
				a.fakeVotes++
			}
		}
	}

	for _, a := range all {
		v := a.v
		v.Stub = a.stubVotes == v.Replicas
		v.Fake = a.fakeVotes == v.Replicas
		split := func(votes int) bool { return votes != 0 && votes != v.Replicas }
		v.Unstable = split(a.stubVotes) || split(a.fakeVotes) || v.Replicas != len(replicas)
		res.Syscalls = append(res.Syscalls, v)
	}
	sort.Slice(res.Syscalls, func(i, j int) bool { return syscalls.Less(res.Syscalls[i].Syscall, res.Syscalls[j].Syscall) })
	return res
}
