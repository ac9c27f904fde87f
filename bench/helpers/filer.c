// SPDX-License-Identifier: GPL-2.0
/*
 * filer: the benchmark's file workloads, each one long-lived process (so
 * that a kill is seen as one).
 *
 *   filer read FILE	read FILE from start to end, again and again
 *   filer fill DIR	write 4 MB files into DIR, one after another; when a
 *			write fails (full), wait 100 ms and try again
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE (1 << 20)
#define FILE_MB 4

static char buf[BUF_SIZE];

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int do_read(const char *file)
{
	for (;;) {
		int fd = open(file, O_RDONLY);

		if (fd < 0) {
			perror(file);
			return 1;
		}
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
}

static void __attribute__((noreturn)) do_fill(const char *dir)
{
	char path[4096];
	unsigned long i = 0;

	memset(buf, 'x', sizeof(buf));
	for (;;) {
		int fd, ok = 1;

		snprintf(path, sizeof(path), "%s/f%lu", dir, ++i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			pause_ms(100);
			continue;
		}
		for (int n = 0; n < FILE_MB && ok; n++)
			ok = write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf);
		close(fd);
		if (!ok)
			pause_ms(100);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "read"))
		return do_read(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "fill"))
		do_fill(argv[2]);
	fprintf(stderr, "usage: filer read FILE | filer fill DIR\n");
	return 2;
}
