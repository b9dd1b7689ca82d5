package loupedb

import (
	"math/bits"
	"slices"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// A Set is a set of x86_64 syscall numbers. The zero value is an empty set.
type Set struct {
	words []uint64
}

// NewSet returns the set of the given numbers. Negative numbers are ignored.
func NewSet(nrs ...int) *Set {
	s := &Set{}
	for _, nr := range nrs {
		s.Add(nr)
	}
	return s
}

// Add adds nr to s. Negative numbers are ignored.
func (s *Set) Add(nr int) {
	if nr < 0 {
		return
	}
	w := nr / 64
	if w >= len(s.words) {
		s.words = append(s.words, make([]uint64, w+1-len(s.words))...)
	}
	s.words[w] |= 1 << (nr % 64)
}

// Has reports whether nr is in s. A nil set is empty.
func (s *Set) Has(nr int) bool {
	if s == nil || nr < 0 || nr/64 >= len(s.words) {
		return false
	}
	return s.words[nr/64]&(1<<(nr%64)) != 0
}

// Len returns the number of elements of s.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	n := 0
	for _, w := range s.words {
		n += bits.OnesCount64(w)
	}
	return n
}

// Numbers returns the elements of s in increasing order.
func (s *Set) Numbers() []int {
	if s == nil {
		return nil
	}
	nrs := make([]int, 0, s.Len())
	for i, w := range s.words {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			nrs = append(nrs, i*64+b)
			w &^= 1 << b
		}
	}
	return nrs
}

// Names returns the x86_64 names of the elements of s, in increasing order
// of number. A number without a name reads "syscall_N".
func (s *Set) Names() []string {
	return Names(s.Numbers())
}

// Equal reports whether s and t hold the same numbers.
func (s *Set) Equal(t *Set) bool {
	return slices.Equal(s.Numbers(), t.Numbers())
}

// Names returns the x86_64 names of nrs, in the same order. A number without
// a name reads "syscall_N".
func Names(nrs []int) []string {
	names := make([]string, len(nrs))
	for i, nr := range nrs {
		names[i] = syscalls.Syscall{Arch: syscalls.X86_64, Nr: nr}.Name()
	}
	return names
}
