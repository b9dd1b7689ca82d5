package plot

import (
	"fmt"
	"strings"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
)

// App is one selected application with everything the figures read: its
// merged dynamic needs and the union of the static results of its runs.
type App struct {
	Name  string
	Usage plan.Usage
	// StaticBinary and StaticSources are nil when none of the merged runs
	// has that analysis.
	StaticBinary, StaticSources *loupedb.Set
	// rows is the largest number of dyn.csv rows among the merged runs.
	rows int
}

// Apps resolves the runs that plan.Select merged for each application, so
// that the figures can add the static results that plan.Usage leaves out.
func Apps(db *loupedb.DB, selected []plan.AppUsage) ([]App, error) {
	apps := make([]App, 0, len(selected))
	for _, sel := range selected {
		a := App{Name: sel.App, Usage: sel.Usage}
		for _, ref := range sel.Runs {
			run, err := findRun(db, sel.App, ref)
			if err != nil {
				return nil, err
			}
			a.rows = max(a.rows, len(run.Dynamic))
			a.StaticBinary = union(a.StaticBinary, run.StaticBinary)
			a.StaticSources = union(a.StaticSources, run.StaticSources)
		}
		apps = append(apps, a)
	}
	return apps, nil
}

// findRun returns the run that ref ("workload/run", as in plan.AppUsage.Runs)
// names for the application app.
func findRun(db *loupedb.DB, app, ref string) (*loupedb.Run, error) {
	workload, name, ok := strings.Cut(ref, "/")
	if !ok {
		return nil, fmt.Errorf("invalid run reference %q of application %s: want WORKLOAD/RUN", ref, app)
	}
	a := db.App(app)
	if a == nil {
		return nil, fmt.Errorf("application %q not found in %s", app, db.Dir)
	}
	w := a.Workload(workload)
	if w == nil {
		return nil, fmt.Errorf("application %q has no workload %q", app, workload)
	}
	for _, r := range w.Runs {
		if r.Name == name {
			return r, nil
		}
	}
	return nil, fmt.Errorf("workload %s/%s has no run %q", app, workload, name)
}

// union returns the union of a and b; nil only when both are nil.
func union(a, b *loupedb.Set) *loupedb.Set {
	if a == nil && b == nil {
		return nil
	}
	u := loupedb.NewSet(a.Numbers()...)
	for _, nr := range b.Numbers() {
		u.Add(nr)
	}
	return u
}
