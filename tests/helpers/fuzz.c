// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: random and edge-case writes to oomhook's sysfs files.
 *
 *   fuzz [-n WRITES] [-j WRITERS] [-s SEED] [-v]
 *
 * Phase 1, one writer, with an oracle: before each write every writable
 * file is read; a refused write must leave all of them as they were; input
 * that is certainly invalid (a NUL byte, nothing but blanks, more than a
 * page) must be refused; numeric tunables must stay within their range.
 * Phase 2: WRITERS processes write at once (WRITES in all), then every file
 * must still read back sanely.  Prints the counts; exits 1 on a violation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define OH		"/sys/kernel/oomhook/"
#define SNAP_MAX	8192
#define INPUT_MAX	5000

struct target {
	const char *file;
	long min, max;		/* numeric range, or min > max */
};

static const struct target targets[] = {
	{ "policy", 1, 0 },
	{ "enabled", 0, 1 },
	{ "dry_run", 0, 1 },
	{ "cooldown_ms", 0, 3600000 },
	{ "budget_ms", 10, 10000 },
	{ "hold_ms", 100, 60000 },
	{ "psi_triggers", 1, 0 },
	{ "limit_act", 0, 1 },
	{ "kernel_kill", 0, 1 },
	{ "limit_guard", 1, 0 },
	{ "policies/memcg/subtree", 1, 0 },
	{ "policies/memcg/prefer", 1, 0 },
	{ "policies/memcg/avoid", 1, 0 },
	{ "policies/tmpfs/dirs", 1, 0 },
	{ "policies/tmpfs/order", 1, 0 },
	{ "policies/tmpfs/mode", 1, 0 },
	{ "policies/tmpfs/scan_max", 1, 65536 },
	{ "policies/tmpfs/min_free_mb", 0, 65536 },
	{ "policies/tmpfs/free_in_use", 0, 1 },
	{ "policies/freeze/thaw_pressure_pct", 0, 100 },
	{ "policies/freeze/thaw_min_free_mb", 0, 65536 },
	{ "policies/freeze/thaw_after_ms", 500, 86400000 },
	{ "policies/freeze/max_frozen_ms", 500, 86400000 },
	{ "policies/freeze/min_reclaim_mb", 0, 65536 },
	{ "policies/freeze/thaw", 1, 0 },
};
#define NR_TARGETS (sizeof(targets) / sizeof(targets[0]))

static const char * const edges[] = {
	"", " ", "\n", "\t\n", "0", "1", "-1", "2", "y", "n", "yes", "no",
	"on", "off", "true", "false", "TRUE", "none", "memcg", "fault",
	"nosuch", "memcg,memcg", "memcg,none", "none,memcg", "a,b,c,d,e",
	",", "memcg,", ",memcg", "MEMCG", "mem cg", "memcg,fault",
	"fault,memcg", "4294967295", "4294967296", "18446744073709551616",
	"-0", "+1", "0x10", "1e3", "1.5", "  42  ", "010", "99", "100",
	"60000", "60001", "10000", "10001", "3600000", "3600001", "/",
	"/nonexistent", "/a/../b", "//", "/./", "/.", "/..", "/a b", "/a,b",
	"relative", "/stress", "add", "add ", "del", "clear", "clear all",
	"add /:some:150000:1000000", "add /:full:100000:500000",
	"add /:some:0:1000000", "add /:some:1000001:1000000",
	"add /:some:1:499999", "add /:some:1:10000001",
	"add /nonexistent:some:100000:1000000", "add /:bogus:1:1000000",
	"add relative:some:1:1000000", "add /:some:-1:1000000",
	"add /:some::1000000", "add /:some:1:", "del /:some", "del /:full",
	"del /nonexistent:some", "del /:bogus", "remove /:some",
	"tmpfs", "tmpfs,memcg", "add /mnt/fz", "search /mnt/fz",
	"add /mnt/fz/sub", "del /mnt/fz", "del /mnt/fz/sub", "add /mnt/fz/link",
	"add /sys", "add /mnt/fz/nope", "add  /mnt/fz ", "add/mnt/fz",
	"search", "largest", "lru", "delete", "truncate", "LRU", "lru,largest",
	"65536", "65537", "freeze", "freeze,memcg", "all", "/stress", "100",
	"101", "500", "499", "86400000", "86400001",
	"\xff\xfe", "%s%s%n", "\\", "'", "\"", "$(reboot)",
};
#define NR_EDGES (sizeof(edges) / sizeof(edges[0]))

static unsigned long long rng;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* Every writable file, minus counts that change on their own. */
static void snapshot(char *out)
{
	char buf[SNAP_MAX], path[256];
	size_t off = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < NR_TARGETS; i++) {
		char *p;

		snprintf(path, sizeof(path), OH "%s", targets[i].file);
		ret = read_file(path, buf, sizeof(buf));
		if (ret == -EACCES)	/* write-only, e.g. freeze/thaw */
			strcpy(buf, "<write-only>");
		else if (ret < 0)
			strcpy(buf, "<unreadable>");
		/* "fired=<n>" grows with pressure, not with writes. */
		while ((p = strstr(buf, "fired=")) != NULL)
			memset(p, '_', strcspn(p, "\n"));
		/*
		 * Of "policy", the active chain: a refused "fault,nosuch"
		 * has autoloaded oomhook_fault, as modprobe would, and the
		 * list of registered policies after the chain grows.
		 */
		if (!strcmp(targets[i].file, "policy") &&
		    (p = strchr(buf, ']')) != NULL)
			p[1] = '\0';
		off += snprintf(out + off, SNAP_MAX * NR_TARGETS - off, "%s:%s\n",
				targets[i].file, buf);
	}
}

