package plot

import (
	"reflect"
	"testing"
)

func TestCountTicksLabelRoundSteps(t *testing.T) {
	tests := []struct {
		min, max float64
		want     []string
	}{
		{0, 105, []string{"0", "20", "40", "60", "80", "100"}},
		{1, 240, []string{"50", "100", "150", "200"}},
		{0, 3, []string{"0", "1", "2", "3"}},
		{0, 116.55, []string{"0", "20", "40", "60", "80", "100"}},
	}
	for _, tt := range tests {
		var labels []string
		for _, tick := range (countTicks{}).Ticks(tt.min, tt.max) {
			if tick.Label != "" {
				labels = append(labels, tick.Label)
			}
		}
		if !reflect.DeepEqual(labels, tt.want) {
			t.Errorf("Ticks(%g, %g) labels = %v, want %v", tt.min, tt.max, labels, tt.want)
		}
	}
}
