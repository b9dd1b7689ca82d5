package plan

import (
	"cmp"
	"slices"

	"github.com/loupe-project/loupe/internal/loupedb"
)

// Plan is a step-by-step support plan for an OS (see the package
// documentation for how it is built).
type Plan struct {
	SupportedAtStart []string // applications that need nothing, in name order
	Steps            []Step
	Missing          Work // the work the OS lacks for all the applications
}

// Step is one step of a plan: the work it adds and the applications it
// makes supported, the one chosen first, then those that needed nothing more.
type Step struct {
	Work
	Apps []string
}

// Work is a list of syscall numbers to implement, stub and fake, each in
// increasing order.
type Work struct {
	Implement, Stub, Fake []int
}

// add files nr under the list of its treatment.
func (w *Work) add(nr int, t treatment) {
	switch t {
	case implemented:
		w.Implement = append(w.Implement, nr)
	case faked:
		w.Fake = append(w.Fake, nr)
	default:
		w.Stub = append(w.Stub, nr)
	}
}

// treatment is the handling the OS gives, or will give, a syscall it does
// not list.
type treatment uint8

const (
	untreated treatment = iota
	stubbed
	faked
	implemented
)

// satisfies reports whether treatment t meets need n.
func (t treatment) satisfies(n Need) bool {
	switch n {
	case Unused:
		return true
	case Required:
		return t == implemented
	case StubOnly:
		return t == implemented || t == stubbed
	case FakeOnly:
		return t == implemented || t == faked
	}
	return t != untreated
}

// treatmentFor returns the least work that meets need n: stubbing for Both.
func treatmentFor(n Need) treatment {
	switch n {
	case Required:
		return implemented
	case FakeOnly:
		return faked
	}
	return stubbed
}

// planner holds the state of a plan being built.
type planner struct {
	os        *loupedb.Set
	supported Usage // merged needs of the applications supported so far
	treated   []treatment
}

// newWork returns the work that supporting a on top of the current state
// adds: the syscalls whose merged need the current treatment does not meet.
func (p *planner) newWork(a candidate) Work {
	w := Work{Implement: []int{}, Stub: []int{}, Fake: []int{}}
	p.eachNew(a, w.add)
	return w
}

// cost counts the work newWork would return, without building it.
func (p *planner) cost(a candidate) workCost {
	var c workCost
	p.eachNew(a, func(_ int, t treatment) {
		if t == implemented {
			c.implement++
		} else {
			c.stubOrFake++
		}
	})
	return c
}

// eachNew calls add for every syscall that supporting a adds work for, in
// increasing order, with the treatment it needs.
func (p *planner) eachNew(a candidate, add func(nr int, t treatment)) {
	for _, nr := range a.used {
		if p.os.Has(nr) {
			continue
		}
		need := Merge(p.supported.Need(nr), a.Usage.Need(nr))
		if !p.treatment(nr).satisfies(need) {
			add(nr, treatmentFor(need))
		}
	}
}

// candidate is an application not yet in the plan, with its used syscalls
// listed once.
type candidate struct {
	AppUsage
	used []int
}

// workCost is the size of a Work, as the choice of the next step counts it.
type workCost struct {
	implement, stubOrFake int
}

// less reports whether c comes before d in the choice of the next step:
// fewer implementations, then fewer stubs and fakes together.
func (c workCost) less(d workCost) bool {
	if c.implement != d.implement {
		return c.implement < d.implement
	}
	return c.stubOrFake < d.stubOrFake
}

func (p *planner) treatment(nr int) treatment {
	if nr < len(p.treated) {
		return p.treated[nr]
	}
	return untreated
}

// add records that a is supported once work w is done.
func (p *planner) add(a Usage, w Work) {
	p.supported = p.supported.Merge(a)
	set := func(nrs []int, t treatment) {
		for _, nr := range nrs {
			if nr >= len(p.treated) {
				p.treated = append(p.treated, make([]treatment, nr+1-len(p.treated))...)
			}
			p.treated[nr] = t
		}
	}
	set(w.Implement, implemented)
	set(w.Stub, stubbed)
	set(w.Fake, faked)
}

// Compute builds the support plan of apps for an OS that provides the
// syscalls in osList.
func Compute(apps []AppUsage, osList *loupedb.Set) Plan {
	p := &planner{os: osList}
	plan := Plan{SupportedAtStart: []string{}, Steps: []Step{}}

	remaining := make([]candidate, len(apps))
	for i, a := range apps {
		remaining[i] = candidate{AppUsage: a, used: a.Usage.Used()}
	}
	slices.SortFunc(remaining, func(a, b candidate) int { return cmp.Compare(a.App, b.App) })

	// An application that needs no work leaves the state as it is, so
	// adding the free ones in any order finds them all in one pass.
	remaining = slices.DeleteFunc(remaining, func(a candidate) bool {
		if p.cost(a) != (workCost{}) {
			return false
		}
		p.add(a.Usage, Work{})
		plan.SupportedAtStart = append(plan.SupportedAtStart, a.App)
		return true
	})

	for len(remaining) > 0 {
		// Equal costs keep the earlier application, the first in name
		// order.
		best, bestCost := 0, p.cost(remaining[0])
		for i := 1; i < len(remaining); i++ {
			if c := p.cost(remaining[i]); c.less(bestCost) {
				best, bestCost = i, c
			}
		}
		work := p.newWork(remaining[best])
		step := Step{Work: work, Apps: []string{remaining[best].App}}
		p.add(remaining[best].Usage, work)
		remaining = slices.Delete(remaining, best, best+1)

		// Applications that need nothing more join this step.
		remaining = slices.DeleteFunc(remaining, func(a candidate) bool {
			if p.cost(a) != (workCost{}) {
				return false
			}
			p.add(a.Usage, Work{})
			step.Apps = append(step.Apps, a.App)
			return true
		})
		plan.Steps = append(plan.Steps, step)
	}

	plan.Missing = missing(MergeAll(apps), osList)
	return plan
}

// missing returns what an OS providing osList lacks for needs u.
func missing(u Usage, osList *loupedb.Set) Work {
	w := Work{Implement: []int{}, Stub: []int{}, Fake: []int{}}
	for _, nr := range u.Used() {
		if osList.Has(nr) {
			continue
		}
		w.add(nr, treatmentFor(u.Need(nr)))
	}
	return w
}

func sortByApp(apps []AppUsage) {
	slices.SortFunc(apps, func(a, b AppUsage) int { return cmp.Compare(a.App, b.App) })
}
