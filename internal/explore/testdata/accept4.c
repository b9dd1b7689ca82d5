/* Accepts a connection to itself with accept4, and with accept when
 * accept4 fails with ENOSYS, as nginx does. It checks that the descriptor
 * it got is the connected socket by receiving a byte through it, so a
 * faked accept4 (which returns descriptor 0) makes it fail. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof addr;
	struct sockaddr_in peer;
	socklen_t peerlen = sizeof peer;
	char byte = 0;
	int lfd, cfd, fd;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 1) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &len) < 0) {
		perror("listen on 127.0.0.1");
		return 1;
	}
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (cfd < 0 || connect(cfd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("connect");
		return 1;
	}
	if (write(cfd, "x", 1) != 1) {
		perror("write");
		return 1;
	}

	fd = syscall(SYS_accept4, lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0 && errno == ENOSYS)
		fd = syscall(SYS_accept, lfd, NULL, NULL);
	if (fd < 0) {
		perror("accept");
		return 1;
	}
	if (getpeername(fd, (struct sockaddr *)&peer, &peerlen) < 0) {
		perror("getpeername on the accepted descriptor");
		return 1;
	}
	if (read(fd, &byte, 1) != 1 || byte != 'x') {
		fprintf(stderr, "the accepted descriptor did not deliver the byte sent\n");
		return 1;
	}
	printf("ok\n");
	return 0;
}
