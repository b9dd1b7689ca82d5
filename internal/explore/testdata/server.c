/* Serves 127.0.0.1:PORT (argv[1]) until it is killed: it replies "pong" to
 * the first line of each connection, one connection at a time. It calls
 * getppid and ignores the result, and accepts with the accept syscall. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	int reuse = 1;
	int lfd;

	if (argc != 2) {
		fprintf(stderr, "usage: server PORT\n");
		return 2;
	}
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons(atoi(argv[1]));
	syscall(SYS_getppid);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse) < 0 ||
	    bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 8) < 0) {
		perror("listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);

	for (;;) {
		char buf[256];
		ssize_t n;
		int fd = syscall(SYS_accept, lfd, NULL, NULL);

		if (fd < 0) {
			perror("accept");
			return 1;
		}
		n = read(fd, buf, sizeof buf);
		if (n <= 0) {
			fprintf(stderr, "read from the client failed or hit EOF\n");
			return 1;
		}
		if (write(fd, "pong\n", 5) != 5) {
			perror("write");
			return 1;
		}
		close(fd);
	}
}
