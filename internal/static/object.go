package static

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// An object is one ELF file of the program (the analysed binary, its
// interpreter or a shared library) reduced to what the analysis needs: its
// code, its functions and the edges between them.
type object struct {
	path string
	name string // base name, used to label functions

	dynamic bool // has a PT_DYNAMIC segment
	interp  string
	needed  []string
	rpath   []string // DT_RPATH, with $ORIGIN still in place
	runpath []string // DT_RUNPATH

	code         []codeRange
	hasSections  bool
	plt          rangeSet // the PLT sections: .plt, .plt.sec, .plt.got
	symbolRanges rangeSet // code that named, sized symbols describe

	// Loaded data the code and relocations refer to.
	segments []segment

	funcs []function // sorted by start, not overlapping

	exports  map[string]int32   // defined dynamic function symbols
	defined  map[string]bool    // every defined dynamic symbol, functions or data
	imports  []string           // names of the symbols called through GOT slots
	slots    map[uint64]gotSlot // GOT slots by address
	relative map[uint64]uint64  // R_X86_64_RELATIVE: slot address -> value

	entry     uint64
	initFuncs []uint64 // DT_INIT, DT_FINI and the entries of the init and fini arrays

	// Functions whose address is stored in data (R_X86_64_RELATIVE to
	// code), and imports whose address is (R_X86_64_64 outside the GOT):
	// function pointer tables such as stdio's vtables or SQLite's table of
	// system call functions.
	dataRefs    []int32
	dataImports []int32
	dataRelocs  []uint64 // RELATIVE values, until functions are known

	sites []callSite // direct calls and jumps between functions, sorted by caller

	state objectState
}

// A codeRange is executable bytes loaded at a virtual address.
type codeRange struct {
	addr uint64
	data []byte
}

// A segment is a PT_LOAD segment's file-backed bytes.
type segment struct {
	addr uint64
	data []byte
}

// A gotSlot is a GOT entry the code can call or jump through: either an
// imported symbol (imp >= 0) or an IFUNC resolver of the object itself
// (R_X86_64_IRELATIVE, target set).
type gotSlot struct {
	imp    int32
	target uint64
}

// A function is a stretch of code that the call graph treats as one node.
type function struct {
	start, end uint64
	name       string

	syscalls []uint64 // addresses of syscall instructions
	int80    []uint64 // addresses of int 0x80 instructions (the i386 entry)

	imports  []int32 // imports called or jumped to
	addrRefs []int32 // functions whose address the code loads

	indirectCalls int
	indirectJumps int
	noReturn      bool
}

// A callSite is a direct call, or a jump to another function's start (a tail
// call), at addr.
type callSite struct {
	caller int32
	callee int32 // -1 when the site calls an import
	imp    int32 // import index, -1 when the site calls a function
	addr   uint64
}

// errNotELF marks input that is not an ELF file at all.
var errNotELF = errors.New("not an ELF file")

// maxObjectSize bounds what loadObject reads, so that a corrupt size field
// cannot make it allocate without limit. The largest common libraries
// (libLLVM, libxul) are below 200 MiB.
const maxObjectSize = 1 << 30

