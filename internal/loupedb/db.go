package loupedb

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// DB is a results database loaded into memory.
type DB struct {
	Dir     string
	Apps    []*App    // in name order
	OSLists []*OSList // the <OS>.syscalls files at the root, in name order
	// Skipped holds one error per run, workload or OS list that Open left out
	// because it was malformed and Options.SkipInvalid was set.
	Skipped []error
}

// App is an application directory.
type App struct {
	Name      string
	Workloads []*Workload // in name order
}

// Workload is a workload directory of an application.
type Workload struct {
	App  string
	Name string // "benchmark-wrk", "suite"
	Kind Kind
	// Runs are in the order of the choice rule: Runs[0] is the one chosen
	// unless Choose picks another.
	Runs   []*Run
	chosen int
}

// Run is a run directory: one analysis of an application under a workload.
type Run struct {
	Name string // directory name: an MD5, a RunID, or "imported"
	Dir  string
	// Descriptor is nil for runs without run.json, such as every run of the
	// public data set.
	Descriptor    *Descriptor
	Dynamic       Dynamic
	StaticBinary  *Set // nil when the run has no static_binary.csv
	StaticSources *Set // nil when the run has no static_sources.csv
}

// Options change how Open treats a database.
type Options struct {
	// SkipInvalid makes Open log a warning and leave out a malformed run,
	// workload or OS list, instead of failing.
	SkipInvalid bool
}

// Files of a run directory.
const (
	DataDir           = "data"
	DynamicFile       = "dyn.csv"
	StaticBinaryFile  = "static_binary.csv"
	StaticSourcesFile = "static_sources.csv"
)

// ImportedRun is the run name the public data set gives to results
// converted from an older format.
const ImportedRun = "imported"

// Open reads the database in dir: every application, workload and run, and
// the OS syscall lists at its root. Entries whose names start with '.' are
// ignored, as are files other than *.syscalls at the root and files in
// application and workload directories. Workload and application directories
// without any run are ignored too, because git cannot hold them.
func Open(dir string, opts Options) (*DB, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	db := &DB{Dir: dir}
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, "."):
			continue
		case isDir(e, path):
			app, err := db.loadApp(path, name, opts)
			if err != nil {
				return nil, err
			}
			if app != nil {
				db.Apps = append(db.Apps, app)
			}
		case strings.HasSuffix(name, osListExt):
			l, err := ReadOSList(path)
			if err != nil {
				if err := db.skip(opts, err); err != nil {
					return nil, err
				}
				continue
			}
			db.OSLists = append(db.OSLists, l)
		default:
			slog.Debug("ignoring file at the database root", "file", path)
		}
	}
	return db, nil
}

// isDir reports whether e is a directory or a symbolic link to one.
func isDir(e fs.DirEntry, path string) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func (db *DB) loadApp(path, name string, opts Options) (*App, error) {
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("reading application %s: %w", name, err)
	}
	app := &App{Name: name}
	for _, e := range entries {
		wpath := filepath.Join(path, e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if !isDir(e, wpath) {
			slog.Debug("ignoring file in an application directory", "file", wpath)
			continue
		}
		kind, err := WorkloadKind(e.Name())
		if err != nil {
			if err := db.skip(opts, fmt.Errorf("%s: %w", wpath, err)); err != nil {
				return nil, err
			}
			continue
		}
		w, err := db.loadWorkload(wpath, name, e.Name(), kind, opts)
		if err != nil {
			return nil, err
		}
		if w != nil {
			app.Workloads = append(app.Workloads, w)
		}
	}
	if len(app.Workloads) == 0 {
		slog.Debug("ignoring application directory without runs", "dir", path)
		return nil, nil
	}
	return app, nil
}

