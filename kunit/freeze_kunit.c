// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the freeze policy's thaw and escalation rules, with time
 * injected: what counts as calm, hysteresis (calm must last, and any
 * pressure starts it over), escalation once after max_frozen under
 * pressure, and thawing an escalated cgroup once calm returns.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/time64.h>

#include "freeze.h"

#define MS(x)	((u64)(x) * NSEC_PER_MSEC)

static const struct oomhook_freeze_cfg freeze_cfg = {
	.thaw_pressure_pct = 10,
	.thaw_min_avail = SZ_64M,
	.thaw_after_ns = MS(10000),
	.max_frozen_ns = MS(60000),
};

struct calm_case {
	const char *name;
	u64 stall_us, interval_us, avail;
	bool calm;
};

static const struct calm_case calm_cases[] = {
	{ "no stall, memory available", 0, 500000, SZ_128M, true },
	{ "9% stalled", 45000, 500000, SZ_128M, true },
	{ "10% stalled is not calm", 50000, 500000, SZ_128M, false },
	{ "all stalled", 500000, 500000, SZ_128M, false },
	{ "too little memory", 0, 500000, SZ_32M, false },
	{ "exactly the minimum available", 0, 500000, SZ_64M, true },
	{ "first check: no interval yet", 0, 0, SZ_128M, false },
};

static void freeze_calm_table(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(calm_cases); i++) {
		const struct calm_case *c = &calm_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, oomhook_freeze_calm(&freeze_cfg,
							      c->stall_us,
							      c->interval_us,
							      c->avail),
				    c->calm, "%s", c->name);
	}
}

/* Calm for thaw_after, checked every 500 ms: thawed on the check reaching it. */
static void freeze_thaw_after_calm(struct kunit *test)
{
	struct oomhook_freeze_state st = { .frozen_ns = MS(1000) };
	u64 t;

	for (t = MS(1500); t < MS(1500) + MS(10000); t += MS(500))
		KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, t, true),
				OOMHOOK_FREEZE_KEEP);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, t, true),
			OOMHOOK_FREEZE_THAW);
}

/* One pressured check in the middle starts the calm period over. */
static void freeze_pressure_restarts_calm(struct kunit *test)
{
	struct oomhook_freeze_state st = { .frozen_ns = 0 };

	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(1000), true),
			OOMHOOK_FREEZE_KEEP);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(9000), true),
			OOMHOOK_FREEZE_KEEP);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(9500), false),
			OOMHOOK_FREEZE_KEEP);
	KUNIT_EXPECT_EQ(test, st.calm_since_ns, 0ULL);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(10000), true),
			OOMHOOK_FREEZE_KEEP);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(19500), true),
			OOMHOOK_FREEZE_KEEP);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(20000), true),
			OOMHOOK_FREEZE_THAW);
}

/* Under pressure: escalate once at max_frozen, then keep quiet. */
static void freeze_escalate_once(struct kunit *test)
{
	struct oomhook_freeze_state st = { .frozen_ns = MS(5000) };

	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(64999), false),
			OOMHOOK_FREEZE_KEEP);
	KUNIT_EXPECT_FALSE(test, st.escalated);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(65000), false),
			OOMHOOK_FREEZE_ESCALATE);
	KUNIT_EXPECT_TRUE(test, st.escalated);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(90000), false),
			OOMHOOK_FREEZE_KEEP);
}

/* Calm time does not count toward escalation; an escalated cgroup thaws. */
static void freeze_calm_then_thaw_escalated(struct kunit *test)
{
	struct oomhook_freeze_state st = { .frozen_ns = 0 };

	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(70000), true),
			OOMHOOK_FREEZE_KEEP);
	KUNIT_EXPECT_FALSE(test, st.escalated);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(70500), false),
			OOMHOOK_FREEZE_ESCALATE);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(71000), true),
			OOMHOOK_FREEZE_KEEP);
	KUNIT_EXPECT_EQ(test, oomhook_freeze_step(&st, &freeze_cfg, MS(81000), true),
			OOMHOOK_FREEZE_THAW);
}

static struct kunit_case oomhook_freeze_cases[] = {
	KUNIT_CASE(freeze_calm_table),
	KUNIT_CASE(freeze_thaw_after_calm),
	KUNIT_CASE(freeze_pressure_restarts_calm),
	KUNIT_CASE(freeze_escalate_once),
	KUNIT_CASE(freeze_calm_then_thaw_escalated),
	{}
};

static struct kunit_suite oomhook_freeze_suite = {
	.name = "oomhook_freeze",
	.test_cases = oomhook_freeze_cases,
};

kunit_test_suites(&oomhook_freeze_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit suite for oomhook's freeze policy");
MODULE_AUTHOR("The oomhook developers");
MODULE_LICENSE("GPL");
