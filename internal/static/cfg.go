package static

import (
	"sort"

	"golang.org/x/arch/x86/x86asm"
)

// A funcFlow is the result of the data flow analysis of one function: the
// value of every parameter location just before each syscall, int 0x80, call
// and jump instruction, by instruction address.
type funcFlow struct {
	at map[uint64]*[numParams]value
}

type decoded struct {
	addr uint64
	inst x86asm.Inst
}

// maxFlowRounds bounds the work on one function, in block visits per block.
// A fixed point normally takes a few. Past the bound the result is
// incomplete, so the sites not yet reached read as unknown.
const maxFlowRounds = 64

// analyzeFunction runs the data flow analysis over the basic blocks of
// function fi.
func (o *object) analyzeFunction(fi int32) *funcFlow {
	f := &o.funcs[fi]
	insts := o.decodeRange(f.start, f.end)
	flow := &funcFlow{at: map[uint64]*[numParams]value{}}
	if len(insts) == 0 {
		return flow
	}

	index := make(map[uint64]int, len(insts))
	for i, d := range insts {
		index[d.addr] = i
	}
	leaders := map[int]bool{0: true}
	for i, d := range insts {
		if target, ok := branchTarget(d); ok {
			if j, ok := index[target]; ok {
				leaders[j] = true
			}
		}
		if (endsBlock(d.inst.Op) || o.callsNoReturn(d)) && i+1 < len(insts) {
			leaders[i+1] = true
		}
	}
	starts := make([]int, 0, len(leaders))
	for i := range leaders {
		starts = append(starts, i)
	}
	sort.Ints(starts)
	blockOf := make(map[int]int, len(starts))
	for b, i := range starts {
		blockOf[i] = b
	}
	blockEnd := func(b int) int {
		if b+1 < len(starts) {
			return starts[b+1]
		}
		return len(insts)
	}
	successors := func(b int) []int {
		last := insts[blockEnd(b)-1]
		var succ []int
		if target, ok := branchTarget(last); ok {
			if j, ok := index[target]; ok {
				succ = append(succ, blockOf[j])
			}
		}
		if !noFallThrough(last.inst.Op) && !o.callsNoReturn(last) && b+1 < len(starts) {
			succ = append(succ, b+1)
		}
		return succ
	}

	// Blocks that no direct branch or fall-through reaches are switch
	// cases and other targets of indirect jumps: they start from a state
	// where nothing is known. Alignment padding is not code and falls
	// through into a block that has its own predecessors, so it is left
	// out.
	hasPred := make([]bool, len(starts))
	for b := range starts {
		for _, s := range successors(b) {
			hasPred[s] = true
		}
	}
	in := make([]*frame, len(starts))
	in[0] = entryFrame()
	work := []int{0}
	queued := map[int]bool{0: true}
	for b := 1; b < len(starts); b++ {
		if !hasPred[b] && !isPadding(insts[starts[b]:blockEnd(b)]) {
			in[b] = unknownFrame()
			work = append(work, b)
			queued[b] = true
		}
	}
	for rounds := 0; len(work) > 0 && rounds < maxFlowRounds*len(starts); rounds++ {
		b := work[0]
		work = work[1:]
		queued[b] = false
		fr := in[b].clone()
		for _, d := range insts[starts[b]:blockEnd(b)] {
			fr.step(d.inst)
		}
		for _, s := range successors(b) {
			changed := false
			if in[s] == nil {
				in[s] = fr.clone()
				changed = true
			} else {
				changed = in[s].join(fr)
			}
			if changed && !queued[s] {
				work = append(work, s)
				queued[s] = true
			}
		}
	}

	for b := range starts {
		if in[b] == nil {
			continue
		}
		fr := in[b].clone()
		for _, d := range insts[starts[b]:blockEnd(b)] {
			switch d.inst.Op {
			case x86asm.SYSCALL, x86asm.INT, x86asm.CALL, x86asm.JMP:
				p := fr.params()
				flow.at[d.addr] = &p
			}
			fr.step(d.inst)
		}
	}
	return flow
}

// decodeRange decodes [start, end) linearly, skipping bytes that do not
// decode, as the sweep does.
func (o *object) decodeRange(start, end uint64) []decoded {
	var code []byte
	for _, c := range o.code {
		if start >= c.addr && end <= c.addr+uint64(len(c.data)) {
			code = c.data[start-c.addr : end-c.addr]
		}
	}
	var out []decoded
	for pos := 0; pos < len(code); {
		inst, err := x86asm.Decode(code[pos:], 64)
		if err != nil || inst.Len == 0 {
			pos++
			continue
		}
		out = append(out, decoded{addr: start + uint64(pos), inst: inst})
		pos += inst.Len
	}
	return out
}

// callsNoReturn reports whether d is a direct call to a function that does
// not return.
func (o *object) callsNoReturn(d decoded) bool {
	rel, ok := d.inst.Args[0].(x86asm.Rel)
	if d.inst.Op != x86asm.CALL || !ok {
		return false
	}
	fi := o.funcAt(d.addr + uint64(d.inst.Len) + uint64(int64(rel)))
	return fi >= 0 && o.funcs[fi].noReturn
}

// branchTarget returns the target of a direct jump or conditional branch.
func branchTarget(d decoded) (uint64, bool) {
	if d.inst.Op != x86asm.JMP && !isCondBranch(d.inst.Op) {
		return 0, false
	}
	rel, ok := d.inst.Args[0].(x86asm.Rel)
	if !ok {
		return 0, false
	}
	return d.addr + uint64(d.inst.Len) + uint64(int64(rel)), true
}

func endsBlock(op x86asm.Op) bool {
	return op == x86asm.JMP || isCondBranch(op) || noFallThrough(op)
}

// isInt3 reports whether inst is the breakpoint trap that compilers use as
// padding after code that does not return.
func isInt3(inst x86asm.Inst) bool {
	imm, ok := inst.Args[0].(x86asm.Imm)
	return inst.Op == x86asm.INT && ok && imm == 3
}

func isPadding(insts []decoded) bool {
	for _, d := range insts {
		if d.inst.Op != x86asm.NOP && !isInt3(d.inst) {
			return false
		}
	}
	return true
}

// noFallThrough reports whether execution never continues with the next
// instruction.
func noFallThrough(op x86asm.Op) bool {
	switch op {
	case x86asm.JMP, x86asm.RET, x86asm.UD2, x86asm.HLT:
		return true
	}
	return false
}
