/* Forks a child, appends both PIDs to the file named by argv[1] and never
 * exits. The PIDs are those of the PID namespace that mounted /proc. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static void append_pid(const char *path)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);

	if (n <= 0 || fd < 0)
		return;
	buf[n++] = '\n';
	write(fd, buf, n);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: hang PIDFILE\n");
		return 2;
	}
	fork();
	append_pid(argv[1]);
	for (;;)
		pause();
}
