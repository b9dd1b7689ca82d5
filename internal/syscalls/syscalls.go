// Package syscalls names the Linux system calls that loupe observes and
// alters: the x86_64 table and the i386 table that an x86_64 kernel serves
// through the int 0x80 entry. One canonical name per (architecture, number),
// the one strace and tracefs use ("newfstatat", "rt_sigreturn").
//
// The tables are generated from kernel-format .tbl files by internal/gen;
// run "go generate" after changing tables/.
package syscalls

import (
	"fmt"
	"strconv"
	"strings"
)

// Arch is a system call entry: the ABI that decides how a number is read.
type Arch uint8

const (
	X86_64 Arch = iota // the native 64-bit entry (the syscall instruction)
	I386               // the 32-bit compatibility entry (int 0x80, sysenter)
)

// Audit architecture values, as seccomp_data.arch and
// PTRACE_GET_SYSCALL_INFO report them (linux/audit.h).
const (
	AuditArchX86_64 = 0xc000003e
	AuditArchI386   = 0x40000003
)

// X32Bit marks a number made through the x32 ABI on the x86_64 entry.
const X32Bit = 0x40000000

func (a Arch) String() string {
	switch a {
	case X86_64:
		return "x86_64"
	case I386:
		return "i386"
	}
	return "arch(" + strconv.Itoa(int(a)) + ")"
}

// AuditArch returns the AUDIT_ARCH_* value of a.
func (a Arch) AuditArch() uint32 {
	if a == I386 {
		return AuditArchI386
	}
	return AuditArchX86_64
}

// ArchFromAudit returns the Arch of an AUDIT_ARCH_* value.
func ArchFromAudit(audit uint32) (Arch, bool) {
	switch audit {
	case AuditArchX86_64:
		return X86_64, true
	case AuditArchI386:
		return I386, true
	}
	return 0, false
}

func table(a Arch) []string {
	if a == I386 {
		return namesI386[:]
	}
	return namesX86_64[:]
}

// Name returns the name of syscall nr on arch, and false when the number is
// not assigned.
func Name(arch Arch, nr int) (string, bool) {
	t := table(arch)
	if nr < 0 || nr >= len(t) || t[nr] == "" {
		return "", false
	}
	return t[nr], true
}

// Number returns the number of the syscall called name on arch.
func Number(arch Arch, name string) (int, bool) {
	nr, ok := index[arch][name]
	return nr, ok
}

// Max returns the highest assigned number on arch.
func Max(arch Arch) int {
	return len(table(arch)) - 1
}

// Numbers returns every assigned number on arch, in increasing order.
func Numbers(arch Arch) []int {
	var nrs []int
	for nr, name := range table(arch) {
		if name != "" {
			nrs = append(nrs, nr)
		}
	}
	return nrs
}

var index = map[Arch]map[string]int{X86_64: reverse(X86_64), I386: reverse(I386)}

func reverse(a Arch) map[string]int {
	m := map[string]int{}
	for nr, name := range table(a) {
		if name != "" {
			m[name] = nr
		}
	}
	return m
}

// Syscall identifies one system call: an entry and a number on it.
type Syscall struct {
	Arch Arch
	Nr   int
}

// Name returns the canonical name; a number without one reads "syscall_N".
// Calls through the i386 entry carry an "i386:" prefix so that they never
// read as the x86_64 call of the same name.
func (s Syscall) Name() string {
	name, ok := Name(s.Arch, s.Nr)
	if !ok {
		name = "syscall_" + strconv.Itoa(s.Nr)
	}
	if s.Arch == I386 {
		return "i386:" + name
	}
	return name
}

func (s Syscall) String() string { return s.Name() }

// Parse reads a syscall from its name as Name writes it ("read",
// "i386:getpid", "syscall_999"), or from a plain x86_64 number.
func Parse(s string) (Syscall, error) {
	arch := X86_64
	name := s
	if rest, ok := strings.CutPrefix(s, "i386:"); ok {
		arch, name = I386, rest
	}
	if nr, ok := Number(arch, name); ok {
		return Syscall{arch, nr}, nil
	}
	digits := strings.TrimPrefix(name, "syscall_")
	if nr, err := strconv.Atoi(digits); err == nil && nr >= 0 {
		return Syscall{arch, nr}, nil
	}
	return Syscall{}, fmt.Errorf("unknown %s syscall %q", arch, name)
}

// Less orders syscalls by entry, then number.
func Less(a, b Syscall) bool {
	if a.Arch != b.Arch {
		return a.Arch < b.Arch
	}
	return a.Nr < b.Nr
}
