package sandbox

import (
	"bufio"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/loupe-project/loupe/internal/seccomp"
	"github.com/loupe-project/loupe/internal/syscalls"
)

// Layout of the exemption page. Only this helper has its addresses.
const (
	pageSize    = 4096
	pageLen     = 2 * pageSize
	offPath     = 0 // NUL-terminated executable path, up to pageSize bytes
	offSigset   = pageSize
	offIovec    = offSigset + 16
	offMsghdr   = offIovec + 16
	offPayload  = offMsghdr + 64
	offCmsg     = offPayload + 64
	payloadSize = 9 // a control message without text
)

// execArgs are the inputs of installAndExec, prepared beforehand so that
// the sequence allocates nothing.
type execArgs struct {
	flags   uintptr
	prog    unsafe.Pointer // *unix.SockFprog
	control uintptr
	msghdr  unsafe.Pointer
	fdSlot  unsafe.Pointer // *int32 in the SCM_RIGHTS payload, or nil
	sigset  unsafe.Pointer
	path    unsafe.Pointer
	argv    unsafe.Pointer
	envp    unsafe.Pointer
}

// installAndExec installs the filter, reports it to loupe, unblocks
// signals and execs the application. Nothing in between may make a call
// that the filter would alter or stop. So the function is nosplit, which
// keeps the Go scheduler from preempting it, and signals stay blocked
// until the step before the execve. It returns only on failure, with the
// failed step.
//
//go:nosplit
//go:norace
func installAndExec(a *execArgs) (step int, errno syscall.Errno) {
	fd, _, e := syscall.RawSyscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, a.flags, uintptr(a.prog))
	if e != 0 {
		return 1, e
	}
	if a.fdSlot != nil {
		*(*int32)(a.fdSlot) = int32(fd)
	}
	_, _, e = syscall.RawSyscall(unix.SYS_SENDMSG, a.control, uintptr(a.msghdr), 0)
	if e != 0 {
		return 2, e
	}
	_, _, e = syscall.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(a.sigset), 0, 8, 0, 0)
	if e != 0 {
		return 3, e
	}
	_, _, e = syscall.RawSyscall(unix.SYS_EXECVE, uintptr(a.path), uintptr(a.argv), uintptr(a.envp))
	return 4, e
}

var stepNames = [...]string{1: "install seccomp filter", 2: "report to loupe", 3: "unblock signals", 4: "execve"}

// runExec installs the run's filter on this thread and execs the
// application. The filter stays on this thread only: execve ends the
// helper's other threads, and the application's threads and children
// inherit it.
func runExec(control *os.File) error {
	runtime.LockOSThread()

	cfg, _, err := readConfig()
	if err != nil {
		return err
	}
	unix.CloseOnExec(fdControl)
	if cfg.NoFile > 0 {
		setSoftNoFile(cfg.NoFile)
	}

	page, err := mapExemptionPage()
	if err != nil {
		return err
	}
	if len(cfg.Path)+1 > pageSize {
		return fmt.Errorf("executable path longer than %d bytes", pageSize-1)
	}
	copy(page[offPath:], cfg.Path)

	argv, err := syscall.SlicePtrFromStrings(cfg.Args)
	if err != nil {
		return fmt.Errorf("argument list: %w", err)
	}
	envp, err := syscall.SlicePtrFromStrings(cfg.Env)
	if err != nil {
		return fmt.Errorf("environment: %w", err)
	}

	args := &execArgs{
		control: uintptr(fdControl),
		msghdr:  unsafe.Pointer(&page[offMsghdr]),
		sigset:  unsafe.Pointer(&page[offSigset]),
		path:    unsafe.Pointer(&page[offPath]),
		argv:    unsafe.Pointer(&argv[0]),
		envp:    unsafe.Pointer(&envp[0]),
	}
	kind := msgInstalled
	if cfg.Observe {
		kind = msgListener
		args.flags = unix.SECCOMP_FILTER_FLAG_NEW_LISTENER
	}
	args.fdSlot = buildMessage(page, message{Kind: kind, Value: uint64(uintptr(args.path))}, cfg.Observe)

	prog, err := buildFilter(cfg, args)
	if err != nil {
		return err
	}
	fprog := &unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	args.prog = unsafe.Pointer(fprog)

	if err := allowFilter(); err != nil {
		return err
	}

	// Block every signal so that no handler runs on this thread between
	// the filter and the execve: a handler's rt_sigreturn or futex could
	// be the call under test. installAndExec unblocks them (to the empty
	// mask an application expects) right before the execve.
	var all unix.Sigset_t
	for i := range all.Val {
		all.Val[i] = ^uint64(0)
	}
	if _, _, e := syscall.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&all)), 0, 8, 0, 0); e != 0 {
		return fmt.Errorf("block signals: %w", e)
	}

	step, errno := installAndExec(args)
	runtime.KeepAlive(fprog)
	runtime.KeepAlive(prog)
	runtime.KeepAlive(argv)
	runtime.KeepAlive(envp)
	return fmt.Errorf("%s %s: %w", stepNames[step], cfg.Path, errno)
}

