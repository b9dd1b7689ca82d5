package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/loupe-project/loupe/internal/explore"
	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/static"
	"github.com/loupe-project/loupe/internal/syscalls"
)

// writeExploreResult writes res, and the static analysis st if not nil.
// The csv format is dyn.csv alone: static_binary.csv is another file.
func writeExploreResult(w io.Writer, format string, res *explore.Result, st *static.Result) error {
	switch format {
	case "csv":
		return loupedb.WriteDynamic(w, dynamicTable(res))
	case "json":
		j := exploreJSON(res)
		if st != nil {
			j.Static = staticComparison(res, st)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(j)
	}
	if err := writeExploreText(w, res); err != nil {
		return err
	}
	if st != nil {
		c := staticComparison(res, st)
		fmt.Fprintf(w, "\nstatic analysis of the binary: %d syscalls could be made, %d of them used\n", len(c.Syscalls), len(res.Syscalls)-len(c.UsedNotFound))
		if len(c.UsedNotFound) > 0 {
			fmt.Fprintf(w, "used but not found statically (vDSO fallbacks, indirect calls, or calls from code loaded at run time):\n")
			writeWrapped(w, c.UsedNotFound)
		}
	}
	return nil
}

// staticJSON compares the syscalls static analysis found possible with
// those the runs made.
type staticJSON struct {
	Syscalls     []string `json:"syscalls"`
	UsedNotFound []string `json:"used_not_found"`
}

func staticComparison(res *explore.Result, st *static.Result) *staticJSON {
	c := &staticJSON{Syscalls: names(st.Syscalls()), UsedNotFound: []string{}}
	found := map[syscalls.Syscall]bool{}
	for _, s := range st.Syscalls() {
		found[s] = true
	}
	for _, v := range res.Syscalls {
		if !found[v.Syscall] {
			c.UsedNotFound = append(c.UsedNotFound, v.Syscall.Name())
		}
	}
	return c
}

// dynamicTable returns the x86_64 verdicts of res as dyn.csv rows, whose
// faked, stubbed and both columns exclude each other.
func dynamicTable(res *explore.Result) loupedb.Dynamic {
	d := make(loupedb.Dynamic, syscalls.Max(syscalls.X86_64)+1)
	for _, v := range res.Syscalls {
		if v.Syscall.Arch != syscalls.X86_64 || v.Syscall.Nr >= len(d) {
			continue
		}
		d[v.Syscall.Nr] = loupedb.Result{
			Used:    true,
			Faked:   v.Class() == explore.FakeOnly,
			Stubbed: v.Class() == explore.StubOnly,
			Both:    v.Class() == explore.Both,
		}
	}
	return d
}

var classOrder = []explore.Class{explore.Required, explore.StubOnly, explore.FakeOnly, explore.Both}

func writeExploreText(w io.Writer, res *explore.Result) error {
	byClass := map[explore.Class][]explore.Verdict{}
	var unstable []string
	for _, v := range res.Syscalls {
		byClass[v.Class()] = append(byClass[v.Class()], v)
		if v.Unstable {
			unstable = append(unstable, v.Syscall.Name())
		}
	}

	fmt.Fprintf(w, "%s (%s mode)\n", strings.Join(res.Command, " "), res.Mode)
	fmt.Fprintf(w, "used: %d syscalls;", len(res.Syscalls))
	for i, c := range classOrder {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(w, "%s %s %d", sep, c, len(byClass[c]))
	}
	fmt.Fprintln(w)

	for _, c := range classOrder {
		vs := byClass[c]
		fmt.Fprintf(w, "\n%s (%d):\n", c, len(vs))
		var names []string
		for _, v := range vs {
			names = append(names, fmt.Sprintf("%s(%d)", v.Syscall.Name(), v.Count))
		}
		writeWrapped(w, names)
	}
	if len(unstable) > 0 {
		fmt.Fprintf(w, "\nunstable across replicas (%d), kept conservative:\n", len(unstable))
		writeWrapped(w, unstable)
	}

	if f := res.Final; f != nil {
		fmt.Fprintln(w)
		writeSetCheck(w, "stubbed", f.Stub)
		writeSetCheck(w, "faked", f.Fake)
	}
	if res.OwnFilter {
		fmt.Fprintln(w, "\nwarning: the application installs its own seccomp filter; for the syscalls it filters, its actions win over loupe's and their verdicts may be wrong")
	}
	s := res.Stats
	fmt.Fprintf(w, "\n%d runs (%d retries, %d replicas) in %v\n", s.Runs, s.Retries, s.Replicas, s.Wall.Round(1e7))
	return nil
}

func writeSetCheck(w io.Writer, verb string, sc explore.SetCheck) {
	switch {
	case len(sc.Tried) == 0:
		fmt.Fprintf(w, "final check, %s together: nothing to check\n", verb)
	case sc.Passed:
		fmt.Fprintf(w, "final check, %s together: all %d pass\n", verb, len(sc.Tried))
	default:
		fmt.Fprintf(w, "final check, %s together: the %d fail together; %d pass together; conflicting: %s\n",
			verb, len(sc.Tried), len(sc.Working), strings.Join(names(sc.Conflicts), " "))
	}
}

// writeWrapped writes words indented, in lines of about 80 columns.
func writeWrapped(w io.Writer, words []string) {
	line := " "
	for _, word := range words {
		if len(line)+1+len(word) > 80 && line != " " {
			fmt.Fprintln(w, line)
			line = " "
		}
		line += " " + word
	}
	if line != " " {
		fmt.Fprintln(w, line)
	}
}

func names(ss []syscalls.Syscall) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name()
	}
	return out
}

