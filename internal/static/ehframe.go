package static

import (
	"debug/elf"
	"encoding/binary"
)

// The unwind tables (.eh_frame) give the start and size of almost every
// function compiled from C, C++ or Rust, also in stripped binaries, which
// have lost their symbol tables but must keep these for exceptions and
// backtraces. Go binaries have no .eh_frame; their symbol table serves.

// ehFrame returns the address and bytes of the .eh_frame section, found
// through the section headers or else through PT_GNU_EH_FRAME.
func (o *object) ehFrame(f *elf.File) (uint64, []byte) {
	if s := f.Section(".eh_frame"); s != nil && s.Type == elf.SHT_PROGBITS {
		if b := o.read(s.Addr, s.Size); b != nil {
			return s.Addr, b
		}
	}
	for _, p := range f.Progs {
		if p.Type != elf.PT_GNU_EH_FRAME {
			continue
		}
		hdr := o.read(p.Vaddr, 4)
		if hdr == nil || hdr[0] != 1 {
			return 0, nil
		}
		r := ehReader{data: o.read(p.Vaddr, p.Filesz), addr: p.Vaddr, pos: 4}
		ptr, ok := r.pointer(hdr[1])
		if !ok {
			return 0, nil
		}
		// The table runs to the end of its segment at most; the zero
		// terminator ends it earlier.
		for _, s := range o.segments {
			if ptr >= s.addr && ptr-s.addr < uint64(len(s.data)) {
				return ptr, s.data[ptr-s.addr:]
			}
		}
	}
	return 0, nil
}

// fdeRanges returns the [start, end) code ranges that the FDEs describe.
func fdeRanges(addr uint64, data []byte) [][2]uint64 {
	var ranges [][2]uint64
	type cie struct {
		encoding byte
		signal   bool
	}
	cies := map[uint64]cie{} // by offset in data
	pos := uint64(0)
	for pos+4 <= uint64(len(data)) {
		start := pos
		length := uint64(binary.LittleEndian.Uint32(data[pos:]))
		pos += 4
		if length == 0 {
			break
		}
		if length == 0xffffffff {
			if pos+8 > uint64(len(data)) {
				break
			}
			length = binary.LittleEndian.Uint64(data[pos:])
			pos += 8
		}
		if length > uint64(len(data))-pos || length < 4 {
			break
		}
		end := pos + length
		entry := ehReader{data: data[:end], addr: addr, pos: pos}
		id := uint64(binary.LittleEndian.Uint32(data[pos:]))
		entry.pos += 4
		if id == 0 {
			if enc, signal, ok := entry.cie(); ok {
				cies[start] = cie{enc, signal}
			}
		} else if id <= pos {
			if c, ok := cies[pos-id]; ok {
				begin, ok1 := entry.pointer(c.encoding)
				size, ok2 := entry.value(c.encoding &^ 0xf0)
				if ok1 && ok2 && size > 0 && begin+size > begin {
					// A signal frame's FDE starts one byte before the
					// trampoline, because unwinders look up return
					// address - 1; decoding from there would misalign.
					if c.signal {
						begin++
					}
					ranges = append(ranges, [2]uint64{begin, begin + size})
				}
			}
		}
		pos = end
	}
	return ranges
}

// An ehReader reads the encoded values of unwind tables; addr is the virtual
// address of data[0], for PC-relative pointers.
type ehReader struct {
	data []byte
	addr uint64
	pos  uint64
}

