// Package explore finds which syscalls an application truly needs. A
// baseline run records every call of the whole process tree. Then, for each
// syscall seen, one run stubs it (the call fails with ENOSYS without
// running) and one fakes it (it returns 0 without running), and the user's
// test decides whether the application still works. A syscall for which
// neither run passes is required.
package explore

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/loupe-project/loupe/internal/sandbox"
	"github.com/loupe-project/loupe/internal/seccomp"
	"github.com/loupe-project/loupe/internal/syscalls"
	"github.com/loupe-project/loupe/internal/trace"
	"github.com/loupe-project/loupe/internal/workload"
)

// Config describes an analysis.
type Config struct {
	Path string   // the application's executable, absolute
	Args []string // its argv, from argv[0]
	Env  []string
	Dir  string

	Test     *workload.Script // nil: success is exit status 0 and the baseline's stdout
	Mode     workload.Mode
	Timeout  time.Duration // for one run
	Replicas int           // whole analyses to merge; 0 means 1

	// Progress, when set, is called after every run.
	Progress func(Progress)
}

// spec returns the sandbox spec of an unaltered run of the application.
func (c *Config) spec() *sandbox.Spec {
	return &sandbox.Spec{Path: c.Path, Args: c.Args, Env: c.Env, Dir: c.Dir}
}

// Progress is the state of an analysis under way.
type Progress struct {
	Phase   string // "baseline", "stub", "fake", "final check"
	Current string // the syscall under test, if any
	Done    int    // runs finished
	Total   int    // runs planned so far; grows with replicas and the final check
	Elapsed time.Duration
}

// ETA estimates the time left from the mean time of a run so far.
func (p Progress) ETA() time.Duration {
	if p.Done == 0 || p.Total <= p.Done {
		return 0
	}
	return p.Elapsed / time.Duration(p.Done) * time.Duration(p.Total-p.Done)
}

// BaselineError reports an unaltered run that did not pass: nothing can be
// learnt from the alterations then.
type BaselineError struct {
	Reason string
	Output []byte // the test script's output, or the application's stderr
}

func (e *BaselineError) Error() string {
	msg := "the unaltered baseline run failed: " + e.Reason
	if out := strings.TrimSpace(string(e.Output)); out != "" {
		msg += "\n--- output ---\n" + out
	}
	return msg
}

// analysis is the state of one Explore call.
type analysis struct {
	cfg    *Config
	runner *runner
	start  time.Time
	total  int
}

// Explore runs the analysis described by cfg.
func Explore(ctx context.Context, cfg *Config) (*Result, error) {
	if err := seccomp.Available(); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		return nil, fmt.Errorf("run timeout must be positive, got %v", cfg.Timeout)
	}
	replicaCount := max(cfg.Replicas, 1)
	dir, err := os.MkdirTemp("", "loupe-run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	a := &analysis{cfg: cfg, runner: &runner{cfg: cfg, dir: dir}, start: time.Now()}
	var replicas []*replica
	for i := range replicaCount {
		slog.Info("replica", "n", i+1, "of", replicaCount)
		r, err := a.replica(ctx)
		if err != nil {
			return nil, err
		}
		replicas = append(replicas, r)
	}

	res := merge(replicas)
	res.Command = cfg.Args
	res.Mode = cfg.Mode.String()
	if res.Final, err = a.finalCheck(ctx, res); err != nil {
		return nil, err
	}
	res.Stats = Stats{Runs: a.runner.runs, Retries: a.runner.retries, Replicas: replicaCount, Wall: time.Since(a.start)}
	return res, nil
}

// replica is one whole analysis: a baseline and the per-syscall runs.
type replica struct {
	counts    trace.Counts
	ownFilter bool
	stub      map[syscalls.Syscall]bool // the run with the syscall stubbed passed
	fake      map[syscalls.Syscall]bool
}

func (a *analysis) replica(ctx context.Context) (*replica, error) {
	a.total += 2
	base, err := a.baseline(ctx)
	if err != nil {
		return nil, err
	}

	used := base.trace.Counts.Sorted()
	a.total += 2 * len(used)
	slog.Info("baseline passed", "syscalls", len(used))

	r := &replica{
		counts:    base.trace.Counts,
		ownFilter: base.trace.OwnFilter,
		stub:      map[syscalls.Syscall]bool{},
		fake:      map[syscalls.Syscall]bool{},
	}
	for _, s := range used {
		if r.stub[s], err = a.passes(ctx, "stub", s, base, seccomp.Stub(s)); err != nil {
			return nil, err
		}
		if r.fake[s], err = a.passes(ctx, "fake", s, base, seccomp.Fake(s)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// baseline makes the discovery run and one plain unaltered run, and both
// must pass. Without a test script both must also print the same stdout,
// because otherwise comparing outputs would prove nothing.
func (a *analysis) baseline(ctx context.Context) (*outcome, error) {
	traced, err := a.runner.judge(ctx, nil, true)
	if err != nil {
		return nil, err
	}
	a.report("baseline", "")
	if traced.verdict != workload.Pass {
		return nil, a.baselineError(traced)
	}

	plain, err := a.runner.judge(ctx, nil, false)
	if err != nil {
		return nil, err
	}
	a.report("baseline", "")
	if plain.verdict != workload.Pass {
		return nil, a.baselineError(plain)
	}
	if a.cfg.Test == nil && !sameOutput(traced, plain) {
		return nil, &BaselineError{Reason: "two unaltered runs printed different output, so output cannot tell whether an altered run works; give a test script with --test"}
	}
	return traced, nil
}

func (a *analysis) baselineError(out *outcome) error {
	output := out.test
	if a.cfg.Test == nil || len(output) == 0 {
		output, _ = os.ReadFile(a.runner.dir + "/app.log")
	}
	return &BaselineError{Reason: out.reason, Output: output}
}

// passes runs the application with one alteration and reports whether it
// still works.
func (a *analysis) passes(ctx context.Context, phase string, s syscalls.Syscall, base *outcome, rules ...seccomp.Rule) (bool, error) {
	out, err := a.runner.judge(ctx, rules, false)
	if err != nil {
		return false, fmt.Errorf("%s %s: %w", phase, s.Name(), err)
	}
	ok := out.verdict == workload.Pass
	if ok && a.cfg.Test == nil {
		ok = sameOutput(base, out)
		if !ok {
			out.reason = "stdout differs from the baseline's"
		}
	}
	slog.Debug("run", "phase", phase, "syscall", s.Name(), "passed", ok, "reason", out.reason)
	a.report(phase, s.Name())
	return ok, nil
}

func (a *analysis) report(phase, current string) {
	if a.cfg.Progress == nil {
		return
	}
	a.cfg.Progress(Progress{
		Phase:   phase,
		Current: current,
		Done:    a.runner.runs,
		Total:   max(a.total, a.runner.runs),
		Elapsed: time.Since(a.start),
	})
}