// loadObject reads an ELF file and disassembles its code.
func loadObject(path string) (*object, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	o, err := parseObject(path, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return o, nil
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > maxObjectSize {
		return nil, fmt.Errorf("%s: file of %d bytes is larger than the limit of %d", path, st.Size(), maxObjectSize)
	}
	return io.ReadAll(f)
}

// parseObject builds an object from the bytes of an ELF file. It rejects
// anything but x86_64 executables and shared libraries with an error, and
// must not panic on any input.
func parseObject(path string, data []byte) (*object, error) {
	if len(data) < 4 || !bytes.Equal(data[:4], []byte(elf.ELFMAG)) {
		return nil, errNotELF
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("invalid ELF file: %w", err)
	}
	if f.Class != elf.ELFCLASS64 || f.Machine != elf.EM_X86_64 {
		return nil, fmt.Errorf("%v %v binary: only x86_64 (ELFCLASS64, EM_X86_64) is supported", f.Class, f.Machine)
	}
	if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return nil, fmt.Errorf("ELF type %v: only executables and shared libraries can be analysed", f.Type)
	}

	o := &object{
		path:     path,
		name:     filepath.Base(path),
		entry:    f.Entry,
		exports:  map[string]int32{},
		defined:  map[string]bool{},
		slots:    map[uint64]gotSlot{},
		relative: map[uint64]uint64{},
	}
	if err := o.readSegments(f, data); err != nil {
		return nil, err
	}
	if err := o.readCode(f, data); err != nil {
		return nil, err
	}
	if o.dynamic {
		if err := o.readDynamic(f); err != nil {
			return nil, err
		}
	}
	syms, dynsyms := readSymbols(f)
	if err := o.readRelocations(f, data, dynsyms); err != nil {
		return nil, err
	}
	o.readInitFuncs(f)

	bounds := o.knownFunctions(f, syms, dynsyms)
	o.disassemble(bounds)
	o.indexExports(dynsyms)
	return o, nil
}

// readSegments keeps the file-backed bytes of every PT_LOAD segment, which
// is where the relocations, init arrays and unwind tables are found when
// section headers are missing.
func (o *object) readSegments(f *elf.File, data []byte) error {
	for _, p := range f.Progs {
		switch p.Type {
		case elf.PT_DYNAMIC:
			o.dynamic = true
		case elf.PT_INTERP:
			b, err := fileRange(data, p.Off, p.Filesz)
			if err != nil {
				return fmt.Errorf("invalid PT_INTERP segment: %w", err)
			}
			o.interp = string(bytes.TrimRight(b, "\x00"))
		case elf.PT_LOAD:
			b, err := fileRange(data, p.Off, p.Filesz)
			if err != nil {
				return fmt.Errorf("invalid PT_LOAD segment at %#x: %w", p.Vaddr, err)
			}
			o.segments = append(o.segments, segment{addr: p.Vaddr, data: b})
		}
	}
	if len(o.segments) == 0 {
		return errors.New("no PT_LOAD segment: nothing would be loaded")
	}
	return nil
}

// readCode collects the executable sections, or the executable segments when
// the file has no section headers (as after "strip --strip-section-headers").
func (o *object) readCode(f *elf.File, data []byte) error {
	for _, s := range f.Sections {
		if s.Type != elf.SHT_PROGBITS || s.Flags&elf.SHF_EXECINSTR == 0 || s.Flags&elf.SHF_ALLOC == 0 {
			continue
		}
		b, err := fileRange(data, s.Offset, s.Size)
		if err != nil {
			return fmt.Errorf("invalid section %s: %w", s.Name, err)
		}
		o.code = append(o.code, codeRange{addr: s.Addr, data: b})
		o.hasSections = true
		if strings.HasPrefix(s.Name, ".plt") || s.Name == ".iplt" {
			o.plt = append(o.plt, [2]uint64{s.Addr, s.Addr + s.Size})
		}
	}
	o.plt = o.plt.merge()
	if len(o.code) == 0 {
		for _, p := range f.Progs {
			if p.Type != elf.PT_LOAD || p.Flags&elf.PF_X == 0 {
				continue
			}
			b, err := fileRange(data, p.Off, p.Filesz)
			if err != nil {
				return fmt.Errorf("invalid executable segment at %#x: %w", p.Vaddr, err)
			}
			o.code = append(o.code, codeRange{addr: p.Vaddr, data: b})
		}
	}
	sort.Slice(o.code, func(i, j int) bool { return o.code[i].addr < o.code[j].addr })
	return nil
}

// fileRange returns data[off:off+size] or an error when that is past the end
// of the file.
func fileRange(data []byte, off, size uint64) ([]byte, error) {
	if off > uint64(len(data)) || size > uint64(len(data))-off {
		return nil, fmt.Errorf("%d bytes at offset %d are past the end of the %d-byte file (truncated?)", size, off, len(data))
	}
	return data[off : off+size], nil
}