// mapExemptionPage maps the exemption page at a random address in the
// upper part of the user address space, where the application's own
// pointers are unlikely to land.
func mapExemptionPage() ([]byte, error) {
	for range 16 {
		addr := 0x100000000000 + rand.IntN(0x500000000000/pageSize)*pageSize
		p, err := unix.MmapPtr(-1, 0, unsafe.Add(nil, addr), pageLen, unix.PROT_READ|unix.PROT_WRITE,
			unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_FIXED_NOREPLACE)
		if err == unix.EEXIST {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("map exemption page: %w", err)
		}
		return unsafe.Slice((*byte)(p), pageLen), nil
	}
	return nil, fmt.Errorf("map exemption page: no free address found")
}

// buildMessage lays out in page the msghdr that reports the filter to
// loupe, and returns where the listener fd goes in observe mode.
func buildMessage(page []byte, m message, withFd bool) unsafe.Pointer {
	copy(page[offPayload:offPayload+payloadSize], m.encode())

	iov := (*unix.Iovec)(unsafe.Pointer(&page[offIovec]))
	iov.Base = &page[offPayload]
	iov.SetLen(payloadSize)

	hdr := (*unix.Msghdr)(unsafe.Pointer(&page[offMsghdr]))
	hdr.Iov = iov
	hdr.Iovlen = 1
	if !withFd {
		return nil
	}

	cmsg := (*unix.Cmsghdr)(unsafe.Pointer(&page[offCmsg]))
	cmsg.Level = unix.SOL_SOCKET
	cmsg.Type = unix.SCM_RIGHTS
	cmsg.SetLen(unix.CmsgLen(4))
	hdr.Control = &page[offCmsg]
	hdr.SetControllen(unix.CmsgSpace(4))
	return unsafe.Pointer(&page[offCmsg+unix.CmsgLen(0)])
}

func buildFilter(cfg *helperConfig, args *execArgs) ([]unix.SockFilter, error) {
	nr := func(name string) int {
		n, _ := syscalls.Number(syscalls.X86_64, name)
		return n
	}
	f := seccomp.Filter{
		Default: seccomp.Allow,
		Exemptions: []seccomp.Exemption{
			{Nr: nr("sendmsg"), Arg: 1, Value: uint64(uintptr(args.msghdr))},
			{Nr: nr("rt_sigprocmask"), Arg: 1, Value: uint64(uintptr(args.sigset))},
		},
	}
	if cfg.Observe {
		// The execve stays visible: loupe recognises it by its pathname
		// pointer and starts counting after it.
		f.Default = seccomp.Notify
	} else {
		f.Exemptions = append(f.Exemptions, seccomp.Exemption{Nr: nr("execve"), Arg: 0, Value: uint64(uintptr(args.path))})
		for _, r := range cfg.Rules {
			f.Rules = append(f.Rules, seccomp.Rule{Syscall: syscalls.Syscall{Arch: r.Arch, Nr: r.Nr}, Action: seccomp.Action(r.Action)})
		}
	}
	return f.Program()
}

// allowFilter sets no_new_privs unless this process may install a filter
// without it (CAP_SYS_ADMIN). Setting it when not needed would keep
// set-user-ID programs of the application from gaining privileges.
func allowFilter() error {
	if hasCapSysAdmin() {
		return nil
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("set no_new_privs: %w", err)
	}
	return nil
}

func hasCapSysAdmin() bool {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "CapEff:"); ok {
			caps, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return err == nil && caps&(1<<unix.CAP_SYS_ADMIN) != 0
		}
	}
	return false
}

func setSoftNoFile(soft uint64) {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return
	}
	if soft > lim.Max {
		soft = lim.Max
	}
	lim.Cur = soft
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		slog.Debug("restore RLIMIT_NOFILE", "err", err)
	}
}
