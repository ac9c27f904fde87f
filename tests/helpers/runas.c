// SPDX-License-Identifier: GPL-2.0
/*
 * runas: run a command with less privilege.
 *
 *   runas -u UID CMD [ARGS]   as UID (and GID UID), without groups
 *   runas -n CMD [ARGS]       as root, without CAP_SYS_ADMIN
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define CAP_SYS_ADMIN_NR 21

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "-u")) {
		uid_t id = strtoul(argv[2], NULL, 10);

		if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
			perror("runas");
			return 126;
		}
		argv += 3;
	} else if (argc >= 3 && !strcmp(argv[1], "-n")) {
		/* Root gets its bounding set at exec: drop SYS_ADMIN from it. */
		if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN_NR, 0, 0, 0)) {
			perror("runas");
			return 126;
		}
		argv += 2;
	} else {
		fprintf(stderr, "usage: runas -u UID CMD [ARGS] | runas -n CMD [ARGS]\n");
		return 2;
	}
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}
