package static

import (
	"os"
	"testing"
)

// FuzzParseObject feeds arbitrary bytes to the ELF reader, the disassembler
// and the data flow analysis, which must return errors and never panic.
// The committed seeds in testdata/fuzz are truncated and corrupted copies
// of testdata/known.elf, a static build of testdata/known.c.
func FuzzParseObject(f *testing.F) {
	if elf, err := os.ReadFile("testdata/known.elf"); err == nil {
		f.Add(elf)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := parseObject("fuzz", data)
		if err != nil {
			return
		}
		// The data flow analysis is the costly part; a few hundred
		// functions cover every path through it.
		for fi := range min(len(o.funcs), 200) {
			o.analyzeFunction(int32(fi))
		}
	})
}
