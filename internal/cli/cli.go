// Package cli implements loupe's commands: their flags, their checks of the
// user's input and the formatting of their output.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/pflag"
)

// A command is one "loupe NAME" subcommand. Each lives in its own file and
// registers itself from an init function.
type command struct {
	name    string
	summary string // one line for the command list
	run     func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("cli: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// Env is the environment of a command besides its arguments: its output
// streams and the loupe version.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	// Version is the loupe version printed by "loupe version" and stored in
	// run descriptors.
	Version string
}

// errUsage reports a command line that cannot be run; its message has
// already been printed with the usage.
var errUsage = errors.New("invalid command line")

// Main runs the command named in args (without the program name) and returns
// the process exit status.
func Main(args []string, env *Env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printCommands(env.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}

	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "loupe: unknown command %q\n\n", args[0])
		printCommands(env.Stderr)
		return 2
	}

	err := c.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, pflag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case ctx.Err() != nil:
		fmt.Fprintf(env.Stderr, "loupe %s: interrupted\n", c.name)
		return 130
	default:
		fmt.Fprintf(env.Stderr, "loupe %s: %v\n", c.name, err)
		return 1
	}
}

func printCommands(w io.Writer) {
	fmt.Fprintf(w, "loupe measures which Linux system calls applications need.\n\nUsage: loupe COMMAND [FLAGS] [ARGS]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for name := range commands {
		if !strings.HasPrefix(name, "_") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprintf(w, "\nRun \"loupe COMMAND --help\" for the flags of a command.\n")
}

// flagSet returns the flag set of a command, with the flags every command
// has (-v). usage is the line after "Usage: loupe".
func flagSet(env *Env, name, usage string) (*pflag.FlagSet, *bool) {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.SortFlags = false
	verbose := fs.BoolP("verbose", "v", false, "log details to stderr")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: loupe %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs, verbose
}

// parseFlags parses args into fs and sets up logging: quiet by default,
// debug level with -v.
func parseFlags(env *Env, fs *pflag.FlagSet, verbose *bool, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return errUsage
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level})))
	return nil
}

// usageError prints msg and the usage of fs, and returns errUsage.
func usageError(env *Env, fs *pflag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(env.Stderr, "loupe %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return errUsage
}
