// SPDX-License-Identifier: GPL-2.0
/*
 * heartbeat: a stand-in for a latency-sensitive service.
 *
 *   heartbeat [-i INTERVAL_MS] [-o FILE] [-l LOG] [-w MB]
 *
 * Every interval (default 100 ms) it rewrites FILE with
 * "beats <n> last_ms <t> max_gap_ms <g>", times from CLOCK_MONOTONIC; with
 * -l it also appends each beat's timestamp to LOG, for plots.  With -w it
 * keeps a working set of MB (a service's cache) and touches all of it on
 * every beat, so that it feels reclaim and swap as a real service would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	const char *out = "/tmp/heartbeat", *log = NULL;
	long long last, gap, max_gap = 0, beats = 0;
	long interval = 100;
	FILE *logf = NULL;
	size_t ws = 0;
	char *set = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "i:o:l:w:")) != -1) {
		switch (opt) {
		case 'i': interval = strtol(optarg, NULL, 0); break;
		case 'o': out = optarg; break;
		case 'l': log = optarg; break;
		case 'w': ws = strtoul(optarg, NULL, 0) << 20; break;
		default:
			fprintf(stderr, "usage: heartbeat [-i MS] [-o FILE] [-l LOG] [-w MB]\n");
			return 2;
		}
	}
	if (log)
		logf = fopen(log, "a");
	if (ws) {
		set = malloc(ws);
		if (!set)
			return 1;
		memset(set, 1, ws);
	}

	last = now_ms();
	for (;;) {
		struct timespec ts = { interval / 1000, (interval % 1000) * 1000000L };
		long long t;
		FILE *f;

		nanosleep(&ts, NULL);
		for (size_t off = 0; off < ws; off += 4096)
			set[off]++;
		t = now_ms();
		gap = t - last;
		if (gap > max_gap)
			max_gap = gap;
		last = t;
		beats++;
		f = fopen(out, "w");
		if (f) {
			fprintf(f, "beats %lld last_ms %lld max_gap_ms %lld\n",
				beats, t, max_gap);
			fclose(f);
		}
		if (logf) {
			fprintf(logf, "%lld\n", t);
			fflush(logf);
		}
	}
}
