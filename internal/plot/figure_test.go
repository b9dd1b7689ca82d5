package plot

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"testing"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
)

func TestFormatOfReadsExtension(t *testing.T) {
	tests := []struct {
		path    string
		want    Format
		wantErr bool
	}{
		{"fig.svg", SVG, false},
		{"dir/FIG.PNG", PNG, false},
		{"fig.pdf", "", true},
		{"fig", "", true},
	}
	for _, tt := range tests {
		got, err := FormatOf(tt.path)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("FormatOf(%q) = %q, %v; want %q, error %v", tt.path, got, err, tt.want, tt.wantErr)
		}
	}
}

// figures draws every figure of the test database.
func figures(t *testing.T) map[string]Figure {
	t.Helper()
	db, usages, apps := selectApps(t, testDB(t), plan.All)
	out := map[string]Figure{}
	add := func(name string, f Figure, err error) {
		if err != nil {
			t.Fatalf("drawing %s: %v", name, err)
		}
		out[name] = f
	}
	f, err := DrawCumulative(Cumulative(apps), "cumulative")
	add("cumulative", f, err)
	f, err = DrawBreakdown(Breakdown(apps), "breakdown")
	add("breakdown", f, err)
	f, err = DrawHeatmap(HeatmapOf(apps), "heatmap")
	add("heatmap", f, err)
	f, err = DrawPlan(PlanCurves(usages, []*loupedb.OSList{db.OSList("Read")}), len(apps), "plan")
	add("plan", f, err)
	return out
}

func TestFiguresWritePNGOfTheirSize(t *testing.T) {
	for name, f := range figures(t) {
		var b bytes.Buffer
		if err := f.Write(&b, PNG); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatalf("%s: output is not a PNG: %v", name, err)
		}
		wantW, wantH := int(f.Width.Dots(pngDPI)+0.5), int(f.Height.Dots(pngDPI)+0.5)
		if got := img.Bounds().Size(); got.X != wantW || got.Y != wantH {
			t.Errorf("%s: PNG is %dx%d, want %dx%d", name, got.X, got.Y, wantW, wantH)
		}
	}
}

func TestFiguresWriteSVGWithTheirText(t *testing.T) {
	for name, f := range figures(t) {
		var b bytes.Buffer
		if err := f.Write(&b, SVG); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := xml.Unmarshal(b.Bytes(), new(struct{})); err != nil {
			t.Errorf("%s: output is not XML: %v", name, err)
		}
		if !bytes.Contains(b.Bytes(), []byte("<svg")) {
			t.Errorf("%s: no <svg> element", name)
		}
		if !bytes.Contains(b.Bytes(), []byte(">"+name+"<")) {
			t.Errorf("%s: the title is not in the SVG text", name)
		}
	}
}

func TestHeatmapLabelsEveryCell(t *testing.T) {
	var b bytes.Buffer
	if err := figures(t)["heatmap"].Write(&b, SVG); err != nil {
		t.Fatal(err)
	}
	// The test database has dyn.csv rows 0 to 334, and every panel
	// labels each of them.
	for _, nr := range []string{"0", "257", "334"} {
		if n := bytes.Count(b.Bytes(), []byte(">"+nr+"<")); n < 4 {
			t.Errorf("label %s appears %d times, want at least 4 (one per panel)", nr, n)
		}
	}
}

func TestDrawRejectsEmptyData(t *testing.T) {
	if _, err := DrawBreakdown(nil, "t"); err == nil {
		t.Error("DrawBreakdown(nil) returned no error")
	}
	if _, err := DrawPlan(nil, 0, "t"); err == nil {
		t.Error("DrawPlan(nil) returned no error")
	}
	if _, err := DrawHeatmap(Heatmap{}, "t"); err == nil {
		t.Error("DrawHeatmap(empty) returned no error")
	}
}
