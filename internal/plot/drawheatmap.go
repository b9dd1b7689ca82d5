package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// heatColumns is the number of cells in a row of a heatmap panel. Rows of
// 16 make the row start a round hexadecimal number too.
const heatColumns = 16

// Sizes of the heatmap figure.
const (
	cellSize       = 0.3 * vg.Inch
	panelMargin    = 0.9 * vg.Inch // axis labels and panel title
	colorBarHeight = 0.9 * vg.Inch
	heatTitle      = 0.45 * vg.Inch
)

// DrawHeatmap draws one grid of cells per analysis, side by side. Cell nr
// sits at row nr/16, column nr%16 and is labelled with nr; its shade is the
// share of applications that need syscall nr, and unused numbers stay
// white.
func DrawHeatmap(h Heatmap, title string) (Figure, error) {
	if len(h.Panels) == 0 || h.Syscalls == 0 {
		return Figure{}, fmt.Errorf("drawing the heatmap: no syscall to show")
	}
	cmap, err := shareColors()
	if err != nil {
		return Figure{}, fmt.Errorf("drawing the heatmap: %w", err)
	}
	rows := (h.Syscalls + heatColumns - 1) / heatColumns

	plots := make([]*plot.Plot, len(h.Panels))
	for i, panel := range h.Panels {
		p, err := heatPanel(panel, rows, cmap)
		if err != nil {
			return Figure{}, err
		}
		plots[i] = p
	}
	bar := plot.New()
	bar.HideY()
	bar.X.Label.Text = "applications that need the syscall (%)"
	bar.X.Tick.Marker = countTicks{}
	bar.Add(&plotter.ColorBar{ColorMap: cmap})

	panelWidth := heatColumns*cellSize + panelMargin
	panelHeight := vg.Length(rows)*cellSize + panelMargin
	width := vg.Length(len(plots)) * panelWidth
	height := heatTitle + panelHeight + colorBarHeight

	drawFn := func(c draw.Canvas) {
		c.FillText(titleStyle(), vg.Point{X: c.Min.X + c.Size().X/2, Y: c.Max.Y - heatTitle/2}, title)
		panels := draw.Crop(c, 0, 0, colorBarHeight, -heatTitle)
		tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Points(4)}
		canvases := plot.Align([][]*plot.Plot{plots}, tiles, panels)
		for i, p := range plots {
			p.Draw(canvases[0][i])
		}
		strip := draw.Crop(c, 0, 0, 0, -(heatTitle + panelHeight))
		// Keep the color bar to half the width, centered, so it reads as a
		// legend rather than as another panel.
		quarter := strip.Size().X / 4
		bar.Draw(draw.Crop(strip, quarter, -quarter, vg.Points(4), -vg.Points(8)))
	}
	return Figure{Width: width, Height: height, draw: drawFn}, nil
}

// shareColors maps a share of applications from 0 to 100 (%) to a color
// from pale yellow to dark blue, with luminance falling linearly.
func shareColors() (palette.ColorMap, error) {
	dark := []color.Color{
		color.RGBA{R: 0x08, G: 0x1d, B: 0x58, A: 0xff},
		color.RGBA{R: 0x22, G: 0x5e, B: 0xa8, A: 0xff},
		color.RGBA{R: 0x41, G: 0xb6, B: 0xc4, A: 0xff},
		color.RGBA{R: 0xc7, G: 0xe9, B: 0xb4, A: 0xff},
		color.RGBA{R: 0xed, G: 0xf8, B: 0xb1, A: 0xff},
	}
	cmap, err := moreland.NewLuminance(dark)
	if err != nil {
		return nil, err
	}
	cmap = palette.Reverse(cmap)
	cmap.SetMin(0)
	cmap.SetMax(100)
	return cmap, nil
}

// heatPanel draws one analysis: the cells, their numbers and the row starts.
func heatPanel(panel Panel, rows int, cmap palette.ColorMap) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%v (%d apps)", panel.Analysis, panel.Apps)
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text = "number mod 16"
	p.Y.Label.Text = "number, row start"

	grid := shareGrid{shares: panel.Shares, rows: rows}
	hm := plotter.NewHeatMap(grid, cmap.Palette(100))
	hm.Min, hm.Max = 0, 100
	hm.NaN = color.White
	p.Add(hm)

	labels, err := cellLabels(panel.Shares, rows)
	if err != nil {
		return nil, fmt.Errorf("labelling the %v panel: %w", panel.Analysis, err)
	}
	p.Add(labels)

	var xticks, yticks []plot.Tick
	for col := range heatColumns {
		xticks = append(xticks, plot.Tick{Value: float64(col), Label: strconv.Itoa(col)})
	}
	for row := range rows {
		yticks = append(yticks, plot.Tick{Value: float64(rows - 1 - row), Label: strconv.Itoa(row * heatColumns)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(xticks)
	p.Y.Tick.Marker = plot.ConstantTicks(yticks)
	p.X.Tick.Label.Font.Size = vg.Points(7)
	p.Y.Tick.Label.Font.Size = vg.Points(7)
	return p, nil
}

// shareGrid lays shares out in rows of heatColumns as percentages, with
// the first numbers in the top row. Grid rows count bottom up, because the
// heat map needs increasing coordinates. Unused numbers, and cells past the last number, are NaN so
// that they take the heat map's NaN color.
type shareGrid struct {
	shares []float64
	rows   int
}

func (g shareGrid) Dims() (c, r int) { return heatColumns, g.rows }
func (g shareGrid) X(c int) float64  { return float64(c) }
func (g shareGrid) Y(r int) float64  { return float64(r) }

func (g shareGrid) Z(c, r int) float64 {
	nr := (g.rows-1-r)*heatColumns + c
	if nr >= len(g.shares) || g.shares[nr] == 0 {
		return math.NaN()
	}
	return 100 * g.shares[nr]
}

// cellLabels writes each syscall number in its cell, white on dark cells.
func cellLabels(shares []float64, rows int) (*plotter.Labels, error) {
	var xyl plotter.XYLabels
	var styles []text.Style
	for nr := range shares {
		row := nr / heatColumns
		xyl.XYs = append(xyl.XYs, plotter.XY{X: float64(nr % heatColumns), Y: float64(rows - 1 - row)})
		xyl.Labels = append(xyl.Labels, strconv.Itoa(nr))
	}
	labels, err := plotter.NewLabels(xyl)
	if err != nil {
		return nil, err
	}
	for i := range labels.TextStyle {
		s := labels.TextStyle[i]
		s.Font.Size = vg.Points(6)
		s.XAlign = draw.XCenter
		s.YAlign = draw.YCenter
		s.Color = color.Black
		if shares[i] > 0.55 {
			s.Color = color.White
		}
		styles = append(styles, s)
	}
	labels.TextStyle = styles
	return labels, nil
}

func titleStyle() text.Style {
	p := plot.New()
	s := p.Title.TextStyle
	s.XAlign = draw.XCenter
	s.YAlign = draw.YCenter
	return s
}
