// SPDX-License-Identifier: GPL-2.0
/*
 * sampler: the benchmark's observer.  Every interval it appends one line
 *
 *   t_ms avail_kb swapfree_kb some_us full_us beat_ms
 *
 * to OUT: CLOCK_MONOTONIC in ms, MemAvailable and SwapFree from
 * /proc/meminfo, the "total" of PSI memory some and full, and the last beat
 * of the protected service (heartbeat's FILE, -1 without one).  It locks
 * itself in memory so that the observer does not stall with the observed.
 *
 *   sampler [-i INTERVAL_MS] [-b BEATFILE] [-l MS -k KILLFILE [-d DIR]] OUT
 *   sampler -n		(print the clock, for marks on the same time line)
 *
 * With -l it also enforces the episode's limit when the driver cannot (a
 * machine stalled on memory stalls a shell too): MS after it starts it
 * writes "1" to KILLFILE (the misbehaving unit's cgroup.kill), removes the
 * files in DIR (a filled tmpfs directory), and creates OUT.limit, which
 * says "killed" when the unit still had processes (cgroup.procs beside
 * KILLFILE): that death is the observer's, not the contender's.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static long long meminfo(const char *key)
{
	char line[128];
	long long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = atoll(line + n + 1);
			break;
		}
	fclose(f);
	return v;
}

static void psi(long long *some, long long *full)
{
	char line[256], *p;
	FILE *f = fopen("/proc/pressure/memory", "r");

	*some = *full = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "total=");
		if (!p)
			continue;
		if (!strncmp(line, "some", 4))
			*some = atoll(p + 6);
		else if (!strncmp(line, "full", 4))
			*full = atoll(p + 6);
	}
	fclose(f);
}

static long long last_beat(const char *file)
{
	char line[256], *p;
	long long v = -1;
	FILE *f;

	if (!file)
		return -1;
	f = fopen(file, "r");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f)) {
		p = strstr(line, "last_ms ");
		if (p)
			v = atoll(p + 8);
	}
	fclose(f);
	return v;
}

/* Whether the cgroup whose cgroup.kill is @killfile has a process. */
static int populated(const char *killfile)
{
	char path[4096];
	const char *slash = strrchr(killfile, '/');
	int c = EOF;
	FILE *f;

	snprintf(path, sizeof(path), "%.*s/cgroup.procs",
		 slash ? (int)(slash - killfile) : 1, slash ? killfile : ".");
	f = fopen(path, "r");
	if (f) {
		c = fgetc(f);
		fclose(f);
	}
	return c != EOF;
}

/* The episode's limit: stop the misbehaviour, empty its directory. */
static void enforce(const char *killfile, const char *dir, const char *out)
{
	int killed = populated(killfile);
	char path[4096];
	struct dirent *de;
	FILE *f;
	DIR *d;

	f = fopen(killfile, "w");
	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
	d = dir ? opendir(dir) : NULL;
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	snprintf(path, sizeof(path), "%s.limit", out);
	f = fopen(path, "w");
	if (f) {
		fputs(killed ? "killed\n" : "empty\n", f);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	const char *beat = NULL, *killfile = NULL, *dir = NULL;
	long long deadline = 0;
	long interval = 100;
	struct sigaction sa;
	FILE *out;
	int opt;

	while ((opt = getopt(argc, argv, "i:b:nl:k:d:")) != -1) {
		switch (opt) {
		case 'n':
			printf("%lld\n", now_ms());
			return 0;
		case 'i': interval = strtol(optarg, NULL, 0); break;
		case 'b': beat = optarg; break;
		case 'l': deadline = now_ms() + atoll(optarg); break;
		case 'k': killfile = optarg; break;
		case 'd': dir = optarg; break;
		default:
			fprintf(stderr, "usage: sampler [-i MS] [-b BEATFILE] [-l MS -k KILLFILE [-d DIR]] OUT\n");
			return 2;
		}
	}
	if (optind != argc - 1 || interval <= 0 || (deadline && !killfile)) {
		fprintf(stderr, "usage: sampler [-i MS] [-b BEATFILE] [-l MS -k KILLFILE [-d DIR]] OUT\n");
		return 2;
	}
	out = fopen(argv[optind], "w");
	if (!out) {
		perror(argv[optind]);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		perror("mlockall");

	while (!stop) {
		struct timespec ts = { interval / 1000, (interval % 1000) * 1000000L };
		long long some, full;

		psi(&some, &full);
		fprintf(out, "%lld %lld %lld %lld %lld %lld\n", now_ms(),
			meminfo("MemAvailable"), meminfo("SwapFree"), some, full,
			last_beat(beat));
		fflush(out);
		if (deadline && now_ms() >= deadline) {
			enforce(killfile, dir, argv[optind]);
			deadline = 0;
		}
		nanosleep(&ts, NULL);
	}
	fclose(out);
	return 0;
}
