package explore

import (
	"context"
	"log/slog"

	"github.com/loupe-project/loupe/internal/seccomp"
	"github.com/loupe-project/loupe/internal/syscalls"
	"github.com/loupe-project/loupe/internal/workload"
)

// FinalCheck is the result of altering many syscalls at once: each one
// passing alone does not mean they pass together.
type FinalCheck struct {
	Stub SetCheck // every syscall that can be stubbed, stubbed together
	Fake SetCheck // every syscall that can be faked, faked together
}

// SetCheck is one alteration applied to a set of syscalls in one run.
type SetCheck struct {
	Tried []syscalls.Syscall
	// Passed is set when the whole set passed at once.
	Passed bool
	// Working is a subset that passes together: Tried when Passed, else
	// the result of the conflict search.
	Working []syscalls.Syscall
	// Conflicts are the syscalls left out of Working: each passes alone,
	// but not together with the rest.
	Conflicts []syscalls.Syscall
}

func (a *analysis) finalCheck(ctx context.Context, res *Result) (*FinalCheck, error) {
	var fc FinalCheck
	var err error
	stubbable := res.Select(func(v Verdict) bool { return v.Stub })
	if fc.Stub, err = a.checkSet(ctx, "stub", stubbable, seccomp.Stub); err != nil {
		return nil, err
	}
	fakeable := res.Select(func(v Verdict) bool { return v.Fake })
	if fc.Fake, err = a.checkSet(ctx, "fake", fakeable, seccomp.Fake); err != nil {
		return nil, err
	}
	return &fc, nil
}

// checkSet alters all of set at once. When that fails, it searches for a
// large subset that passes: it adds groups of syscalls to a passing set,
// halving a group that fails until the single syscalls that conflict with
// the others are found. With k conflicts among n syscalls this takes about
// k·log2(n) runs.
func (a *analysis) checkSet(ctx context.Context, phase string, set []syscalls.Syscall, alter func(syscalls.Syscall) seccomp.Rule) (SetCheck, error) {
	sc := SetCheck{Tried: set}
	if len(set) == 0 {
		sc.Passed = true
		return sc, nil
	}
	a.total++

	try := func(group []syscalls.Syscall) (bool, error) {
		rules := make([]seccomp.Rule, 0, len(sc.Working)+len(group))
		for _, s := range append(append([]syscalls.Syscall{}, sc.Working...), group...) {
			rules = append(rules, alter(s))
		}
		out, err := a.runner.judge(ctx, rules, false)
		if err != nil {
			return false, err
		}
		a.report("final check", phase)
		return out.verdict == workload.Pass, nil
	}

	var add func(group []syscalls.Syscall) error
	add = func(group []syscalls.Syscall) error {
		a.total++
		ok, err := try(group)
		if err != nil {
			return err
		}
		if ok {
			sc.Working = append(sc.Working, group...)
			return nil
		}
		if len(group) == 1 {
			sc.Conflicts = append(sc.Conflicts, group[0])
			return nil
		}
		half := len(group) / 2
		if err := add(group[:half]); err != nil {
			return err
		}
		return add(group[half:])
	}

	ok, err := try(set)
	if err != nil {
		return sc, err
	}
	if ok {
		sc.Passed = true
		sc.Working = set
		return sc, nil
	}
	slog.Info("final check failed, searching for conflicts", "alteration", phase, "syscalls", len(set))
	half := len(set) / 2
	if err := add(set[:half]); err != nil {
		return sc, err
	}
	if err := add(set[half:]); err != nil {
		return sc, err
	}
	return sc, nil
}
