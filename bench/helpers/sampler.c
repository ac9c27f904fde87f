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
 *   sampler [-i INTERVAL_MS] [-b BEATFILE] OUT
 *   sampler -n		(print the clock, for marks on the same time line)
 */
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

int main(int argc, char **argv)
{
	const char *beat = NULL;
	long interval = 100;
	struct sigaction sa;
	FILE *out;
	int opt;

	while ((opt = getopt(argc, argv, "i:b:n")) != -1) {
		switch (opt) {
		case 'n':
			printf("%lld\n", now_ms());
			return 0;
		case 'i': interval = strtol(optarg, NULL, 0); break;
		case 'b': beat = optarg; break;
		default:
			fprintf(stderr, "usage: sampler [-i MS] [-b BEATFILE] OUT\n");
			return 2;
		}
	}
	if (optind != argc - 1 || interval <= 0) {
		fprintf(stderr, "usage: sampler [-i MS] [-b BEATFILE] OUT\n");
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
		nanosleep(&ts, NULL);
	}
	fclose(out);
	return 0;
}
