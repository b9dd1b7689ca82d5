/* Writes a file, reads it back with read and prints a checksum of what it
 * read: a stubbed read fails and a faked read returns no data, so read is
 * required. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char data[4096], back[4096];
	unsigned long sum = 0;
	ssize_t n, total = 0;
	int fd;

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)(i * 7 + 3);
	fd = open("readsum.dat", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, sizeof data) != (ssize_t)sizeof data) {
		perror("write readsum.dat");
		return 1;
	}
	close(fd);

	fd = open("readsum.dat", O_RDONLY);
	if (fd < 0) {
		perror("open readsum.dat");
		return 1;
	}
	while ((n = read(fd, back + total, sizeof back - total)) > 0)
		total += n;
	if (n < 0) {
		perror("read");
		return 1;
	}
	for (ssize_t i = 0; i < total; i++)
		sum = sum * 31 + (unsigned char)back[i];
	printf("read %zd bytes, checksum %lu\n", total, sum);
	return 0;
}
