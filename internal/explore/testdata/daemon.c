/* Daemonizes: it forks, the child calls setsid and forks again, and the
 * grandchild appends its PID to the file named by argv[1], then sleeps for
 * good. The PID is that of the PID namespace that mounted /proc. The first
 * process exits 0 once the grandchild has written its PID. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int ready[2];
	char buf[32];
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: daemon PIDFILE\n");
		return 2;
	}
	if (pipe(ready) < 0) {
		perror("pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		close(ready[0]);
		if (setsid() < 0)
			_exit(1);
		if (fork() != 0)
			_exit(0);

		/* /proc/self names this process in the PID namespace of the
		 * mounted /proc, which is the one loupe's tests run in. */
		ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
		int fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (n <= 0 || fd < 0)
			_exit(1);
		buf[n++] = '\n';
		write(fd, buf, n);
		close(fd);
		write(ready[1], "r", 1);
		for (;;)
			pause();
	}

	close(ready[1]);
	if (read(ready[0], buf, 1) != 1) {
		fprintf(stderr, "the daemon did not start\n");
		return 1;
	}
	printf("daemon started\n");
	return 0;
}