// cie reads a CIE after its id and returns its FDE pointer encoding
// (DW_EH_PE_*, absolute 8-byte pointers unless 'R' sets another) and
// whether its FDEs describe signal trampolines ('S').
func (r *ehReader) cie() (enc byte, signal, ok bool) {
	version, ok := r.byte()
	if !ok {
		return 0, false, false
	}
	aug := r.cstring()
	if _, ok := r.uleb(); !ok { // code alignment
		return 0, false, false
	}
	if _, ok := r.uleb(); !ok { // data alignment, signed; only skipped
		return 0, false, false
	}
	if version == 1 {
		r.pos++
	} else if _, ok := r.uleb(); !ok {
		return 0, false, false
	}
	if len(aug) == 0 || aug[0] != 'z' {
		return 0, false, true
	}
	if _, ok := r.uleb(); !ok {
		return 0, false, false
	}
	for _, c := range aug[1:] {
		switch c {
		case 'R':
			b, ok := r.byte()
			if !ok {
				return 0, false, false
			}
			enc = b
		case 'P':
			pe, ok := r.byte()
			if !ok {
				return 0, false, false
			}
			if _, ok := r.pointer(pe); !ok {
				return 0, false, false
			}
		case 'L':
			r.pos++
		case 'S':
			signal = true
		case 'B':
		default:
			// An unknown augmentation makes the rest unreadable.
			return enc, signal, true
		}
	}
	return enc, signal, true
}

const (
	pePCRel  = 0x10
	peOmit   = 0xff
	peFormat = 0x0f
)

// pointer reads a pointer with encoding enc. Only absolute and PC-relative
// pointers are resolved, which is what x86_64 toolchains emit.
func (r *ehReader) pointer(enc byte) (uint64, bool) {
	if enc == peOmit {
		return 0, false
	}
	at := r.addr + r.pos
	v, ok := r.value(enc)
	if !ok {
		return 0, false
	}
	switch enc & 0x70 {
	case 0:
		return v, true
	case pePCRel:
		return at + v, true
	}
	return 0, false
}

// value reads the number of format enc&0x0f, sign-extended for the signed
// formats.
func (r *ehReader) value(enc byte) (uint64, bool) {
	format := enc & peFormat
	var size uint64
	switch format {
	case 0x01:
		return r.uleb()
	case 0x09:
		return r.sleb()
	case 0x02, 0x0a:
		size = 2
	case 0x03, 0x0b:
		size = 4
	case 0x00, 0x04, 0x0c:
		size = 8
	default:
		return 0, false
	}
	if r.pos+size > uint64(len(r.data)) {
		return 0, false
	}
	b := r.data[r.pos : r.pos+size]
	r.pos += size
	switch format {
	case 0x02:
		return uint64(binary.LittleEndian.Uint16(b)), true
	case 0x0a:
		return uint64(int64(int16(binary.LittleEndian.Uint16(b)))), true
	case 0x03:
		return uint64(binary.LittleEndian.Uint32(b)), true
	case 0x0b:
		return uint64(int64(int32(binary.LittleEndian.Uint32(b)))), true
	}
	return binary.LittleEndian.Uint64(b), true
}

func (r *ehReader) byte() (byte, bool) {
	if r.pos >= uint64(len(r.data)) {
		return 0, false
	}
	b := r.data[r.pos]
	r.pos++
	return b, true
}

func (r *ehReader) cstring() string {
	start := r.pos
	for r.pos < uint64(len(r.data)) && r.data[r.pos] != 0 {
		r.pos++
	}
	s := string(r.data[start:r.pos])
	r.pos++
	return s
}

func (r *ehReader) uleb() (uint64, bool) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		b, ok := r.byte()
		if !ok {
			return 0, false
		}
		v |= uint64(b&0x7f) << shift
		if b&0x80 == 0 {
			return v, true
		}
	}
	return 0, false
}

func (r *ehReader) sleb() (uint64, bool) {
	var v int64
	shift := uint(0)
	for shift < 64 {
		b, ok := r.byte()
		if !ok {
			return 0, false
		}
		v |= int64(b&0x7f) << shift
		shift += 7
		if b&0x80 == 0 {
			if shift < 64 && b&0x40 != 0 {
				v |= -1 << shift
			}
			return uint64(v), true
		}
	}
	return 0, false
}
