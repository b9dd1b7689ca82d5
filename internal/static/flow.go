package static

import (
	"golang.org/x/arch/x86/x86asm"
)

// The data flow analysis runs only on the functions that need it: those
// with a syscall instruction, and the callers of functions that take the
// syscall number as an argument. It follows constants through registers and
// the function's own stack frame across the basic blocks of one function.

// A frame is the abstract machine state at one point of a function.
type frame struct {
	regs [numRegs]value
	// sp is rsp relative to its value at function entry, when spKnown.
	sp      int64
	spKnown bool
	// stack holds the words of the frame by entry-relative offset.
	stack map[int64]value
	// escaped is set once the code takes the address of a stack slot: a
	// callee may then write the frame, so calls forget it.
	escaped bool
}

func entryFrame() *frame {
	fr := &frame{spKnown: true, stack: map[int64]value{}}
	for r := range numRegs {
		fr.regs[r] = param(r)
	}
	for i := range numStackParams {
		fr.stack[int64(8*(i+1))] = param(numRegs + i)
	}
	return fr
}

func unknownFrame() *frame {
	fr := &frame{stack: map[int64]value{}}
	for r := range numRegs {
		fr.regs[r] = unknown
	}
	return fr
}

func (fr *frame) clone() *frame {
	c := *fr
	c.stack = make(map[int64]value, len(fr.stack))
	for k, v := range fr.stack {
		c.stack[k] = v
	}
	return &c
}

// join merges other into fr and reports whether fr changed.
func (fr *frame) join(other *frame) bool {
	changed := false
	for r := range numRegs {
		j := fr.regs[r].join(other.regs[r])
		if !j.equal(fr.regs[r]) {
			fr.regs[r] = j
			changed = true
		}
	}
	if fr.spKnown && (!other.spKnown || other.sp != fr.sp) {
		fr.spKnown = false
		changed = true
	}
	for k, v := range fr.stack {
		w, ok := other.stack[k]
		if !ok || !fr.spKnown {
			delete(fr.stack, k)
			changed = true
			continue
		}
		if j := v.join(w); !j.equal(v) {
			fr.stack[k] = j
			changed = true
		}
	}
	if other.escaped && !fr.escaped {
		fr.escaped = true
		changed = true
	}
	return changed
}

// params returns the values of every parameter location a callee would
// see if fr is the state just before a call.
func (fr *frame) params() [numParams]value {
	var out [numParams]value
	copy(out[:], fr.regs[:])
	for i := range numStackParams {
		out[numRegs+i] = unknown
		if fr.spKnown {
			// The call pushes the return address, so the callee's rsp+8
			// is the caller's rsp.
			if v, ok := fr.stack[fr.sp+int64(8*i)]; ok {
				out[numRegs+i] = v
			}
		}
	}
	return out
}

// regIndex maps a general-purpose register to its encoding number and
// width in bits.
func regIndex(r x86asm.Reg) (idx, bits int, ok bool) {
	switch {
	case r >= x86asm.AL && r <= x86asm.BL:
		return int(r - x86asm.AL), 8, true
	case r >= x86asm.AH && r <= x86asm.BH:
		return int(r - x86asm.AH), 8, true
	case r >= x86asm.SPB && r <= x86asm.DIB:
		return int(r-x86asm.SPB) + 4, 8, true
	case r >= x86asm.R8B && r <= x86asm.R15B:
		return int(r-x86asm.R8B) + 8, 8, true
	case r >= x86asm.AX && r <= x86asm.R15W:
		return int(r - x86asm.AX), 16, true
	case r >= x86asm.EAX && r <= x86asm.R15L:
		return int(r - x86asm.EAX), 32, true
	case r >= x86asm.RAX && r <= x86asm.R15:
		return int(r - x86asm.RAX), 64, true
	}
	return 0, 0, false
}

const (
	regAX = 0
	regCX = 1
	regDX = 2
	regBX = 3
	regSP = 4
	regBP = 5
	regSI = 6
	regDI = 7
	regR8 = 8
)

// callerSaved are the registers a call may change in the System V ABI.
var callerSaved = []int{regAX, regCX, regDX, regSI, regDI, regR8, regR8 + 1, regR8 + 2, regR8 + 3}

// stackSlot returns the entry-relative offset that a memory operand
// addresses, if it is a known word of the frame.
func (fr *frame) stackSlot(m x86asm.Mem) (int64, bool) {
	if m.Base != x86asm.RSP || m.Index != 0 || m.Segment != 0 || !fr.spKnown {
		return 0, false
	}
	return fr.sp + m.Disp, true
}

// read returns the value of a source operand of the given width in bits.
func (fr *frame) read(a x86asm.Arg, bits int) value {
	switch a := a.(type) {
	case x86asm.Imm:
		return constant(int64(a))
	case x86asm.Reg:
		idx, width, ok := regIndex(a)
		if !ok || width < 32 {
			return unknown
		}
		if width == 32 {
			return fr.regs[idx].truncate32()
		}
		return fr.regs[idx]
	case x86asm.Mem:
		off, ok := fr.stackSlot(a)
		if !ok || bits < 32 {
			return unknown
		}
		v, ok := fr.stack[off]
		if !ok {
			return unknown
		}
		if bits == 32 {
			return v.truncate32()
		}
		return v
	}
	return unknown
}

// write stores v into a destination operand of the given width in bits.
// Partial register writes make the whole register unknown.
func (fr *frame) write(a x86asm.Arg, v value, bits int) {
	switch a := a.(type) {
	case x86asm.Reg:
		idx, width, ok := regIndex(a)
		if !ok {
			return
		}
		if idx == regSP {
			fr.spKnown = false
			return
		}
		switch width {
		case 64:
			fr.regs[idx] = v
		case 32:
			fr.regs[idx] = v.truncate32()
		default:
			fr.regs[idx] = unknown
		}
	case x86asm.Mem:
		fr.store(a, v, bits)
	}
}

// store writes a stack word. A store of another size, or to an offset that
// overlaps tracked words, makes those words unknown.
// NOTE: stores through registers other than rsp are assumed not to alias
// the frame; code that writes its own frame through a copied pointer can
// leave a stale value here.
func (fr *frame) store(m x86asm.Mem, v value, bits int) {
	off, ok := fr.stackSlot(m)
	if !ok {
		return
	}
	size := int64(bits / 8)
	for k := range fr.stack {
		if k > off-8 && k < off+size {
			delete(fr.stack, k)
		}
	}
	if bits == 64 || bits == 32 {
		if bits == 32 {
			v = v.truncate32()
		}
		fr.stack[off] = v
	}
}

func (fr *frame) clobber(regs ...int) {
	for _, r := range regs {
		fr.regs[r] = unknown
	}
}

// operandBits returns the width of an instruction's operation.
func operandBits(inst x86asm.Inst) int {
	if r, ok := inst.Args[0].(x86asm.Reg); ok {
		if _, bits, ok := regIndex(r); ok {
			return bits
		}
	}
	if inst.MemBytes > 0 {
		return inst.MemBytes * 8
	}
	return inst.DataSize
}
