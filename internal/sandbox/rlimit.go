package sandbox

import (
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// originalNoFile returns the soft RLIMIT_NOFILE that loupe was started
// with, or 0 when it cannot be found.
//
// The Go runtime raises its own soft limit to the hard limit at start and
// restores the original only in children that os/exec starts. The
// application is exec'ed directly by a Go helper, so it would inherit the
// raised limit and, for instance, size its tables differently. A child that
// is not a Go program gets the original, so one short-lived shell reports it.
var originalNoFile = sync.OnceValue(func() uint64 {
	out, err := exec.Command("/bin/sh", "-c", "ulimit -n").Output()
	if err != nil {
		return 0
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		return 0 // "unlimited"
	}
	return n
})
