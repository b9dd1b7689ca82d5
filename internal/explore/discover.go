package explore

import (
	"context"
	"os"

	"github.com/loupe-project/loupe/internal/sandbox"
	"github.com/loupe-project/loupe/internal/trace"
)

// Discover runs the application once, unaltered, and records its syscalls
// until every process of the tree has exited or ctx ends; a server runs
// until then. The application's output goes to loupe's stdout and stderr.
func Discover(ctx context.Context, cfg *Config) (*trace.Result, error) {
	run, err := sandbox.Start(&sandbox.Spec{
		Path:    cfg.Path,
		Args:    cfg.Args,
		Env:     cfg.Env,
		Dir:     cfg.Dir,
		Stdout:  os.Stdout,
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
