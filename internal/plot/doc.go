// Package plot draws the figures of a results database: how many
// applications need each syscall (cumulative, heatmap), what each
// application needs (breakdown), and how support plans progress (plan).
//
// Each figure has two halves. A pure function turns the selected
// applications into the numbers behind the figure (series, cells, bars,
// curves), and a Draw function turns those numbers into a Figure that can be
// written as SVG or PNG with gonum's plot library. Tests check the numbers;
// the drawing only lays them out.
//
// # Analyses
//
// The figures compare up to four analyses of the same applications:
// dynamic-used (seen in a passing baseline run), dynamic-required (the test
// fails both when the syscall is stubbed and when it is faked), static binary
// and static source. A share of applications is always taken over the
// applications that have data for that analysis: every selected application
// for the dynamic analyses, only those whose chosen runs have a
// static_binary.csv (static_sources.csv) for the static ones.
package plot
