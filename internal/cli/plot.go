package cli

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
	"github.com/loupe-project/loupe/internal/plot"
)

func init() {
	register(command{name: "plot", summary: "draw a figure of a database (cumulative, heatmap, breakdown, plan)", run: runPlot})
}

// figureKinds are the figures "loupe plot" draws, in the order of its help.
var figureKinds = []string{"cumulative", "heatmap", "breakdown", "plan"}

func runPlot(_ context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "plot", "plot cumulative|heatmap|breakdown|plan --db DIR -o FILE.svg|.png [--apps a,b|all] [--workload bench|suite|all] [--os FILE.syscalls ...]")
	q := addDBQueryFlags(fs)
	outPath := fs.StringP("output", "o", "", "figure file to write; the extension .svg or .png sets the format (required)")
	osFiles := fs.StringArray("os", nil, "plan figure: syscalls an OS provides, a file or the name of a list at the database root (repeatable; default: every list at the root)")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(env, fs, "want one figure kind: %s", strings.Join(figureKinds, ", "))
	}
	kind := fs.Arg(0)
	if !slices.Contains(figureKinds, kind) {
		return usageError(env, fs, "invalid figure kind %q: want %s", kind, strings.Join(figureKinds, ", "))
	}
	if err := q.checkRequired(env, fs); err != nil {
		return err
	}
	if *outPath == "" {
		return usageError(env, fs, "missing -o FILE.svg or -o FILE.png")
	}
	format, err := plot.FormatOf(*outPath)
	if err != nil {
		return usageError(env, fs, "%v", err)
	}
	if len(*osFiles) > 0 && kind != "plan" {
		return usageError(env, fs, "--os applies only to the plan figure")
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
	if kind == "plan" {
		if lists, err = readOSLists(db, *osFiles); err != nil {
			return err
		}
	}
	fig, err := drawFigure(kind, db, usages, lists, q.workload)
	if err != nil {
		return err
	}

	out, err := openOutput(env, *outPath)
	if err != nil {
		return err
	}
	defer out.Discard()
	if err := fig.Write(out, format); err != nil {
		return err
	}
	return out.Commit()
}

// readOSLists reads the OS lists named by --os flags, or returns every list
// at the database root when there is none.
func readOSLists(db *loupedb.DB, paths []string) ([]*loupedb.OSList, error) {
	if len(paths) == 0 {
		if len(db.OSLists) == 0 {
			return nil, fmt.Errorf("no OS list given and no *.syscalls file at the root of %s: pass --os FILE.syscalls", db.Dir)
		}
		return db.OSLists, nil
	}
	lists := make([]*loupedb.OSList, 0, len(paths))
	for _, path := range paths {
		l, err := readPlanOSList(db, path)
		if err != nil {
			return nil, err
		}
		for _, u := range l.Unknown {
			slog.Warn("ignoring a name that is not an x86_64 syscall", "entry", u)
		}
		lists = append(lists, l)
	}
	return lists, nil
}

// drawFigure computes the data of the figure kind for the selected
// applications and draws it.
func drawFigure(kind string, db *loupedb.DB, usages []plan.AppUsage, lists []*loupedb.OSList, workload string) (plot.Figure, error) {
	apps, err := plot.Apps(db, usages)
	if err != nil {
		return plot.Figure{}, err
	}
	scope := fmt.Sprintf("%d applications, workloads: %s", len(apps), workload)
	switch kind {
	case "cumulative":
		return plot.DrawCumulative(plot.Cumulative(apps), "Syscalls by share of applications ("+scope+")")
	case "heatmap":
		return plot.DrawHeatmap(plot.HeatmapOf(apps), "Share of applications per syscall number ("+scope+")")
	case "breakdown":
		return plot.DrawBreakdown(plot.Breakdown(apps), "Syscalls per application ("+scope+")")
	case "plan":
		return plot.DrawPlan(plot.PlanCurves(usages, lists), len(apps), "Support plans ("+scope+")")
	}
	return plot.Figure{}, fmt.Errorf("invalid figure kind %q: want %s", kind, strings.Join(figureKinds, ", "))
}
