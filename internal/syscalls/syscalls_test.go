package syscalls

import "testing"

func TestNameKnowsNumbersPast334(t *testing.T) {
	tests := []struct {
		arch Arch
		nr   int
		want string
	}{
		{X86_64, 0, "read"},
		{X86_64, 4, "stat"},
		{X86_64, 15, "rt_sigreturn"},
		{X86_64, 262, "newfstatat"},
		{X86_64, 334, "rseq"},
		{X86_64, 435, "clone3"},
		{X86_64, 436, "close_range"},
		{X86_64, 437, "openat2"},
		{X86_64, 439, "faccessat2"},
		{X86_64, 441, "epoll_pwait2"},
		{X86_64, 449, "futex_waitv"},
		{X86_64, 470, "listns"},
		{I386, 1, "exit"},
		{I386, 20, "getpid"},
		{I386, 435, "clone3"},
	}
	for _, tt := range tests {
		got, ok := Name(tt.arch, tt.nr)
		if !ok || got != tt.want {
			t.Errorf("Name(%v, %d) = %q, %v; want %q", tt.arch, tt.nr, got, ok, tt.want)
		}
	}
}

func TestNameRejectsUnassignedNumbers(t *testing.T) {
	for _, nr := range []int{-1, 387, 423, 512, 100000} {
		if name, ok := Name(X86_64, nr); ok {
			t.Errorf("Name(x86_64, %d) = %q, want unassigned", nr, name)
		}
	}
	if name, ok := Name(I386, 453); ok {
		t.Errorf("Name(i386, 453) = %q, want unassigned: map_shadow_stack is 64-bit only", name)
	}
}

func TestNumberInvertsName(t *testing.T) {
	for _, arch := range []Arch{X86_64, I386} {
		for _, nr := range Numbers(arch) {
			name, _ := Name(arch, nr)
			if got, ok := Number(arch, name); !ok || got != nr {
				t.Errorf("Number(%v, %q) = %d, %v; want %d", arch, name, got, ok, nr)
			}
		}
	}
}

func TestParseRoundTrips(t *testing.T) {
	for _, s := range []Syscall{{X86_64, 0}, {X86_64, 470}, {I386, 20}, {X86_64, 999}, {I386, 999}} {
		got, err := Parse(s.Name())
		if err != nil || got != s {
			t.Errorf("Parse(%q) = %v, %v; want %v", s.Name(), got, err, s)
		}
	}
	if _, err := Parse("no_such_call"); err == nil {
		t.Error("Parse(no_such_call) succeeded, want an error")
	}
}

func TestMaxIsAtLeastLinux6_18(t *testing.T) {
	if got := Max(X86_64); got < 470 {
		t.Errorf("Max(x86_64) = %d, want at least 470 (listns, Linux 6.18)", got)
	}
}
