package static

import "slices"

// A value is the abstract content of a register or stack slot at one point
// of a function: the constants it may hold, the parameters of the function
// it may hold unchanged, and whether it may hold anything else.
type value struct {
	consts  []int64 // sorted, never modified after creation
	params  paramSet
	unknown bool
}

// maxConsts bounds the constants a value tracks; a loop that counts a
// register up would otherwise never reach a fixed point.
const maxConsts = 16

// A paramSet is a set of parameter locations at function entry. Bits 0-15
// are the general-purpose registers in encoding order (rax, rcx, rdx, rbx,
// rsp, rbp, rsi, rdi, r8-r15). Bits 16-23 are the stack words at rsp+8 to
// rsp+64, where the first stack arguments are.
type paramSet uint32

const (
	numRegs        = 16
	numStackParams = 8
	numParams      = numRegs + numStackParams
)

func constant(c int64) value { return value{consts: []int64{c}} }

func param(p int) value { return value{params: 1 << p} }

var unknown = value{unknown: true}

func (v value) equal(w value) bool {
	return v.params == w.params && v.unknown == w.unknown && slices.Equal(v.consts, w.consts)
}

// join returns the union of v and w.
func (v value) join(w value) value {
	out := value{params: v.params | w.params, unknown: v.unknown || w.unknown}
	switch {
	case len(w.consts) == 0:
		out.consts = v.consts
	case len(v.consts) == 0:
		out.consts = w.consts
	default:
		c := slices.Concat(v.consts, w.consts)
		slices.Sort(c)
		out.consts = slices.Compact(c)
	}
	if len(out.consts) > maxConsts {
		out.consts = nil
		out.unknown = true
	}
	return out
}

// mapConsts applies f to every constant. A value that may hold a parameter
// or anything else becomes unknown, because f of a parameter is no longer
// the parameter.
func (v value) mapConsts(f func(int64) int64) value {
	if v.params != 0 || v.unknown || len(v.consts) == 0 {
		return unknown
	}
	out := make([]int64, len(v.consts))
	for i, c := range v.consts {
		out[i] = f(c)
	}
	slices.Sort(out)
	return value{consts: slices.Compact(out)}
}

// truncate32 is the value written to a 32-bit register, which the CPU
// zero-extends to 64 bits. A parameter stays a parameter: syscall numbers
// and the other small values followed here fit in 32 bits.
func (v value) truncate32() value {
	if len(v.consts) == 0 {
		return v
	}
	out := v
	out.consts = make([]int64, len(v.consts))
	for i, c := range v.consts {
		out.consts[i] = int64(uint32(c))
	}
	slices.Sort(out.consts)
	out.consts = slices.Compact(out.consts)
	return out
}
