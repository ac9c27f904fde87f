// SPDX-License-Identifier: GPL-2.0
/*
 * pollwait: wait for a sysfs file to notify pollers.
 *
 *   pollwait FILE TIMEOUT_MS
 *
 * Reads FILE once (sysfs arms poll() on read), then poll()s it for
 * POLLPRI|POLLERR.  Prints "woken" and exits 0, or "timeout" and exits 1.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[4096];
	struct pollfd pfd;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: pollwait FILE TIMEOUT_MS\n");
		return 2;
	}
	pfd.fd = open(argv[1], O_RDONLY);
	if (pfd.fd < 0) {
		perror(argv[1]);
		return 2;
	}
	while (read(pfd.fd, buf, sizeof(buf)) > 0)
		;
	pfd.events = POLLPRI | POLLERR;
	ret = poll(&pfd, 1, atoi(argv[2]));
	if (ret > 0) {
		printf("woken\n");
		return 0;
	}
	printf("timeout\n");
	return 1;
}
