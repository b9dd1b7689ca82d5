package plot

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// countTicks marks an axis of counts or percentages: labelled ticks at a
// round step (1, 2 or 5 times a power of ten) that gives five to ten of
// them, with unlabelled ticks in between. gonum's default ticker labels
// such axes with decimals ("25.00").
type countTicks struct{}

func (countTicks) Ticks(min, max float64) []plot.Tick {
	span := max - min
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return []plot.Tick{{Value: min, Label: strconv.FormatFloat(min, 'f', -1, 64)}}
	}
	step := 1.0
	for _, s := range []float64{1, 2, 5} {
		step = s * math.Pow(10, math.Floor(math.Log10(span/5)))
		if span/step <= 10 {
			break
		}
	}
	step = math.Max(step, 1)
	minor := step / 5
	if minor < 1 {
		minor = step
	}
	var ticks []plot.Tick
	for v := math.Ceil(min/minor) * minor; v <= max; v += minor {
		t := plot.Tick{Value: v}
		if math.Mod(v, step) == 0 {
			t.Label = strconv.FormatFloat(v, 'f', -1, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}
