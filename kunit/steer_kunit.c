// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: how a steer of the kernel's OOM killer ends (module/steer.c): the
 * kernel followed it, killed elsewhere, found the cgroup empty first, or
 * killed nobody within hold_ms.
 */
#include <kunit/test.h>
#include <linux/time64.h>

#include "internal.h"

#define HOLD	(3000ULL * NSEC_PER_MSEC)
#define SETTLE	(OOMHOOK_STEER_SETTLE_MS * NSEC_PER_MSEC)

static enum oomhook_steer_end verdict(bool taken, bool rose, u64 rise_age,
				      bool populated, u64 age)
{
	return oomhook_steer_verdict(taken, rose, rise_age, populated, age,
				     HOLD);
}

static void steer_hit(struct kunit *test)
{
	/* Taken wins over everything else seen at the same time. */
	KUNIT_EXPECT_EQ(test, verdict(true, false, 0, true, 0), STEER_END_HIT);
	KUNIT_EXPECT_EQ(test, verdict(true, true, SETTLE, true, 0),
			STEER_END_HIT);
	KUNIT_EXPECT_EQ(test, verdict(true, false, 0, false, 2 * HOLD),
			STEER_END_HIT);
}

static void steer_missed(struct kunit *test)
{
	/* A kill elsewhere settles before it counts: the kernel counts first. */
	KUNIT_EXPECT_EQ(test, verdict(false, true, 0, true, 0), STEER_END_NONE);
	KUNIT_EXPECT_EQ(test, verdict(false, true, SETTLE - 1, true, HOLD + 1),
			STEER_END_NONE);
	KUNIT_EXPECT_EQ(test, verdict(false, true, SETTLE, true, 0),
			STEER_END_MISSED);
	KUNIT_EXPECT_EQ(test, verdict(false, true, SETTLE, false, 0),
			STEER_END_MISSED);
}

static void steer_gone(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, verdict(false, false, 0, false, 0),
			STEER_END_GONE);
	KUNIT_EXPECT_EQ(test, verdict(false, false, 0, false, 2 * HOLD),
			STEER_END_GONE);
}

static void steer_expired(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, verdict(false, false, 0, true, HOLD),
			STEER_END_NONE);
	KUNIT_EXPECT_EQ(test, verdict(false, false, 0, true, HOLD + 1),
			STEER_END_EXPIRED);
}

static struct kunit_case oomhook_steer_cases[] = {
	KUNIT_CASE(steer_hit),
	KUNIT_CASE(steer_missed),
	KUNIT_CASE(steer_gone),
	KUNIT_CASE(steer_expired),
	{}
};

static struct kunit_suite oomhook_steer_suite = {
	.name = "oomhook_steer",
	.test_cases = oomhook_steer_cases,
};

kunit_test_suites(&oomhook_steer_suite);
