// SPDX-License-Identifier: GPL-2.0
/*
 * heartbeat: a stand-in for a latency-sensitive service.
 *
 *   heartbeat [-i INTERVAL_MS] [-o FILE] [-l LOG]
 *
 * Every interval (default 100 ms) it rewrites FILE with
 * "beats <n> last_ms <t> max_gap_ms <g>", times from CLOCK_MONOTONIC; with
 * -l it also appends each beat's timestamp to LOG, for plots.
 */
#include <stdio.h>
#include <stdlib.h>
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
	int opt;

	while ((opt = getopt(argc, argv, "i:o:l:")) != -1) {
		switch (opt) {
		case 'i': interval = strtol(optarg, NULL, 0); break;
		case 'o': out = optarg; break;
		case 'l': log = optarg; break;
		default:
			fprintf(stderr, "usage: heartbeat [-i MS] [-o FILE] [-l LOG]\n");
			return 2;
		}
	}
	if (log)
		logf = fopen(log, "a");

	last = now_ms();
	for (;;) {
		struct timespec ts = { interval / 1000, (interval % 1000) * 1000000L };
		long long t;
		FILE *f;

		nanosleep(&ts, NULL);
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
