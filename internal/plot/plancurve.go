package plot

import (
	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
)

// Curve is a support plan for one OS, as cumulative totals after each step.
type Curve struct {
	OS     string
	Plan   plan.Plan
	Points []Point // Points[0] is the start, Points[i] the end of step i
}

// Point is where a plan stands: the work done so far and the applications
// it supports.
type Point struct {
	Implemented, Stubbed, Faked int
	Apps                        int
}

// PlanCurves computes the support plan of apps for each OS list.
func PlanCurves(apps []plan.AppUsage, lists []*loupedb.OSList) []Curve {
	curves := make([]Curve, 0, len(lists))
	for _, l := range lists {
		p := plan.Compute(apps, l.Syscalls)
		c := Curve{OS: l.Name, Plan: p, Points: []Point{{Apps: len(p.SupportedAtStart)}}}
		for _, s := range p.Steps {
			last := c.Points[len(c.Points)-1]
			c.Points = append(c.Points, Point{
				Implemented: last.Implemented + len(s.Implement),
				Stubbed:     last.Stubbed + len(s.Stub),
				Faked:       last.Faked + len(s.Fake),
				Apps:        last.Apps + len(s.Apps),
			})
		}
		curves = append(curves, c)
	}
	return curves
}
