package seccomp

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Notification is a struct seccomp_notif: one call stopped by a
// SECCOMP_RET_USER_NOTIF filter, waiting for a response.
type Notification struct {
	ID    uint64
	Pid   uint32 // thread ID, in the listener's PID namespace
	Flags uint32
	Nr    int32
	Arch  uint32
	IP    uint64
	Args  [6]uint64
}

// response is a struct seccomp_notif_resp.
type response struct {
	id    uint64
	val   int64
	error int32
	flags uint32
}

// Listener is the user-notification fd of an installed filter.
type Listener struct {
	fd   int
	wake [2]int // a pipe: Close writes to it to end a blocked Receive
}

// NewListener takes ownership of fd, the listener of a filter installed
// with SECCOMP_FILTER_FLAG_NEW_LISTENER.
func NewListener(fd int) (*Listener, error) {
	if err := checkNotifSizes(); err != nil {
		unix.Close(fd)
		return nil, err
	}
	l := &Listener{fd: fd}
	if err := unix.Pipe2(l.wake[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("listener wake-up pipe: %w", err)
	}
	return l, nil
}

// ErrClosed is returned by Receive after Interrupt, and once no process
// uses the filter any more.
var ErrClosed = errors.New("seccomp listener closed")

// Receive waits for the next notification.
func (l *Listener) Receive(n *Notification) error {
	for {
		fds := []unix.PollFd{
			{Fd: int32(l.fd), Events: unix.POLLIN},
			{Fd: int32(l.wake[0]), Events: unix.POLLIN},
		}
		if _, err := unix.Poll(fds, -1); err != nil {
			if err == unix.EINTR {
				continue
			}
			return fmt.Errorf("poll seccomp listener: %w", err)
		}
		if fds[1].Revents != 0 {
			return ErrClosed
		}
		if fds[0].Revents&unix.POLLIN == 0 {
			// POLLHUP without POLLIN: every task using the filter is gone.
			return ErrClosed
		}

		*n = Notification{}
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(l.fd), unix.SECCOMP_IOCTL_NOTIF_RECV, uintptr(unsafe.Pointer(n)))
		switch errno {
		case 0:
			return nil
		case unix.EINTR, unix.ENOENT:
			// ENOENT: the caller died, or another reader took it.
			continue
		default:
			return fmt.Errorf("receive seccomp notification: %w", errno)
		}
	}
}

// Continue lets the notified call run as if the filter had allowed it.
// A call whose thread died meanwhile is not an error.
func (l *Listener) Continue(n *Notification) error {
	r := response{id: n.ID, flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(l.fd), unix.SECCOMP_IOCTL_NOTIF_SEND, uintptr(unsafe.Pointer(&r)))
	if errno != 0 && errno != unix.ENOENT {
		return fmt.Errorf("send seccomp response: %w", errno)
	}
	return nil
}

// Interrupt makes a blocked or later Receive return ErrClosed. It is safe
// to call from any goroutine.
func (l *Listener) Interrupt() {
	unix.Write(l.wake[1], []byte{0})
}

// Close releases the listener; it must not run concurrently with Receive or
// Continue. Calls still waiting for a response fail with ENOSYS.
func (l *Listener) Close() error {
	err := unix.Close(l.fd)
	unix.Close(l.wake[0])
	unix.Close(l.wake[1])
	return err
}

// checkNotifSizes compares the structures above with the running kernel's,
// which may grow them in later versions.
func checkNotifSizes() error {
	var sizes struct{ notif, resp, data uint16 }
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_GET_NOTIF_SIZES, 0, uintptr(unsafe.Pointer(&sizes)))
	if errno != 0 {
		return fmt.Errorf("seccomp(SECCOMP_GET_NOTIF_SIZES): %w (requires Linux 5.0)", errno)
	}
	if int(sizes.notif) != int(unsafe.Sizeof(Notification{})) || int(sizes.resp) != int(unsafe.Sizeof(response{})) {
		return fmt.Errorf("kernel seccomp_notif is %d bytes and seccomp_notif_resp %d, loupe expects %d and %d",
			sizes.notif, sizes.resp, unsafe.Sizeof(Notification{}), unsafe.Sizeof(response{}))
	}
	return nil
}

// Available reports whether this kernel offers the seccomp actions loupe
// needs; the error names what is missing.
func Available() error {
	b, err := os.ReadFile("/proc/sys/kernel/seccomp/actions_avail")
	if err != nil {
		return fmt.Errorf("this kernel has no seccomp filter support (%w); loupe requires Linux 5.5 with CONFIG_SECCOMP_FILTER", err)
	}
	have := map[string]bool{}
	for _, f := range strings.Fields(string(b)) {
		have[f] = true
	}
	for _, need := range []string{"errno", "user_notif", "allow"} {
		if !have[need] {
			return fmt.Errorf("this kernel's seccomp lacks the %q action (it has %q); loupe requires Linux 5.5", need, string(b))
		}
	}
	return nil
}
