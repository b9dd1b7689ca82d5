// Package seccomp builds the seccomp BPF filters that alter or observe a
// run's system calls, and serves the user-notification listener that
// discovery reads them from.
//
// Whole-syscall alterations return through SECCOMP_RET_ERRNO, so the kernel
// never executes the call and no supervisor is involved: a syscall that is
// not under test costs one short filter walk. Discovery returns
// SECCOMP_RET_USER_NOTIF for every call and lets each one continue once it
// is counted (requires Linux 5.5 for SECCOMP_USER_NOTIF_FLAG_CONTINUE).
package seccomp

import (
	"fmt"
	"sort"

	"golang.org/x/sys/unix"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// Action is a seccomp filter return value (SECCOMP_RET_*).
type Action uint32

const (
	Allow  Action = unix.SECCOMP_RET_ALLOW
	Notify Action = unix.SECCOMP_RET_USER_NOTIF
)

// Errno returns the action that fails a call with errno e without running
// it. The kernel keeps the low 12 bits of e only, so Errno(0) makes the call
// return 0: that is how a call is faked.
func Errno(e unix.Errno) Action {
	return Action(unix.SECCOMP_RET_ERRNO | uint32(e)&unix.SECCOMP_RET_DATA)
}

func (a Action) String() string { return actionString(uint32(a)) }

// Rule is the action the filter takes for one syscall.
type Rule struct {
	Syscall syscalls.Syscall
	Action  Action
}

// Stub returns the rule that makes s fail with ENOSYS without running.
func Stub(s syscalls.Syscall) Rule { return Rule{s, Errno(unix.ENOSYS)} }

// Fake returns the rule that makes s return 0 without running.
func Fake(s syscalls.Syscall) Rule { return Rule{s, Errno(0)} }

// Exemption lets an x86_64 call through whatever the rules say when its
// argument Arg equals Value. The sandbox helper passes pointers into a page
// mapped at a random address, so the exemption matches the helper's own
// calls (its execve of the application, in particular) and, in practice,
// never a call of the application's.
type Exemption struct {
	Nr    int
	Arg   int
	Value uint64
}

// Filter describes a seccomp program.
type Filter struct {
	Rules      []Rule
	Exemptions []Exemption
	// Default is the action for every call without a rule, for calls of an
	// unknown architecture and for x32 calls.
	Default Action
}

// Program assembles f. The program has this shape:
//
//	ld arch
//	jeq AUDIT_ARCH_X86_64 -> x86_64 block
//	jeq AUDIT_ARCH_I386 -> i386 block
//	ret Default
//	x86_64 block:
//	  ld nr
//	  per exemption: nr == N && args[i] == V (two 32-bit halves) -> ret ALLOW
//	  nr & X32Bit -> ret Default
//	  per rule: nr == N -> ret action
//	  ret Default
//	i386 block:
//	  ld nr
//	  per rule: nr == N -> ret action
//	  ret Default
func (f *Filter) Program() ([]unix.SockFilter, error) {
	rules, err := f.sortedRules()
	if err != nil {
		return nil, err
	}
	def := uint32(f.Default)

	var a asm
	a.load(offArch)
	a.jumpEq(syscalls.AuditArchX86_64, "x86_64", "")
	a.jumpEq(syscalls.AuditArchI386, "", "unknown_arch")
	a.jump("i386")
	a.label("unknown_arch")
	a.ret(def)

	a.label("x86_64")
	a.load(offNr)
	for i, e := range f.Exemptions {
		if e.Arg < 0 || e.Arg > 5 {
			return nil, fmt.Errorf("exemption for syscall %d: argument index %d out of range", e.Nr, e.Arg)
		}
		next := fmt.Sprintf("exemption_%d", i+1)
		a.jumpEq(uint32(e.Nr), "", next)
		a.load(argLow(e.Arg))
		a.jumpEq(uint32(e.Value), "", next+"_reload")
		a.load(argHigh(e.Arg))
		a.jumpEq(uint32(e.Value>>32), "exempt", next+"_reload")
		a.label(next + "_reload")
		a.load(offNr)
		a.label(next)
	}
	a.jump("x86_64_rules")
	a.label("exempt")
	a.ret(unix.SECCOMP_RET_ALLOW)

	a.label("x86_64_rules")
	a.jumpSet(syscalls.X32Bit, "", "x86_64_table")
	a.ret(def)
	a.label("x86_64_table")
	emitRules(&a, rules[syscalls.X86_64], def)

	a.label("i386")
	a.load(offNr)
	emitRules(&a, rules[syscalls.I386], def)

	return a.resolve()
}

func emitRules(a *asm, rules []Rule, def uint32) {
	for i, r := range rules {
		next := fmt.Sprintf("rule_%v_%d", r.Syscall.Arch, i)
		a.jumpEq(uint32(r.Syscall.Nr), "", next)
		a.ret(uint32(r.Action))
		a.label(next)
	}
	a.ret(def)
}

// sortedRules groups the rules per architecture in number order and rejects
// a syscall given two different actions.
func (f *Filter) sortedRules() (map[syscalls.Arch][]Rule, error) {
	seen := map[syscalls.Syscall]Action{}
	out := map[syscalls.Arch][]Rule{}
	for _, r := range f.Rules {
		if r.Syscall.Nr < 0 {
			return nil, fmt.Errorf("rule for %v: negative syscall number", r.Syscall)
		}
		if old, ok := seen[r.Syscall]; ok {
			if old != r.Action {
				return nil, fmt.Errorf("syscall %v has two actions: %v and %v", r.Syscall, old, r.Action)
			}
			continue
		}
		seen[r.Syscall] = r.Action
		out[r.Syscall.Arch] = append(out[r.Syscall.Arch], r)
	}
	for _, rs := range out {
		sort.Slice(rs, func(i, j int) bool { return rs[i].Syscall.Nr < rs[j].Syscall.Nr })
	}
	return out, nil
}
