package plot

import (
	"cmp"
	"slices"
)

// Series is one line of the cumulative figure: the syscalls that at least
// one application needs according to one analysis, the most shared first.
type Series struct {
	Analysis Analysis
	Apps     int   // applications with results for this analysis
	Syscalls []int // syscall numbers; equal shares go by increasing number
	Shares   []float64
}

// Cumulative returns one series per analysis, in the order of the
// analyses, leaving out the static ones that no application has results for.
func Cumulative(apps []App) []Series {
	n := syscallCount(apps)
	var out []Series
	for _, a := range analyses {
		shares, covered := a.shares(apps, n)
		if covered == 0 && (a == StaticBinary || a == StaticSources) {
			continue
		}
		s := Series{Analysis: a, Apps: covered, Syscalls: []int{}, Shares: []float64{}}
		for nr, share := range shares {
			if share > 0 {
				s.Syscalls = append(s.Syscalls, nr)
			}
		}
		slices.SortStableFunc(s.Syscalls, func(x, y int) int {
			return cmp.Compare(shares[y], shares[x])
		})
		for _, nr := range s.Syscalls {
			s.Shares = append(s.Shares, shares[nr])
		}
		out = append(out, s)
	}
	return out
}
