package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/loupe-project/loupe/internal/explore"
	"github.com/loupe-project/loupe/internal/trace"
)

func init() {
	register(command{name: "trace", summary: "list the syscalls a command makes, with counts (no alteration)", run: runTrace})
}

func runTrace(ctx context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "trace", "trace [FLAGS] -- COMMAND [ARG...]")
	var f exploreFlags
	fs.DurationVar(&f.timeout, "timeout", 0, "stop tracing after this long (default: when every process has exited, or Ctrl-C)")
	fs.StringVar(&f.format, "format", "text", "output format: text or json")
	fs.StringVarP(&f.output, "output", "o", "", "write the table to `FILE` instead of stdout")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if f.format == "csv" {
		return usageError(env, fs, "--format csv is not available for trace (want text or json)")
	}
	timeout := f.timeout
	f.timeout = time.Hour // config wants a positive run limit; trace has its own
	cfg, err := f.config(env, fs)
	if err != nil {
		return err
	}
	out, err := openOutput(env, f.output)
	if err != nil {
		return err
	}
	defer out.Discard()

	// Ctrl-C ends the trace, not loupe: the table is still printed.
	traceCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	go func() {
		select {
		case <-ctx.Done():
		case <-time.After(timeoutOrForever(timeout)):
		case <-traceCtx.Done():
		}
		cancel()
	}()
	res, err := explore.Discover(traceCtx, cfg)
	if err != nil {
		return err
	}
	if err := writeTrace(out, f.format, res); err != nil {
		return err
	}
	return out.Commit()
}

func timeoutOrForever(d time.Duration) time.Duration {
	if d <= 0 {
		return 1<<63 - 1
	}
	return d
}

type traceRow struct {
	Name  string `json:"name"`
	Arch  string `json:"arch"`
	Nr    int    `json:"nr"`
	Count uint64 `json:"count"`
}

func writeTrace(w io.Writer, format string, res *trace.Result) error {
	var rows []traceRow
	var total uint64
	for s, n := range res.Counts {
		rows = append(rows, traceRow{Name: s.Name(), Arch: s.Arch.String(), Nr: s.Nr, Count: n})
		total += n
	}
	// Most frequent first, then by name.
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].Name < rows[j].Name
	})

	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Syscalls  []traceRow `json:"syscalls"`
			Calls     uint64     `json:"calls"`
			OwnFilter bool       `json:"own_seccomp_filter"`
		}{rows, total, res.OwnFilter})
	}

	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "calls\tsyscall\t\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s\t\n", r.Count, r.Name)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d syscalls, %d calls\n", len(rows), total)
	if res.OwnFilter {
		fmt.Fprintln(w, "warning: the application installs its own seccomp filter")
	}
	return nil
}
