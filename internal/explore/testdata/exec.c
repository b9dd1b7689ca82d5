/* Re-executes itself with execve, and the new image prints "ok". When
 * execve fails with ENOSYS, the first image prints "ok" itself, so a
 * stubbed execve passes. A faked execve returns 0, which a real execve
 * never does, so the program exits 1. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	char *args[] = {argv[0], "child", NULL};

	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		printf("ok\n");
		return 0;
	}
	if (execve("/proc/self/exe", args, environ) == 0) {
		fprintf(stderr, "execve returned 0\n");
		return 1;
	}
	if (errno == ENOSYS) {
		printf("ok\n");
		return 0;
	}
	perror("execve");
	return 1;
}
