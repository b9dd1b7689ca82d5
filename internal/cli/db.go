package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
)

func init() {
	register(command{name: "db", summary: "manage a results database (db init DIR)", run: runDB})
}

func runDB(_ context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "db", "db init DIR")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if fs.NArg() != 2 || fs.Arg(0) != "init" {
		return usageError(env, fs, "want \"db init DIR\"")
	}
	dir := fs.Arg(1)
	if err := loupedb.Init(dir); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Initialized an empty loupe database in %s\n", dir)
	return nil
}

// dbQueryFlags are the flags of the commands that read a database and
// select applications from it.
type dbQueryFlags struct {
	db          string
	apps        string
	workload    string
	runs        []string
	skipInvalid bool
}

func addDBQueryFlags(fs *pflag.FlagSet) *dbQueryFlags {
	q := addDBOpenFlags(fs)
	fs.StringVar(&q.apps, "apps", "all", "comma-separated applications, or all")
	fs.StringVar(&q.workload, "workload", "all", "workloads that count: bench, suite or all (either kind)")
	return q
}

// addDBOpenFlags adds only the flags that open a database: --db, --run and
// --skip-invalid.
func addDBOpenFlags(fs *pflag.FlagSet) *dbQueryFlags {
	q := &dbQueryFlags{workload: "all"}
	fs.StringVar(&q.db, "db", "", "database directory (required)")
	fs.StringArrayVar(&q.runs, "run", nil, "use run `APP/WORKLOAD/RUN` instead of the default choice (repeatable)")
	fs.BoolVar(&q.skipInvalid, "skip-invalid", false, "skip malformed runs with a warning instead of failing")
	return q
}

// open loads the database and applies the --run choices.
func (q *dbQueryFlags) open() (*loupedb.DB, error) {
	db, err := loupedb.Open(q.db, loupedb.Options{SkipInvalid: q.skipInvalid})
	if err != nil {
		return nil, err
	}
	for _, r := range q.runs {
		parts := strings.Split(r, "/")
		if len(parts) != 3 {
			return nil, fmt.Errorf("invalid --run %q: want APP/WORKLOAD/RUN", r)
		}
		app := db.App(parts[0])
		if app == nil {
			return nil, fmt.Errorf("invalid --run %q: application %q not found in %s", r, parts[0], q.db)
		}
		w := app.Workload(parts[1])
		if w == nil {
			return nil, fmt.Errorf("invalid --run %q: application %q has no workload %q", r, parts[0], parts[1])
		}
		if err := w.Choose(parts[2]); err != nil {
			return nil, fmt.Errorf("invalid --run %q: %w", r, err)
		}
	}
	return db, nil
}

// selectApps returns the usage of the applications and workloads the flags
// name.
func (q *dbQueryFlags) selectApps(db *loupedb.DB) ([]plan.AppUsage, error) {
	sel, err := plan.ParseSelector(q.workload)
	if err != nil {
		return nil, err
	}
	var names []string
	if q.apps != "all" {
		for _, name := range strings.Split(q.apps, ",") {
			if name = strings.TrimSpace(name); name != "" {
				names = append(names, name)
			}
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("invalid --apps %q: want a comma-separated list of applications, or all", q.apps)
		}
	}
	apps, err := plan.Select(db, names, sel)
	if err != nil {
		return nil, err
	}
	if len(apps) == 0 {
		return nil, fmt.Errorf("no application in %s has a %s workload", q.db, sel)
	}
	return apps, nil
}

// checkRequired returns a usage error when --db is missing.
func (q *dbQueryFlags) checkRequired(env *Env, fs *pflag.FlagSet) error {
	if q.db == "" {
		return usageError(env, fs, "missing --db DIR")
	}
	if _, err := plan.ParseSelector(q.workload); err != nil {
		return usageError(env, fs, "%v", err)
	}
	return nil
}

// checkQueryFormat returns a usage error unless format is text, csv or json.
func checkQueryFormat(env *Env, fs *pflag.FlagSet, format string) error {
	switch format {
	case "text", "csv", "json":
		return nil
	}
	return usageError(env, fs, "invalid --format %q: want text, csv or json", format)
}