func (db *DB) loadWorkload(path, app, name string, kind Kind, opts Options) (*Workload, error) {
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("reading workload %s/%s: %w", app, name, err)
	}
	w := &Workload{App: app, Name: name, Kind: kind}
	for _, e := range entries {
		rpath := filepath.Join(path, e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if !isDir(e, rpath) {
			slog.Debug("ignoring file in a workload directory", "file", rpath)
			continue
		}
		run, err := LoadRun(rpath)
		if err != nil {
			if err := db.skip(opts, err); err != nil {
				return nil, err
			}
			continue
		}
		w.Runs = append(w.Runs, run)
	}
	if len(w.Runs) == 0 {
		slog.Debug("ignoring workload directory without runs", "dir", path)
		return nil, nil
	}
	sortRuns(w.Runs)
	return w, nil
}

// skip returns err, or logs it and returns nil when opts allow skipping.
func (db *DB) skip(opts Options, err error) error {
	if !opts.SkipInvalid {
		return err
	}
	slog.Warn("skipping malformed entry", "error", err)
	db.Skipped = append(db.Skipped, err)
	return nil
}

// LoadRun reads the run directory dir: data/dyn.csv (required), the static
// results and run.json when present.
func LoadRun(dir string) (*Run, error) {
	run := &Run{Name: filepath.Base(dir), Dir: dir}
	dyn, err := readFile(filepath.Join(dir, DataDir, DynamicFile), ParseDynamic)
	if err != nil {
		return nil, err
	}
	run.Dynamic = dyn
	if run.StaticBinary, err = readOptional(filepath.Join(dir, DataDir, StaticBinaryFile), ParseStatic); err != nil {
		return nil, err
	}
	if run.StaticSources, err = readOptional(filepath.Join(dir, DataDir, StaticSourcesFile), ParseStatic); err != nil {
		return nil, err
	}
	desc := filepath.Join(dir, DescriptorFile)
	if _, err := os.Stat(desc); err == nil {
		if run.Descriptor, err = ReadDescriptor(desc); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return run, nil
}

func readFile[T any](path string, parse func(r io.Reader, name string) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	return parse(f, path)
}

// readOptional is readFile for a file that may be absent, in which case it
// returns nil.
func readOptional(path string, parse func(r io.Reader, name string) (*Set, error)) (*Set, error) {
	s, err := readFile(path, parse)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return s, err
}

// sortRuns puts runs in the order of the choice rule. Runs whose descriptor
// has a date come first, newest first. Runs without one follow, hashed names
// before "imported", and remaining ties go by name. Nothing in the rule depends
// on the file system, so every machine chooses the same run.
func sortRuns(runs []*Run) {
	sort.SliceStable(runs, func(i, j int) bool {
		a, b := runs[i], runs[j]
		ta, tb := a.date(), b.date()
		switch {
		case !ta.IsZero() && !tb.IsZero() && !ta.Equal(tb):
			return ta.After(tb)
		case ta.IsZero() != tb.IsZero():
			return !ta.IsZero()
		}
		if ia, ib := a.Name == ImportedRun, b.Name == ImportedRun; ia != ib {
			return ib
		}
		return a.Name < b.Name
	})
}

// Chosen returns the run used for w: the first in the choice order, or the
// one picked with Choose.
func (w *Workload) Chosen() *Run { return w.Runs[w.chosen] }

// Choose makes run the one used for w.
func (w *Workload) Choose(run string) error {
	i := slices.IndexFunc(w.Runs, func(r *Run) bool { return r.Name == run })
	if i < 0 {
		names := make([]string, len(w.Runs))
		for i, r := range w.Runs {
			names[i] = r.Name
		}
		return fmt.Errorf("workload %s/%s has no run %q (runs: %s)", w.App, w.Name, run, strings.Join(names, ", "))
	}
	w.chosen = i
	return nil
}

// App returns the application called name, or nil.
func (db *DB) App(name string) *App {
	i, ok := slices.BinarySearchFunc(db.Apps, name, func(a *App, name string) int { return strings.Compare(a.Name, name) })
	if !ok {
		return nil
	}
	return db.Apps[i]
}

// OSList returns the OS list called name (the file name without
// ".syscalls"), or nil.
func (db *DB) OSList(name string) *OSList {
	for _, l := range db.OSLists {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// Workload returns the workload called name, or nil.
func (a *App) Workload(name string) *Workload {
	for _, w := range a.Workloads {
		if w.Name == name {
			return w
		}
	}
	return nil
}
