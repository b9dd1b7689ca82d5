package plot

import (
	"cmp"
	"slices"
)

// Bar is what one application needs: its used syscalls by need, and the
// sizes of its static results.
type Bar struct {
	App                                string
	Required, StubOnly, FakeOnly, Both int
	StaticBinary, StaticSources        int // -1 when the application has no such results
}

// Used returns the number of syscalls the application used.
func (b Bar) Used() int { return b.Required + b.StubOnly + b.FakeOnly + b.Both }

// Breakdown returns one bar per application, the most used syscalls first
// and equal counts in name order, so the figure reads as a ranking.
func Breakdown(apps []App) []Bar {
	bars := make([]Bar, 0, len(apps))
	for _, app := range apps {
		s := app.Usage.Sets()
		b := Bar{
			App:           app.Name,
			Required:      len(s.Required),
			StubOnly:      len(s.StubOnly),
			FakeOnly:      len(s.FakeOnly),
			Both:          len(s.Both),
			StaticBinary:  -1,
			StaticSources: -1,
		}
		if app.StaticBinary != nil {
			b.StaticBinary = app.StaticBinary.Len()
		}
		if app.StaticSources != nil {
			b.StaticSources = app.StaticSources.Len()
		}
		bars = append(bars, b)
	}
	slices.SortStableFunc(bars, func(x, y Bar) int {
		if c := cmp.Compare(y.Used(), x.Used()); c != 0 {
			return c
		}
		return cmp.Compare(x.App, y.App)
	})
	return bars
}
