package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// output is the destination of a command's data: stdout, or a file that
// takes its name only once completely written, so an error or Ctrl-C never
// leaves half a result behind.
type output struct {
	io.Writer
	tmp  *os.File // nil for stdout, and once committed or discarded
	path string
}

func openOutput(env *Env, path string) (*output, error) {
	if path == "" || path == "-" {
		return &output{Writer: env.Stdout}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("create output: %w", err)
	}
	return &output{Writer: f, tmp: f, path: path}, nil
}

// Commit gives the written file its name.
func (o *output) Commit() error {
	if o.tmp == nil {
		return nil
	}
	f := o.tmp
	o.tmp = nil
	// CreateTemp makes the file private (0600); a result is meant to be
	// shared like any file the user writes.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	if err := os.Rename(f.Name(), o.path); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	return nil
}

// Discard removes the file unless it was committed.
func (o *output) Discard() {
	if o.tmp != nil {
		o.tmp.Close()
		os.Remove(o.tmp.Name())
		o.tmp = nil
	}
}
