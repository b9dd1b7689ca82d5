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
	Missing          Work // what the OS lacks for all the applications
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

// treatment is what the OS does, or will do, for a syscall it does not list.
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
func (p *planner) newWork(a Usage) Work {
	w := Work{Implement: []int{}, Stub: []int{}, Fake: []int{}}
	for _, nr := range a.Used() {
		if p.os.Has(nr) {
			continue
		}
		need := Merge(p.supported.Need(nr), a.Need(nr))
		if p.treatment(nr).satisfies(need) {
			continue
		}
		switch treatmentFor(need) {
		case implemented:
			w.Implement = append(w.Implement, nr)
		case faked:
			w.Fake = append(w.Fake, nr)
		default:
			w.Stub = append(w.Stub, nr)
		}
	}
	return w
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

func (w Work) empty() bool {
	return len(w.Implement) == 0 && len(w.Stub) == 0 && len(w.Fake) == 0
}

// Compute builds the support plan of apps for an OS that provides the
// syscalls in osList.
func Compute(apps []AppUsage, osList *loupedb.Set) Plan {
	p := &planner{os: osList}
	plan := Plan{SupportedAtStart: []string{}, Steps: []Step{}}

	remaining := slices.Clone(apps)
	sortByApp(remaining)
	remaining = slices.DeleteFunc(remaining, func(a AppUsage) bool {
		if !p.newWork(a.Usage).empty() {
			return false
		}
		plan.SupportedAtStart = append(plan.SupportedAtStart, a.App)
		return true
	})
	for _, a := range apps {
		if slices.Contains(plan.SupportedAtStart, a.App) {
			p.supported = p.supported.Merge(a.Usage)
		}
	}

	for len(remaining) > 0 {
		best, bestWork := 0, p.newWork(remaining[0].Usage)
		for i := 1; i < len(remaining); i++ {
			w := p.newWork(remaining[i].Usage)
			if cheaper(w, bestWork) {
				best, bestWork = i, w
			}
		}
		step := Step{Work: bestWork, Apps: []string{remaining[best].App}}
		p.add(remaining[best].Usage, bestWork)
		remaining = slices.Delete(remaining, best, best+1)

		// Applications that need nothing more join this step. Adding one
		// never adds work, so one pass in name order finds them all.
		remaining = slices.DeleteFunc(remaining, func(a AppUsage) bool {
			if !p.newWork(a.Usage).empty() {
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

// cheaper reports whether work w comes before v in the choice of the next
// step: fewer implementations, then fewer stubs and fakes together. Equal
// work keeps the earlier application, which is the first in name order.
func cheaper(w, v Work) bool {
	if c := cmp.Compare(len(w.Implement), len(v.Implement)); c != 0 {
		return c < 0
	}
	return len(w.Stub)+len(w.Fake) < len(v.Stub)+len(v.Fake)
}

// missing returns what an OS providing osList lacks for needs u.
func missing(u Usage, osList *loupedb.Set) Work {
	w := Work{Implement: []int{}, Stub: []int{}, Fake: []int{}}
	for _, nr := range u.Used() {
		if osList.Has(nr) {
			continue
		}
		switch treatmentFor(u.Need(nr)) {
		case implemented:
			w.Implement = append(w.Implement, nr)
		case faked:
			w.Fake = append(w.Fake, nr)
		default:
			w.Stub = append(w.Stub, nr)
		}
	}
	return w
}

func sortByApp(apps []AppUsage) {
	slices.SortFunc(apps, func(a, b AppUsage) int { return cmp.Compare(a.App, b.App) })
}
