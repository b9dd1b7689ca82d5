package plot

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
)

// Report is the content of an HTML report of a database selection.
type Report struct {
	Title    string
	DB       string // database directory
	Workload string // workload selection, as given on the command line
	Apps     []plan.AppUsage
	Usage    plan.Usage // merged needs of Apps
	Bars     []Bar
	Curves   []Curve
	Figures  []ReportFigure
}

// ReportFigure is a figure of the report with its caption.
type ReportFigure struct {
	Caption string
	Figure  Figure
}

//go:embed report.html.tmpl
var reportTemplate string

var reportPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"names": func(nrs []int) string { return strings.Join(loupedb.Names(nrs), " ") },
	"join":  func(s []string) string { return strings.Join(s, " ") },
	"inc":   func(i int) int { return i + 1 },
}).Parse(reportTemplate))

// reportView is the data of the report template: the report with its figures
// already encoded.
type reportView struct {
	Report
	Images []reportImage
	Sets   plan.Sets
	Used   int
}

type reportImage struct {
	Caption string
	Source  template.URL // a data: URL, so the page needs no other file
	Width   int          // CSS pixels
}

// WriteHTML writes r as one self-contained HTML page: the figures are
// embedded as PNG data URLs, and the page loads no other resource.
func (r Report) WriteHTML(w io.Writer) error {
	view := reportView{Report: r, Sets: r.Usage.Sets(), Used: len(r.Usage.Used())}
	for _, f := range r.Figures {
		var b bytes.Buffer
		if err := f.Figure.Write(&b, PNG); err != nil {
			return fmt.Errorf("drawing %q: %w", f.Caption, err)
		}
		view.Images = append(view.Images, reportImage{
			Caption: f.Caption,
			Source:  template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())),
			// CSS pixels are 1/96 inch, and vg lengths are points.
			Width: int(f.Figure.Width.Points() * 96 / 72),
		})
	}
	if err := reportPage.Execute(w, view); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}
