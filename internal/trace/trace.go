// Package trace discovers the syscalls a run makes: every call of every
// thread and process of the tree, counted per (entry, number).
package trace

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/loupe-project/loupe/internal/seccomp"
	"github.com/loupe-project/loupe/internal/syscalls"
)

// prctl option that installs a seccomp filter (linux/prctl.h).
const prSetSeccomp = 22

// Counts is how often each syscall was made.
type Counts map[syscalls.Syscall]uint64

// Sorted returns the syscalls of c in entry and number order.
func (c Counts) Sorted() []syscalls.Syscall {
	out := make([]syscalls.Syscall, 0, len(c))
	for s := range c {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return syscalls.Less(out[i], out[j]) })
	return out
}

// Recorder counts the calls that a seccomp listener delivers.
type Recorder struct {
	listener *seccomp.Listener
	marker   uint64

	mu        sync.Mutex
	counts    Counts
	ownFilter bool
	started   bool

	done chan struct{}
	err  error
}

var (
	execve, _      = syscalls.Number(syscalls.X86_64, "execve")
	seccompX86, _  = syscalls.Number(syscalls.X86_64, "seccomp")
	prctlX86, _    = syscalls.Number(syscalls.X86_64, "prctl")
	seccompI386, _ = syscalls.Number(syscalls.I386, "seccomp")
	prctlI386, _   = syscalls.Number(syscalls.I386, "prctl")
)

// Start takes over l and counts the calls it delivers, from the execve
// whose pathname pointer is marker (the sandbox helper's exec of the
// application, which is not counted) until Stop.
func Start(l *seccomp.Listener, marker uint64) *Recorder {
	r := &Recorder{listener: l, marker: marker, counts: Counts{}, done: make(chan struct{})}
	go r.loop()
	return r
}

func (r *Recorder) loop() {
	defer close(r.done)
	defer r.listener.Close()
	var n seccomp.Notification
	for {
		if err := r.listener.Receive(&n); err != nil {
			if !errors.Is(err, seccomp.ErrClosed) {
				r.err = err
			}
			return
		}
		r.record(&n)
		if err := r.listener.Continue(&n); err != nil {
			r.err = err
			return
		}
	}
}

func (r *Recorder) record(n *seccomp.Notification) {
	r.mu.Lock()
	defer r.mu.Unlock()

	arch, ok := syscalls.ArchFromAudit(n.Arch)
	if !ok {
		arch = syscalls.X86_64 // x86_64 kernels have no other entry
	}
	if !r.started {
		if arch == syscalls.X86_64 && int(n.Nr) == execve && n.Args[0] == r.marker {
			r.started = true
		}
		return
	}

	// NOTE: an x32 call is counted under its number with X32Bit set, and
	// the alteration filters let such numbers through, so its stub and
	// fake runs cannot fail. x32 binaries are rare and x32 is often
	// disabled in kernels.
	s := syscalls.Syscall{Arch: arch, Nr: int(n.Nr)}
	r.counts[s]++
	switch {
	case arch == syscalls.X86_64 && (int(n.Nr) == seccompX86 || int(n.Nr) == prctlX86 && n.Args[0] == prSetSeccomp),
		arch == syscalls.I386 && (int(n.Nr) == seccompI386 || int(n.Nr) == prctlI386 && n.Args[0] == prSetSeccomp):
		r.ownFilter = true
	}
}

// Result is the record of a finished recording.
type Result struct {
	Counts Counts
	// OwnFilter is set when the application installed a seccomp filter
	// of its own: that filter's actions win over loupe's for the calls it
	// filters, so their verdicts may be wrong.
	OwnFilter bool
}

// Stop ends recording once the run is over (the tree is gone or killed)
// and returns what it saw.
func (r *Recorder) Stop() (*Result, error) {
	r.listener.Interrupt()
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return nil, fmt.Errorf("discovery: %w", r.err)
	}
	if !r.started {
		return nil, fmt.Errorf("discovery: the application's exec was never seen")
	}
	return &Result{Counts: r.counts, OwnFilter: r.ownFilter}, nil
}
