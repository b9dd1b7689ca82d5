package plan

import "github.com/loupe-project/loupe/internal/loupedb"

// Need is the support an application, or a set of them, needs from the OS
// for one syscall. It is a set of bits: used, and which alterations still
// work.
type Need uint8

const (
	used    Need = 1 << iota
	canStub      // works when stubbed (returns -ENOSYS)
	canFake      // works when faked (returns 0)
)

// The needs. Unused is the zero value.
const (
	Unused   Need = 0
	Required      = used
	StubOnly      = used | canStub
	FakeOnly      = used | canFake
	Both          = used | canStub | canFake
)

func (n Need) String() string {
	switch n {
	case Unused:
		return "unused"
	case Required:
		return "required"
	case StubOnly:
		return "stub_only"
	case FakeOnly:
		return "fake_only"
	case Both:
		return "both"
	}
	return "invalid"
}

// Merge returns the need of a set whose members need n and m: unused if
// neither uses the syscall, the other's need if only one uses it, and
// otherwise only the alterations that work for both.
func Merge(n, m Need) Need {
	switch {
	case n == Unused:
		return m
	case m == Unused:
		return n
	}
	return n & m
}

// NeedOf returns the need a dyn.csv row expresses. Flags of unused rows are
// ignored; a row that sets both "works faked" and "works stubbed" reads as
// Both, like a row that sets "works both".
func NeedOf(r loupedb.Result) Need {
	switch {
	case !r.Used:
		return Unused
	case r.Both || r.Faked && r.Stubbed:
		return Both
	case r.Stubbed:
		return StubOnly
	case r.Faked:
		return FakeOnly
	}
	return Required
}
