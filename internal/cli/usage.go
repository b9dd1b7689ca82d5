package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
)

func init() {
	register(command{name: "usage", summary: "list the syscalls a set of applications needs", run: runUsage})
}

func runUsage(_ context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "usage", "usage --db DIR [--apps a,b|all] [--workload bench|suite|all] [--names] [--format text|csv|json]")
	q := addDBQueryFlags(fs)
	names := fs.Bool("names", false, "text format: list the syscall names of each set, not only their sizes")
	format := fs.String("format", "text", "output format: text, csv (syscall,need) or json")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	if err := q.checkRequired(env, fs); err != nil {
		return err
	}
	if err := checkQueryFormat(env, fs, *format); err != nil {
		return err
	}

	db, err := q.open()
	if err != nil {
		return err
	}
	apps, err := q.selectApps(db)
	if err != nil {
		return err
	}
	u := plan.MergeAll(apps)

	switch *format {
	case "json":
		return writeUsageJSON(env.Stdout, u)
	case "csv":
		return writeUsageCSV(env.Stdout, u)
	}
	return writeUsageText(env.Stdout, u, len(apps), q.workload, *names)
}

// usageJSON is the JSON form of a usage: syscall names by need.
type usageJSON struct {
	Required []string `json:"required"`
	StubOnly []string `json:"stub_only"`
	FakeOnly []string `json:"fake_only"`
	Both     []string `json:"both"`
}

func writeUsageJSON(w io.Writer, u plan.Usage) error {
	s := u.Sets()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(usageJSON{
		Required: loupedb.Names(s.Required),
		StubOnly: loupedb.Names(s.StubOnly),
		FakeOnly: loupedb.Names(s.FakeOnly),
		Both:     loupedb.Names(s.Both),
	})
}

// writeUsageCSV writes one "syscall,need" row per used syscall, in
// increasing order of number.
func writeUsageCSV(w io.Writer, u plan.Usage) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"syscall", "need"}); err != nil {
		return err
	}
	for _, nr := range u.Used() {
		if err := cw.Write([]string{loupedb.Names([]int{nr})[0], u.Need(nr).String()}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeUsageText(w io.Writer, u plan.Usage, apps int, workload string, names bool) error {
	s := u.Sets()
	var b strings.Builder
	fmt.Fprintf(&b, "Applications: %d (workloads: %s)\n", apps, workload)
	fmt.Fprintf(&b, "Used: %d\n", len(u.Used()))
	for _, set := range []struct {
		label string
		nrs   []int
	}{
		{"Required", s.Required},
		{"Stub only", s.StubOnly},
		{"Fake only", s.FakeOnly},
		{"Both", s.Both},
	} {
		if names {
			line := fmt.Sprintf("%s (%d): %s", set.label, len(set.nrs), strings.Join(loupedb.Names(set.nrs), " "))
			fmt.Fprintln(&b, strings.TrimSpace(line))
		} else {
			fmt.Fprintf(&b, "%s: %d\n", set.label, len(set.nrs))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
