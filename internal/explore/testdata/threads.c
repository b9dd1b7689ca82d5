/* Makes four syscalls, each in one kind of task only. A pthread calls
 * gettid (glibc 2.34 and later create it with clone3), a fork child calls
 * getppid, a vfork child getpgid, and a raw clone3 child getsid. The main
 * thread makes none of them. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *thread_main(void *arg)
{
	(void)arg;
	syscall(SYS_gettid);
	return NULL;
}

static int wait_ok(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(void)
{
	struct clone_args args;
	pthread_t thread;
	pid_t pid;

	if (pthread_create(&thread, NULL, thread_main, NULL) != 0 || pthread_join(thread, NULL) != 0) {
		fprintf(stderr, "pthread failed\n");
		return 1;
	}

	pid = fork();
	if (pid == 0) {
		syscall(SYS_getppid);
		_exit(0);
	}
	if (!wait_ok(pid)) {
		fprintf(stderr, "fork child failed\n");
		return 1;
	}

	pid = vfork();
	if (pid == 0) {
		syscall(SYS_getpgid, 0);
		_exit(0);
	}
	if (!wait_ok(pid)) {
		fprintf(stderr, "vfork child failed\n");
		return 1;
	}

	memset(&args, 0, sizeof args);
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof args);
	if (pid == 0) {
		syscall(SYS_getsid, 0);
		syscall(SYS_exit, 0);
	}
	if (!wait_ok(pid)) {
		fprintf(stderr, "clone3 child failed\n");
		return 1;
	}

	printf("ok\n");
	return 0;
}