// isCode reports whether addr is in an executable range.
func (o *object) isCode(addr uint64) bool {
	i := sort.Search(len(o.code), func(i int) bool { return o.code[i].addr+uint64(len(o.code[i].data)) > addr })
	return i < len(o.code) && addr >= o.code[i].addr
}

// read returns n loaded bytes at virtual address addr, or nil when they are
// not all in the file.
func (o *object) read(addr uint64, n uint64) []byte {
	for _, s := range o.segments {
		if addr >= s.addr && addr-s.addr <= uint64(len(s.data)) && n <= uint64(len(s.data))-(addr-s.addr) {
			return s.data[addr-s.addr : addr-s.addr+n]
		}
	}
	return nil
}

func (o *object) readDynamic(f *elf.File) error {
	var err error
	if o.needed, err = f.DynString(elf.DT_NEEDED); err != nil {
		return fmt.Errorf("reading DT_NEEDED: %w", err)
	}
	rpath, err := f.DynString(elf.DT_RPATH)
	if err != nil {
		return fmt.Errorf("reading DT_RPATH: %w", err)
	}
	runpath, err := f.DynString(elf.DT_RUNPATH)
	if err != nil {
		return fmt.Errorf("reading DT_RUNPATH: %w", err)
	}
	for _, p := range rpath {
		o.rpath = append(o.rpath, strings.Split(p, ":")...)
	}
	for _, p := range runpath {
		o.runpath = append(o.runpath, strings.Split(p, ":")...)
	}
	return nil
}

// readSymbols returns the static and dynamic symbol tables. Either may be
// missing (a stripped binary, a static binary), which is not an error: the
// unwind tables and the call targets still give function boundaries.
func readSymbols(f *elf.File) (syms, dynsyms []elf.Symbol) {
	syms, _ = f.Symbols()
	dynsyms, _ = f.DynamicSymbols()
	return syms, dynsyms
}

func isFuncSymbol(s elf.Symbol) bool {
	t := elf.ST_TYPE(s.Info)
	return (t == elf.STT_FUNC || t == elf.STT_GNU_IFUNC) && s.Section != elf.SHN_UNDEF && s.Value != 0
}

const relaSize = 24

// readRelocations finds the GOT slots that calls go through and the
// R_X86_64_RELATIVE values, from the SHT_RELA sections or, without section
// headers, from DT_RELA and DT_JMPREL.
func (o *object) readRelocations(f *elf.File, data []byte, dynsyms []elf.Symbol) error {
	var tables [][]byte
	for _, s := range f.Sections {
		if s.Type != elf.SHT_RELA || s.Flags&elf.SHF_ALLOC == 0 {
			continue
		}
		b, err := fileRange(data, s.Offset, s.Size)
		if err != nil {
			return fmt.Errorf("invalid section %s: %w", s.Name, err)
		}
		tables = append(tables, b)
	}
	if len(f.Sections) == 0 && o.dynamic {
		for _, tags := range [][2]elf.DynTag{{elf.DT_RELA, elf.DT_RELASZ}, {elf.DT_JMPREL, elf.DT_PLTRELSZ}} {
			addr, err1 := f.DynValue(tags[0])
			size, err2 := f.DynValue(tags[1])
			if err1 != nil || err2 != nil || len(addr) == 0 || len(size) == 0 {
				continue
			}
			if b := o.read(addr[0], size[0]); b != nil {
				tables = append(tables, b)
			}
		}
	}

	importIndex := map[string]int32{}
	for _, t := range tables {
		for len(t) >= relaSize {
			off := binary.LittleEndian.Uint64(t)
			info := binary.LittleEndian.Uint64(t[8:])
			addend := binary.LittleEndian.Uint64(t[16:])
			t = t[relaSize:]

			sym := info >> 32
			switch elf.R_X86_64(info & 0xffffffff) {
			case elf.R_X86_64_RELATIVE:
				o.relative[off] = addend
				o.dataRelocs = append(o.dataRelocs, addend)
			case elf.R_X86_64_IRELATIVE:
				o.slots[off] = gotSlot{imp: -1, target: addend}
			case elf.R_X86_64_JMP_SLOT, elf.R_X86_64_GLOB_DAT, elf.R_X86_64_64:
				// debug/elf drops the null symbol, so index i is dynsyms[i-1].
				if sym == 0 || sym > uint64(len(dynsyms)) {
					continue
				}
				name := dynsyms[sym-1].Name
				idx, ok := importIndex[name]
				if !ok {
					idx = int32(len(o.imports))
					importIndex[name] = idx
					o.imports = append(o.imports, name)
				}
				o.slots[off] = gotSlot{imp: idx}
				if elf.R_X86_64(info&0xffffffff) == elf.R_X86_64_64 {
					o.dataImports = append(o.dataImports, idx)
				}
			}
		}
	}
	return nil
}

