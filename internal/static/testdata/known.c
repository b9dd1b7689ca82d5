// A program without libc whose syscalls are known exactly: the test
// expects getpid, getuid, gettid and exit, and one number it cannot know.

static long raw(long n) {
	long ret;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n) : "rcx", "r11", "memory");
	return ret;
}

// wrapper takes the number as an argument, as libc's syscall() does.
__attribute__((noinline)) long wrapper(long n) {
	return raw(n);
}

void _start(void) {
	long n;
	raw(39);      // getpid
	wrapper(102); // getuid
	wrapper(186); // gettid
	// The number read from the stack is unknown to the analysis.
	__asm__ volatile ("mov (%%rsp), %0" : "=r"(n));
	raw(n);
	for (;;)
		raw(60); // exit
}
