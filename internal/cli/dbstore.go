package cli

import (
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/loupe-project/loupe/internal/loupedb"
)

// dbFlags are the flags that store an analysis as a run in a database.
// Call check before the analysis starts and store once it has results.
type dbFlags struct {
	dir        string
	app        string
	workload   string
	allowDirty bool
	commit     bool

	repo *loupedb.Repo // set by check
}

// addDBFlags adds --db, --app, --workload, --allow-dirty and --commit to fs.
func addDBFlags(fs *pflag.FlagSet) *dbFlags {
	f := &dbFlags{}
	fs.StringVar(&f.dir, "db", "", "store the result as a run in this database (a git repository, see \"loupe db init\")")
	fs.StringVar(&f.app, "app", "", "application name in the database (with --db)")
	fs.StringVar(&f.workload, "workload", "", "workload name in the database: benchmark-NAME, suite or suite-NAME (with --db)")
	fs.BoolVar(&f.allowDirty, "allow-dirty", false, "store even if the database repository has uncommitted changes")
	fs.BoolVar(&f.commit, "commit", false, "commit the new run to the database repository")
	return f
}

// enabled reports whether the result is to be stored.
func (f *dbFlags) enabled() bool { return f.dir != "" }

// check validates the flags and the database before any long work starts:
// the names, that the database is in a git repository, that the repository
// is clean unless --allow-dirty, and that commits have an author with
// --commit. Without --db it only rejects the flags that need it.
func (f *dbFlags) check() error {
	if !f.enabled() {
		if f.app != "" || f.workload != "" || f.allowDirty || f.commit {
			return fmt.Errorf("--app, --workload, --allow-dirty and --commit need --db DIR")
		}
		return nil
	}
	if f.app == "" || f.workload == "" {
		return fmt.Errorf("--db needs --app NAME and --workload NAME")
	}
	if err := loupedb.CheckAppName(f.app); err != nil {
		return err
	}
	if _, err := loupedb.WorkloadKind(f.workload); err != nil {
		return err
	}
	repo, err := loupedb.OpenRepo(f.dir)
	if err != nil {
		return err
	}
	if !f.allowDirty {
		if err := repo.CheckClean(); err != nil {
			return err
		}
	}
	if f.commit {
		if _, err := repo.Author(); err != nil {
			return err
		}
	}
	f.repo = repo
	return nil
}

// store writes run to the database, commits it with --commit, and returns
// the run directory. It does nothing without --db. LoupeVersion defaults to
// env.Version.
func (f *dbFlags) store(env *Env, run *loupedb.NewRun) (dir string, err error) {
	if !f.enabled() {
		return "", nil
	}
	if f.repo == nil {
		if err := f.check(); err != nil {
			return "", err
		}
	}
	if run.LoupeVersion == "" {
		run.LoupeVersion = env.Version
	}
	dir, replaced, err := loupedb.Store(f.dir, f.app, f.workload, run)
	if err != nil {
		return "", err
	}
	verb := "Add"
	if replaced {
		verb = "Update"
	}
	slog.Info("run stored", "dir", dir, "replaced", replaced)
	if replaced {
		fmt.Fprintf(env.Stderr, "Replaced the run in %s\n", dir)
	} else {
		fmt.Fprintf(env.Stderr, "Stored the run in %s\n", dir)
	}

	if !f.commit {
		return dir, nil
	}
	c := loupedb.CountResults(run.Dynamic)
	msg := fmt.Sprintf("%s %s/%s run %s\n\n%d used, %d required, %d stub-only, %d fake-only, %d both.\n",
		verb, f.app, f.workload, filepath.Base(dir)[:8], c.Used, c.Required, c.StubOnly, c.FakeOnly, c.Both)
	hash, err := f.repo.CommitDir(dir, msg)
	if err != nil {
		return dir, fmt.Errorf("run stored in %s but not committed: %w", dir, err)
	}
	if hash == "" {
		fmt.Fprintf(env.Stderr, "Nothing to commit: the run is unchanged\n")
	} else {
		fmt.Fprintf(env.Stderr, "Committed %s\n", hash[:12])
	}
	return dir, nil
}
