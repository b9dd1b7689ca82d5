package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
)

func init() {
	register(command{name: "plan", summary: "plan the syscalls an OS must add to support applications", run: runPlan})
}

func runPlan(_ context.Context, env *Env, args []string) error {
	fs, verbose := flagSet(env, "plan", "plan --db DIR --os FILE.syscalls [--apps a,b|all] [--workload bench|suite|all] [--format text|csv|json]")
	q := addDBQueryFlags(fs)
	osFile := fs.String("os", "", "syscalls the OS provides: a file of names or numbers, one a line, or the name of a list at the database root (required)")
	format := fs.String("format", "text", "output format: text, csv (step,kind,name) or json")
	if err := parseFlags(env, fs, verbose, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	if err := q.checkRequired(env, fs); err != nil {
		return err
	}
	if *osFile == "" {
		return usageError(env, fs, "missing --os FILE.syscalls")
	}
	if err := checkQueryFormat(env, fs, *format); err != nil {
		return err
	}

	db, err := q.open()
	if err != nil {
		return err
	}
	osList, err := readPlanOSList(db, *osFile)
	if err != nil {
		return err
	}
	for _, u := range osList.Unknown {
		slog.Warn("ignoring a name that is not an x86_64 syscall", "entry", u)
	}
	apps, err := q.selectApps(db)
	if err != nil {
		return err
	}
	p := plan.Compute(apps, osList.Syscalls)

	switch *format {
	case "json":
		return writePlanJSON(env.Stdout, p)
	case "csv":
		return writePlanCSV(env.Stdout, p)
	}
	return writePlanText(env.Stdout, p, osList, len(apps), q.workload)
}

// readPlanOSList reads the OS list at path. When no such file exists and
// path is a bare name ("Unikraft" or "Unikraft.syscalls"), it returns the
// list of that name at the database root.
func readPlanOSList(db *loupedb.DB, path string) (*loupedb.OSList, error) {
	l, err := loupedb.ReadOSList(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return l, err
	}
	if strings.ContainsRune(path, os.PathSeparator) {
		return nil, fmt.Errorf("reading the OS list: %w", err)
	}
	if l := db.OSList(strings.TrimSuffix(path, ".syscalls")); l != nil {
		return l, nil
	}
	names := make([]string, len(db.OSLists))
	for i, l := range db.OSLists {
		names[i] = l.Name
	}
	known := "no OS lists"
	if len(names) > 0 {
		known = "the OS lists " + strings.Join(names, ", ")
	}
	return nil, fmt.Errorf("OS list %q not found: no such file, and the database has %s", path, known)
}

// planWorkJSON is the JSON form of plan.Work, with syscall names.
type planWorkJSON struct {
	Implement []string `json:"implement"`
	Stub      []string `json:"stub"`
	Fake      []string `json:"fake"`
}

type planStepJSON struct {
	planWorkJSON
	Apps []string `json:"apps"`
}

type planJSON struct {
	SupportedAtStart []string       `json:"supported_at_start"`
	Steps            []planStepJSON `json:"steps"`
	Missing          planWorkJSON   `json:"missing"`
}

func workJSON(w plan.Work) planWorkJSON {
	return planWorkJSON{
		Implement: loupedb.Names(w.Implement),
		Stub:      loupedb.Names(w.Stub),
		Fake:      loupedb.Names(w.Fake),
	}
}

func writePlanJSON(w io.Writer, p plan.Plan) error {
	out := planJSON{
		SupportedAtStart: p.SupportedAtStart,
		Steps:            make([]planStepJSON, len(p.Steps)),
		Missing:          workJSON(p.Missing),
	}
	for i, s := range p.Steps {
		out.Steps[i] = planStepJSON{planWorkJSON: workJSON(s.Work), Apps: s.Apps}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writePlanCSV writes one "step,kind,name" row per application and syscall:
// step 0 lists the applications supported at start, steps 1 and up their
// applications (kind "app") and work ("implement", "stub", "fake"), and step
// "missing" what the OS lacks for all applications.
func writePlanCSV(w io.Writer, p plan.Plan) error {
	cw := csv.NewWriter(w)
	row := func(step, kind string, names ...string) {
		for _, name := range names {
			cw.Write([]string{step, kind, name})
		}
	}
	work := func(step string, wk plan.Work) {
		row(step, "implement", loupedb.Names(wk.Implement)...)
		row(step, "stub", loupedb.Names(wk.Stub)...)
		row(step, "fake", loupedb.Names(wk.Fake)...)
	}
	row("step", "kind", "name")
	row("0", "app", p.SupportedAtStart...)
	for i, s := range p.Steps {
		step := strconv.Itoa(i + 1)
		row(step, "app", s.Apps...)
		work(step, s.Work)
	}
	work("missing", p.Missing)
	cw.Flush()
	return cw.Error()
}

func writePlanText(w io.Writer, p plan.Plan, osList *loupedb.OSList, apps int, workload string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "OS: %s (%d syscalls)\n", osList.Name, osList.Syscalls.Len())
	fmt.Fprintf(&b, "Applications: %d (workloads: %s)\n\n", apps, workload)

	fmt.Fprintf(&b, "Missing for all applications: %d to implement, %d to stub, %d to fake\n",
		len(p.Missing.Implement), len(p.Missing.Stub), len(p.Missing.Fake))
	writeWorkText(&b, p.Missing)

	if len(p.SupportedAtStart) == 0 {
		fmt.Fprintf(&b, "\nSupported at start: none\n")
	} else {
		fmt.Fprintf(&b, "\nSupported at start (%d): %s\n", len(p.SupportedAtStart), strings.Join(p.SupportedAtStart, " "))
	}
	for i, s := range p.Steps {
		fmt.Fprintf(&b, "Step %d: %s\n", i+1, strings.Join(s.Apps, " "))
		writeWorkText(&b, s.Work)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeWorkText(b *strings.Builder, w plan.Work) {
	for _, list := range []struct {
		label string
		nrs   []int
	}{
		{"implement", w.Implement},
		{"stub", w.Stub},
		{"fake", w.Fake},
	} {
		if len(list.nrs) > 0 {
			fmt.Fprintf(b, "  %s (%d): %s\n", list.label, len(list.nrs), strings.Join(loupedb.Names(list.nrs), " "))
		}
	}
}
