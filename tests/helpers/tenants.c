// SPDX-License-Identifier: GPL-2.0
/*
 * tenants: many cgroups at once, for tests and benchmarks.
 *
 *   tenants DIR FIRST LAST [-e]
 *
 * Creates the cgroups DIR/tFIRST .. DIR/tLAST and starts in each one
 * process that sleeps until killed (oom_score_adj 0); with -e, only the
 * cgroups, empty.  Returns once every process is in its cgroup.  A busybox
 * shell loop takes minutes for 10,000 of them under TCG; this takes
 * seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	char path[4096], pid[32];
	long first, last, i;
	int empty, sync[2];
	char c;

	if (argc < 4) {
		fprintf(stderr, "usage: tenants DIR FIRST LAST [-e]\n");
		return 2;
	}
	first = strtol(argv[2], NULL, 10);
	last = strtol(argv[3], NULL, 10);
	empty = argc > 4 && !strcmp(argv[4], "-e");
	for (i = first; i <= last; i++) {
		snprintf(path, sizeof(path), "%s/t%ld", argv[1], i);
		if (mkdir(path, 0755) && errno != EEXIST) {
			perror(path);
			return 1;
		}
		if (empty)
			continue;
		if (pipe(sync))
			return 1;
		switch (fork()) {
		case -1:
			perror("fork");
			return 1;
		case 0:
			close(sync[0]);
			put("/proc/self/oom_score_adj", "0");
			snprintf(path + strlen(path), sizeof(path) - strlen(path),
				 "/cgroup.procs");
			snprintf(pid, sizeof(pid), "%d", (int)getpid());
			if (put(path, pid))
				_exit(1);
			close(sync[1]);
			for (;;)
				pause();
		default:
			close(sync[1]);
			/* The child is in its cgroup once it closes the pipe. */
			if (read(sync[0], &c, 1) < 0)
				return 1;
			close(sync[0]);
		}
	}
	return 0;
}
