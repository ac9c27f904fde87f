// SPDX-License-Identifier: GPL-2.0
/*
 * hog: allocate anonymous memory, for tests and benchmarks.
 *
 *   hog [-s MB] [-c CHUNK_MB] [-i INTERVAL_MS] [-n] [-H] [-r FILE] [-T] [-W]
 *       [-b FILE]
 *
 *   -s MB	  total to allocate; 0 (default) grows until killed
 *   -c MB	  allocation step (default 1)
 *   -i MS	  pause between steps (default 0)
 *   -n	  do not touch the pages (default: touch every page)
 *   -H	  hold the memory once allocated, until killed (default: exit)
 *   -r FILE  write "ready <pid>" to FILE once the total is allocated
 *   -T	  once allocated, keep touching every page, forever (a working
 *	  set that thrashes when it does not fit)
 *   -W	  while growing, touch everything allocated so far after each step
 *	  (a leak whose whole working set stays hot)
 *   -b FILE  once allocated (and after -r), read FILE once: with the test
 *	  module's block file, the memory stays until the test lets it go
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MB (1024UL * 1024UL)
#define MAX_CHUNKS 4096

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	unsigned long total = 0, chunk = 1, done = 0;
	long interval = 0, page = sysconf(_SC_PAGESIZE);
	const char *ready = NULL, *block = NULL;
	int touch = 1, hold = 0, forever = 0, hot = 0, opt;
	static char *chunks[MAX_CHUNKS];
	static unsigned long sizes[MAX_CHUNKS];
	unsigned long nr = 0;

	while ((opt = getopt(argc, argv, "s:c:i:nHr:TWb:")) != -1) {
		switch (opt) {
		case 's': total = strtoul(optarg, NULL, 0); break;
		case 'c': chunk = strtoul(optarg, NULL, 0); break;
		case 'i': interval = strtol(optarg, NULL, 0); break;
		case 'n': touch = 0; break;
		case 'H': hold = 1; break;
		case 'r': ready = optarg; break;
		case 'T': forever = 1; break;
		case 'W': hot = 1; break;
		case 'b': block = optarg; break;
		default:
			fprintf(stderr, "usage: hog [-s MB] [-c MB] [-i MS] [-n] [-H] [-r FILE] [-T] [-W] [-b FILE]\n");
			return 2;
		}
	}
	if (!chunk)
		chunk = 1;

	while (!total || done < total) {
		unsigned long step = chunk;
		char *p;

		if (total && done + step > total)
			step = total - done;
		p = mmap(NULL, step * MB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			pause_ms(10);
			continue;
		}
		if (touch)
			for (unsigned long off = 0; off < step * MB; off += page)
				p[off] = 1;
		done += step;
		if (nr < MAX_CHUNKS) {
			chunks[nr] = p;
			sizes[nr++] = step * MB;
		}
		for (unsigned long c = 0; hot && c + 1 < nr; c++)
			for (unsigned long off = 0; off < sizes[c]; off += page)
				chunks[c][off]++;
		if (interval)
			pause_ms(interval);
	}
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f) {
			fprintf(f, "ready %d\n", (int)getpid());
			fclose(f);
		}
	}
	if (block) {
		int fd = open(block, O_RDONLY);
		char c;

		if (fd >= 0) {
			if (read(fd, &c, 1) < 0)
				perror(block);
			close(fd);
		}
	}
	while (forever)
		for (unsigned long c = 0; c < nr; c++)
			for (unsigned long off = 0; off < sizes[c]; off += page)
				chunks[c][off]++;
	while (hold)
		pause();
	return 0;
}
