package sandbox

import (
	"context"
	"errors"
	"time"
)

// ErrTreeDied is returned when every process of the run ended.
var ErrTreeDied = errors.New("the application's processes all exited")

// Readiness sampling. A server that holds a listening socket is ready once
// it has stopped running for one sampling period. A server without one is
// ready after quietSamples quiet periods. A server that holds a listening
// socket but keeps running (spinning on a failing call, say) is tested
// after busySamples periods anyway.
const (
	samplePeriod = 10 * time.Millisecond
	quietSamples = 30
	busySamples  = 50
)

// WaitReady waits until the application looks ready to serve, by the rules
// above: quiet means no thread running or runnable and no CPU time used
// since the previous sample. It returns ErrTreeDied when the tree is gone,
// and ctx's error when ctx ends first.
func (r *Run) WaitReady(ctx context.Context) error {
	tick := time.NewTicker(samplePeriod)
	defer tick.Stop()

	var prev treeState
	quiet, listening := 0, 0
	for {
		select {
		case <-r.done:
			return ErrTreeDied
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}

		st, err := r.sample()
		if err != nil {
			return err
		}
		if st.processes == 0 {
			// PID 1 may not have noticed yet; Done will tell.
			quiet = 0
			continue
		}
		if st.running == 0 && st.cpu == prev.cpu {
			quiet++
		} else {
			quiet = 0
		}
		if st.listening {
			listening++
		}
		prev = st
		if (st.listening && quiet >= 1) || quiet >= quietSamples || listening >= busySamples {
			return nil
		}
	}
}
