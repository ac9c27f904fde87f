// SPDX-License-Identifier: GPL-2.0
/*
 * renameon: rename files the moment a directory is read.
 *
 *   renameon DIR READY SRC DST [SRC DST]...
 *
 * Watches DIR with inotify for its first read (IN_ACCESS, which
 * iterate_dir() raises for every readdir, the kernel's own included), then
 * renames each SRC to DST.  READY receives "armed" once the watch is set and
 * "renamed" once every rename is done, so that a test can place the renames
 * between two steps of a kernel walk that reads DIR in between.  It runs
 * SCHED_FIFO, so that it runs as soon as it is woken, even with every CPU
 * busy (kswapd, the walk itself) as they are at an OOM.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

/* "WHAT SECONDS", the time since boot (as the kernel log shows it). */
static int note(const char *path, const char *what)
{
	FILE *f = fopen(path, "a");
	struct timespec ts;

	if (!f) {
		perror(path);
		return -1;
	}
	clock_gettime(CLOCK_BOOTTIME, &ts);
	fprintf(f, "%s %ld.%06ld\n", what, (long)ts.tv_sec, ts.tv_nsec / 1000);
	return fclose(f);
}

int main(int argc, char **argv)
{
	char buf[4096];
	int fd, i, rc = 0;

	struct sched_param sp = { .sched_priority = 1 };

	if (argc < 5 || (argc - 3) % 2) {
		fprintf(stderr, "usage: renameon DIR READY SRC DST [SRC DST]...\n");
		return 2;
	}
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		perror("sched_setscheduler");
	fd = inotify_init1(0);
	if (fd < 0 || inotify_add_watch(fd, argv[1], IN_ACCESS | IN_ONESHOT) < 0) {
		perror(argv[1]);
		return 1;
	}
	if (note(argv[2], "armed"))
		return 1;
	if (read(fd, buf, sizeof(buf)) <= 0) {
		perror("read");
		return 1;
	}
	if (note(argv[2], "woke"))
		return 1;
	for (i = 3; i + 1 < argc; i += 2) {
		if (rename(argv[i], argv[i + 1])) {
			perror(argv[i]);
			rc = 1;
		}
	}
	if (note(argv[2], rc ? "failed" : "renamed"))
		return 1;
	return rc;
}
