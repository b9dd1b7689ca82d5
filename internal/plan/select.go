package plan

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/loupe-project/loupe/internal/loupedb"
)

// Selector chooses the workloads of an application that count.
type Selector uint8

const (
	Bench Selector = iota + 1 // every "benchmark-*" workload
	Suite                     // "suite" and every "suite-*" workload
	All                       // every workload
)

func (s Selector) String() string {
	switch s {
	case Bench:
		return "bench"
	case Suite:
		return "suite"
	case All:
		return "all"
	}
	return fmt.Sprintf("Selector(%d)", uint8(s))
}

// ParseSelector reads "bench" (or "benchmark"), "suite" (or "testsuite")
// and "all".
func ParseSelector(s string) (Selector, error) {
	switch s {
	case "bench", "benchmark":
		return Bench, nil
	case "suite", "testsuite":
		return Suite, nil
	case "all":
		return All, nil
	}
	return 0, fmt.Errorf("invalid workload selection %q: want bench, suite or all", s)
}

func (s Selector) matches(k loupedb.Kind) bool {
	switch s {
	case Bench:
		return k == loupedb.Benchmark
	case Suite:
		return k == loupedb.Suite
	}
	return s == All
}

// AppUsage is the merged usage of one application's selected workloads.
type AppUsage struct {
	App   string
	Runs  []string // "workload/run" of every run merged
	Usage Usage
}

// Select returns the usage of the applications named in apps, in name
// order, or of every application with a selected workload when apps is
// empty. A named application that is not in db, or that has no selected
// workload, is an error.
func Select(db *loupedb.DB, apps []string, sel Selector) ([]AppUsage, error) {
	var out []AppUsage
	if len(apps) == 0 {
		for _, app := range db.Apps {
			u, ok := usageOf(app, sel)
			if !ok {
				slog.Debug("application left out: no workload of the selected kind", "app", app.Name, "workload", sel)
				continue
			}
			out = append(out, u)
		}
		return out, nil
	}
	seen := map[string]bool{}
	for _, name := range apps {
		if seen[name] {
			continue
		}
		seen[name] = true
		app := db.App(name)
		if app == nil {
			return nil, fmt.Errorf("application %q not found in %s", name, db.Dir)
		}
		u, ok := usageOf(app, sel)
		if !ok {
			return nil, fmt.Errorf("application %q has no %s workload (it has %s)", name, sel, workloadNames(app))
		}
		out = append(out, u)
	}
	sortByApp(out)
	return out, nil
}

// usageOf merges the chosen runs of app's selected workloads. ok is false
// when no workload is selected.
func usageOf(app *loupedb.App, sel Selector) (u AppUsage, ok bool) {
	u.App = app.Name
	for _, w := range app.Workloads {
		if !sel.matches(w.Kind) {
			continue
		}
		run := w.Chosen()
		if len(w.Runs) > 1 {
			others := make([]string, 0, len(w.Runs)-1)
			for _, r := range w.Runs {
				if r != run {
					others = append(others, r.Name)
				}
			}
			slog.Debug("run chosen", "app", app.Name, "workload", w.Name, "run", run.Name, "other_runs", strings.Join(others, ","))
		} else {
			slog.Debug("run chosen", "app", app.Name, "workload", w.Name, "run", run.Name)
		}
		u.Runs = append(u.Runs, w.Name+"/"+run.Name)
		u.Usage = u.Usage.Merge(UsageOf(run.Dynamic))
		ok = true
	}
	return u, ok
}

func workloadNames(app *loupedb.App) string {
	names := make([]string, len(app.Workloads))
	for i, w := range app.Workloads {
		names[i] = w.Name
	}
	return strings.Join(names, ", ")
}

// MergeAll returns the merged usage of every application in apps.
func MergeAll(apps []AppUsage) Usage {
	var u Usage
	for _, a := range apps {
		u = u.Merge(a.Usage)
	}
	return u
}
