/* Calls getppid, sched_yield and umask and ignores their results, so
 * stubbing or faking any of them cannot change what it prints. */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	syscall(SYS_getppid);
	syscall(SYS_sched_yield);
	syscall(SYS_umask, 022);
	printf("done\n");
	return 0;
}