type syscallJSON struct {
	Name     string `json:"name"`
	Arch     string `json:"arch"`
	Nr       int    `json:"nr"`
	Count    uint64 `json:"count"`
	Class    string `json:"class"`
	Stub     bool   `json:"works_stubbed"`
	Fake     bool   `json:"works_faked"`
	Unstable bool   `json:"unstable,omitempty"`
}

type setCheckJSON struct {
	Tried     []string `json:"tried"`
	Passed    bool     `json:"passed"`
	Working   []string `json:"working"`
	Conflicts []string `json:"conflicts"`
}

type exploreResultJSON struct {
	Command   []string      `json:"command"`
	Mode      string        `json:"mode"`
	Used      []string      `json:"used"`
	Required  []string      `json:"required"`
	StubOnly  []string      `json:"stub_only"`
	FakeOnly  []string      `json:"fake_only"`
	Both      []string      `json:"both"`
	Unstable  []string      `json:"unstable"`
	Syscalls  []syscallJSON `json:"syscalls"`
	OwnFilter bool          `json:"own_seccomp_filter"`
	Static    *staticJSON   `json:"static,omitempty"`
	Final     struct {
		Stub setCheckJSON `json:"stub"`
		Fake setCheckJSON `json:"fake"`
	} `json:"final_check"`
	Stats struct {
		Runs        int     `json:"runs"`
		Retries     int     `json:"retries"`
		Replicas    int     `json:"replicas"`
		WallSeconds float64 `json:"wall_seconds"`
	} `json:"stats"`
}

func exploreJSON(res *explore.Result) *exploreResultJSON {
	j := &exploreResultJSON{
		Command: res.Command, Mode: res.Mode, OwnFilter: res.OwnFilter,
		Used: []string{}, Required: []string{}, StubOnly: []string{}, FakeOnly: []string{}, Both: []string{}, Unstable: []string{},
		Syscalls: []syscallJSON{},
	}
	lists := map[explore.Class]*[]string{explore.Required: &j.Required, explore.StubOnly: &j.StubOnly, explore.FakeOnly: &j.FakeOnly, explore.Both: &j.Both}
	for _, v := range res.Syscalls {
		name := v.Syscall.Name()
		j.Used = append(j.Used, name)
		*lists[v.Class()] = append(*lists[v.Class()], name)
		if v.Unstable {
			j.Unstable = append(j.Unstable, name)
		}
		j.Syscalls = append(j.Syscalls, syscallJSON{
			Name: name, Arch: v.Syscall.Arch.String(), Nr: v.Syscall.Nr, Count: v.Count,
			Class: v.Class().String(), Stub: v.Stub, Fake: v.Fake, Unstable: v.Unstable,
		})
	}
	if res.Final != nil {
		j.Final.Stub = setCheckOut(res.Final.Stub)
		j.Final.Fake = setCheckOut(res.Final.Fake)
	}
	j.Stats.Runs, j.Stats.Retries, j.Stats.Replicas = res.Stats.Runs, res.Stats.Retries, res.Stats.Replicas
	j.Stats.WallSeconds = res.Stats.Wall.Seconds()
	return j
}

func setCheckOut(sc explore.SetCheck) setCheckJSON {
	orEmpty := func(ss []syscalls.Syscall) []string {
		if len(ss) == 0 {
			return []string{}
		}
		return names(ss)
	}
	return setCheckJSON{Tried: orEmpty(sc.Tried), Passed: sc.Passed, Working: orEmpty(sc.Working), Conflicts: orEmpty(sc.Conflicts)}
}
