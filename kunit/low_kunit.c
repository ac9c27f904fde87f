// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the low-memory trigger's rule (module/low.c), with time injected:
 * both thresholds, the machine without swap, the levels (near, under,
 * deep), the duration that a dip does not meet and that memory deep under
 * the threshold, or falling fast, does not wait for, the action repeated only after as long
 * again, the sampler that
 * stays armed under the arming level and stops a while after memory came
 * back, the switch, what a victim left that is worth releasing, and
 * /proc/meminfo's parser.
 */
#include <kunit/test.h>
#include <linux/time64.h>

#include "internal.h"

#define MS(x)		((u64)(x) * NSEC_PER_MSEC)
#define T0		MS(1000000)
#define TOTAL		100000UL	/* pages */
#define SWAP		50000UL

static const struct oomhook_low_cfg cfg = {
	.mem_pct = 5,
	.swap_pct = 10,
	.duration_ns = MS(250),
};

/* @avail_pct of memory available, @swap_pct of the swap free. */
static struct oomhook_low_sample at(unsigned int avail_pct,
				    unsigned int swap_pct)
{
	struct oomhook_low_sample s = {
		.avail = TOTAL * avail_pct / 100,
		.total = TOTAL,
		.swap_free = SWAP * swap_pct / 100,
		.swap_total = SWAP,
	};

	return s;
}

static enum oomhook_low_level level(const struct oomhook_low_cfg *c,
				    unsigned int avail_pct, unsigned int swap_pct)
{
	struct oomhook_low_sample s = at(avail_pct, swap_pct);

	return oomhook_low_level(c, &s);
}

static void low_both_thresholds(struct kunit *test)
{
	struct oomhook_low_sample s;
	struct oomhook_low_cfg c = cfg;

	KUNIT_EXPECT_EQ(test, level(&cfg, 4, 9), OOMHOOK_LOW_UNDER);
	/* Swap still free: not yet, but near. */
	KUNIT_EXPECT_EQ(test, level(&cfg, 4, 50), OOMHOOK_LOW_NEAR);
	/* Memory above the threshold; at it is not under it. */
	KUNIT_EXPECT_EQ(test, level(&cfg, 6, 0), OOMHOOK_LOW_NEAR);
	KUNIT_EXPECT_EQ(test, level(&cfg, 5, 0), OOMHOOK_LOW_NEAR);
	/* No swap at all: memory alone decides. */
	s = at(4, 0);
	s.swap_total = 0;
	KUNIT_EXPECT_EQ(test, oomhook_low_level(&cfg, &s), OOMHOOK_LOW_UNDER);
	/* low_swap_pct 100: memory alone decides, even with swap all free. */
	c.swap_pct = 100;
	KUNIT_EXPECT_EQ(test, level(&c, 4, 100), OOMHOOK_LOW_UNDER);
	/* low_mem_pct 0: never. */
	c.mem_pct = 0;
	KUNIT_EXPECT_EQ(test, level(&c, 0, 0), OOMHOOK_LOW_CALM);
}

static void low_levels(struct kunit *test)
{
	struct oomhook_low_cfg c = cfg;

	/* Near: under twice the threshold. */
	KUNIT_EXPECT_EQ(test, level(&cfg, 9, 100), OOMHOOK_LOW_NEAR);
	KUNIT_EXPECT_EQ(test, level(&cfg, 10, 0), OOMHOOK_LOW_CALM);
	/* Deep: under half of it, with swap low too. */
	KUNIT_EXPECT_EQ(test, level(&cfg, 2, 0), OOMHOOK_LOW_DEEP);
	KUNIT_EXPECT_EQ(test, level(&cfg, 3, 0), OOMHOOK_LOW_UNDER);
	KUNIT_EXPECT_EQ(test, level(&cfg, 2, 50), OOMHOOK_LOW_NEAR);
	/* Twice a high threshold is capped at all of memory. */
	c.mem_pct = 50;
	KUNIT_EXPECT_EQ(test, level(&c, 99, 0), OOMHOOK_LOW_NEAR);
}

static void low_deep_at_once(struct kunit *test)
{
	struct oomhook_low st = {};
	struct oomhook_low_sample near = at(8, 0), deep = at(2, 0);
	u64 next;

	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &near, T0, &next),
			OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &deep, T0 + MS(10),
					       &next), OOMHOOK_LOW_FIRE);
	KUNIT_EXPECT_EQ(test, st.level, OOMHOOK_LOW_DEEP);
}

