/* Calls getpid through the i386 entry (int 0x80, number 20) from a 64-bit
 * program and exits 1 unless it returned a PID, so i386:getpid is
 * required. It makes no x86_64 getpid call. */
#include <stdio.h>

int main(void)
{
	long pid;

	__asm__ volatile("int $0x80" : "=a"(pid) : "a"(20L) : "memory", "cc", "r8", "r9", "r10", "r11");
	if (pid <= 0) {
		fprintf(stderr, "i386 getpid returned %ld\n", pid);
		return 1;
	}
	printf("ok\n");
	return 0;
}
