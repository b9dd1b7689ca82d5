// Package loupedbtest helps tests build small results databases and find
// the public data set.
package loupedbtest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// PublicDir returns the directory of the public Loupe data set (ASPLOS'24):
// $LOUPE_PUBLIC_DB, or shared/loupedb in the folder that holds the
// repository. It skips the test when the data set is not found.
func PublicDir(tb testing.TB) string {
	tb.Helper()
	if dir := os.Getenv("LOUPE_PUBLIC_DB"); dir != "" {
		return dir
	}
	// Tests run in their package directory, two levels below the
	// repository root; this file is three levels below it.
	candidates := []string{filepath.Join("..", "..", "..", "shared", "loupedb")}
	if _, file, _, ok := runtime.Caller(0); ok {
		candidates = append(candidates, filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared", "loupedb"))
	}
	for _, dir := range candidates {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
	}
	tb.Skip("public data set not found: set LOUPE_PUBLIC_DB to its directory")
	return ""
}

// Row is one dyn.csv row as a string of four Y/N letters: used, works
// faked, works stubbed, works both ("YNNN" is required).
type Row = string

// DynCSV returns a dyn.csv with rows 0 to n-1: the given numbers get their
// rows, every other number is unused.
func DynCSV(n int, rows map[int]Row) string {
	var b strings.Builder
	b.WriteString("# syscall, used, works faked, works stubbed, works both\n")
	for nr := range n {
		r, ok := rows[nr]
		if !ok {
			r = "NNNN"
		}
		fmt.Fprintf(&b, "%d,%c,%c,%c,%c\n", nr, r[0], r[1], r[2], r[3])
	}
	return b.String()
}

// WriteFile writes content to dir/rel, creating the directories on the way.
func WriteFile(tb testing.TB, dir, rel, content string) {
	tb.Helper()
	path := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// WriteRun writes a run with the given dyn.csv rows (335 rows, like most of
// the public data set) to dir/app/workload/run.
func WriteRun(tb testing.TB, dir, app, workload, run string, rows map[int]Row) {
	tb.Helper()
	WriteFile(tb, dir, filepath.Join(app, workload, run, "data", "dyn.csv"), DynCSV(335, rows))
}
