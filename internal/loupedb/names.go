package loupedb

import (
	"fmt"
	"strings"
)

// Kind is the kind of a workload, read from its directory name.
type Kind uint8

const (
	Benchmark Kind = iota + 1 // "benchmark-<name>"
	Suite                     // "suite" or "suite-<name>"
)

func (k Kind) String() string {
	switch k {
	case Benchmark:
		return "benchmark"
	case Suite:
		return "suite"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// WorkloadKind returns the kind of the workload called name, or an error
// when name is not "benchmark-<name>", "suite" or "suite-<name>".
func WorkloadKind(name string) (Kind, error) {
	switch {
	case name == "suite":
		return Suite, nil
	case strings.HasPrefix(name, "suite-"):
		if err := checkNamePart(strings.TrimPrefix(name, "suite-")); err != nil {
			return 0, fmt.Errorf("invalid workload name %q: %w", name, err)
		}
		return Suite, nil
	case strings.HasPrefix(name, "benchmark-"):
		if err := checkNamePart(strings.TrimPrefix(name, "benchmark-")); err != nil {
			return 0, fmt.Errorf("invalid workload name %q: %w", name, err)
		}
		return Benchmark, nil
	}
	return 0, fmt.Errorf("invalid workload name %q: want benchmark-<name>, suite or suite-<name>", name)
}

// CheckAppName returns an error unless name can name an application
// directory: letters, digits, '.', '_', '+' and '-', not starting with '.'.
func CheckAppName(name string) error {
	if err := checkNamePart(name); err != nil {
		return fmt.Errorf("invalid application name %q: %w", name, err)
	}
	return nil
}

func checkNamePart(s string) error {
	if s == "" {
		return fmt.Errorf("empty name")
	}
	if s[0] == '.' || s[0] == '-' {
		return fmt.Errorf("name starts with %q", s[0])
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._+-", c)) {
			return fmt.Errorf("character %q not allowed (use letters, digits, '.', '_', '+' and '-')", c)
		}
	}
	return nil
}
