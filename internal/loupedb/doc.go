// Package loupedb reads and writes loupe's results database: a directory,
// kept in a git repository, that holds analysis runs of many applications.
// It is the layout of the public Loupe database published with "Loupe:
// Driving the Development of OS Compatibility Layers" (ASPLOS'24), so that
// data set reads unchanged.
//
// # Layout
//
//	<app>/<workload>/<run>/data/dyn.csv             dynamic results
//	<app>/<workload>/<run>/data/static_binary.csv   static binary analysis (optional)
//	<app>/<workload>/<run>/data/static_sources.csv  static source analysis (optional)
//	<app>/<workload>/<run>/run.json                 run descriptor (runs loupe writes)
//	<app>/<workload>/<run>/test-script              copy of the test script (idem)
//	<OS>.syscalls                                   syscalls an OS supports
//
// A workload is "benchmark-<name>", "suite" or "suite-<name>". A run is the
// MD5 of the Dockerfile that produced it (public data set), "imported" for
// results converted from an older format, or a RunID. Entries whose names
// start with '.' and other files at the root are ignored.
//
// # Formats
//
// dyn.csv has a '#' comment line, then "nr,used,faked,stubbed,both" lines
// with Y/N flags. The last three flags mean what the header names them:
// works faked (and not stubbed), works stubbed (and not faked), works both
// ways. (The original Loupe tool's search output swaps the first two.) Readers accept any
// number of rows in any order; a missing row reads as unused. The static
// files have "nr,Y|N" lines. A <OS>.syscalls file has one syscall name or
// number a line. A malformed line is a *ParseError naming the file and line.
//
// # Choosing a run
//
// When a workload holds several runs, the one used is the first in this
// order: runs whose descriptor has a date, newest first; then runs without
// one (the whole public data set), hashed names before "imported"; ties by
// name. Workload.Choose picks another.
//
// # Run descriptor
//
// run.json is an indented JSON object with sorted keys:
//
//	app, workload          where the run is stored
//	command                the application and its arguments (array)
//	invocation             the loupe command line (array, optional)
//	test_script            the test script's original path (optional)
//	test_script_sha256     SHA-256 of the script, copied to test-script
//	mode                   "server" or "sequential"
//	timeout                limit for one execution, a Go duration ("10s")
//	replicas               how many times the analysis ran
//	loupe_version          the loupe that made the run
//	kernel                 uname release of the machine
//	libc                   C library of the application ("glibc 2.36",
//	                       "musl 1.2.3", "static"), see Libc
//	arch                   uname machine ("x86_64")
//	binary_sha256          SHA-256 of the application's executable
//	date                   start of the analysis, RFC 3339 in UTC
//	counts                 used, required, stub_only, fake_only, both
//	format_version         1
//
// # Run names
//
// A run loupe stores is named RunID: 32 hex digits of a SHA-256 over the
// fields that define the experiment and the environment it measures. They
// are the command and its arguments, the test script's content, the mode, the
// binary's hash, the architecture, the C library and the kernel series
// (major.minor). Those decide which syscalls the application makes and how
// it reacts to their alteration, so runs that differ in them are different
// measurements and are kept side by side. The date, the loupe version, the
// timeout, the replica count, the script's path and the kernel patch level
// are left out, so running the same experiment again replaces its run and
// git diff shows what changed.
//
// # Writing
//
// Store writes a run to a temporary directory (inside .git when the
// database is the repository's top directory) and moves it into place with
// one rename, or with one atomic exchange (renameat2 RENAME_EXCHANGE) when a
// run of the same name exists, so an interrupted write leaves the database
// as it was or with the complete new run. Repo checks that the repository is
// clean and commits a run directory with go-git, without the git program.
package loupedb
