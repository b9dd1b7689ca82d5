package cli

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
)

func TestPlotWritesEveryKindAndFormat(t *testing.T) {
	dir := smallDB(t)
	out := t.TempDir()
	for _, kind := range figureKinds {
		for _, ext := range []string{".svg", ".png"} {
			t.Run(kind+ext, func(t *testing.T) {
				path := filepath.Join(out, kind+ext)
				code, _, stderr := runCommand(t, "plot", kind, "--db", dir, "--workload", "all", "-o", path)
				if code != 0 {
					t.Fatalf("exit %d, stderr: %s", code, stderr)
				}
				checkFigureFile(t, path)
			})
		}
	}
}

func TestPlotPublicDataSet(t *testing.T) {
	dir := loupedbtest.PublicDir(t)
	out := t.TempDir()
	for _, kind := range figureKinds {
		path := filepath.Join(out, kind+".png")
		code, _, stderr := runCommand(t, "plot", kind, "--db", dir, "--workload", "bench", "-o", path)
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr: %s", kind, code, stderr)
		}
		checkFigureFile(t, path)
	}
}

// checkFigureFile fails unless path contains a PNG or SVG image, and no
// temporary file is left next to it.
func checkFigureFile(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".png") {
		img, err := png.Decode(strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("%s is not a PNG: %v", path, err)
		}
		if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 300 {
			t.Errorf("%s is %dx%d, want at least 500x300", path, b.Dx(), b.Dy())
		}
	} else if !strings.Contains(string(data), "<svg") {
		t.Errorf("%s has no <svg> element", path)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestPlotRejectsInvalidCommandLines(t *testing.T) {
	dir := smallDB(t)
	out := filepath.Join(t.TempDir(), "fig.png")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no kind", []string{"plot", "--db", dir, "-o", out}, "want one figure kind"},
		{"unknown kind", []string{"plot", "pie", "--db", dir, "-o", out}, `invalid figure kind "pie"`},
		{"no output", []string{"plot", "cumulative", "--db", dir}, "missing -o"},
		{"bad extension", []string{"plot", "cumulative", "--db", dir, "-o", "fig.pdf"}, "want a name ending in .svg or .png"},
		{"no db", []string{"plot", "cumulative", "-o", out}, "missing --db"},
		{"os on another figure", []string{"plot", "cumulative", "--db", dir, "-o", out, "--os", "Tiny"}, "--os applies only to the plan figure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCommand(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.want)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s written despite the invalid command line", out)
	}
}

func TestPlotPlanReadsOSLists(t *testing.T) {
	dir := smallDB(t)
	path := filepath.Join(t.TempDir(), "plan.svg")
	code, _, stderr := runCommand(t, "plot", "plan", "--db", dir, "--os", "Tiny", "--os", filepath.Join(dir, "Tiny.syscalls"), "-o", path)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Tiny provides read and write: the legend of each curve names it.
	if n := strings.Count(string(data), "Tiny: "); n != 2 {
		t.Errorf("legend names Tiny %d times, want 2", n)
	}

	code, _, stderr = runCommand(t, "plot", "plan", "--db", dir, "--os", "Missing", "-o", path)
	if code != 1 || !strings.Contains(stderr, "OS list") {
		t.Errorf("missing OS list: exit %d, stderr %q; want exit 1 and a message about the OS list", code, stderr)
	}
}
