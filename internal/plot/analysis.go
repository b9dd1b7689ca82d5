package plot

import (
	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
)

// Analysis is one way of finding the syscalls an application needs.
type Analysis uint8

const (
	DynamicUsed Analysis = iota
	DynamicRequired
	StaticBinary
	StaticSources
)

// analyses lists every Analysis in the order the figures show them.
var analyses = []Analysis{DynamicUsed, DynamicRequired, StaticBinary, StaticSources}

func (a Analysis) String() string {
	switch a {
	case DynamicUsed:
		return "dynamic, used"
	case DynamicRequired:
		return "dynamic, required"
	case StaticBinary:
		return "static, binary"
	case StaticSources:
		return "static, source"
	}
	return "invalid analysis"
}

// covers reports whether app has results for a.
func (a Analysis) covers(app App) bool {
	switch a {
	case StaticBinary:
		return app.StaticBinary != nil
	case StaticSources:
		return app.StaticSources != nil
	}
	return true
}

// needs reports whether a finds that app needs syscall nr.
func (a Analysis) needs(app App, nr int) bool {
	switch a {
	case DynamicUsed:
		return app.Usage.Need(nr) != plan.Unused
	case DynamicRequired:
		return app.Usage.Need(nr) == plan.Required
	case StaticBinary:
		return app.StaticBinary.Has(nr)
	case StaticSources:
		return app.StaticSources.Has(nr)
	}
	return false
}

// shares returns, for each syscall number below n, the fraction of the
// applications covered by a that need it, and the number of those
// applications. With no covered application every share is 0.
func (a Analysis) shares(apps []App, n int) ([]float64, int) {
	counts := make([]int, n)
	covered := 0
	for _, app := range apps {
		if !a.covers(app) {
			continue
		}
		covered++
		for nr := range n {
			if a.needs(app, nr) {
				counts[nr]++
			}
		}
	}
	shares := make([]float64, n)
	if covered == 0 {
		return shares, 0
	}
	for nr, c := range counts {
		shares[nr] = float64(c) / float64(covered)
	}
	return shares, covered
}

// syscallCount returns how many syscall numbers the figures show: enough
// for every row of every merged dyn.csv and every number any analysis found.
func syscallCount(apps []App) int {
	n := 0
	for _, app := range apps {
		n = max(n, app.rows)
		if used := app.Usage.Used(); len(used) > 0 {
			n = max(n, used[len(used)-1]+1)
		}
		for _, s := range []*loupedb.Set{app.StaticBinary, app.StaticSources} {
			if nrs := s.Numbers(); len(nrs) > 0 {
				n = max(n, nrs[len(nrs)-1]+1)
			}
		}
	}
	return n
}