static void low_dip_is_not_an_action(struct kunit *test)
{
	struct oomhook_low st = {};
	struct oomhook_low_sample low = at(3, 0), ok = at(6, 0);
	u64 next;

	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &low, T0, &next),
			OOMHOOK_LOW_WATCH);
	/* No rate of fall yet: it looks again once there can be one. */
	KUNIT_EXPECT_EQ(test, next, MS(50));
	/* Then when the duration would be over, or sooner. */
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &low, T0 + MS(200),
					       &next), OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, next, MS(50));
	/*
	 * Memory came back before low_ms: no action, and the count restarts
	 * when it is low again (slowly, a second later).
	 */
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &ok, T0 + MS(240),
					       &next), OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &low, T0 + MS(1240),
					       &next), OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &low, T0 + MS(1480),
					       &next), OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &low, T0 + MS(1490),
					       &next), OOMHOOK_LOW_FIRE);
}

static void low_fires_again_after_as_long(struct kunit *test)
{
	struct oomhook_low st = {};
	struct oomhook_low_sample low = at(3, 0);
	u64 next;

	oomhook_low_step(&st, &cfg, &low, T0, &next);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &low, T0 + MS(250),
					       &next), OOMHOOK_LOW_FIRE);
	KUNIT_EXPECT_EQ(test, next, MS(100));
	/* Still low right after: another low_ms first. */
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &low, T0 + MS(350),
					       &next), OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &low, T0 + MS(500),
					       &next), OOMHOOK_LOW_FIRE);
}

static void low_falling_fast(struct kunit *test)
{
	struct oomhook_low st = {};
	struct oomhook_low_sample s8 = at(8, 0), s4 = at(4, 0), s3 = at(3, 0);
	u64 next;

	/* 8% to 4% in 100 ms: the 4% left would be gone in another 100 ms. */
	oomhook_low_step(&st, &cfg, &s8, T0, &next);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &s4, T0 + MS(100),
					       &next), OOMHOOK_LOW_FIRE);

	/* 4% to 3% in 100 ms: 300 ms left, more than low_ms: it waits. */
	memset(&st, 0, sizeof(st));
	oomhook_low_step(&st, &cfg, &s4, T0, &next);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &s3, T0 + MS(100),
					       &next), OOMHOOK_LOW_WATCH);
	/* Steady at 3%: the rest of low_ms. */
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &s3, T0 + MS(200),
					       &next), OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &s3, T0 + MS(250),
					       &next), OOMHOOK_LOW_FIRE);
}

static void low_jump_is_not_a_fall(struct kunit *test)
{
	struct oomhook_low_cfg c = cfg;
	struct oomhook_low st = {};
	struct oomhook_low_sample s;
	unsigned int i;
	u64 next;

	/* A creep from 8% to 4.6%, 0.2% every 100 ms, over low_ms of 2 s. */
	c.duration_ns = MS(2000);
	for (i = 0; i <= 17; i++) {
		s = at(8, 0);
		s.avail -= i * TOTAL / 500;
		KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &c, &s,
						       T0 + i * MS(100), &next),
				OOMHOOK_LOW_WATCH);
	}
	/* Then 1.2% at once, to 3.4%: under, but no leak. */
	s.avail -= TOTAL * 12 / 1000;
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &c, &s, T0 + MS(1750),
					       &next), OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &c, &s, T0 + MS(1850),
					       &next), OOMHOOK_LOW_WATCH);
}

static void low_zero_duration(struct kunit *test)
{
	struct oomhook_low_cfg c = cfg;
	struct oomhook_low st = {};
	struct oomhook_low_sample low = at(3, 0);
	u64 next;

	c.duration_ns = 0;
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &c, &low, T0, &next),
			OOMHOOK_LOW_FIRE);
	/* Never a period of 0: the sampler does not spin. */
	KUNIT_EXPECT_EQ(test, next, MS(100));
}

static void low_disarms_after_recovery(struct kunit *test)
{
	struct oomhook_low st = {};
	struct oomhook_low_sample armable = at(8, 100), ok = at(30, 100);
	u64 next;

	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &armable, T0, &next),
			OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &ok, T0 + MS(100),
					       &next), OOMHOOK_LOW_WATCH);
	/* Back under the arming level: the recovery starts again. */
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &armable,
					       T0 + MS(900), &next),
			OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &ok, T0 + MS(1000),
					       &next), OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &ok, T0 + MS(1900),
					       &next), OOMHOOK_LOW_WATCH);
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &cfg, &ok, T0 + MS(2000),
					       &next), OOMHOOK_LOW_IDLE);
}

