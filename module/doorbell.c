// SPDX-License-Identifier: GPL-2.0
/*
 * The doorbell: a shrinker that frees nothing, rung when global reclaim
 * starts.
 *
 * A shrinker that is not memcg-aware is asked how much it could free only
 * when reclaim visits the root memory cgroup: kswapd, direct reclaim of an
 * allocation that found memory short, drop_caches.  Never for reclaim at a
 * cgroup's own limit, and never while nothing reclaims, so a machine that
 * is calm pays nothing.  That makes its count callback the earliest sign
 * that an OOM may come, without a polling loop.  Rung, it lets the
 * low-memory trigger look at the counters (low.c), and it queues the work
 * that has to be done before a decision (the marker cache, marks.c), at most
 * once per OOMHOOK_DOORBELL_GAP_MS.
 *
 * The callback runs in reclaim context, on several CPUs at once and up to
 * thousands of times a second, with arbitrary gfp flags: it takes no lock,
 * allocates nothing, decides nothing, and returns 0.
 */
#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/shrinker.h>

#include "compat.h"
#include "internal.h"

/* Least time between two rings that queue work. */
#define OOMHOOK_DOORBELL_GAP_MS	1000

static atomic64_t oomhook_doorbell_last_ns = ATOMIC64_INIT(0);
static struct shrinker *oomhook_doorbell;

static unsigned long doorbell_count(struct shrinker *shrinker,
				    struct shrink_control *sc)
{
	s64 now = ktime_get_ns();
	s64 last = atomic64_read(&oomhook_doorbell_last_ns);

	oomhook_low_rung();
	if (last && now - last < (s64)OOMHOOK_DOORBELL_GAP_MS * NSEC_PER_MSEC)
		return 0;
	/* One CPU of those ringing at once wins. */
	if (atomic64_cmpxchg(&oomhook_doorbell_last_ns, last, now) != last)
		return 0;
	oomhook_count(OOMHOOK_STAT_DOORBELL_RINGS);
	oomhook_marks_kick();
	return 0;
}

/* Never called: the count is always 0. */
static unsigned long doorbell_scan(struct shrinker *shrinker,
				   struct shrink_control *sc)
{
	return SHRINK_STOP;
}

/**
 * oomhook_doorbell_init() - hang the doorbell
 *
 * Return: 0 or a negative errno.
 */
int oomhook_doorbell_init(void)
{
	oomhook_doorbell = oomhook_shrinker_register(doorbell_count,
						     doorbell_scan, "oomhook");
	return PTR_ERR_OR_ZERO(oomhook_doorbell);
}

/**
 * oomhook_doorbell_exit() - take it down; no ring is running after this
 */
void oomhook_doorbell_exit(void)
{
	oomhook_shrinker_unregister(oomhook_doorbell);
}
