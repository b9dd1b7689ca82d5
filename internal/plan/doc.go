// Package plan answers questions over sets of applications in a results
// database: which syscalls they use and need, and in which order an OS should
// add syscalls to support them one by one.
//
// # Needs
//
// For one run, a syscall the baseline run did not use is not needed. A used
// syscall is Required when the test fails both when it is stubbed (returns
// -ENOSYS) and when it is faked (returns 0); StubOnly when only stubbing
// works; FakeOnly when only faking works; Both when either works.
//
// # Merging
//
// Several runs (the workloads of one application) and several applications
// merge by one rule, applied per syscall. A syscall is used if any member
// uses it. It can be stubbed (faked) only if every member that uses it can
// be stubbed (faked). So the set requires a syscall if any member
// requires it; it is Both only if every member that uses it is Both; it is
// StubOnly if every user can stub it and some user cannot fake it, and
// FakeOnly the other way round. When one member can only stub and another
// can only fake, no single alteration works for both and the set requires the
// syscall. The rule is associative and commutative, so the order of the
// members never matters.
//
// This is the rule of the original Loupe tool, with one difference: in the
// stub-only against fake-only case the original drops the syscall from every
// list, and here it is required.
//
// # Workloads
//
// An application's needs are the merge of its selected workloads: every
// benchmark workload for Bench, every test suite for Suite, all of them for
// All. An application without a selected workload is left out of the set
// (with All, an application counts when it has either kind). For each
// workload the database's chosen run is used (see loupedb.Workload.Chosen).
//
// # Support plans
//
// An OS list names the syscalls an OS provides; a listed syscall satisfies
// every need. Any other syscall the applications use must be implemented if
// it is Required, stubbed if it is StubOnly or Both, and faked if it is
// FakeOnly. A stub or a fake counts as work, because an OS that does not list
// a syscall may fail on it in any way.
//
// The plan starts with the applications that need no work at all (supported
// at start). Each step then adds the remaining application that needs the
// fewest new implementations, given the OS list and everything earlier steps
// added; ties go to the application that needs the fewest new stubs and
// fakes together, then to the first name in byte order. What the step adds
// is what the merged needs of all applications supported so far lack, so
// combining applications can turn an earlier stub into a fake or into an
// implementation. After each step, every remaining application that then
// needs nothing more joins that step, in name order.
//
// Missing is what the OS lacks for the whole set: the merged needs of all
// applications, less the OS list, sorted into implement, stub and fake.
package plan
