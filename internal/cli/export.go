package cli

import (
	"context"
	"fmt"

	"github.com/loupe-project/loupe/internal/loupedb/sqlexport"
)

func init() {
	register(command{name: "export", summary: "export a results database (export sqlite)", run: runExport})
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "export", "export sqlite --db DIR -o FILE.sqlite")
	q := addDBOpenFlags(fs)
	out := fs.StringP("output", "o", "", "SQLite file to write, replaced if it exists (required)")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "sqlite" {
		return usageError(env, fs, "want \"export sqlite\", the only format")
	}
	if err := q.checkRequired(env, fs); err != nil {
		return err
	}
	if *out == "" {
		return usageError(env, fs, "missing -o FILE")
	}

	db, err := q.open()
	if err != nil {
		return err
	}
	if err := sqlexport.Write(ctx, db, *out); err != nil {
		return err
	}
	runs := 0
	for _, app := range db.Apps {
		for _, w := range app.Workloads {
			runs += len(w.Runs)
		}
	}
	fmt.Fprintf(env.Stderr, "Exported %d applications, %d runs and %d OS lists to %s\n", len(db.Apps), runs, len(db.OSLists), *out)
	return nil
}
