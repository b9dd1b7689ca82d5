package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/loupe-project/loupe/internal/explore"
	"github.com/loupe-project/loupe/internal/trace"
)

func init() {
	register(command{name: "trace", summary: "list the syscalls a command makes, with counts (no alteration)", run: runTrace})
}

func runTrace(ctx context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "trace", "trace [FLAGS] -- COMMAND [ARG...]")
	timeout := fs.Duration("timeout", 0, "stop tracing after this long (default: when every process has exited, or Ctrl-C)")
	format := fs.String("format", "text", "output format: text or json")
	output := fs.StringP("output", "o", "", "write the table to `FILE` instead of stdout")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageError(env, fs, "unknown --format %q (want text or json)", *format)
	}
	cfg, err := commandConfig(env, fs)
	if err != nil {
		return err
	}
	out, err := openOutput(env, *output)
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
		case <-time.After(timeoutOrForever(*timeout)):
		case <-traceCtx.Done():
		}
		cancel()
	}()
	res, err := explore.Discover(traceCtx, cfg)
	if err != nil {
		return err
	}
	if err := writeTrace(out, *format, res); err != nil {
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

	fmt.Fprintf(w, "%10s  %s\n", "calls", "syscall")
	for _, r := range rows {
		fmt.Fprintf(w, "%10d  %s\n", r.Count, r.Name)
	}
	fmt.Fprintf(w, "%d syscalls, %d calls\n", len(rows), total)
	if res.OwnFilter {
		fmt.Fprintln(w, "warning: the application installs its own seccomp filter")
	}
	return nil
}
