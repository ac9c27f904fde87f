// SPDX-License-Identifier: GPL-2.0
/*
 * failnth: make the N-th fault-injection point (a slab or page allocation)
 * of exactly one system call fail, through /proc/thread-self/fail-nth.
 *
 *   failnth N write FILE DATA      write(2) DATA to FILE
 *   failnth N load MODULE [PARAMS] finit_module(2)
 *   failnth count load|write ...   count the call's points, failing none
 *
 * Files are opened before arming, so only the call itself is hit.  Prints
 * "injected=<0|1> ret=<0|-errno>": injected=0 means the call finished
 * before reaching N points, which ends a sweep over N.  "count" prints
 * "points=<n> ret=<0|-errno>".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Far more points than any one call has: nothing fails while counting. */
#define COUNT_ARM	1000000

int main(int argc, char **argv)
{
	int nth, fd, ret, err = 0, counting, armed;
	char buf[32];
	ssize_t n;

	if (argc < 4) {
		fprintf(stderr, "usage: failnth N|count write FILE DATA | failnth N|count load MODULE [PARAMS]\n");
		return 2;
	}
	nth = open("/proc/thread-self/fail-nth", O_RDWR);
	fd = open(argv[3], strcmp(argv[2], "write") ? O_RDONLY : O_WRONLY);
	if (nth < 0 || fd < 0) {
		perror("failnth");
		return 2;
	}
	counting = !strcmp(argv[1], "count");
	armed = counting ? COUNT_ARM : atoi(argv[1]);
	n = snprintf(buf, sizeof(buf), "%d", armed);
	if (write(nth, buf, n) != n) {
		perror("fail-nth");
		return 2;
	}
	if (!strcmp(argv[2], "write"))
		ret = write(fd, argv[4], argc > 4 ? strlen(argv[4]) : 0) < 0 ? -1 : 0;
	else
		ret = syscall(SYS_finit_module, fd, argc > 4 ? argv[4] : "", 0);
	if (ret < 0)
		err = errno;
	n = pread(nth, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	write(nth, "0", 1);
	if (counting)
		printf("points=%d ret=%d\n", armed - atoi(buf), ret < 0 ? -err : 0);
	else
		printf("injected=%d ret=%d\n", atoi(buf) == 0, ret < 0 ? -err : 0);
	return 0;
}
