// Package static computes, without running it, which system calls an x86_64
// Linux ELF binary could make: it disassembles the binary and the shared
// libraries it loads, finds every syscall instruction and recovers the
// syscall number from the code before it.
//
// The result over-approximates what the binary uses at run time. Every
// function of the binary counts as reachable, and so does every library
// function that reachable code calls directly or whose address it loads,
// and every function whose address is stored in the data of a library
// that reachable code uses (Options.IgnoreDataPointers leaves those out).
// What the analysis cannot resolve (indirect calls, numbers that are not
// constants, imports that no library defines) is counted, not guessed.
package static
