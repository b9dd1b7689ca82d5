package sandbox

import (
	"encoding/binary"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// helperEnv names the environment variable that makes the loupe binary a
// sandbox helper; its value is the stage.
const helperEnv = "LOUPE_SANDBOX_HELPER"

const (
	stageInit = "init" // PID 1 of the run's namespace
	stageExec = "exec" // installs the filter and execs the application
)

// Descriptors the helpers inherit, after stdin, stdout and stderr.
const (
	fdConfig  = 3
	fdControl = 4
)

// helperConfig travels as JSON from loupe to the helpers.
type helperConfig struct {
	Path    string
	Args    []string
	Env     []string
	Rules   []ruleConfig
	Observe bool
	// NoFile is the soft RLIMIT_NOFILE the application gets; 0 keeps the
	// helper's.
	NoFile uint64
}

type ruleConfig struct {
	Arch   syscalls.Arch
	Nr     int
	Action uint32
}

// configPipe returns the read end of a pipe that holds b, a helperConfig
// in JSON.
func configPipe(b []byte) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("create config pipe: %w", err)
	}
	// A large config would block here until the helper reads it, so the
	// writer runs on its own.
	go func() {
		w.Write(b)
		w.Close()
	}()
	return r, nil
}

// Control messages, one SOCK_SEQPACKET datagram each:
// kind (1 byte), value (8 bytes, little-endian), text.
type msgKind byte

const (
	msgInstalled msgKind = 'I' // the filter is in place (alteration runs)
	msgListener  msgKind = 'L' // the filter is in place; SCM_RIGHTS carries its listener, value is ExecMarker
	msgExit      msgKind = 'X' // the application's first process exited; value is its wait status
	msgError     msgKind = 'E' // the helper failed; text is the reason
)

type message struct {
	Kind  msgKind
	Value uint64
	Text  string
}

func (m message) encode() []byte {
	b := make([]byte, 9+len(m.Text))
	b[0] = byte(m.Kind)
	binary.LittleEndian.PutUint64(b[1:], m.Value)
	copy(b[9:], m.Text)
	return b
}

func send(f *os.File, m message) error {
	return unix.Sendmsg(int(f.Fd()), m.encode(), nil, nil, 0)
}

// receive reads one message and the descriptor it carries, or -1.
func receive(f *os.File) (message, int, error) {
	buf := make([]byte, 4096)
	oob := make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := unix.Recvmsg(int(f.Fd()), buf, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return message{}, -1, err
	}
	if n == 0 {
		return message{}, -1, fmt.Errorf("control socket closed")
	}
	if n < 9 {
		return message{}, -1, fmt.Errorf("short control message (%d bytes)", n)
	}
	m := message{Kind: msgKind(buf[0]), Value: binary.LittleEndian.Uint64(buf[1:9]), Text: string(buf[9:n])}

	fd := -1
	if oobn > 0 {
		cmsgs, err := unix.ParseSocketControlMessage(oob[:oobn])
		if err == nil && len(cmsgs) > 0 {
			if fds, err := unix.ParseUnixRights(&cmsgs[0]); err == nil && len(fds) > 0 {
				fd = fds[0]
			}
		}
	}
	return m, fd, nil
}
