package sandbox

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// pidNamespace returns the inode of the PID namespace of process pid.
func pidNamespace(pid int) (uint64, error) {
	link, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/ns/pid")
	if err != nil {
		return 0, err
	}
	// The link reads "pid:[4026532281]".
	inner, ok := strings.CutPrefix(link, "pid:[")
	if !ok {
		return 0, fmt.Errorf("unexpected namespace link %q", link)
	}
	return strconv.ParseUint(strings.TrimSuffix(inner, "]"), 10, 64)
}

// Processes returns the PIDs (in loupe's namespace) of the application's
// processes: every process of the run's namespace except its PID 1.
func (r *Run) Processes() ([]int, error) {
	if r.nsInode == 0 {
		return nil, fmt.Errorf("PID namespace of the run is unknown")
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == r.init.Process.Pid {
			continue
		}
		if ns, err := pidNamespace(pid); err == nil && ns == r.nsInode {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// treeState is one sample of the tree, as readiness reads it.
type treeState struct {
	processes int
	running   int    // threads that are running or runnable
	cpu       uint64 // nanoseconds on CPU, summed over the tree
	listening bool   // a process holds a listening socket
}

func (r *Run) sample() (treeState, error) {
	var st treeState
	pids, err := r.Processes()
	if err != nil {
		return st, err
	}
	listeners := listeningInodes()
	for _, pid := range pids {
		dir := "/proc/" + strconv.Itoa(pid)
		tasks, err := os.ReadDir(dir + "/task")
		if err != nil {
			continue // the process is gone
		}
		st.processes++
		for _, t := range tasks {
			tdir := dir + "/task/" + t.Name()
			if state := taskState(tdir); state == 'R' {
				st.running++
			}
			st.cpu += taskCPU(tdir)
		}
		if !st.listening && len(listeners) > 0 {
			st.listening = holdsSocket(dir, listeners)
		}
	}
	return st, nil
}

// taskState returns the state letter of /proc/PID/task/TID/stat.
func taskState(tdir string) byte {
	b, err := os.ReadFile(tdir + "/stat")
	if err != nil {
		return 0
	}
	// The command name may contain spaces and parentheses: the state
	// follows the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return 0
	}
	return b[i+2]
}

// taskCPU returns the time a thread has run, in nanoseconds, from
// /proc/PID/task/TID/schedstat (CONFIG_SCHED_INFO).
func taskCPU(tdir string) uint64 {
	b, err := os.ReadFile(tdir + "/schedstat")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.ParseUint(string(f[0]), 10, 64)
	return n
}

// listeningInodes returns the inodes of the listening TCP and Unix sockets
// of loupe's network namespace, which the run shares.
func listeningInodes() map[string]bool {
	inodes := map[string]bool{}
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		// Columns: sl local rem st ... inode (the 10th); st 0A is LISTEN.
		scanTable(file, func(f []string) {
			if len(f) >= 10 && f[3] == "0A" {
				inodes[f[9]] = true
			}
		})
	}
	// Columns: Num RefCount Protocol Flags Type St Inode Path; flag
	// __SO_ACCEPTCON (00010000) marks a listening socket.
	scanTable("/proc/net/unix", func(f []string) {
		if len(f) >= 7 && f[3] == "00010000" {
			inodes[f[6]] = true
		}
	})
	return inodes
}

func scanTable(path string, row func([]string)) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		row(strings.Fields(sc.Text()))
	}
}

// holdsSocket reports whether process dir has one of the sockets open.
func holdsSocket(dir string, inodes map[string]bool) bool {
	fds, err := os.ReadDir(dir + "/fd")
	if err != nil {
		return false
	}
	for _, fd := range fds {
		link, err := os.Readlink(dir + "/fd/" + fd.Name())
		if err != nil {
			continue
		}
		if inode, ok := strings.CutPrefix(link, "socket:["); ok && inodes[strings.TrimSuffix(inode, "]")] {
			return true
		}
	}
	return false
}
