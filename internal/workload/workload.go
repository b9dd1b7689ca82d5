// Package workload runs the user's test script, the judge of whether an
// application still works, by the protocol of the public Loupe database.
// The script is called as "SCRIPT LOGFILE", where LOGFILE contains the
// application's stdout and stderr. Exit status 0 means the application
// works, 200 an infrastructure hiccup worth another try, and anything else
// (or running past the deadline) that it does not work.
package workload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Mode is the way the application and its test script run together.
type Mode int

const (
	// Server: the application keeps running while the script runs; if
	// every process of the application dies before the script ends, the
	// run failed.
	Server Mode = iota
	// Sequential: the application runs to completion and must exit 0;
	// then the script reads its output.
	Sequential
)

func (m Mode) String() string {
	if m == Sequential {
		return "sequential"
	}
	return "server"
}

// Verdict is a test script's judgement.
type Verdict int

const (
	Fail Verdict = iota
	Pass
	Retry // exit status 200
)

func (v Verdict) String() string {
	switch v {
	case Pass:
		return "pass"
	case Retry:
		return "retry"
	}
	return "fail"
}

// RetryStatus is the exit status by which a script requests another run.
const RetryStatus = 200

// maxOutput bounds the script output kept for error messages.
const maxOutput = 64 << 10

// Script is a test script.
type Script struct {
	Path string // absolute
}

// NewScript checks that path is an executable regular file.
func NewScript(path string) (*Script, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("test script: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("test script %s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return nil, fmt.Errorf("test script %s is not executable (chmod +x %s)", path, path)
	}
	return &Script{Path: abs}, nil
}

// Result is one execution of a script.
type Result struct {
	Verdict  Verdict
	Status   int  // exit status, -1 when killed
	TimedOut bool // ctx ended first
	Output   []byte
}

// Run runs the script on logfile until it exits or ctx ends; the script and
// every process in its process group are killed then.
func (s *Script) Run(ctx context.Context, logfile string, extraArgs ...string) (*Result, error) {
	cmd := exec.CommandContext(ctx, s.Path, append([]string{logfile}, extraArgs...)...)
	cmd.Dir = filepath.Dir(s.Path)
	var out limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// NOTE: if loupe itself is killed with SIGKILL, Pdeathsig ends the
	// script but not the children it started (curl, say): those finish
	// on their own.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	// Output pipes held open by a background child must not keep Run
	// waiting once the script itself is gone.
	cmd.WaitDelay = time.Second

	err := cmd.Run()
	// Children the script left in its process group go too.
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}

	res := &Result{Output: out.Bytes(), Status: -1}
	if ctx.Err() != nil {
		res.TimedOut = true
		return res, nil
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		res.Status = 0
	case errors.As(err, &exitErr):
		res.Status = exitErr.ExitCode()
	case errors.Is(err, exec.ErrWaitDelay):
		res.Status = cmd.ProcessState.ExitCode()
	default:
		return nil, fmt.Errorf("run test script %s: %w", s.Path, err)
	}

	switch res.Status {
	case 0:
		res.Verdict = Pass
	case RetryStatus:
		res.Verdict = Retry
	}
	return res, nil
}

// limitedBuffer keeps the first maxOutput bytes written to it.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxOutput - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}
