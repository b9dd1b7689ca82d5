package explore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/loupe-project/loupe/internal/sandbox"
	"github.com/loupe-project/loupe/internal/seccomp"
	"github.com/loupe-project/loupe/internal/trace"
	"github.com/loupe-project/loupe/internal/workload"
)

// maxAttempts bounds the runs of one alteration while the test script
// keeps asking for another try (exit status 200).
const maxAttempts = 3

// outcome is the result of one run of the application.
type outcome struct {
	verdict workload.Verdict
	reason  string // the cause of a failed run, for logs and errors
	stdout  []byte // the application's stdout, without a test script
	test    []byte // the test script's output
	trace   *trace.Result
}

// runner runs the application once per call, under an alteration.
type runner struct {
	cfg *Config
	dir string // scratch directory for the application's output

	runs, retries int
}

// judge runs the application under rules and returns the test's verdict.
// It runs it again while the test requests another try.
func (x *runner) judge(ctx context.Context, rules []seccomp.Rule, observe bool) (*outcome, error) {
	for attempt := 1; ; attempt++ {
		out, err := x.once(ctx, rules, observe)
		if err != nil {
			return nil, err
		}
		if out.verdict != workload.Retry {
			return out, nil
		}
		if attempt == maxAttempts {
			out.verdict = workload.Fail
			out.reason = fmt.Sprintf("the test script asked for another try (status %d) %d times", workload.RetryStatus, maxAttempts)
			return out, nil
		}
		x.retries++
	}
}

// once makes one run.
func (x *runner) once(ctx context.Context, rules []seccomp.Rule, observe bool) (*outcome, error) {
	x.runs++
	logPath := filepath.Join(x.dir, "app.log")
	stdoutPath := filepath.Join(x.dir, "stdout")

	spec := x.cfg.spec()
	spec.Rules, spec.Observe = rules, observe
	// A test script expects the application's stdout and stderr in one
	// log. Without a script, stdout is kept apart so that it can be
	// compared with the baseline's.
	var err error
	if x.cfg.Test != nil {
		if spec.Stdout, err = os.Create(logPath); err != nil {
			return nil, err
		}
		spec.Stderr = spec.Stdout
	} else {
		if spec.Stdout, err = os.Create(stdoutPath); err != nil {
			return nil, err
		}
		if spec.Stderr, err = os.Create(logPath); err != nil {
			spec.Stdout.Close()
			return nil, err
		}
	}
	defer spec.Stdout.Close()
	defer spec.Stderr.Close()

	run, err := sandbox.Start(spec)
	if err != nil {
		return nil, err
	}
	var rec *trace.Recorder
	if observe {
		rec = trace.Start(run.Listener, run.ExecMarker)
	}

	runCtx, cancel := context.WithTimeout(ctx, x.cfg.Timeout)
	defer cancel()
	var out *outcome
	if x.cfg.Mode == workload.Sequential {
		out, err = x.sequential(runCtx, run, logPath)
	} else {
		out, err = x.server(runCtx, run, logPath)
	}
	run.Kill()

	if rec != nil {
		res, recErr := rec.Stop()
		if err == nil && recErr != nil {
			err = recErr
		}
		if out != nil {
			out.trace = res
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	if x.cfg.Test == nil && out.verdict == workload.Pass {
		if out.stdout, err = os.ReadFile(stdoutPath); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sequential waits for the application's first process to exit, ends what
// it left behind, and judges its exit status and output.
func (x *runner) sequential(ctx context.Context, run *sandbox.Run, logPath string) (*outcome, error) {
	select {
	case <-run.MainExited():
	case <-run.Done():
		// PID 1 reports the exit status just before it exits itself.
		select {
		case <-run.MainExited():
		case <-time.After(time.Second):
			return &outcome{verdict: workload.Fail, reason: "the application's exit status was lost"}, nil
		}
	case <-ctx.Done():
		return &outcome{verdict: workload.Fail, reason: fmt.Sprintf("timed out after %v", x.cfg.Timeout)}, nil
	}
	run.Kill()

	st := run.MainStatus()
	switch {
	case st.Signaled():
		return &outcome{verdict: workload.Fail, reason: fmt.Sprintf("killed by %v", st.Signal())}, nil
	case st.ExitStatus() != 0:
		return &outcome{verdict: workload.Fail, reason: fmt.Sprintf("exit status %d", st.ExitStatus())}, nil
	}
	if x.cfg.Test == nil {
		return &outcome{verdict: workload.Pass}, nil
	}
	return x.test(ctx, logPath)
}

// server waits until the application is ready, then runs the test script
// while the application keeps running.
func (x *runner) server(ctx context.Context, run *sandbox.Run, logPath string) (*outcome, error) {
	// A server that never looks ready still gets its test, after half the
	// time of the run.
	readyCtx, cancel := context.WithTimeout(ctx, x.cfg.Timeout/2)
	err := run.WaitReady(readyCtx)
	cancel()
	switch {
	case errors.Is(err, sandbox.ErrTreeDied):
		return &outcome{verdict: workload.Fail, reason: "the application exited before it was ready"}, nil
	case ctx.Err() != nil:
		return &outcome{verdict: workload.Fail, reason: fmt.Sprintf("timed out after %v", x.cfg.Timeout)}, nil
	case err != nil && !errors.Is(err, context.DeadlineExceeded):
		return nil, err
	}

	testCtx, stopTest := context.WithCancel(ctx)
	defer stopTest()
	type testResult struct {
		out *outcome
		err error
	}
	results := make(chan testResult, 1)
	go func() {
		out, err := x.test(testCtx, logPath)
		results <- testResult{out, err}
	}()

	select {
	case r := <-results:
		return r.out, r.err
	case <-run.Done():
		stopTest()
		<-results
		return &outcome{verdict: workload.Fail, reason: "the application exited during the test"}, nil
	}
}

func (x *runner) test(ctx context.Context, logPath string) (*outcome, error) {
	res, err := x.cfg.Test.Run(ctx, logPath)
	if err != nil {
		return nil, err
	}
	out := &outcome{verdict: res.Verdict, test: res.Output}
	switch {
	case res.TimedOut:
		out.verdict = workload.Fail
		out.reason = fmt.Sprintf("the test timed out after %v", x.cfg.Timeout)
	case res.Verdict == workload.Fail:
		out.reason = fmt.Sprintf("the test script exited with status %d", res.Status)
	}
	return out, nil
}

// sameOutput reports whether a run printed what the baseline printed.
func sameOutput(baseline, run *outcome) bool {
	return bytes.Equal(baseline.stdout, run.stdout)
}
