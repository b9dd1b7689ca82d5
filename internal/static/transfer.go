package static

import "golang.org/x/arch/x86/x86asm"

// step applies the effect of one instruction to fr. Instructions it does not
// model make their destination unknown, which can lose a syscall number
// but never invent one.
func (fr *frame) step(inst x86asm.Inst) {
	bits := operandBits(inst)
	dst, src := inst.Args[0], inst.Args[1]

	switch inst.Op {
	case x86asm.MOV, x86asm.MOVZX, x86asm.MOVSX, x86asm.MOVSXD:
		srcBits := bits
		if inst.Op != x86asm.MOV {
			srcBits = inst.MemBytes * 8
			if r, ok := src.(x86asm.Reg); ok {
				_, srcBits, _ = regIndex(r)
			}
		}
		fr.write(dst, fr.read(src, srcBits), bits)

	case x86asm.XOR, x86asm.SUB:
		if dst != nil && dst == src {
			fr.write(dst, constant(0), bits)
			return
		}
		fr.arith(inst, dst, src, bits)

	case x86asm.ADD, x86asm.OR, x86asm.AND:
		fr.arith(inst, dst, src, bits)

	case x86asm.LEA:
		fr.lea(dst, src, bits)

	case x86asm.PUSH:
		v := fr.read(dst, 64)
		if fr.spKnown {
			fr.sp -= 8
			fr.stack[fr.sp] = v
		}

	case x86asm.POP:
		v := unknown
		if fr.spKnown {
			if w, ok := fr.stack[fr.sp]; ok {
				v = w
			}
			fr.sp += 8
		}
		fr.write(dst, v, bits)

	case x86asm.CALL:
		fr.clobber(callerSaved...)
		if fr.escaped {
			fr.stack = map[int64]value{}
		}

	case x86asm.XCHG:
		a, b := fr.read(dst, bits), fr.read(src, bits)
		fr.write(dst, b, bits)
		fr.write(src, a, bits)

	case x86asm.XADD:
		fr.write(dst, unknown, bits)
		fr.write(src, unknown, bits)

	case x86asm.SYSCALL:
		fr.clobber(regAX, regCX, regR8+3)

	case x86asm.LEAVE, x86asm.ENTER:
		fr.spKnown = false
		fr.clobber(regBP)

	case x86asm.PUSHF, x86asm.PUSHFQ:
		if fr.spKnown {
			fr.sp -= 8
			fr.stack[fr.sp] = unknown
		}

	case x86asm.POPF, x86asm.POPFQ:
		if fr.spKnown {
			fr.sp += 8
		}

	case x86asm.CMP, x86asm.TEST, x86asm.BT, x86asm.NOP, x86asm.JMP, x86asm.RET,
		x86asm.PREFETCHNTA, x86asm.PREFETCHT0, x86asm.PREFETCHT1, x86asm.PREFETCHT2,
		x86asm.LFENCE, x86asm.MFENCE, x86asm.SFENCE, x86asm.PAUSE, x86asm.UCOMISS,
		x86asm.UCOMISD, x86asm.COMISS, x86asm.COMISD, x86asm.PTEST:
		// No register or memory is written.

	default:
		if !isCondBranch(inst.Op) {
			fr.write(dst, unknown, bits)
			fr.clobber(implicitWrites(inst)...)
		}
	}
}

// arith applies add, sub, or, and or xor of an immediate to a constant,
// and tracks rsp adjustments.
func (fr *frame) arith(inst x86asm.Inst, dst, src x86asm.Arg, bits int) {
	imm, isImm := src.(x86asm.Imm)
	if r, ok := dst.(x86asm.Reg); ok && r == x86asm.RSP {
		switch {
		case isImm && inst.Op == x86asm.SUB && fr.spKnown:
			fr.sp -= int64(imm)
		case isImm && inst.Op == x86asm.ADD && fr.spKnown:
			fr.sp += int64(imm)
		default:
			// "and rsp, -16" and the like: the frame can no longer be
			// addressed through rsp.
			fr.spKnown = false
		}
		return
	}
	if !isImm {
		fr.write(dst, unknown, bits)
		return
	}
	n := int64(imm)
	op := inst.Op
	apply := func(c int64) int64 {
		switch op {
		case x86asm.ADD:
			return c + n
		case x86asm.SUB:
			return c - n
		case x86asm.OR:
			return c | n
		case x86asm.AND:
			return c & n
		}
		return c ^ n
	}
	fr.write(dst, fr.read(dst, bits).mapConsts(apply), bits)
}

// lea handles "lea reg, [base+disp]": a constant plus disp stays a constant,
// and an address in the frame marks the frame as escaped.
func (fr *frame) lea(dst, src x86asm.Arg, bits int) {
	m, ok := src.(x86asm.Mem)
	if !ok {
		fr.write(dst, unknown, bits)
		return
	}
	if m.Base == x86asm.RSP || m.Base == x86asm.ESP || m.Index == x86asm.RSP {
		fr.escaped = true
	}
	if m.Index != 0 || m.Base == 0 || m.Base == x86asm.RIP {
		fr.write(dst, unknown, bits)
		return
	}
	fr.write(dst, fr.read(m.Base, 64).mapConsts(func(c int64) int64 { return c + m.Disp }), bits)
}

// implicitWrites returns the registers an instruction writes without naming
// them as its first operand.
func implicitWrites(inst x86asm.Inst) []int {
	switch inst.Op {
	case x86asm.MUL, x86asm.DIV, x86asm.IDIV, x86asm.CWD, x86asm.CDQ, x86asm.CQO,
		x86asm.RDTSC, x86asm.RDPMC, x86asm.XGETBV, x86asm.CMPXCHG8B, x86asm.CMPXCHG16B:
		return []int{regAX, regDX}
	case x86asm.IMUL:
		if inst.Args[1] == nil {
			return []int{regAX, regDX}
		}
	case x86asm.CBW, x86asm.CWDE, x86asm.CDQE, x86asm.CMPXCHG, x86asm.LAHF, x86asm.IN, x86asm.INT:
		return []int{regAX}
	case x86asm.CPUID:
		return []int{regAX, regBX, regCX, regDX}
	case x86asm.RDTSCP:
		return []int{regAX, regCX, regDX}
	case x86asm.LODSB, x86asm.LODSW, x86asm.LODSD, x86asm.LODSQ,
		x86asm.STOSB, x86asm.STOSW, x86asm.STOSD, x86asm.STOSQ,
		x86asm.MOVSB, x86asm.MOVSW, x86asm.MOVSD, x86asm.MOVSQ,
		x86asm.CMPSB, x86asm.CMPSW, x86asm.CMPSD, x86asm.CMPSQ,
		x86asm.SCASB, x86asm.SCASW, x86asm.SCASD, x86asm.SCASQ:
		return []int{regAX, regCX, regSI, regDI}
	}
	return nil
}