// readInitFuncs collects the functions the dynamic loader or the C runtime
// calls when the object is loaded or unloaded.
func (o *object) readInitFuncs(f *elf.File) {
	addWord := func(addr uint64) {
		if v, ok := o.relative[addr]; ok {
			o.initFuncs = append(o.initFuncs, v)
		} else if b := o.read(addr, 8); b != nil {
			o.initFuncs = append(o.initFuncs, binary.LittleEndian.Uint64(b))
		}
	}
	addArray := func(addr, size uint64) {
		for i := uint64(0); i+8 <= size && i < 1<<20; i += 8 {
			addWord(addr + i)
		}
	}

	found := false
	for _, s := range f.Sections {
		switch s.Type {
		case elf.SHT_INIT_ARRAY, elf.SHT_FINI_ARRAY, elf.SHT_PREINIT_ARRAY:
			addArray(s.Addr, s.Size)
			found = true
		}
	}
	if !found && o.dynamic {
		for _, tags := range [][2]elf.DynTag{{elf.DT_INIT_ARRAY, elf.DT_INIT_ARRAYSZ}, {elf.DT_FINI_ARRAY, elf.DT_FINI_ARRAYSZ}, {elf.DT_PREINIT_ARRAY, elf.DT_PREINIT_ARRAYSZ}} {
			addr, err1 := f.DynValue(tags[0])
			size, err2 := f.DynValue(tags[1])
			if err1 == nil && err2 == nil && len(addr) > 0 && len(size) > 0 {
				addArray(addr[0], size[0])
			}
		}
	}
	if o.dynamic {
		for _, tag := range []elf.DynTag{elf.DT_INIT, elf.DT_FINI} {
			if v, err := f.DynValue(tag); err == nil && len(v) > 0 {
				o.initFuncs = append(o.initFuncs, v[0])
			}
		}
	}
}

// indexExports maps the defined dynamic symbols to functions. A symbol with
// a hidden (non-default) version does not replace the default one of the same
// name, which is what an unversioned reference binds to.
func (o *object) indexExports(dynsyms []elf.Symbol) {
	hidden := map[string]bool{}
	for _, s := range dynsyms {
		if s.Section == elf.SHN_UNDEF || elf.ST_BIND(s.Info) == elf.STB_LOCAL {
			continue
		}
		o.defined[s.Name] = true
		if !isFuncSymbol(s) {
			continue
		}
		fi := o.funcAt(s.Value)
		if fi < 0 {
			continue
		}
		isHidden := s.HasVersion && s.VersionIndex.IsHidden()
		if _, ok := o.exports[s.Name]; ok && (isHidden || !hidden[s.Name]) {
			continue
		}
		o.exports[s.Name] = fi
		hidden[s.Name] = isHidden
	}
}

// funcAt returns the index of the function containing addr, or -1.
func (o *object) funcAt(addr uint64) int32 {
	i := sort.Search(len(o.funcs), func(i int) bool { return o.funcs[i].end > addr })
	if i < len(o.funcs) && addr >= o.funcs[i].start {
		return int32(i)
	}
	return -1
}

// funcName returns the label of function fi for output: "libc.so.6:read",
// or the address when no symbol names it ("libc.so.6:sub_2a1f0").
func (o *object) funcName(fi int32) string {
	f := &o.funcs[fi]
	if f.name != "" {
		return o.name + ":" + f.name
	}
	return fmt.Sprintf("%s:sub_%x", o.name, f.start)
}
