// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: memcg's choice of victim as a pure function over candidate
 * records: eligibility (root, PID 1's cgroups, omit, empty, pending),
 * classes, protection, ties, and independence from the walk's order.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "internal.h"

#define CAND(p, cl, use, prot)						\
	{ .path = p, .class = OOMHOOK_CLASS_##cl, .usage = use,	\
	  .protection = prot, .populated = true }

struct rank_case {
	const char *name;
	struct oomhook_candidate c[6];
	int nr;
	const char *winner;	/* NULL: nobody is eligible */
};

static const struct rank_case rank_cases[] = {
	{ "largest usage", {
		CAND("/a", NORMAL, SZ_16M, 0), CAND("/b", NORMAL, SZ_64M, 0),
		CAND("/c", NORMAL, SZ_32M, 0) }, 3, "/b" },
	{ "prefer beats usage", {
		CAND("/big", NORMAL, SZ_256M, 0), CAND("/p", PREFER, SZ_1M, 0) },
	  2, "/p" },
	{ "avoid is the last resort", {
		CAND("/v", AVOID, SZ_256M, 0), CAND("/n", NORMAL, SZ_1M, 0) },
	  2, "/n" },
	{ "only avoided left", {
		CAND("/v1", AVOID, SZ_16M, 0), CAND("/v2", AVOID, SZ_32M, 0) },
	  2, "/v2" },
	{ "omit is never chosen", {
		CAND("/o", OMIT, SZ_256M, 0) }, 1, NULL },
	{ "protection counts: usage beyond it", {
		CAND("/a", NORMAL, SZ_64M, SZ_64M), CAND("/b", NORMAL, SZ_32M, 0) },
	  2, "/b" },
	{ "partly protected", {
		CAND("/a", NORMAL, SZ_64M, SZ_16M), CAND("/b", NORMAL, SZ_32M, 0) },
	  2, "/a" },
	{ "fully protected still eligible", {
		CAND("/a", NORMAL, SZ_64M, SZ_128M) }, 1, "/a" },
	{ "equal scores: larger raw usage", {
		CAND("/a", NORMAL, SZ_32M, 0), CAND("/b", NORMAL, SZ_64M, SZ_32M) },
	  2, "/b" },
	{ "full tie: path order", {
		CAND("/y", NORMAL, SZ_32M, 0), CAND("/x", NORMAL, SZ_32M, 0) },
	  2, "/x" },
	{ "empty cgroups are skipped", {
		{ .path = "/empty", .class = OOMHOOK_CLASS_PREFER, .usage = SZ_64M },
		CAND("/n", NORMAL, SZ_1M, 0) }, 2, "/n" },
	{ "PID 1's cgroup is skipped, however large", {
		{ .path = "/init.scope", .class = OOMHOOK_CLASS_PREFER,
		  .usage = SZ_256M, .populated = true, .holds_pid1 = true },
		CAND("/n", NORMAL, SZ_1M, 0) }, 2, "/n" },
	{ "the root is skipped", {
		{ .path = "/", .class = OOMHOOK_CLASS_NORMAL, .usage = SZ_256M,
		  .populated = true, .root = true } }, 1, NULL },
	{ "a victim still exiting is skipped", {
		{ .path = "/dying", .class = OOMHOOK_CLASS_PREFER,
		  .usage = SZ_64M, .populated = true, .pending = true },
		CAND("/n", NORMAL, SZ_1M, 0) }, 2, "/n" },
	{ "nothing at all", { }, 0, NULL },
};

static void pick(const struct rank_case *c, bool reverse,
		 struct oomhook_candidate *best, bool *have)
{
	int i;

	*have = false;
	for (i = 0; i < c->nr; i++)
		oomhook_rank_offer(best, have, &c->c[reverse ? c->nr - 1 - i : i]);
}

static void rank_table(struct kunit *test)
{
	struct oomhook_candidate *best = kunit_kzalloc(test, sizeof(*best),
						       GFP_KERNEL);
	bool have;
	int i, r;

	KUNIT_ASSERT_NOT_NULL(test, best);
	for (i = 0; i < ARRAY_SIZE(rank_cases); i++) {
		const struct rank_case *c = &rank_cases[i];

		for (r = 0; r < 2; r++) {
			pick(c, r, best, &have);
			KUNIT_EXPECT_EQ_MSG(test, have, !!c->winner, "%s%s",
					    c->name, r ? " (reversed)" : "");
			if (have && c->winner)
				KUNIT_EXPECT_STREQ_MSG(test, best->path, c->winner,
						       "%s%s", c->name,
						       r ? " (reversed)" : "");
		}
	}
}

static void rank_score(struct kunit *test)
{
	struct oomhook_candidate c = CAND("/a", NORMAL, SZ_64M, SZ_16M);

	KUNIT_EXPECT_EQ(test, oomhook_candidate_score(&c), SZ_64M - SZ_16M);
	c.protection = U64_MAX;
	KUNIT_EXPECT_EQ(test, oomhook_candidate_score(&c), 0);
	c.usage = U64_MAX;
	c.protection = 0;
	KUNIT_EXPECT_EQ(test, oomhook_candidate_score(&c), U64_MAX);
}

static void rank_better_is_strict(struct kunit *test)
{
	struct oomhook_candidate a = CAND("/a", NORMAL, SZ_32M, 0);

	KUNIT_EXPECT_FALSE(test, oomhook_candidate_better(&a, &a));
}

struct within_case {
	const char *path;
	const char *ancestor;
	bool within;
};

static const struct within_case within_cases[] = {
	{ "/", "/", true },
	{ "/a", "/", true },
	{ "/a", "/a", true },
	{ "/a/b", "/a", true },
	{ "/ab", "/a", false },
	{ "/a", "/a/b", false },
	{ "/b/a", "/a", false },
};

static void path_within_table(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(within_cases); i++) {
		const struct within_case *c = &within_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, oomhook_path_within(c->path, c->ancestor),
				    c->within, "%s in %s", c->path, c->ancestor);
	}
}

static struct kunit_case oomhook_memcg_rank_cases[] = {
	KUNIT_CASE(rank_table),
	KUNIT_CASE(rank_score),
	KUNIT_CASE(rank_better_is_strict),
	KUNIT_CASE(path_within_table),
	{}
};

static struct kunit_suite oomhook_memcg_rank_suite = {
	.name = "oomhook_memcg_rank",
	.test_cases = oomhook_memcg_rank_cases,
};

kunit_test_suites(&oomhook_memcg_rank_suite);
