package plot

// Heatmap holds the cells of the heatmap figure: for each analysis, the
// share of applications that need each syscall number from 0 to Syscalls-1.
type Heatmap struct {
	Syscalls int
	Panels   []Panel
}

// Panel is one analysis of the heatmap.
type Panel struct {
	Analysis Analysis
	Apps     int       // applications with results for this analysis
	Shares   []float64 // indexed by syscall number, in [0, 1]
}

// HeatmapOf returns the heatmap of apps, one panel per analysis, leaving
// out the static analyses that no application has results for.
func HeatmapOf(apps []App) Heatmap {
	h := Heatmap{Syscalls: syscallCount(apps)}
	for _, a := range analyses {
		shares, covered := a.shares(apps, h.Syscalls)
		if covered == 0 && (a == StaticBinary || a == StaticSources) {
			continue
		}
		h.Panels = append(h.Panels, Panel{Analysis: a, Apps: covered, Shares: shares})
	}
	return h
}
