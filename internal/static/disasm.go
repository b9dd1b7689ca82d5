package static

import (
	"debug/elf"
	"sort"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

// A bound is the file's description of one function: its start, its end
// when a symbol size or an FDE gives it (0 otherwise) and its name if any.
type bound struct {
	start, end uint64
	name       string
}

// knownFunctions gathers function starts from the symbol tables, the unwind
// tables, the entry point and the init arrays.
func (o *object) knownFunctions(f *elf.File, syms, dynsyms []elf.Symbol) []bound {
	var bounds []bound
	// Dynamic symbols come first so that a function is named by its
	// public name ("read") rather than an internal alias ("__libc_read").
	for _, list := range [][]elf.Symbol{dynsyms, syms} {
		for _, s := range list {
			if !isFuncSymbol(s) || !o.isCode(s.Value) {
				continue
			}
			b := bound{start: s.Value, name: s.Name}
			if s.Size > 0 {
				b.end = s.Value + s.Size
			}
			bounds = append(bounds, b)
		}
	}
	if addr, data := o.ehFrame(f); data != nil {
		for _, r := range fdeRanges(addr, data) {
			if o.isCode(r[0]) {
				bounds = append(bounds, bound{start: r[0], end: r[1]})
			}
		}
	}
	for _, a := range append([]uint64{o.entry}, o.initFuncs...) {
		if o.isCode(a) {
			bounds = append(bounds, bound{start: a})
		}
	}
	return bounds
}

// events are the instructions of interest that the linear sweep finds, by
// address, before the instructions are assigned to functions.
type events struct {
	syscalls []uint64
	int80    []uint64
	branches []branch
	slotRefs []slotRef
	indirect []indirectBranch
	addrRefs [][2]uint64 // instruction address, referenced code address
	rets     []uint64
	pltStubs []pltStub
}

// A pltStub is the start of a PLT entry and the import it jumps to.
type pltStub struct {
	start uint64
	imp   int32
}

type branchKind uint8

const (
	branchCall branchKind = iota
	branchJump
	branchCond
)

type branch struct {
	from, to uint64
	kind     branchKind
}

// A slotRef is a call, jump or load through a GOT slot.
type slotRef struct {
	from, slot uint64
	kind       branchKind // branchCall, branchJump; branchCond marks a load
}

type indirectBranch struct {
	from uint64
	call bool
}

// disassemble sweeps the code linearly, restarting at every known function
// start so that padding or data between functions cannot misalign the
// decoding of the next function, and then splits the code into functions.
func (o *object) disassemble(bounds []bound) {
	names := map[uint64]string{}
	starts := map[uint64]bool{}
	// A function runs to the next start, past the end its symbol or FDE
	// gives: hand-written code such as glibc's clone3 ends its unwind
	// information (cfi_endproc) before its last instructions.
	for _, b := range bounds {
		starts[b.start] = true
		if _, ok := names[b.start]; !ok && b.name != "" {
			names[b.start] = b.name
		}
	}
	for _, c := range o.code {
		starts[c.addr] = true
	}
	known := sortedKeys(starts)
	o.symbolRanges = symbolRanges(bounds)

	var ev events
	for _, c := range o.code {
		end := c.addr + uint64(len(c.data))
		i := sort.Search(len(known), func(i int) bool { return known[i] >= c.addr })
		for ; i < len(known) && known[i] < end; i++ {
			stop := end
			if i+1 < len(known) && known[i+1] < end {
				stop = known[i+1]
			}
			o.sweep(c.data[known[i]-c.addr:stop-c.addr], known[i], &ev)
		}
	}

	// Call targets in code that no symbol or FDE covers start functions of
	// their own, and so does every PLT stub, so that calling one stub does
	// not reach every import of the PLT section.
	ranges := knownRanges(bounds)
	for _, br := range ev.branches {
		if br.kind == branchCall && o.isCode(br.to) && !ranges.contains(br.to) {
			starts[br.to] = true
		}
	}
	for _, s := range ev.pltStubs {
		starts[s.start] = true
		if _, named := names[s.start]; !named && s.imp >= 0 {
			names[s.start] = o.imports[s.imp] + "@plt"
		}
	}
	o.buildFunctions(sortedKeys(starts), names, &ev)
}

// sweep decodes the instructions of one stretch of code at addr.
func (o *object) sweep(code []byte, addr uint64, ev *events) {
	for pos := 0; pos < len(code); {
		inst, err := x86asm.Decode(code[pos:], 64)
		if err != nil || inst.Len == 0 {
			pos++
			continue
		}
		at := addr + uint64(pos)
		next := at + uint64(inst.Len)
		o.record(inst, at, next, code, pos, ev)
		pos += inst.Len
	}
}

// record notes the instruction at address at if the analysis needs it.
func (o *object) record(inst x86asm.Inst, at, next uint64, code []byte, pos int, ev *events) {
	switch inst.Op {
	case x86asm.SYSCALL:
		ev.syscalls = append(ev.syscalls, at)
	case x86asm.RET:
		ev.rets = append(ev.rets, at)
	case x86asm.INT:
		if imm, ok := inst.Args[0].(x86asm.Imm); ok && imm == 0x80 {
			ev.int80 = append(ev.int80, at)
		}
	case x86asm.CALL, x86asm.JMP:
		kind := branchJump
		if inst.Op == x86asm.CALL {
			kind = branchCall
		}
		switch a := inst.Args[0].(type) {
		case x86asm.Rel:
			ev.branches = append(ev.branches, branch{from: at, to: next + uint64(int64(a)), kind: kind})
		case x86asm.Mem:
			if a.Base == x86asm.RIP && a.Index == 0 {
				slot := next + uint64(a.Disp)
				if s, ok := o.slots[slot]; ok {
					ev.slotRefs = append(ev.slotRefs, slotRef{from: at, slot: slot, kind: kind})
					if kind == branchJump && o.isPLT(at) {
						ev.pltStubs = append(ev.pltStubs, pltStub{start: pltStubStart(code, pos, at), imp: s.imp})
					}
					return
				}
			}
			ev.indirect = append(ev.indirect, indirectBranch{from: at, call: kind == branchCall})
		default:
			ev.indirect = append(ev.indirect, indirectBranch{from: at, call: kind == branchCall})
		}
	case x86asm.LEA:
		if m, ok := inst.Args[1].(x86asm.Mem); ok && m.Base == x86asm.RIP && m.Index == 0 {
			if target := next + uint64(m.Disp); o.isCode(target) {
				ev.addrRefs = append(ev.addrRefs, [2]uint64{at, target})
			}
		}
	case x86asm.MOV:
		switch a := inst.Args[1].(type) {
		case x86asm.Imm:
			// Position-dependent code loads function addresses as
			// immediates ("mov edi, offset main").
			if _, isReg := inst.Args[0].(x86asm.Reg); isReg && a > 0 && o.isCode(uint64(a)) {
				ev.addrRefs = append(ev.addrRefs, [2]uint64{at, uint64(a)})
			}
		case x86asm.Mem:
			if a.Base == x86asm.RIP && a.Index == 0 {
				slot := next + uint64(a.Disp)
				if _, ok := o.slots[slot]; ok {
					ev.slotRefs = append(ev.slotRefs, slotRef{from: at, slot: slot, kind: branchCond})
				}
			}
		}
	default:
		if isCondBranch(inst.Op) {
			if rel, ok := inst.Args[0].(x86asm.Rel); ok {
				ev.branches = append(ev.branches, branch{from: at, to: next + uint64(int64(rel)), kind: branchCond})
			}
		}
	}
}

// isPLT reports whether addr is in a PLT section, or, in a file without
// section headers, outside every function a symbol describes.
func (o *object) isPLT(addr uint64) bool {
	if o.hasSections {
		return o.plt.contains(addr)
	}
	return !o.symbolRanges.contains(addr)
}

// pltStubStart returns where the PLT stub whose GOT jump is at address at
// begins: at the jump, or at the endbr64 just before it (the IBT layout of
// .plt.sec).
func pltStubStart(code []byte, pos int, at uint64) uint64 {
	endbr64 := []byte{0xf3, 0x0f, 0x1e, 0xfa}
	if pos >= 4 && string(code[pos-4:pos]) == string(endbr64) {
		return at - 4
	}
	return at
}

func isCondBranch(op x86asm.Op) bool {
	switch op {
	case x86asm.JA, x86asm.JAE, x86asm.JB, x86asm.JBE, x86asm.JCXZ, x86asm.JE, x86asm.JECXZ,
		x86asm.JG, x86asm.JGE, x86asm.JL, x86asm.JLE, x86asm.JNE, x86asm.JNO, x86asm.JNP,
		x86asm.JNS, x86asm.JO, x86asm.JP, x86asm.JRCXZ, x86asm.JS,
		x86asm.LOOP, x86asm.LOOPE, x86asm.LOOPNE:
		return true
	}
	return false
}

// buildFunctions makes one function per start, up to the next start, and
// turns the events into the edges of the call graph.
func (o *object) buildFunctions(starts []uint64, names map[uint64]string, ev *events) {
	o.funcs = make([]function, 0, len(starts))
	for i, s := range starts {
		if !o.isCode(s) {
			continue
		}
		end := o.codeEnd(s)
		if i+1 < len(starts) && starts[i+1] < end {
			end = starts[i+1]
		}
		o.funcs = append(o.funcs, function{start: s, end: end, name: names[s]})
	}

	o.findNoReturn(ev)
	seen := map[int32]bool{}
	for _, a := range o.dataRelocs {
		if fi := o.funcAt(a); fi >= 0 && !seen[fi] && o.funcs[fi].start == a {
			seen[fi] = true
			o.dataRefs = append(o.dataRefs, fi)
		}
	}
	o.dataRelocs = nil
	for _, a := range ev.syscalls {
		if fi := o.funcAt(a); fi >= 0 {
			o.funcs[fi].syscalls = append(o.funcs[fi].syscalls, a)
		}
	}
	for _, a := range ev.int80 {
		if fi := o.funcAt(a); fi >= 0 {
			o.funcs[fi].int80 = append(o.funcs[fi].int80, a)
		}
	}
	for _, in := range ev.indirect {
		fi := o.funcAt(in.from)
		switch {
		case fi < 0:
		case in.call:
			o.funcs[fi].indirectCalls++
		default:
			o.funcs[fi].indirectJumps++
		}
	}
	for _, r := range ev.addrRefs {
		from, to := o.funcAt(r[0]), o.funcAt(r[1])
		if from >= 0 && to >= 0 && from != to {
			o.funcs[from].addrRefs = append(o.funcs[from].addrRefs, to)
		}
	}
	for _, br := range ev.branches {
		from, to := o.funcAt(br.from), o.funcAt(br.to)
		if from < 0 || to < 0 || (from == to && br.kind != branchCall) {
			continue
		}
		o.sites = append(o.sites, callSite{caller: from, callee: to, imp: -1, addr: br.from})
	}
	for _, r := range ev.slotRefs {
		from := o.funcAt(r.from)
		if from < 0 {
			continue
		}
		slot := o.slots[r.slot]
		switch {
		case slot.imp >= 0 && r.kind == branchCond:
			o.funcs[from].imports = append(o.funcs[from].imports, slot.imp)
		case slot.imp >= 0:
			o.funcs[from].imports = append(o.funcs[from].imports, slot.imp)
			o.sites = append(o.sites, callSite{caller: from, callee: -1, imp: slot.imp, addr: r.from})
		default:
			if to := o.funcAt(slot.target); to >= 0 {
				o.sites = append(o.sites, callSite{caller: from, callee: to, imp: -1, addr: r.from})
			}
		}
	}
	sort.Slice(o.sites, func(i, j int) bool { return o.sites[i].caller < o.sites[j].caller })
}

// noReturnNames are library functions that never return to their caller.
var noReturnNames = map[string]bool{
	"abort": true, "exit": true, "_exit": true, "_Exit": true, "quick_exit": true,
	"__stack_chk_fail": true, "__assert_fail": true, "__libc_fatal": true,
	"__fortify_fail": true, "__chk_fail": true, "err": true, "errx": true,
	"verr": true, "verrx": true, "pthread_exit": true, "longjmp": true,
	"siglongjmp": true, "__longjmp_chk": true, "_Unwind_Resume": true,
	"__cxa_throw": true, "__cxa_rethrow": true, "_ZSt9terminatev": true,
}

// findNoReturn marks the functions that never return: those named in
// noReturnNames, and those with no ret instruction and no jump out of the
// function, which is how compilers leave functions that end in abort() or
// exit(). The data flow does not continue after a call to one of them,
// where the compiler often places unrelated code.
func (o *object) findNoReturn(ev *events) {
	leaves := make([]bool, len(o.funcs))
	for _, a := range ev.rets {
		if fi := o.funcAt(a); fi >= 0 {
			leaves[fi] = true
		}
	}
	for _, in := range ev.indirect {
		if fi := o.funcAt(in.from); fi >= 0 && !in.call {
			leaves[fi] = true
		}
	}
	for _, r := range ev.slotRefs {
		if fi := o.funcAt(r.from); fi >= 0 && r.kind == branchJump {
			leaves[fi] = true
		}
	}
	for _, br := range ev.branches {
		from := o.funcAt(br.from)
		if from >= 0 && br.kind != branchCall && o.funcAt(br.to) != from {
			leaves[from] = true
		}
	}
	for i := range o.funcs {
		f := &o.funcs[i]
		name, _ := strings.CutSuffix(f.name, "@plt")
		f.noReturn = noReturnNames[name] || !leaves[i]
	}
}

// codeEnd returns the end of the code range containing addr.
func (o *object) codeEnd(addr uint64) uint64 {
	for _, c := range o.code {
		if addr >= c.addr && addr-c.addr < uint64(len(c.data)) {
			return c.addr + uint64(len(c.data))
		}
	}
	return addr
}

// callSites returns the sites in function fi.
func (o *object) callSites(fi int32) []callSite {
	i := sort.Search(len(o.sites), func(i int) bool { return o.sites[i].caller >= fi })
	j := i
	for j < len(o.sites) && o.sites[j].caller == fi {
		j++
	}
	return o.sites[i:j]
}

// rangeSet is a set of [start, end) ranges.
type rangeSet [][2]uint64

func knownRanges(bounds []bound) rangeSet {
	var rs rangeSet
	for _, b := range bounds {
		if b.end > b.start {
			rs = append(rs, [2]uint64{b.start, b.end})
		}
	}
	return rs.merge()
}

func symbolRanges(bounds []bound) rangeSet {
	var rs rangeSet
	for _, b := range bounds {
		if b.end > b.start && b.name != "" {
			rs = append(rs, [2]uint64{b.start, b.end})
		}
	}
	return rs.merge()
}

// merge sorts and merges the ranges, so that contains can binary search.
func (rs rangeSet) merge() rangeSet {
	sort.Slice(rs, func(i, j int) bool { return rs[i][0] < rs[j][0] })
	merged := rs[:0]
	for _, r := range rs {
		if n := len(merged); n > 0 && r[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], r[1])
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

func (rs rangeSet) contains(addr uint64) bool {
	i := sort.Search(len(rs), func(i int) bool { return rs[i][1] > addr })
	return i < len(rs) && addr >= rs[i][0]
}

func sortedKeys(m map[uint64]bool) []uint64 {
	keys := make([]uint64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
