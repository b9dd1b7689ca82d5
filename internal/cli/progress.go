package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/loupe-project/loupe/internal/explore"
)

// progress shows how far an analysis is: a line redrawn in place on a
// terminal, a plain line at each tenth of the work and each phase
// otherwise.
type progress struct {
	w        io.Writer
	terminal bool
	drawn    bool
	phase    string
	tenth    int
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		p.terminal = term.IsTerminal(int(f.Fd()))
	}
	return p
}

func (p *progress) update(s explore.Progress) {
	line := fmt.Sprintf("[%d/%d] %s %s", s.Done, s.Total, s.Phase, s.Current)
	if eta := s.ETA(); eta > 0 {
		line += fmt.Sprintf("  ETA %v", eta.Round(time.Second))
	}
	if p.terminal {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.drawn = true
		return
	}
	tenth := 0
	if s.Total > 0 {
		tenth = 10 * s.Done / s.Total
	}
	// Stub and fake runs alternate: a plain line for each would be one
	// line a run.
	phase := s.Phase
	if phase == "stub" || phase == "fake" {
		phase = "per-syscall runs"
	}
	if phase != p.phase || tenth != p.tenth {
		p.phase, p.tenth = phase, tenth
		fmt.Fprintln(p.w, "loupe: "+strings.TrimSpace(line))
	}
}

// finish clears the progress line.
func (p *progress) finish() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
