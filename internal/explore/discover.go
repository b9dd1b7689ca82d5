package explore

import (
	"context"
	"os"

	"github.com/loupe-project/loupe/internal/sandbox"
	"github.com/loupe-project/loupe/internal/trace"
)

// Discover runs the application once, unaltered, and records its syscalls
// until every process of the tree has exited or ctx ends; a server runs
// until then. The application's stdout and stderr both go to loupe's
// stderr, which keeps loupe's stdout for the result.
func Discover(ctx context.Context, cfg *Config) (*trace.Result, error) {
	run, err := sandbox.Start(&sandbox.Spec{
		Path:    cfg.Path,
		Args:    cfg.Args,
		Env:     cfg.Env,
		Dir:     cfg.Dir,
		Stdout:  os.Stderr,
		Stderr:  os.Stderr,
		Observe: true,
	})
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
