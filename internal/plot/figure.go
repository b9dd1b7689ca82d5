package plot

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is a drawing of a fixed size, ready to be written in any Format.
type Figure struct {
	Width, Height vg.Length
	draw          func(c draw.Canvas)
}

// Format is an image file format a Figure can be written in.
type Format string

const (
	SVG Format = "svg"
	PNG Format = "png"
)

// pngDPI is the resolution of PNG output: twice the 96 DPI of a plain
// screen, so figures stay sharp on high-density displays and when zoomed.
const pngDPI = 192

// FormatOf returns the format that the extension of path names.
func FormatOf(path string) (Format, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".svg":
		return SVG, nil
	case ".png":
		return PNG, nil
	default:
		return "", fmt.Errorf("invalid output file %q: want a name ending in .svg or .png", path)
	}
}

// Write draws f and writes it to w in format.
func (f Figure) Write(w io.Writer, format Format) error {
	var c vg.CanvasWriterTo
	switch format {
	case SVG:
		c = vgsvg.New(f.Width, f.Height)
	case PNG:
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(pngDPI))}
	default:
		return fmt.Errorf("invalid figure format %q: want svg or png", format)
	}
	f.draw(draw.New(c))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("writing %s figure: %w", format, err)
	}
	return nil
}
