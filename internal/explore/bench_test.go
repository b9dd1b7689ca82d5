package explore_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/loupe-project/loupe/internal/explore"
	"github.com/loupe-project/loupe/internal/workload"
)

// BenchmarkExploreLs times a whole analysis of "ls -1 /" and reports the
// runs of the application per second. Faking write makes ls retry its
// write for good, so one run per analysis lasts the whole run timeout.
func BenchmarkExploreLs(b *testing.B) {
	requireSandbox(b)
	cfg := &explore.Config{
		Path:    "/bin/ls",
		Args:    []string{"ls", "-1", "/"},
		Env:     os.Environ(),
		Dir:     b.TempDir(),
		Mode:    workload.Sequential,
		Timeout: time.Second,
	}
	runs := 0
	for b.Loop() {
		res, err := explore.Explore(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		runs += res.Stats.Runs
	}
	b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
}
