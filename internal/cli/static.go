package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/loupe-project/loupe/internal/static"
)

func init() {
	register(command{name: "static", summary: "list the syscalls a binary could make (static analysis)", run: runStatic})
}

func runStatic(_ context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "static", "static [flags] BINARY")
	format := fs.String("format", "text", "output format: text (syscall names), csv (static_binary.csv) or json")
	explain := fs.Bool("explain", false, "with text output, list the functions that make each syscall and a call path to each")
	output := fs.StringP("output", "o", "", "write the result to this file instead of stdout")
	libPath := fs.StringSlice("library-path", filepath.SplitList(os.Getenv("LD_LIBRARY_PATH")),
		"directories searched for shared libraries before the system ones (default: $LD_LIBRARY_PATH)")
	ignoreData := fs.Bool("ignore-data-pointers", false, "do not follow functions whose address is only stored in data (smaller, less complete result)")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(env, fs, "expected one BINARY, got %d arguments", fs.NArg())
	}
	switch *format {
	case "text", "csv", "json":
	default:
		return usageError(env, fs, "invalid --format %q: use text, csv or json", *format)
	}

	res, err := static.Analyze(fs.Arg(0), static.Options{LibraryPath: *libPath, IgnoreDataPointers: *ignoreData})
	if err != nil {
		return err
	}

	out, err := openOutput(env, *output)
	if err != nil {
		return err
	}
	defer out.Discard()
	if err := writeStatic(out, res, *format, *explain); err != nil {
		return fmt.Errorf("writing the result: %w", err)
	}
	return out.Commit()
}

func writeStatic(w io.Writer, res *static.Result, format string, explain bool) error {
	switch format {
	case "csv":
		return res.WriteCSV(w)
	case "json":
		return res.WriteJSON(w)
	}
	return res.WriteText(w, explain)
}
