package seccomp

import (
	"encoding/binary"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// data is a struct seccomp_data as the kernel lays it out on x86_64.
type data struct {
	nr   int
	arch uint32
	args [6]uint64
}

func (d data) bytes() []byte {
	b := make([]byte, 64)
	binary.LittleEndian.PutUint32(b[0:], uint32(d.nr))
	binary.LittleEndian.PutUint32(b[4:], d.arch)
	for i, a := range d.args {
		binary.LittleEndian.PutUint64(b[16+8*i:], a)
	}
	return b
}

// run interprets the subset of classic BPF that Program emits, reading
// seccomp_data little-endian as the kernel does (golang.org/x/net/bpf reads
// packets big-endian, so it cannot stand in).
func run(t *testing.T, prog []unix.SockFilter, d data) Action {
	t.Helper()
	mem := d.bytes()
	var acc uint32
	for pc, steps := 0, 0; pc < len(prog); steps++ {
		if steps > len(prog) {
			t.Fatalf("program loops at %d", pc)
		}
		in := prog[pc]
		switch in.Code {
		case opLoadAbs:
			if int(in.K)+4 > len(mem) {
				t.Fatalf("load out of seccomp_data at %d: offset %d", pc, in.K)
			}
			acc = binary.LittleEndian.Uint32(mem[in.K:])
			pc++
		case opJumpEq, opJumpSet:
			hit := acc == in.K
			if in.Code == opJumpSet {
				hit = acc&in.K != 0
			}
			if hit {
				pc += 1 + int(in.Jt)
			} else {
				pc += 1 + int(in.Jf)
			}
		case opJump:
			pc += 1 + int(in.K)
		case opReturn:
			return Action(in.K)
		default:
			t.Fatalf("unexpected opcode %#x at %d", in.Code, pc)
		}
	}
	t.Fatal("program ran past its end")
	return 0
}

func x86(name string) syscalls.Syscall {
	nr, ok := syscalls.Number(syscalls.X86_64, name)
	if !ok {
		panic("no x86_64 syscall " + name)
	}
	return syscalls.Syscall{Arch: syscalls.X86_64, Nr: nr}
}

func TestProgramAltersOnlyTheRuledSyscalls(t *testing.T) {
	const magic = 0x7f12_3456_7000
	f := Filter{
		Rules: []Rule{
			Stub(x86("accept4")),
			Fake(x86("read")),
			Stub(x86("execve")),
			Stub(syscalls.Syscall{Arch: syscalls.I386, Nr: 20}), // getpid
			Stub(x86("listns")),
		},
		Exemptions: []Exemption{{Nr: x86("execve").Nr, Arg: 0, Value: magic}},
		Default:    Allow,
	}
	prog, err := f.Program()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("program:\n%s", Disassemble(prog))

	stub, fake := Errno(unix.ENOSYS), Errno(0)
	tests := []struct {
		name string
		in   data
		want Action
	}{
		{"stubbed call", data{nr: x86("accept4").Nr, arch: syscalls.AuditArchX86_64}, stub},
		{"faked call", data{nr: x86("read").Nr, arch: syscalls.AuditArchX86_64}, fake},
		{"call without rule", data{nr: x86("write").Nr, arch: syscalls.AuditArchX86_64}, Allow},
		{"call above 334", data{nr: x86("listns").Nr, arch: syscalls.AuditArchX86_64}, stub},
		{"x86_64 number of an i386 rule", data{nr: 20, arch: syscalls.AuditArchX86_64}, Allow},
		{"i386 call with rule", data{nr: 20, arch: syscalls.AuditArchI386}, stub},
		{"i386 call with x86_64 number of a rule", data{nr: x86("accept4").Nr, arch: syscalls.AuditArchI386}, Allow},
		{"x32 call", data{nr: x86("accept4").Nr | syscalls.X32Bit, arch: syscalls.AuditArchX86_64}, Allow},
		{"unknown arch", data{nr: 0, arch: 0x1234}, Allow},
		{"exempt execve", data{nr: x86("execve").Nr, arch: syscalls.AuditArchX86_64, args: [6]uint64{magic}}, Allow},
		{"execve with other low half", data{nr: x86("execve").Nr, arch: syscalls.AuditArchX86_64, args: [6]uint64{magic + 8}}, stub},
		{"execve with other high half", data{nr: x86("execve").Nr, arch: syscalls.AuditArchX86_64, args: [6]uint64{magic + 1<<32}}, stub},
		{"exemption value in another argument", data{nr: x86("execve").Nr, arch: syscalls.AuditArchX86_64, args: [6]uint64{0, magic}}, stub},
		{"exemption value on another call", data{nr: x86("accept4").Nr, arch: syscalls.AuditArchX86_64, args: [6]uint64{magic}}, stub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := run(t, prog, tt.in); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProgramNotifiesByDefaultForDiscovery(t *testing.T) {
	f := Filter{Default: Notify, Exemptions: []Exemption{{Nr: x86("sendmsg").Nr, Arg: 1, Value: 0x1000}}}
	prog, err := f.Program()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []data{
		{nr: 0, arch: syscalls.AuditArchX86_64},
		{nr: 20, arch: syscalls.AuditArchI386},
		{nr: x86("sendmsg").Nr, arch: syscalls.AuditArchX86_64, args: [6]uint64{3, 0x2000}},
	} {
		if got := run(t, prog, d); got != Notify {
			t.Errorf("%+v: got %v, want USER_NOTIF", d, got)
		}
	}
	exempt := data{nr: x86("sendmsg").Nr, arch: syscalls.AuditArchX86_64, args: [6]uint64{3, 0x1000}}
	if got := run(t, prog, exempt); got != Allow {
		t.Errorf("exempt sendmsg: got %v, want ALLOW", got)
	}
}

func TestProgramHandlesEverySyscallAtOnce(t *testing.T) {
	var f Filter
	for _, arch := range []syscalls.Arch{syscalls.X86_64, syscalls.I386} {
		for _, nr := range syscalls.Numbers(arch) {
			f.Rules = append(f.Rules, Stub(syscalls.Syscall{Arch: arch, Nr: nr}))
		}
	}
	prog, err := f.Program()
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []syscalls.Arch{syscalls.X86_64, syscalls.I386} {
		for _, nr := range syscalls.Numbers(arch) {
			if got := run(t, prog, data{nr: nr, arch: arch.AuditArch()}); got != Errno(unix.ENOSYS) {
				t.Fatalf("%v %d: got %v, want ERRNO(ENOSYS)", arch, nr, got)
			}
		}
	}
}

func TestProgramRejectsConflictingRules(t *testing.T) {
	f := Filter{Rules: []Rule{Stub(x86("read")), Fake(x86("read"))}}
	if _, err := f.Program(); err == nil {
		t.Error("Program accepted read both stubbed and faked")
	}
}
