package cli

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loupe-project/loupe/internal/loupedb/loupedbtest"
)

// chromium is where Debian's chromium package installs the browser.
const chromium = "/usr/bin/chromium"

func writeReport(t *testing.T, args ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	code, _, stderr := runCommand(t, append([]string{"report", "-o", path}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestReportContainsTablesAndPlans(t *testing.T) {
	page := writeReport(t, "--db", smallDB(t), "--workload", "all", "--os", "Tiny")

	// Merged over web, kv and doc (see smallDB): read, close and openat
	// are required, write is fake-only.
	for _, want := range []string{
		`<td>required</td><td class="num">3</td><td class="names">read close openat</td>`,
		`<td>fake only</td><td class="num">1</td><td class="names">write</td>`,
		`<td>stub only</td><td class="num">0</td>`,
		`<td>web</td><td class="num">3</td><td class="num">1</td><td class="num">1</td><td class="num">1</td><td class="num">0</td>`,
		`<h3>Tiny</h3>`,
		// Tiny provides read and write, so only doc runs at start.
		`Supported at start (1): doc`,
		`Missing for all applications: 2 to implement, 0 to stub, 0 to fake.`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if n := strings.Count(page, `<img src="data:image/png;base64,`); n != 4 {
		t.Errorf("report embeds %d figures, want 4", n)
	}
}

func TestReportNeedsNoNetwork(t *testing.T) {
	page := writeReport(t, "--db", smallDB(t))
	refs := regexp.MustCompile(`(?i)(src|href)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(page, -1)
	for _, ref := range refs {
		if !strings.HasPrefix(ref[2], "data:") {
			t.Errorf("report loads %s=%q, want only data: URLs", ref[1], ref[2])
		}
	}
	if strings.Contains(page, "@import") || strings.Contains(page, "url(") {
		t.Error("report style sheet loads another resource")
	}
	if strings.Contains(page, "<h3>Tiny</h3>") {
		t.Error("report has a plan although no --os was given")
	}
}

func TestReportRejectsInvalidCommandLines(t *testing.T) {
	dir := smallDB(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no output", []string{"report", "--db", dir}, "missing -o FILE.html"},
		{"not html", []string{"report", "--db", dir, "-o", "r.png"}, "want a name ending in .html"},
		{"no db", []string{"report", "-o", "r.html"}, "missing --db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCommand(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

func TestReportRendersInChromium(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("%s not found: install Debian's chromium package to check the report in a browser", chromium)
	}
	tests := []struct {
		name string
		args func(t *testing.T) []string
	}{
		{"small database", func(t *testing.T) []string { return []string{"--db", smallDB(t), "--os", "Tiny"} }},
		{"public data set", func(t *testing.T) []string {
			return []string{"--db", loupedbtest.PublicDir(t), "--workload", "bench", "--os", "Unikraft", "--os", "Fuchsia"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			html := filepath.Join(dir, "report.html")
			code, _, stderr := runCommand(t, append([]string{"report", "-o", html}, tt.args(t)...)...)
			if code != 0 {
				t.Fatalf("exit %d, stderr: %s", code, stderr)
			}
			shot := filepath.Join(dir, "shot.png")
			screenshot(t, html, shot)
			checkScreenshot(t, shot)
		})
	}
}

// screenshot renders html with headless chromium into the PNG file shot.
func screenshot(t *testing.T, html, shot string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	abs, err := filepath.Abs(html)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--screenshot="+shot, "--window-size=1400,2000",
		"file://"+abs)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium failed: %v\n%s", err, out)
	}
}

// checkScreenshot fails unless shot is a 1400x2000 image with text and
// figures on it: many distinct colors, and dark pixels of text.
func checkScreenshot(t *testing.T, shot string) {
	t.Helper()
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got != (image.Point{X: 1400, Y: 2000}) {
		t.Errorf("screenshot is %v, want 1400x2000", got)
	}

	colors := map[[3]uint32]bool{}
	dark := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colors[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if r>>8 < 80 && g>>8 < 80 && bl>>8 < 80 {
				dark++
			}
		}
	}

	if len(colors) < 100 {
		t.Errorf("screenshot has %d colors, want at least 100 (figures drawn)", len(colors))
	}
	if dark < 1000 {
		t.Errorf("screenshot has %d dark pixels in a 2x2 sample, want at least 1000 (text drawn)", dark)
	}
}
