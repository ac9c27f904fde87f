// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the events ring (module/events.c): sequence numbers, wrap-around,
 * outcome updates in place, the line format, and fitting a page.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

static struct oomhook_ring *new_ring(struct kunit *test)
{
	struct oomhook_ring *ring = kunit_kzalloc(test, sizeof(*ring),
						  GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ring);
	oomhook_ring_init(ring);
	return ring;
}

static struct oomhook_record *new_record(struct kunit *test)
{
	struct oomhook_record *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

static void fill(struct oomhook_record *r, int i)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->trigger, sizeof(r->trigger), "psi:/t%d:some", i);
	strscpy(r->policy, "memcg", sizeof(r->policy));
	snprintf(r->victim, sizeof(r->victim), "/v%d", i);
	r->action = OOMHOOK_ACT_KILL;
	r->outcome = OOMHOOK_OUT_PENDING;
	r->bytes = i;
	r->time_ns = 1500000000ULL + i;
}

static void events_seq(struct kunit *test)
{
	struct oomhook_ring *ring = new_ring(test);
	struct oomhook_record *r = new_record(test);
	int i;

	for (i = 1; i <= 3; i++) {
		fill(r, i);
		KUNIT_EXPECT_EQ(test, oomhook_ring_add(ring, r), i);
	}
}

static void events_update(struct kunit *test)
{
	struct oomhook_ring *ring = new_ring(test);
	struct oomhook_record *r = new_record(test);
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	fill(r, 1);
	oomhook_ring_add(ring, r);
	KUNIT_EXPECT_TRUE(test, oomhook_ring_update(ring, 1, OOMHOOK_OUT_EXITED,
						    25, false));
	KUNIT_EXPECT_FALSE(test, oomhook_ring_update(ring, 2, OOMHOOK_OUT_EXITED,
						     25, false));
	KUNIT_EXPECT_FALSE(test, oomhook_ring_update(ring, 0, OOMHOOK_OUT_EXITED,
						     25, false));
	oomhook_ring_show(ring, buf, PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "outcome=exited exit_ms=25"));
	/* A fallback, once recorded, stays. */
	oomhook_ring_update(ring, 1, OOMHOOK_OUT_HOLD_EXPIRED, 0, true);
	oomhook_ring_update(ring, 1, OOMHOOK_OUT_EXITED, 3000, false);
	oomhook_ring_show(ring, buf, PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "exit_ms=3000 fallback=1"));
}

static void events_wrap(struct kunit *test)
{
	struct oomhook_ring *ring = new_ring(test);
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct oomhook_record *r = new_record(test);
	int i, lines = 0;
	char first[16];
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 1; i <= OOMHOOK_EVENTS_MAX + 5; i++) {
		fill(r, i);
		oomhook_ring_add(ring, r);
	}
	/* The first five are gone. */
	KUNIT_EXPECT_FALSE(test, oomhook_ring_update(ring, 5, OOMHOOK_OUT_EXITED,
						     1, false));
	KUNIT_EXPECT_TRUE(test, oomhook_ring_update(ring, 6, OOMHOOK_OUT_EXITED,
						    1, false));
	oomhook_ring_show(ring, buf, PAGE_SIZE);
	for (p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	/* As many of the 32 kept as fit in a page, the newest last. */
	KUNIT_EXPECT_LE(test, lines, OOMHOOK_EVENTS_MAX);
	KUNIT_EXPECT_GE(test, lines, OOMHOOK_EVENTS_MAX * 3 / 4);
	snprintf(first, sizeof(first), "seq=%d ", 37 - lines + 1);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(buf, first));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "seq=37 "));
}

static void events_format(struct kunit *test)
{
	struct oomhook_record *r = new_record(test);
	char line[256];

	r->seq = 7;
	r->time_ns = 12345678901ULL;
	strscpy(r->trigger, "oom", sizeof(r->trigger));
	r->error = -EIO;
	r->fallback = true;
	oomhook_ring_format(r, line, sizeof(line));
	KUNIT_EXPECT_STREQ(test, line,
			   "seq=7 time=12.345678 trigger=oom policy=- action=none victim=- bytes=0 latency_us=0 outcome=none exit_ms=0 fallback=1 error=-5\n");
	KUNIT_EXPECT_EQ(test, oomhook_ring_format(r, NULL, 0), strlen(line));
}

static void events_fit_a_page(struct kunit *test)
{
	struct oomhook_ring *ring = new_ring(test);
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct oomhook_record *r = new_record(test);
	ssize_t len;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 1; i <= OOMHOOK_EVENTS_MAX; i++) {
		fill(r, i);
		/* Long victims: not all of them fit. */
		memset(r->victim, 'v', OOMHOOK_PATH_MAX - 1);
		r->victim[0] = '/';
		r->victim[OOMHOOK_PATH_MAX - 1] = '\0';
		oomhook_ring_add(ring, r);
	}
	len = oomhook_ring_show(ring, buf, PAGE_SIZE);
	KUNIT_EXPECT_LT(test, len, (ssize_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, buf[len - 1], '\n');
	/* The newest is there, whole. */
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "seq=32 "));
	KUNIT_EXPECT_NULL(test, strstr(buf, "seq=1 "));
}

static void events_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, oomhook_action_name(OOMHOOK_ACT_DRY_RUN),
			   "dry-run");
	KUNIT_EXPECT_STREQ(test, oomhook_action_name(99), "unknown");
	KUNIT_EXPECT_STREQ(test, oomhook_outcome_name(OOMHOOK_OUT_HOLD_EXPIRED),
			   "hold-expired");
	KUNIT_EXPECT_STREQ(test, oomhook_outcome_name(99), "unknown");
}

static struct kunit_case oomhook_events_cases[] = {
	KUNIT_CASE(events_seq),
	KUNIT_CASE(events_update),
	KUNIT_CASE(events_wrap),
	KUNIT_CASE(events_format),
	KUNIT_CASE(events_fit_a_page),
	KUNIT_CASE(events_names),
	{}
};

static struct kunit_suite oomhook_events_suite = {
	.name = "oomhook_events",
	.test_cases = oomhook_events_cases,
};

kunit_test_suites(&oomhook_events_suite);
