package static

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// A Result is the outcome of a static analysis: the syscalls found and
// what could not be resolved.
type Result struct {
	Binary string
	// Objects are the analysed files: the binary first, then its
	// libraries in the loader's search order.
	Objects []Object
	// MissingLibraries are DT_NEEDED names that no directory provides, and
	// libraries that could not be read; their syscalls are not counted.
	MissingLibraries []string

	Unresolved Unresolved

	// Functions counts the functions of all objects, ReachableFunctions
	// those the call graph reaches.
	Functions          int
	ReachableFunctions int

	reaches map[syscalls.Syscall][]Reach
}

// An Object is one ELF file of the program.
type Object struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// A Reach is one place that makes a syscall: a function with the syscall
// instruction, or a function that passes the number as a constant to a
// wrapper (Via) such as libc's syscall().
type Reach struct {
	Function string   `json:"function"`
	Via      string   `json:"via,omitempty"`
	Path     []string `json:"path"` // a shortest call path from a root to Function
}

// Unresolved counts what the analysis could not follow. Each of these may
// hide syscalls that the result lacks.
type Unresolved struct {
	// UnknownNumbers counts syscall instructions and wrapper calls where
	// the number is not a constant the analysis can recover.
	UnknownNumbers int `json:"unknown_numbers"`
	// UnknownSites names the functions of those instructions and calls.
	UnknownSites []string `json:"unknown_sites"`
	// IndirectCalls counts call instructions through a register or memory
	// in reachable functions. Their targets are not followed as such, but
	// the functions whose address reachable code loads, or whose address
	// is stored in the data of a reached object, are reachable.
	IndirectCalls int `json:"indirect_calls"`
	// IndirectJumps counts jumps through a register or memory, most of them
	// switch tables within a function.
	IndirectJumps int `json:"indirect_jumps"`
	// InvalidNumbers are constants used as numbers that name no syscall.
	InvalidNumbers []int64 `json:"invalid_numbers"`
	// MissingImports are called functions that no loaded object defines.
	MissingImports []string `json:"missing_imports"`
}

func newResult(binary string) *Result {
	return &Result{Binary: binary, reaches: map[syscalls.Syscall][]Reach{}}
}

func (r *Result) add(sc syscalls.Syscall, reach Reach) {
	for _, have := range r.reaches[sc] {
		if have.Function == reach.Function && have.Via == reach.Via {
			return
		}
	}
	r.reaches[sc] = append(r.reaches[sc], reach)
}

func (r *Result) unknownAt(site string) {
	r.Unresolved.UnknownSites = append(r.Unresolved.UnknownSites, site)
}

// Syscalls returns the syscalls found, x86_64 first, by number.
func (r *Result) Syscalls() []syscalls.Syscall {
	out := make([]syscalls.Syscall, 0, len(r.reaches))
	for sc := range r.reaches {
		out = append(out, sc)
	}
	sort.Slice(out, func(i, j int) bool { return syscalls.Less(out[i], out[j]) })
	return out
}

// Reaches returns the places that make syscall sc, sorted by function.
func (r *Result) Reaches(sc syscalls.Syscall) []Reach {
	out := append([]Reach(nil), r.reaches[sc]...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Function != out[j].Function {
			return out[i].Function < out[j].Function
		}
		return out[i].Via < out[j].Via
	})
	return out
}

// WriteCSV writes the static_binary.csv format: a comment line, then
// "nr,Y" or "nr,N" for every x86_64 number from 0 to the highest known.
// Syscalls made through the i386 entry have no column in this format.
func (r *Result) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# syscall, used")
	for nr := 0; nr <= syscalls.Max(syscalls.X86_64); nr++ {
		flag := "N"
		if _, ok := r.reaches[syscalls.Syscall{Arch: syscalls.X86_64, Nr: nr}]; ok {
			flag = "Y"
		}
		fmt.Fprintf(bw, "%d,%s\n", nr, flag)
	}
	return bw.Flush()
}

// WriteText writes one syscall name a line, then a summary of what was not
// resolved as "#" lines. With explain, each name is followed by the places
// that make it and a call path to each.
func (r *Result) WriteText(w io.Writer, explain bool) error {
	bw := bufio.NewWriter(w)
	list := r.Syscalls()
	for _, sc := range list {
		fmt.Fprintln(bw, sc.Name())
		if !explain {
			continue
		}
		for _, reach := range r.Reaches(sc) {
			via := ""
			if reach.Via != "" {
				via = " via " + reach.Via
			}
			fmt.Fprintf(bw, "    %s%s\n        path: %s\n", reach.Function, via, strings.Join(reach.Path, " -> "))
		}
	}
	u := r.Unresolved
	fmt.Fprintf(bw, "# %d syscalls in %d objects (%d of %d functions reachable)\n",
		len(list), len(r.Objects), r.ReachableFunctions, r.Functions)
	fmt.Fprintf(bw, "# not resolved: %d syscall numbers, %d indirect calls, %d indirect jumps\n",
		u.UnknownNumbers, u.IndirectCalls, u.IndirectJumps)
	if len(u.InvalidNumbers) > 0 {
		fmt.Fprintf(bw, "# numbers that name no syscall: %v\n", u.InvalidNumbers)
	}
	if len(u.MissingImports) > 0 {
		fmt.Fprintf(bw, "# called functions no library defines: %s\n", strings.Join(u.MissingImports, " "))
	}
	if len(r.MissingLibraries) > 0 {
		fmt.Fprintf(bw, "# libraries not found or not readable: %s\n", strings.Join(r.MissingLibraries, " "))
	}
	if explain {
		for _, s := range u.UnknownSites {
			fmt.Fprintf(bw, "# unknown number at %s\n", s)
		}
	}
	return bw.Flush()
}

// jsonResult is the JSON form of a Result.
type jsonResult struct {
	Binary             string        `json:"binary"`
	Objects            []Object      `json:"objects"`
	MissingLibraries   []string      `json:"missing_libraries"`
	Syscalls           []jsonSyscall `json:"syscalls"`
	Unresolved         Unresolved    `json:"unresolved"`
	Functions          int           `json:"functions"`
	ReachableFunctions int           `json:"reachable_functions"`
}

type jsonSyscall struct {
	Name    string  `json:"name"`
	Arch    string  `json:"arch"`
	Number  int     `json:"number"`
	Reaches []Reach `json:"reached_by"`
}

// WriteJSON writes the result as one indented JSON object.
func (r *Result) WriteJSON(w io.Writer) error {
	out := jsonResult{
		Binary:             r.Binary,
		Objects:            r.Objects,
		MissingLibraries:   nonNil(r.MissingLibraries),
		Syscalls:           []jsonSyscall{},
		Unresolved:         r.Unresolved,
		Functions:          r.Functions,
		ReachableFunctions: r.ReachableFunctions,
	}
	out.Unresolved.UnknownSites = nonNil(out.Unresolved.UnknownSites)
	out.Unresolved.MissingImports = nonNil(out.Unresolved.MissingImports)
	if out.Unresolved.InvalidNumbers == nil {
		out.Unresolved.InvalidNumbers = []int64{}
	}
	for _, sc := range r.Syscalls() {
		out.Syscalls = append(out.Syscalls, jsonSyscall{
			Name: sc.Name(), Arch: sc.Arch.String(), Number: sc.Nr, Reaches: r.Reaches(sc),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
