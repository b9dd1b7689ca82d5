package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/loupe-project/loupe/internal/explore"
	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/seccomp"
	"github.com/loupe-project/loupe/internal/static"
	"github.com/loupe-project/loupe/internal/syscalls"
	"github.com/loupe-project/loupe/internal/workload"
)

func init() {
	register(command{name: "explore", summary: "find which syscalls an application needs, can stub or can fake", run: runExplore})
}

// exploreFlags are the flags of explore that describe the analysis and its
// output.
type exploreFlags struct {
	test       string
	sequential bool
	timeout    time.Duration
	replicas   int
	format     string
	output     string
}

func runExplore(ctx context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "explore", "explore [FLAGS] -- COMMAND [ARG...]")
	var f exploreFlags
	fs.StringVarP(&f.test, "test", "t", "", "test script, called as SCRIPT LOGFILE (none: sequential mode, success = exit status 0 and the baseline's stdout)")
	fs.BoolVar(&f.sequential, "sequential", false, "run the application to completion, then the test (default with --test: server mode)")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "time limit of one run")
	fs.IntVar(&f.replicas, "replicas", 1, "repeat the whole analysis `N` times and merge conservatively")
	fs.StringVar(&f.format, "format", "text", "output format: text, csv (dyn.csv) or json")
	fs.StringVarP(&f.output, "output", "o", "", "write the result to `FILE` instead of stdout")
	withStatic := fs.Bool("static", false, "also analyse the application's binary statically and add the result (and, with --db, data/static_binary.csv)")
	db := addDBFlags(fs)
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if err := db.check(); err != nil {
		return err
	}

	cfg, err := f.config(env, fs)
	if err != nil {
		return err
	}
	out, err := openOutput(env, f.output)
	if err != nil {
		return err
	}
	defer out.Discard()

	start := time.Now()
	progress := newProgress(env.Stderr)
	cfg.Progress = progress.update
	res, err := explore.Explore(ctx, cfg)
	progress.finish()
	if err != nil {
		return err
	}

	var st *static.Result
	if *withStatic {
		if st, err = static.Analyze(cfg.Path, static.Options{}); err != nil {
			return fmt.Errorf("static analysis: %w", err)
		}
	}
	if err := writeExploreResult(out, f.format, res, st); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}

	if db.enabled() {
		run, err := newDBRun(cfg, res, st, start)
		if err != nil {
			return err
		}
		if _, err := db.store(env, run); err != nil {
			return err
		}
	}
	return nil
}

// newDBRun describes res as a database run, with what it takes to
// reproduce it.
func newDBRun(cfg *explore.Config, res *explore.Result, st *static.Result, start time.Time) (*loupedb.NewRun, error) {
	run := &loupedb.NewRun{
		Dynamic:    dynamicTable(res),
		Command:    cfg.Args,
		Invocation: os.Args,
		Mode:       cfg.Mode.String(),
		Timeout:    cfg.Timeout,
		Replicas:   cfg.Replicas,
		Start:      start,
	}
	if cfg.Test != nil {
		content, err := os.ReadFile(cfg.Test.Path)
		if err != nil {
			return nil, fmt.Errorf("copy the test script: %w", err)
		}
		run.TestScript, run.TestScriptContent = cfg.Test.Path, content
	}
	if st != nil {
		run.StaticBinary = &loupedb.Set{}
		for _, s := range st.Syscalls() {
			if s.Arch == syscalls.X86_64 {
				run.StaticBinary.Add(s.Nr)
			}
		}
	}
	if err := run.FillHost(cfg.Path); err != nil {
		return nil, err
	}
	return run, nil
}

// config checks the command line and the files it names, so that a typo
// fails at once rather than after the baseline.
func (f *exploreFlags) config(env *Env, fs *pflag.FlagSet) (*explore.Config, error) {
	switch f.format {
	case "text", "csv", "json":
	default:
		return nil, usageError(env, fs, "unknown --format %q (want text, csv or json)", f.format)
	}
	if f.timeout <= 0 {
		return nil, usageError(env, fs, "--timeout must be positive, got %v", f.timeout)
	}
	if f.replicas < 1 {
		return nil, usageError(env, fs, "--replicas must be at least 1, got %d", f.replicas)
	}
	cfg, err := commandConfig(env, fs)
	if err != nil {
		return nil, err
	}

	cfg.Timeout, cfg.Replicas, cfg.Mode = f.timeout, f.replicas, workload.Sequential
	if f.test != "" {
		if cfg.Test, err = workload.NewScript(f.test); err != nil {
			return nil, err
		}
		if !f.sequential {
			cfg.Mode = workload.Server
		}
	}
	return cfg, nil
}

// commandConfig resolves the command after "--" into the unaltered run of
// an analysis, and checks that this kernel can run one.
func commandConfig(env *Env, fs *pflag.FlagSet) (*explore.Config, error) {
	command := fs.Args()
	if len(command) == 0 {
		return nil, usageError(env, fs, "missing the command to analyse after --")
	}
	if err := seccomp.Available(); err != nil {
		return nil, err
	}

	path, err := exec.LookPath(command[0])
	if err != nil {
		return nil, fmt.Errorf("command %q not found or not executable: %w", command[0], err)
	}
	if path, err = filepath.Abs(path); err != nil {
		return nil, err
	}
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	return &explore.Config{Path: path, Args: command, Env: os.Environ(), Dir: dir}, nil
}
