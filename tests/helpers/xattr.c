// SPDX-License-Identifier: GPL-2.0
/*
 * xattr: set, get or remove an extended attribute (busybox has no setfattr).
 *
 *   xattr set PATH NAME VALUE
 *   xattr get PATH NAME
 *   xattr rm  PATH NAME
 */
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

int main(int argc, char **argv)
{
	char buf[256];
	ssize_t n;

	if (argc == 5 && !strcmp(argv[1], "set")) {
		if (setxattr(argv[2], argv[3], argv[4], strlen(argv[4]), 0)) {
			perror("setxattr");
			return 1;
		}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "get")) {
		n = getxattr(argv[2], argv[3], buf, sizeof(buf) - 1);
		if (n < 0) {
			perror("getxattr");
			return 1;
		}
		buf[n] = '\0';
		printf("%s\n", buf);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "rm")) {
		if (removexattr(argv[2], argv[3])) {
			perror("removexattr");
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "usage: xattr set PATH NAME VALUE | get PATH NAME | rm PATH NAME\n");
	return 2;
}
