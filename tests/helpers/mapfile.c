// SPDX-License-Identifier: GPL-2.0
/*
 * mapfile: create a file of MB megabytes, map it shared, write every page
 * through the mapping, then hold the file open and mapped until killed.
 *
 *   mapfile PATH MB READY
 *   mapfile PATH ro READY
 *
 * With "ro", PATH must exist: it is mapped read-only and every page read,
 * then the file is closed, so it is mapped but open for nobody (as a shared
 * library is).  READY receives "ready <pid>" once every page is touched.
 * SIGBUS is ignored-by-design: the process never touches the mapping again,
 * so it survives the file being truncated under it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MB (1024UL * 1024UL)

/*
 * Make /proc/PID/status show every page mapped.  6.1 counts a thread's
 * mapped pages in the thread and adds them to its mm only every 64 page
 * faults; a read fault maps 16 pages around it, so 2,048 pages read leave up
 * to 4 MB uncounted.  SYNC_FAULTS faults on fresh anonymous pages flush them.
 */
#define SYNC_FAULTS 72

static void sync_rss(long page)
{
	volatile char *a = mmap(NULL, SYNC_FAULTS * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (a == MAP_FAILED)
		return;
	for (i = 0; i < SYNC_FAULTS; i++)
		a[i * page] = 1;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long size, off;
	volatile char sum = 0;
	struct stat st;
	FILE *ready;
	char *p;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: mapfile PATH MB READY\n");
		return 2;
	}
	if (!strcmp(argv[2], "ro")) {
		fd = open(argv[1], O_RDONLY);
		if (fd < 0 || fstat(fd, &st)) {
			perror(argv[1]);
			return 1;
		}
		size = st.st_size;
		p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		close(fd);
		for (off = 0; off < size; off += page)
			sum += p[off];
		goto done;
	}
	size = strtoul(argv[2], NULL, 0) * MB;
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, size)) {
		perror(argv[1]);
		return 1;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (off = 0; off < size; off += page)
		p[off] = 1;
done:
	sync_rss(page);
	ready = fopen(argv[3], "w");
	if (!ready) {
		perror(argv[3]);
		return 1;
	}
	fprintf(ready, "ready %d\n", (int)getpid());
	fclose(ready);
	for (;;)
		pause();
}
