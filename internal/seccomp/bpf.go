package seccomp

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// Offsets into struct seccomp_data, which the kernel lays out in the
// machine's byte order (little-endian here):
//
//	int   nr;                   // 0
//	__u32 arch;                 // 4
//	__u64 instruction_pointer;  // 8
//	__u64 args[6];              // 16, 24, ... 56
const (
	offNr   = 0
	offArch = 4
	offArgs = 16
)

// argLow and argHigh return the offsets of the two 32-bit halves of
// argument i: classic BPF loads 32 bits at a time.
func argLow(i int) uint32  { return offArgs + 8*uint32(i) }
func argHigh(i int) uint32 { return offArgs + 8*uint32(i) + 4 }

// Instruction opcodes used by the generated programs.
const (
	opLoadAbs = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
	opJumpEq  = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
	opJumpSet = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K
	opJump    = unix.BPF_JMP | unix.BPF_JA
	opReturn  = unix.BPF_RET | unix.BPF_K
)

// asm builds a classic BPF program whose jumps name labels; resolve turns
// them into the relative offsets the kernel wants.
type asm struct {
	insns  []unix.SockFilter
	labels map[string]int
	fixups []fixup
}

type fixup struct {
	at          int
	jt, jf, ja  string // target labels; "" means the next instruction
	conditional bool
}

func (a *asm) load(off uint32) {
	a.insns = append(a.insns, unix.SockFilter{Code: opLoadAbs, K: off})
}

func (a *asm) ret(action uint32) {
	a.insns = append(a.insns, unix.SockFilter{Code: opReturn, K: action})
}

// jumpEq jumps to jt when A == k, to jf otherwise.
func (a *asm) jumpEq(k uint32, jt, jf string) { a.cond(opJumpEq, k, jt, jf) }

// jumpSet jumps to jt when A & k != 0, to jf otherwise.
func (a *asm) jumpSet(k uint32, jt, jf string) { a.cond(opJumpSet, k, jt, jf) }

func (a *asm) cond(op uint16, k uint32, jt, jf string) {
	a.fixups = append(a.fixups, fixup{at: len(a.insns), jt: jt, jf: jf, conditional: true})
	a.insns = append(a.insns, unix.SockFilter{Code: op, K: k})
}

// jump jumps to label unconditionally; its offset has 32 bits, so it
// reaches blocks that conditional jumps (8 bits) cannot.
func (a *asm) jump(label string) {
	a.fixups = append(a.fixups, fixup{at: len(a.insns), ja: label})
	a.insns = append(a.insns, unix.SockFilter{Code: opJump})
}

func (a *asm) label(name string) {
	if a.labels == nil {
		a.labels = map[string]int{}
	}
	a.labels[name] = len(a.insns)
}

func (a *asm) resolve() ([]unix.SockFilter, error) {
	offset := func(from int, label string) (int, error) {
		if label == "" {
			return 0, nil
		}
		to, ok := a.labels[label]
		if !ok {
			return 0, fmt.Errorf("bpf: undefined label %q", label)
		}
		if to <= from {
			return 0, fmt.Errorf("bpf: label %q is not after instruction %d", label, from)
		}
		return to - from - 1, nil
	}

	for _, f := range a.fixups {
		if !f.conditional {
			off, err := offset(f.at, f.ja)
			if err != nil {
				return nil, err
			}
			a.insns[f.at].K = uint32(off)
			continue
		}
		jt, err := offset(f.at, f.jt)
		if err != nil {
			return nil, err
		}
		jf, err := offset(f.at, f.jf)
		if err != nil {
			return nil, err
		}
		if jt > 255 || jf > 255 {
			return nil, fmt.Errorf("bpf: conditional jump at %d too long (%d, %d)", f.at, jt, jf)
		}
		a.insns[f.at].Jt, a.insns[f.at].Jf = uint8(jt), uint8(jf)
	}
	if len(a.insns) > unix.BPF_MAXINSNS {
		return nil, fmt.Errorf("bpf: program has %d instructions, the kernel accepts %d", len(a.insns), unix.BPF_MAXINSNS)
	}
	return a.insns, nil
}

// Disassemble returns prog in a readable form, one instruction a line,
// for debug logs.
func Disassemble(prog []unix.SockFilter) string {
	var b strings.Builder
	for i, in := range prog {
		fmt.Fprintf(&b, "%3d: ", i)
		switch in.Code {
		case opLoadAbs:
			fmt.Fprintf(&b, "ld [%d]", in.K)
		case opJumpEq:
			fmt.Fprintf(&b, "jeq %#x, %d, %d", in.K, i+1+int(in.Jt), i+1+int(in.Jf))
		case opJumpSet:
			fmt.Fprintf(&b, "jset %#x, %d, %d", in.K, i+1+int(in.Jt), i+1+int(in.Jf))
		case opJump:
			fmt.Fprintf(&b, "ja %d", i+1+int(in.K))
		case opReturn:
			fmt.Fprintf(&b, "ret %s", actionString(in.K))
		default:
			fmt.Fprintf(&b, "op %#x jt %d jf %d k %#x", in.Code, in.Jt, in.Jf, in.K)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func actionString(k uint32) string {
	switch k & unix.SECCOMP_RET_ACTION_FULL {
	case unix.SECCOMP_RET_ALLOW:
		return "ALLOW"
	case unix.SECCOMP_RET_USER_NOTIF:
		return "USER_NOTIF"
	case unix.SECCOMP_RET_ERRNO:
		return fmt.Sprintf("ERRNO(%d)", k&unix.SECCOMP_RET_DATA)
	case unix.SECCOMP_RET_TRACE:
		return "TRACE"
	case unix.SECCOMP_RET_KILL_PROCESS:
		return "KILL_PROCESS"
	}
	return fmt.Sprintf("%#x", k)
}