static void low_switched_off(struct kunit *test)
{
	struct oomhook_low_cfg c = cfg;
	struct oomhook_low st = {};
	struct oomhook_low_sample low = at(3, 0);
	u64 next;

	oomhook_low_step(&st, &cfg, &low, T0, &next);
	c.mem_pct = 0;
	KUNIT_EXPECT_EQ(test, oomhook_low_step(&st, &c, &low, T0 + MS(300),
					       &next), OOMHOOK_LOW_IDLE);
	KUNIT_EXPECT_FALSE(test, st.below);
}

static void low_wanted(struct kunit *test)
{
	struct oomhook_low_sample s = at(3, 0);

	/* From 3% back to the arming level of 10%: 7% of memory. */
	KUNIT_EXPECT_EQ(test, oomhook_low_wanted(&cfg, &s, 2),
			(u64)(TOTAL * 7 / 100) << PAGE_SHIFT);
	/* To the release level of 25%: 22%. */
	KUNIT_EXPECT_EQ(test, oomhook_low_wanted(&cfg, &s, 5),
			(u64)(TOTAL * 22 / 100) << PAGE_SHIFT);
	/* Never past all of memory. */
	KUNIT_EXPECT_EQ(test, oomhook_low_wanted(&cfg, &s, 50),
			(u64)(TOTAL * 97 / 100) << PAGE_SHIFT);
	s = at(20, 0);
	KUNIT_EXPECT_EQ(test, oomhook_low_wanted(&cfg, &s, 2), (u64)PAGE_SIZE);
}

/*
 * A victim that left its files behind: released while memory is under the
 * release level (25%), if what it left is at least the threshold (5%).
 */
static void low_leftover(struct kunit *test)
{
	struct oomhook_low_sample s = at(14, 0);
	struct oomhook_low_cfg off = cfg;
	unsigned long five = TOTAL * 5 / 100;

	KUNIT_EXPECT_TRUE(test, oomhook_low_leftover_acts(&cfg, &s, five));
	KUNIT_EXPECT_FALSE(test, oomhook_low_leftover_acts(&cfg, &s, five - 1));
	/* Over the release level, it stays. */
	s = at(25, 0);
	KUNIT_EXPECT_FALSE(test, oomhook_low_leftover_acts(&cfg, &s, TOTAL / 2));
	s = at(24, 0);
	KUNIT_EXPECT_TRUE(test, oomhook_low_leftover_acts(&cfg, &s, TOTAL / 2));
	/* Swap still free: memory is not low by the rule. */
	s = at(3, 50);
	KUNIT_EXPECT_FALSE(test, oomhook_low_leftover_acts(&cfg, &s, TOTAL / 2));
	s.swap_total = 0;
	KUNIT_EXPECT_TRUE(test, oomhook_low_leftover_acts(&cfg, &s, TOTAL / 2));
	off.mem_pct = 0;
	KUNIT_EXPECT_FALSE(test, oomhook_low_leftover_acts(&off, &s, TOTAL / 2));
}

static void low_meminfo(struct kunit *test)
{
	const char *text = "MemTotal:         493876 kB\n"
			   "SwapCached:            0 kB\n"
			   "SwapTotal:        262140 kB\n"
			   "SwapFree:         262140 kB\n";
	u64 kb = 1;

	KUNIT_EXPECT_EQ(test, oomhook_parse_meminfo(text, "SwapTotal", &kb), 0);
	KUNIT_EXPECT_EQ(test, kb, 262140ULL);
	KUNIT_EXPECT_EQ(test, oomhook_parse_meminfo(text, "MemTotal", &kb), 0);
	KUNIT_EXPECT_EQ(test, kb, 493876ULL);
	/* A prefix of another key is not the key. */
	KUNIT_EXPECT_EQ(test, oomhook_parse_meminfo(text, "Swap", &kb),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, oomhook_parse_meminfo("SwapTotal: x kB\n",
						    "SwapTotal", &kb), -EINVAL);
}

static struct kunit_case oomhook_low_cases[] = {
	KUNIT_CASE(low_both_thresholds),
	KUNIT_CASE(low_levels),
	KUNIT_CASE(low_deep_at_once),
	KUNIT_CASE(low_dip_is_not_an_action),
	KUNIT_CASE(low_fires_again_after_as_long),
	KUNIT_CASE(low_falling_fast),
	KUNIT_CASE(low_jump_is_not_a_fall),
	KUNIT_CASE(low_zero_duration),
	KUNIT_CASE(low_disarms_after_recovery),
	KUNIT_CASE(low_switched_off),
	KUNIT_CASE(low_wanted),
	KUNIT_CASE(low_leftover),
	KUNIT_CASE(low_meminfo),
	{}
};

static struct kunit_suite oomhook_low_suite = {
	.name = "oomhook_low",
	.test_cases = oomhook_low_cases,
};

kunit_test_suites(&oomhook_low_suite);
