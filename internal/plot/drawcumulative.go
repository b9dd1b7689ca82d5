package plot

import (
	"fmt"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// DrawCumulative draws one line per series: the share of applications that
// need each syscall, against the syscall's rank.
func DrawCumulative(series []Series, title string) (Figure, error) {
	p := newPlot(title, "syscalls, most shared first (rank)", "applications that need the syscall (%)")
	p.Y.Min, p.Y.Max = 0, 105
	p.X.Min = 1
	for _, s := range series {
		if len(s.Shares) == 0 {
			continue
		}
		xys := make(plotter.XYs, len(s.Shares))
		for i, share := range s.Shares {
			xys[i] = plotter.XY{X: float64(i + 1), Y: 100 * share}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return Figure{}, fmt.Errorf("drawing the %v line: %w", s.Analysis, err)
		}
		line.Color = s.Analysis.color()
		line.Width = vg.Points(2)
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("%v (%d apps, %d syscalls)", s.Analysis, s.Apps, len(s.Syscalls)), line)
	}
	p.Add(plotter.NewGrid())
	return Figure{Width: 8 * vg.Inch, Height: 5 * vg.Inch, draw: p.Draw}, nil
}
