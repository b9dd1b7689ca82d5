package plot

import (
	"fmt"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// DrawPlan draws one step curve per OS: the applications supported against
// the syscalls implemented so far. Stubs and fakes are work too, but they do
// not move the curve; the legend gives their totals.
func DrawPlan(curves []Curve, apps int, title string) (Figure, error) {
	if len(curves) == 0 {
		return Figure{}, fmt.Errorf("drawing the plan: no OS list given")
	}
	p := newPlot(title, "syscalls implemented beyond the OS list", "applications supported")
	p.Legend.Top = false
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Y.Min, p.Y.Max = 0, float64(apps)*1.05
	p.X.Min = 0
	for i, c := range curves {
		xys := make(plotter.XYs, len(c.Points))
		for j, pt := range c.Points {
			xys[j] = plotter.XY{X: float64(pt.Implemented), Y: float64(pt.Apps)}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return Figure{}, fmt.Errorf("drawing the plan of %s: %w", c.OS, err)
		}
		line.StepStyle = plotter.PostStep
		line.Color = seriesColors[i%len(seriesColors)]
		line.Width = vg.Points(2)
		if i >= len(seriesColors) {
			line.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		p.Add(line)

		last := c.Points[len(c.Points)-1]
		label := fmt.Sprintf("%s: %d at start, %d implemented, %d stubbed, %d faked for %d",
			c.OS, c.Points[0].Apps, last.Implemented, last.Stubbed, last.Faked, last.Apps)
		p.Legend.Add(label, line)
	}
	p.Add(plotter.NewGrid())
	return Figure{Width: 9 * vg.Inch, Height: 6 * vg.Inch, draw: p.Draw}, nil
}
