// Package sandbox starts one run of an application: a process tree in its
// own PID namespace, under a seccomp filter that the application cannot
// escape, and ends it with every process it left behind.
//
// Go cannot run code between fork and exec, so the loupe binary re-executes
// itself twice. The first helper is PID 1 of a new PID namespace. It reaps
// orphans, reports the application's exit status, and exits when the tree
// is empty. Killing it makes the kernel kill everything in the namespace,
// daemons that setsid() and double-fork included, so nothing is ever
// killed by name.
//
// The second helper installs the filter on its own thread and execs the
// application. Its few calls after the filter is in place (restoring the
// signal mask, passing the listener, the execve) carry pointers into a page
// mapped at a random address, which the filter exempts. So the
// application's first exec is never altered, even when execve itself is
// stubbed, while the application's own execs are.
package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/loupe-project/loupe/internal/seccomp"
)

// Spec describes a run.
type Spec struct {
	Path string   // the executable, an absolute path
	Args []string // argv, from argv[0]
	Env  []string
	Dir  string

	// Stdout and Stderr receive the application's output; they may be the
	// same file. Nil means /dev/null.
	Stdout, Stderr *os.File

	// Rules alter syscalls for the whole tree; the other calls run.
	Rules []seccomp.Rule
	// Observe makes every call wait for the supervisor, which reads them
	// from Run.Listener (discovery). Rules are ignored then.
	Observe bool
}

// Run is a started run.
type Run struct {
	// Listener delivers the tree's calls when Spec.Observe is set. Its
	// reader owns it and closes it, and uses ExecMarker to skip the calls
	// made before the application starts.
	Listener *seccomp.Listener
	// ExecMarker is the pathname pointer of the helper's execve of the
	// application: the notification that carries it starts the
	// application's own calls.
	ExecMarker uint64

	init    *exec.Cmd
	control *os.File
	nsInode uint64

	mainExited chan struct{} // closed when the application's first process exits
	mainStatus syscall.WaitStatus

	done    chan struct{} // closed when PID 1 is gone: the whole tree died or was killed
	waitErr error

	killOnce sync.Once
}

// Start starts the run described by spec. The caller must call Kill.
func Start(spec *Spec) (*Run, error) {
	// The helper reports the filter before its execve, so an executable
	// that cannot run would only show as exit status 127: check it here.
	if err := unix.Access(spec.Path, unix.X_OK); err != nil {
		return nil, fmt.Errorf("start %s: %w", spec.Path, err)
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the loupe binary to re-execute: %w", err)
	}

	cfg := helperConfig{
		Path:    spec.Path,
		Args:    spec.Args,
		Env:     spec.Env,
		Observe: spec.Observe,
		NoFile:  originalNoFile(),
	}
	for _, r := range spec.Rules {
		cfg.Rules = append(cfg.Rules, ruleConfig{Arch: r.Syscall.Arch, Nr: r.Syscall.Nr, Action: uint32(r.Action)})
	}
	raw, err := json.Marshal(&cfg)
	if err != nil {
		return nil, err
	}
	cfgFile, err := configPipe(raw)
	if err != nil {
		return nil, err
	}
	defer cfgFile.Close()

	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("create control socket: %w", err)
	}
	control := os.NewFile(uintptr(fds[0]), "sandbox control")
	helperEnd := os.NewFile(uintptr(fds[1]), "sandbox control (helper)")
	defer helperEnd.Close()

	cmd := exec.Command(self)
	cmd.Args = []string{"loupe-sandbox-init"}
	cmd.Env = []string{helperEnv + "=" + stageInit}
	cmd.Dir = spec.Dir
	cmd.Stdout, cmd.Stderr = spec.Stdout, spec.Stderr
	cmd.ExtraFiles = []*os.File{cfgFile, helperEnd}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWPID,
		// A new process group keeps the terminal's Ctrl-C away from the
		// tree: loupe ends it itself.
		Setpgid:   true,
		Pdeathsig: syscall.SIGKILL,
	}
	if err := cmd.Start(); err != nil {
		control.Close()
		return nil, fmt.Errorf("start sandbox helper: %w", err)
	}

	r := &Run{init: cmd, control: control, mainExited: make(chan struct{}), done: make(chan struct{})}
	r.nsInode, _ = pidNamespace(cmd.Process.Pid)
	go func() {
		r.waitErr = cmd.Wait()
		close(r.done)
	}()

	if err := r.handshake(spec.Observe); err != nil {
		r.Kill()
		if r.Listener != nil {
			r.Listener.Close()
		}
		return nil, err
	}
	go r.readStatus()
	return r, nil
}

// handshake waits for the helper to report that the filter is in place, and
// receives the listener in observe mode.
func (r *Run) handshake(observe bool) error {
	msg, fd, err := receive(r.control)
	if err != nil {
		select {
		case <-r.done:
			return fmt.Errorf("sandbox helper exited before starting the application: %v", r.waitErr)
		default:
		}
		return fmt.Errorf("sandbox helper: %w", err)
	}
	switch msg.Kind {
	case msgError:
		return errors.New(msg.Text)
	case msgListener:
		if !observe || fd < 0 {
			return fmt.Errorf("sandbox helper sent an unexpected listener")
		}
		l, err := seccomp.NewListener(fd)
		if err != nil {
			return err
		}
		r.Listener, r.ExecMarker = l, msg.Value
		return nil
	case msgInstalled:
		if observe {
			return fmt.Errorf("sandbox helper sent no listener")
		}
		return nil
	}
	return fmt.Errorf("sandbox helper sent unexpected message %q", msg.Kind)
}

func (r *Run) readStatus() {
	for {
		msg, _, err := receive(r.control)
		if err != nil {
			return
		}
		switch msg.Kind {
		case msgExit:
			r.mainStatus = syscall.WaitStatus(msg.Value)
			close(r.mainExited)
		case msgError:
			slog.Debug("sandbox helper", "error", msg.Text)
		}
	}
}

// Pid returns the PID, in loupe's namespace, of the run's PID 1 (the
// helper, not the application).
func (r *Run) Pid() int { return r.init.Process.Pid }

// MainExited is closed when the application's first process exits; a
// daemon's children may still run.
func (r *Run) MainExited() <-chan struct{} { return r.mainExited }

// MainStatus returns the wait status of the application's first process,
// valid once MainExited is closed.
func (r *Run) MainStatus() syscall.WaitStatus { return r.mainStatus }

// Done is closed when no process of the run is left.
func (r *Run) Done() <-chan struct{} { return r.done }

// Kill ends every process of the run and waits for them. It is safe to call
// more than once and after the tree died by itself.
func (r *Run) Kill() {
	r.killOnce.Do(func() {
		// SIGKILL to PID 1 of a namespace makes the kernel kill every
		// other process in it.
		r.init.Process.Signal(syscall.SIGKILL)
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			slog.Warn("sandbox: PID 1 did not exit 10s after SIGKILL", "pid", r.init.Process.Pid)
		}
		r.control.Close()
	})
}
