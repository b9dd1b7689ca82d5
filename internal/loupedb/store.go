package loupedb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// NewRun is the result of an analysis, to be stored as a run directory.
type NewRun struct {
	// Dynamic holds the flags per x86_64 syscall number.
	Dynamic Dynamic
	// StaticBinary is the set found by static analysis of the binary, nil
	// when there was none.
	StaticBinary *Set

	Command           []string // the application and its arguments
	Invocation        []string // the loupe command line, for the record
	TestScript        string   // path of the test script, empty without one
	TestScriptContent []byte
	Mode              string // "server" or "sequential"
	Timeout           time.Duration
	Replicas          int
	LoupeVersion      string
	Kernel            string // uname release
	Libc              string // see Libc
	Arch              string // uname machine
	BinarySHA256      string
	Start             time.Time
}

// descriptor returns the run descriptor of r.
func (r *NewRun) descriptor(app, workload string) *Descriptor {
	d := &Descriptor{
		App:           app,
		Arch:          r.Arch,
		BinarySHA256:  r.BinarySHA256,
		Command:       r.Command,
		Counts:        CountResults(r.Dynamic),
		Date:          r.Start.UTC().Truncate(time.Second),
		FormatVersion: descriptorFormat,
		Invocation:    r.Invocation,
		Kernel:        r.Kernel,
		Libc:          r.Libc,
		LoupeVersion:  r.LoupeVersion,
		Mode:          r.Mode,
		Replicas:      r.Replicas,
		TestScript:    r.TestScript,
		Timeout:       r.Timeout.String(),
		Workload:      workload,
	}
	if r.TestScript != "" || len(r.TestScriptContent) > 0 {
		d.TestScriptSHA256 = sha256Hex(r.TestScriptContent)
	}
	return d
}

// check returns an error when r cannot be stored.
func (r *NewRun) check() error {
	switch {
	case len(r.Command) == 0:
		return errors.New("invalid run: no command")
	case r.Mode != "server" && r.Mode != "sequential":
		return fmt.Errorf("invalid run: mode %q, want server or sequential", r.Mode)
	case len(r.Dynamic) > MaxNumber+1:
		return fmt.Errorf("invalid run: %d dynamic results, above the maximum syscall number %d", len(r.Dynamic), MaxNumber)
	case r.Start.IsZero():
		return errors.New("invalid run: no start date")
	}
	if nrs := r.StaticBinary.Numbers(); len(nrs) > 0 && nrs[len(nrs)-1] > MaxNumber {
		return fmt.Errorf("invalid run: static result for syscall %d, above the maximum %d", nrs[len(nrs)-1], MaxNumber)
	}
	return nil
}

// Store writes run as a run directory of database dbDir, in
// <app>/<workload>/<RunID>, and returns the directory. A run of the same
// experiment (the same RunID) is replaced, and replaced reports it.
//
// The write is atomic. The run is written to a temporary directory, then
// moved into place with one rename, or with one exchange of the two
// directories when a run is replaced. So an interrupted Store leaves either
// the old run or the new one.
func Store(dbDir, app, workload string, run *NewRun) (dir string, replaced bool, err error) {
	if err := CheckAppName(app); err != nil {
		return "", false, err
	}
	if _, err := WorkloadKind(workload); err != nil {
		return "", false, err
	}
	if err := run.check(); err != nil {
		return "", false, err
	}
	desc := run.descriptor(app, workload)
	parent := filepath.Join(dbDir, app, workload)
	dir = filepath.Join(parent, RunID(desc))

	tmpRoot := parent
	if fi, err := os.Stat(filepath.Join(dbDir, ".git")); err == nil && fi.IsDir() {
		// Inside .git, a directory left by a killed process is invisible
		// to git status and to readers.
		tmpRoot = filepath.Join(dbDir, ".git", "loupe-tmp")
	}
	if err := os.MkdirAll(tmpRoot, 0o755); err != nil {
		return "", false, fmt.Errorf("storing the run: %w", err)
	}
	tmp, err := os.MkdirTemp(tmpRoot, ".loupe-run-")
	if err != nil {
		return "", false, fmt.Errorf("storing the run: %w", err)
	}
	defer os.RemoveAll(tmp)

	if err := writeRunFiles(tmp, desc, run); err != nil {
		return "", false, fmt.Errorf("storing the run: %w", err)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", false, fmt.Errorf("storing the run: %w", err)
	}
	replaced, err = moveIntoPlace(tmp, dir)
	if err != nil {
		return "", false, fmt.Errorf("storing the run in %s: %w", dir, err)
	}
	if err := syncDir(parent); err != nil {
		return "", false, fmt.Errorf("storing the run in %s: %w", dir, err)
	}
	return dir, replaced, nil
}

// writeRunFiles writes the files of a run directory into dir.
func writeRunFiles(dir string, desc *Descriptor, run *NewRun) error {
	if err := os.Mkdir(filepath.Join(dir, DataDir), 0o755); err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(dir, DataDir, DynamicFile), 0o644, func(f *os.File) error {
		return WriteDynamic(f, run.Dynamic)
	}); err != nil {
		return err
	}
	if run.StaticBinary != nil {
		if err := writeFileSync(filepath.Join(dir, DataDir, StaticBinaryFile), 0o644, func(f *os.File) error {
			return WriteStatic(f, run.StaticBinary)
		}); err != nil {
			return err
		}
	}
	data, err := marshalDescriptor(desc)
	if err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(dir, DescriptorFile), 0o644, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	}); err != nil {
		return err
	}
	if desc.TestScriptSHA256 != "" {
		if err := writeFileSync(filepath.Join(dir, TestScriptFile), 0o755, func(f *os.File) error {
			_, err := f.Write(run.TestScriptContent)
			return err
		}); err != nil {
			return err
		}
	}
	return syncDir(dir)
}

// writeFileSync creates path, fills it with write and flushes it to disk.
func writeFileSync(path string, perm fs.FileMode, write func(*os.File) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// moveIntoPlace moves directory tmp to dir. When dir exists, the two are
// exchanged atomically (renameat2 with RENAME_EXCHANGE, Linux 3.15 and
// later), so that tmp then holds the old run for the caller to remove.
func moveIntoPlace(tmp, dir string) (replaced bool, err error) {
	err = os.Rename(tmp, dir)
	if err == nil {
		return false, nil
	}
	if _, statErr := os.Stat(dir); statErr != nil {
		return false, err
	}
	err = unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dir, unix.RENAME_EXCHANGE)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSYS) {
		return false, fmt.Errorf("exchanging %s and %s: %w", tmp, dir, err)
	}
	// NOTE: without RENAME_EXCHANGE (an old kernel, or a file system that
	// lacks it), a crash between these two renames leaves the old run in
	// old and none at dir.
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return false, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return false, errors.Join(err, os.Rename(old, dir))
	}
	return true, os.RemoveAll(old)
}
