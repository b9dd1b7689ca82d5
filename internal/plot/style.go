package plot

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// Colors from the Okabe-Ito palette, which stays distinguishable under the
// common kinds of color blindness.
var (
	orange    = color.RGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}
	skyBlue   = color.RGBA{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}
	green     = color.RGBA{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}
	yellow    = color.RGBA{R: 0xf0, G: 0xe4, B: 0x42, A: 0xff}
	blue      = color.RGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}
	vermilion = color.RGBA{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}
	purple    = color.RGBA{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}
	gray      = color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
	silver    = color.RGBA{R: 0xc8, G: 0xc8, B: 0xc8, A: 0xff}
)

// seriesColors are the line colors of curves that have no fixed meaning,
// such as one OS each.
var seriesColors = []color.Color{blue, vermilion, green, purple, orange, skyBlue, yellow, gray}

// color returns the color that every figure gives analysis a.
func (a Analysis) color() color.Color {
	switch a {
	case DynamicUsed:
		return blue
	case DynamicRequired:
		return vermilion
	case StaticBinary:
		return green
	}
	return purple
}

// newPlot returns a plot with the title and axis labels given and the
// legend at the top right.
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.X.Tick.Marker = countTicks{}
	p.Y.Tick.Marker = countTicks{}
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	return p
}
