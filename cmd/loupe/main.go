// Command loupe measures which Linux system calls applications really need.
// See README.md for a walk-through.
package main

import (
	"os"
	"runtime/debug"

	"github.com/loupe-project/loupe/internal/cli"
	"github.com/loupe-project/loupe/internal/sandbox"
)

func main() {
	// The sandbox re-executes this binary to set up a run; such a process
	// never returns from MaybeRunHelper.
	sandbox.MaybeRunHelper()

	env := &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Version: version()}
	os.Exit(cli.Main(os.Args[1:], env))
}

// version returns the module version, or the VCS revision of a development
// build.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel-" + rev
}
