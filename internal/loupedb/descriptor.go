package loupedb

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// DescriptorFile is the name of a run descriptor inside a run directory.
const DescriptorFile = "run.json"

// TestScriptFile is the name of the copy of the test script inside a run
// directory.
const TestScriptFile = "test-script"

// descriptorFormat is the current value of Descriptor.FormatVersion.
const descriptorFormat = 1

// Descriptor is the record a run directory keeps, besides its results, to
// make the run reproducible and comparable. It is stored as run.json. The fields
// are declared in alphabetical order of their JSON keys so that the file has
// sorted keys and diffs stay small.
type Descriptor struct {
	App          string   `json:"app"`
	Arch         string   `json:"arch"`          // uname machine, "x86_64"
	BinarySHA256 string   `json:"binary_sha256"` // of the application's executable
	Command      []string `json:"command"`       // the application and its arguments
	// Counts of the classes in data/dyn.csv, for people reading the file.
	Counts        Counts    `json:"counts"`
	Date          time.Time `json:"date"`                 // start of the analysis
	FormatVersion int       `json:"format_version"`       // of this descriptor, 1
	Invocation    []string  `json:"invocation,omitempty"` // the loupe command line
	Kernel        string    `json:"kernel"`               // uname release
	Libc          string    `json:"libc"`                 // "glibc 2.36", see HostLibc
	LoupeVersion  string    `json:"loupe_version"`
	Mode          string    `json:"mode"` // "server" or "sequential"
	Replicas      int       `json:"replicas"`
	// TestScript is the test script's path on the machine that made the run;
	// the script itself is copied to TestScriptFile. Empty without a script.
	TestScript       string `json:"test_script,omitempty"`
	TestScriptSHA256 string `json:"test_script_sha256,omitempty"`
	Timeout          string `json:"timeout"` // Go duration, "10s"
	Workload         string `json:"workload"`
}

// Counts are the sizes of the classes of a dynamic result.
type Counts struct {
	Both     int `json:"both"`
	FakeOnly int `json:"fake_only"`
	Required int `json:"required"`
	StubOnly int `json:"stub_only"`
	Used     int `json:"used"`
}

// CountResults counts the classes of d: used, required (used and neither
// alteration works), stub-only, fake-only and both.
func CountResults(d Dynamic) Counts {
	var c Counts
	for _, r := range d {
		if !r.Used {
			continue
		}
		c.Used++
		switch {
		case r.Both || r.Faked && r.Stubbed:
			c.Both++
		case r.Stubbed:
			c.StubOnly++
		case r.Faked:
			c.FakeOnly++
		default:
			c.Required++
		}
	}
	return c
}

// ReadDescriptor reads a run.json.
func ReadDescriptor(path string) (*Descriptor, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var d Descriptor
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: invalid run descriptor: %w", path, err)
	}
	if d.FormatVersion > descriptorFormat {
		return nil, fmt.Errorf("%s: run descriptor format %d is newer than this loupe reads (%d); update loupe", path, d.FormatVersion, descriptorFormat)
	}
	return &d, nil
}

// marshalDescriptor encodes d as indented JSON with a final newline.
func marshalDescriptor(d *Descriptor) ([]byte, error) {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// RunID returns the directory name of a run: the first 128 bits, in hex, of
// the SHA-256 of the fields that define the run's experiment and
// environment. Running the same experiment again on the same kind of machine
// gives the same name, so the new results replace the old ones and git diff
// shows what changed. See the package documentation for the fields.
func RunID(d *Descriptor) string {
	h := sha256.New()
	field := func(key, value string) {
		// Length prefixes keep "a","bc" apart from "ab","c".
		fmt.Fprintf(h, "%s %d %s\n", key, len(value), value)
	}
	field("format", "1")
	for _, arg := range d.Command {
		field("arg", arg)
	}
	field("binary_sha256", d.BinarySHA256)
	field("test_script_sha256", d.TestScriptSHA256)
	field("mode", d.Mode)
	field("arch", d.Arch)
	field("libc", d.Libc)
	field("kernel", kernelSeries(d.Kernel))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// kernelSeries returns the major.minor part of a kernel release
// ("6.1.0-18-amd64" gives "6.1"): a kernel's feature set changes with its
// series, while its patch level changes with every security update.
func kernelSeries(release string) string {
	parts := strings.SplitN(release, ".", 3)
	if len(parts) < 2 {
		return release
	}
	minor := parts[1]
	if i := strings.IndexFunc(minor, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minor = minor[:i]
	}
	return parts[0] + "." + minor
}

// date returns the date in r's descriptor, or the zero time.
func (r *Run) date() time.Time {
	if r.Descriptor == nil {
		return time.Time{}
	}
	return r.Descriptor.Date
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