/* Build one input; returns its length and whether it is surely invalid. */
static size_t make_input(const struct target *t, char *buf, int *invalid)
{
	size_t len = 0, i;

	*invalid = 0;
	switch (next() % 6) {
	case 0:	/* an edge case as it is */
	case 1:
		len = strlen(strcpy(buf, edges[next() % NR_EDGES]));
		break;
	case 2:	/* near a numeric bound */
		if (t->min <= t->max) {
			long v[] = { t->min - 1, t->min, t->max, t->max + 1,
				     t->max * 10, -t->max };
			len = sprintf(buf, "%ld", v[next() % 6]);
			break;
		}
		/* fall through */
	case 3:	/* an edge case, mutated */
		len = strlen(strcpy(buf, edges[next() % NR_EDGES]));
		switch (next() % 4) {
		case 0:
			buf[len++] = '\0';
			buf[len++] = '1';
			*invalid = 1;
			break;
		case 1:
			buf[len++] = "x,:/ \t"[next() % 6];
			break;
		case 2:
			if (len)
				buf[next() % len] = (char)next();
			break;
		default:
			memmove(buf + 1, buf, len++);
			buf[0] = ' ';
		}
		break;
	case 4:	/* random bytes */
		len = next() % 300;
		for (i = 0; i < len; i++)
			buf[i] = (char)next();
		*invalid = memchr(buf, '\0', len) != NULL;
		break;
	default: /* overlong */
		len = INPUT_MAX;
		memset(buf, "01a/ "[next() % 5], len);
		*invalid = 1;
	}
	buf[len] = '\0';
	if (len && strspn(buf, " \t\n") == len)
		*invalid = 1;
	return len;
}

/* Returns 0 if the write went through, or -errno. */
static int write_file(const struct target *t, const char *buf, size_t len,
		      ssize_t *wrote)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), OH "%s", t->file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	*wrote = write(fd, buf, len);
	if (*wrote < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int in_range(const struct target *t)
{
	char path[256], buf[64];
	long v;

	if (t->min > t->max)
		return 1;
	snprintf(path, sizeof(path), OH "%s", t->file);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	v = strtol(buf, NULL, 10);
	return v >= t->min && v <= t->max;
}

int main(int argc, char **argv)
{
	static char before[SNAP_MAX * NR_TARGETS], after[SNAP_MAX * NR_TARGETS];
	static char input[INPUT_MAX + 16];
	long writes = 10000, refused = 0, accepted = 0, violations = 0, i;
	int writers = 4, verbose = 0, opt, status;
	unsigned long long seed = 0x5eed;

	while ((opt = getopt(argc, argv, "n:j:s:v")) != -1) {
		switch (opt) {
		case 'n': writes = strtol(optarg, NULL, 0); break;
		case 'j': writers = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: fuzz [-n WRITES] [-j WRITERS] [-s SEED] [-v]\n");
			return 2;
		}
	}
	rng = seed | 1;

	for (i = 0; i < writes; i++) {
		const struct target *t = &targets[next() % NR_TARGETS];
		int invalid, ret;
		ssize_t wrote = 0;
		size_t len = make_input(t, input, &invalid);

		snapshot(before);
		ret = write_file(t, input, len, &wrote);
		snapshot(after);
		if (ret) {
			refused++;
			if (strcmp(before, after)) {
				violations++;
				printf("VIOLATION: refused write to %s (%d) changed the state\n",
				       t->file, ret);
			}
		} else {
			accepted++;
			if (invalid && len) {
				violations++;
				printf("VIOLATION: %s accepted invalid input of %zu bytes\n",
				       t->file, len);
			}
			if (wrote != (ssize_t)len) {
				violations++;
				printf("VIOLATION: %s took %zd of %zu bytes\n",
				       t->file, wrote, len);
			}
		}
		if (!in_range(t)) {
			violations++;
			printf("VIOLATION: %s out of range\n", t->file);
		}
		if (verbose)
			printf("%s <- %.40s: %d\n", t->file, input, ret);
	}
	printf("fuzz: %ld writes with the oracle: %ld refused, %ld accepted, %ld violations\n",
	       writes, refused, accepted, violations);

	for (i = 0; i < writers; i++) {
		if (fork() == 0) {
			long n;

			rng = (seed + i + 1) * 0x9e3779b97f4a7c15ULL | 1;
			for (n = 0; n < writes / writers; n++) {
				const struct target *t = &targets[next() % NR_TARGETS];
				int invalid;
				ssize_t wrote;
				size_t len = make_input(t, input, &invalid);

				write_file(t, input, len, &wrote);
			}
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		;
	snapshot(after);
	if (strstr(after, "<unreadable>")) {
		violations++;
		printf("VIOLATION: a file is unreadable after the concurrent writers\n");
	}
	for (i = 0; i < (long)NR_TARGETS; i++) {
		if (!in_range(&targets[i])) {
			violations++;
			printf("VIOLATION: %s out of range after the concurrent writers\n",
			       targets[i].file);
		}
	}
	printf("fuzz: %d concurrent writers, %ld writes: %ld violations in all\n",
	       writers, writes / writers * writers, violations);
	return violations ? 1 : 0;
}
