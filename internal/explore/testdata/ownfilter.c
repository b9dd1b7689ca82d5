/* Installs a seccomp filter of its own that allows every call, through
 * prctl(PR_SET_SECCOMP) or, with the argument "seccomp", through the
 * seccomp syscall. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
	struct sock_fprog prog = {.len = 1, .filter = allow};
	int err;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("prctl(PR_SET_NO_NEW_PRIVS)");
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "seccomp") == 0)
		err = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	else
		err = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
	if (err < 0) {
		perror("install seccomp filter");
		return 1;
	}
	printf("ok\n");
	return 0;
}
