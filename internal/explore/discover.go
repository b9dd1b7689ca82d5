package explore

import (
	"context"
	"os"

	"github.com/loupe-project/loupe/internal/sandbox"
	"github.com/loupe-project/loupe/internal/trace"
)

// Discover runs the application once, unaltered, and records its syscalls
// until every process of the tree has exited or ctx ends, so a server runs
// until ctx ends. The application's stdout and stderr both go to loupe's
// stderr because loupe's stdout is for the result.
func Discover(ctx context.Context, cfg *Config) (*trace.Result, error) {
	spec := cfg.spec()
	spec.Stdout, spec.Stderr, spec.Observe = os.Stderr, os.Stderr, true
	run, err := sandbox.Start(spec)
	if err != nil {
		return nil, err
	}
	rec := trace.Start(run.Listener, run.ExecMarker)

	select {
	case <-run.Done():
	case <-ctx.Done():
	}
	run.Kill()
	return rec.Stop()
}
