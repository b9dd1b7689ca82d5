package plan

import "github.com/loupe-project/loupe/internal/loupedb"

// Usage holds the need of every syscall, indexed by x86_64 number, of one
// run or of a merged set. The zero value uses nothing.
type Usage struct {
	needs []Need
}

// UsageOf returns the needs that the results d express.
func UsageOf(d loupedb.Dynamic) Usage {
	u := Usage{needs: make([]Need, len(d))}
	for nr, r := range d {
		u.needs[nr] = NeedOf(r)
	}
	return u
}

// Need returns the need for syscall nr.
func (u Usage) Need(nr int) Need {
	if nr < 0 || nr >= len(u.needs) {
		return Unused
	}
	return u.needs[nr]
}

// Merge returns the merge of u and v (see Merge).
func (u Usage) Merge(v Usage) Usage {
	out := Usage{needs: make([]Need, max(len(u.needs), len(v.needs)))}
	for nr := range out.needs {
		out.needs[nr] = Merge(u.Need(nr), v.Need(nr))
	}
	return out
}

// With returns the numbers whose need is n, in increasing order.
func (u Usage) With(n Need) []int {
	nrs := []int{}
	for nr, m := range u.needs {
		if m == n {
			nrs = append(nrs, nr)
		}
	}
	return nrs
}

// Used returns the numbers of the syscalls used, in increasing order.
func (u Usage) Used() []int {
	nrs := []int{}
	for nr, m := range u.needs {
		if m != Unused {
			nrs = append(nrs, nr)
		}
	}
	return nrs
}

// Sets are the syscalls of a Usage sorted by need, as numbers in increasing
// order.
type Sets struct {
	Required, StubOnly, FakeOnly, Both []int
}

// Sets returns the used syscalls of u by need.
func (u Usage) Sets() Sets {
	return Sets{
		Required: u.With(Required),
		StubOnly: u.With(StubOnly),
		FakeOnly: u.With(FakeOnly),
		Both:     u.With(Both),
	}
}
