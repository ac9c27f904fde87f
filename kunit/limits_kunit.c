// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the rule that acts inside a cgroup's own limit (module/limits.c):
 * the band, usage at the limit, what reclaim could still free there (page
 * cache, and anonymous and shared memory as far as swap has room), and
 * what a decision asks for.
 */
#include <kunit/test.h>
#include <linux/sizes.h>

#include "internal.h"

#define LIMIT	(64ULL * SZ_1M)
#define BAND	(4ULL * SZ_1M)

/* A cgroup limited to 64 MB, at it, all anonymous, without swap. */
static struct oomhook_limit_stat at_limit(void)
{
	struct oomhook_limit_stat s = {
		.usage = LIMIT,
		.max = LIMIT,
		.anon = LIMIT - SZ_1M,
	};

	return s;
}

static void limit_band(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, oomhook_limit_band(LIMIT), BAND);
	KUNIT_EXPECT_EQ(test, oomhook_limit_band(0), 0ULL);
	KUNIT_EXPECT_TRUE(test, oomhook_limit_pinned(LIMIT, LIMIT));
	KUNIT_EXPECT_TRUE(test, oomhook_limit_pinned(LIMIT - BAND, LIMIT));
	KUNIT_EXPECT_FALSE(test, oomhook_limit_pinned(LIMIT - BAND - 1, LIMIT));
	KUNIT_EXPECT_TRUE(test, oomhook_limit_pinned(0, 0));
}

static void limit_reclaimable(struct kunit *test)
{
	struct oomhook_limit_stat s = at_limit();

	KUNIT_EXPECT_EQ(test, oomhook_limit_reclaimable(&s), 0ULL);
	/* Page cache is; tmpfs and shared memory without swap are not. */
	s.file = 10 * SZ_1M;
	s.shmem = 8 * SZ_1M;
	KUNIT_EXPECT_EQ(test, oomhook_limit_reclaimable(&s), 2ULL * SZ_1M);
	/* Swap room takes anonymous and shared memory, as far as it goes. */
	s.swap_room = 5 * SZ_1M;
	KUNIT_EXPECT_EQ(test, oomhook_limit_reclaimable(&s), 7ULL * SZ_1M);
	s.swap_room = U64_MAX >> 1;
	KUNIT_EXPECT_EQ(test, oomhook_limit_reclaimable(&s),
			2ULL * SZ_1M + s.anon + s.shmem);
	/* memory.stat read before a free: shmem above file counts as none. */
	s.file = SZ_1M;
	s.swap_room = 0;
	KUNIT_EXPECT_EQ(test, oomhook_limit_reclaimable(&s), 0ULL);
}

static void limit_exhausted(struct kunit *test)
{
	struct oomhook_limit_stat s = at_limit();
	u64 wanted = 0;

	KUNIT_EXPECT_TRUE(test, oomhook_limit_exhausted(&s, &wanted));
	KUNIT_EXPECT_EQ(test, wanted, BAND);
	/* Just under the band's worth to reclaim: still. */
	s.file = BAND - 1;
	KUNIT_EXPECT_TRUE(test, oomhook_limit_exhausted(&s, &wanted));
	/* A band's worth of page cache: reclaim will do. */
	s.file = BAND;
	KUNIT_EXPECT_FALSE(test, oomhook_limit_exhausted(&s, &wanted));
	/* ... or of swap room. */
	s.file = 0;
	s.swap_room = BAND;
	KUNIT_EXPECT_FALSE(test, oomhook_limit_exhausted(&s, &wanted));
	/* Not at the limit: whatever there is to reclaim. */
	s = at_limit();
	s.usage = LIMIT - BAND - SZ_1M;
	KUNIT_EXPECT_FALSE(test, oomhook_limit_exhausted(&s, &wanted));
	/* At the band's lower edge (memory.high of a guard band). */
	s.usage = LIMIT - BAND;
	KUNIT_EXPECT_TRUE(test, oomhook_limit_exhausted(&s, &wanted));
	KUNIT_EXPECT_EQ(test, wanted, 0ULL);
	/* memory.max 0: there is no band to be short of. */
	s = (struct oomhook_limit_stat){ 0 };
	KUNIT_EXPECT_FALSE(test, oomhook_limit_exhausted(&s, &wanted));
}

static struct kunit_case oomhook_limits_cases[] = {
	KUNIT_CASE(limit_band),
	KUNIT_CASE(limit_reclaimable),
	KUNIT_CASE(limit_exhausted),
	{}
};

static struct kunit_suite oomhook_limits_suite = {
	.name = "oomhook_limits",
	.test_cases = oomhook_limits_cases,
};

kunit_test_suites(&oomhook_limits_suite);
