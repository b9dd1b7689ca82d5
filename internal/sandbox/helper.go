package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// MaybeRunHelper runs the sandbox helper stage that this process was started
// as (see Start), and never returns in that case. It returns at once in a
// process that loupe's user started.
func MaybeRunHelper() {
	stage, ok := os.LookupEnv(helperEnv)
	if !ok {
		return
	}
	control := os.NewFile(fdControl, "sandbox control")
	var err error
	switch stage {
	case stageInit:
		err = runInit(control)
	case stageExec:
		err = runExec(control)
	default:
		err = fmt.Errorf("unknown sandbox helper stage %q", stage)
	}
	if err != nil {
		send(control, message{Kind: msgError, Text: err.Error()})
		fmt.Fprintf(os.Stderr, "loupe sandbox: %v\n", err)
		os.Exit(127)
	}
	os.Exit(0)
}

func readConfig() (*helperConfig, []byte, error) {
	f := os.NewFile(fdConfig, "sandbox config")
	b, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("read sandbox config: %w", err)
	}
	var cfg helperConfig
	if err := json.Unmarshal(b, &cfg); err != nil {
		return nil, nil, fmt.Errorf("decode sandbox config: %w", err)
	}
	return &cfg, b, nil
}

// runInit is PID 1 of the run's namespace. It starts the exec stage, reaps
// every process that ends in the namespace, reports the exit status of the
// application's first process, and exits once no process is left.
func runInit(control *os.File) error {
	_, raw, err := readConfig()
	if err != nil {
		return err
	}
	unix.CloseOnExec(fdControl)

	r, err := configPipe(raw)
	if err != nil {
		return err
	}

	cmd := exec.Command("/proc/self/exe")
	cmd.Args = []string{"loupe-sandbox-exec"}
	cmd.Env = []string{helperEnv + "=" + stageExec}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{r, control}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start exec stage: %w", err)
	}
	r.Close()
	mainPid := cmd.Process.Pid

	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, 0, nil)
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.ECHILD {
			return nil
		}
		if err != nil {
			return fmt.Errorf("wait for the run's processes: %w", err)
		}
		if pid == mainPid {
			send(control, message{Kind: msgExit, Value: uint64(status)})
		}
	}
}
