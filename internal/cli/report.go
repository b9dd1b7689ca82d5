package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
	"github.com/loupe-project/loupe/internal/plot"
)

func init() {
	register(command{name: "report", summary: "write an HTML report of a database: figures, usage and support plans", run: runReport})
}

func runReport(_ context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "report", "report --db DIR -o FILE.html [--os FILE.syscalls ...] [--apps a,b|all] [--workload bench|suite|all]")
	q := addDBQueryFlags(fs)
	outPath := fs.StringP("output", "o", "", "HTML file to write (required)")
	osFiles := fs.StringArray("os", nil, "add the support plan of an OS: a file of syscalls or the name of a list at the database root (repeatable)")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	if err := q.checkRequired(env, fs); err != nil {
		return err
	}
	if *outPath == "" {
		return usageError(env, fs, "missing -o FILE.html")
	}
	if ext := strings.ToLower(filepath.Ext(*outPath)); ext != ".html" && ext != ".htm" {
		return usageError(env, fs, "invalid output file %q: want a name ending in .html", *outPath)
	}

	db, err := q.open()
	if err != nil {
		return err
	}
	usages, err := q.selectApps(db)
	if err != nil {
		return err
	}
	var lists []*loupedb.OSList
	if len(*osFiles) > 0 {
		if lists, err = readOSLists(db, *osFiles); err != nil {
			return err
		}
	}
	report, err := buildReport(db, usages, lists, q.workload)
	if err != nil {
		return err
	}

	out, err := openOutput(env, *outPath)
	if err != nil {
		return err
	}
	defer out.Discard()
	if err := report.WriteHTML(out); err != nil {
		return err
	}
	return out.Commit()
}

// buildReport computes the numbers of every section of the report and
// draws its figures. The plan figure needs OS lists, so it is left out
// without them.
func buildReport(db *loupedb.DB, usages []plan.AppUsage, lists []*loupedb.OSList, workload string) (plot.Report, error) {
	apps, err := plot.Apps(db, usages)
	if err != nil {
		return plot.Report{}, err
	}
	r := plot.Report{
		Title:    fmt.Sprintf("Syscall usage of %d applications", len(apps)),
		DB:       db.Dir,
		Workload: workload,
		Apps:     usages,
		Usage:    plan.MergeAll(usages),
		Bars:     plot.Breakdown(apps),
		Curves:   plot.PlanCurves(usages, lists),
	}
	captions := map[string]string{
		"cumulative": "Syscalls ranked by the share of applications that need them, per analysis.",
		"heatmap":    "Share of applications that need each syscall number, per analysis. Cell N is in the row starting at N - N mod 16.",
		"breakdown":  "Used syscalls of each application by the alterations that still pass, next to the static counts.",
		"plan":       "Applications supported as each OS implements the syscalls of its support plan, in plan order.",
	}
	for _, kind := range figureKinds {
		if kind == "plan" && len(lists) == 0 {
			continue
		}
		fig, err := drawFigure(kind, db, usages, lists, workload)
		if err != nil {
			return plot.Report{}, err
		}
		r.Figures = append(r.Figures, plot.ReportFigure{Caption: captions[kind], Figure: fig})
	}
	return r, nil
}
