package plot

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// rowHeight is the height of one application in the breakdown figure.
const rowHeight = 0.22 * vg.Inch

// DrawBreakdown draws one row per application: a stacked bar of its used
// syscalls by need, and next to it a bar per static analysis. The first bar
// is at the top.
func DrawBreakdown(bars []Bar, title string) (Figure, error) {
	if len(bars) == 0 {
		return Figure{}, fmt.Errorf("drawing the breakdown: no application selected")
	}
	p := newPlot(title, "syscalls (count)", "")
	p.Y.Tick.Label.Font.Size = vg.Points(9)

	withSources := false
	longest := 0
	for _, b := range bars {
		withSources = withSources || b.StaticSources >= 0
		longest = max(longest, b.Used(), b.StaticBinary, b.StaticSources)
	}

	// Each row holds the dynamic stack and one bar per static analysis.
	groups := 2
	if withSources {
		groups = 3
	}
	barWidth := 0.9 * rowHeight / vg.Length(groups)
	offset := func(group int) vg.Length {
		return barWidth * (vg.Length(group) - vg.Length(groups-1)/2)
	}

	// Rows go bottom up in a plot, so the values are reversed to put the
	// first bar at the top.
	values := func(get func(Bar) int) plotter.Values {
		v := make(plotter.Values, len(bars))
		for i, b := range bars {
			v[len(bars)-1-i] = float64(max(get(b), 0))
		}
		return v
	}
	layers := []struct {
		label string
		get   func(Bar) int
		color color.Color
	}{
		{"required", func(b Bar) int { return b.Required }, vermilion},
		{"stub only", func(b Bar) int { return b.StubOnly }, skyBlue},
		{"fake only", func(b Bar) int { return b.FakeOnly }, yellow},
		{"both", func(b Bar) int { return b.Both }, silver},
	}
	var below *plotter.BarChart
	for _, l := range layers {
		bc, err := newBars(values(l.get), barWidth, l.color, offset(0))
		if err != nil {
			return Figure{}, fmt.Errorf("drawing the %s bars: %w", l.label, err)
		}
		if below != nil {
			bc.StackOn(below)
		}
		below = bc
		p.Add(bc)
		p.Legend.Add("dynamic, "+l.label, bc)
	}

	static := []struct {
		a   Analysis
		get func(Bar) int
	}{{StaticBinary, func(b Bar) int { return b.StaticBinary }}}
	if withSources {
		static = append(static, struct {
			a   Analysis
			get func(Bar) int
		}{StaticSources, func(b Bar) int { return b.StaticSources }})
	}
	for i, s := range static {
		bc, err := newBars(values(s.get), barWidth, s.a.color(), offset(i+1))
		if err != nil {
			return Figure{}, fmt.Errorf("drawing the %v bars: %w", s.a, err)
		}
		p.Add(bc)
		p.Legend.Add(s.a.String(), bc)
	}

	names := make([]string, len(bars))
	for i, b := range bars {
		names[len(bars)-1-i] = b.App
	}
	p.NominalY(names...)
	// Room on the right for the legend: the longest bars are at the top.
	p.X.Min = 0
	p.X.Max = 1.45 * float64(max(longest, 1))
	grid := plotter.NewGrid()
	grid.Horizontal.Width = 0
	p.Add(grid)

	height := vg.Length(len(bars))*rowHeight + 1.6*vg.Inch
	return Figure{Width: 8 * vg.Inch, Height: max(height, 4*vg.Inch), draw: p.Draw}, nil
}

func newBars(v plotter.Values, width vg.Length, c color.Color, offset vg.Length) (*plotter.BarChart, error) {
	bc, err := plotter.NewBarChart(v, width)
	if err != nil {
		return nil, err
	}
	bc.Horizontal = true
	bc.Color = c
	bc.LineStyle.Width = 0
	bc.Offset = offset
	return bc, nil
}
