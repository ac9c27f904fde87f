// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: memcg's choice of victim as a pure function over candidate
 * records: eligibility (root, PID 1's cgroups, omit, empty, pending),
 * classes, protection, ties, and independence from the walk's order; the
 * effective protection (a leaf cannot protect itself beyond its parent);
 * the unit rules of the walk (a memory cgroup whose children lack the
 * controller is one unit); the markers' owner rule and the cache's state.
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
	{ "full tie: the older cgroup (lower id)", {
		{ .path = "/y", .id = 20, .class = OOMHOOK_CLASS_NORMAL,
		  .usage = SZ_32M, .populated = true },
		{ .path = "/x", .id = 10, .class = OOMHOOK_CLASS_NORMAL,
		  .usage = SZ_32M, .populated = true } },
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

#define P(x)	((unsigned long)(x) / PAGE_SIZE)
#define UNB	OOMHOOK_PROT_UNBOUNDED

struct prot_case {
	const char *name;
	unsigned long usage, parent_usage, setting, parent_eff, siblings;
	bool recursive;
	unsigned long want;
};

static const struct prot_case prot_cases[] = {
	{ "a child of the root gets what it sets",
	  P(SZ_64M), P(SZ_256M), P(SZ_32M), UNB, 0, false, P(SZ_32M) },
	{ "max under an unprotected parent is nothing (A3)",
	  P(SZ_64M), P(SZ_64M), P(SZ_1G) * 1024, 0, P(SZ_64M), false, 0 },
	{ "within what the parent grants",
	  P(SZ_16M), P(SZ_64M), P(SZ_16M), P(SZ_32M), P(SZ_16M), false,
	  P(SZ_16M) },
	{ "never more than it uses",
	  P(SZ_8M), P(SZ_64M), P(SZ_16M), P(SZ_32M), P(SZ_8M), false, P(SZ_8M) },
	{ "siblings claim twice the parent's: half each",
	  P(SZ_32M), P(SZ_64M), P(SZ_32M), P(SZ_32M), P(SZ_64M), false,
	  P(SZ_16M) },
	{ "recursive: a share of what is left unclaimed",
	  P(SZ_32M), P(SZ_64M), 0, P(SZ_32M), 0, true, P(SZ_16M) },
	{ "not recursive: nothing unclaimed is shared",
	  P(SZ_32M), P(SZ_64M), 0, P(SZ_32M), 0, false, 0 },
};

static void rank_effective_protection(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(prot_cases); i++) {
		const struct prot_case *c = &prot_cases[i];
		unsigned long got;

		got = oomhook_effective_protection(c->usage, c->parent_usage,
						   c->setting, c->parent_eff,
						   c->siblings, c->recursive);
		KUNIT_EXPECT_EQ_MSG(test, got, c->want, "%s", c->name);
	}
}

/* A leaf's own memory.min=max does not lift it above its parent's grant. */
static void rank_protection_bounded_by_parent(struct kunit *test)
{
	unsigned long parent = oomhook_effective_protection(P(SZ_128M),
				P(SZ_256M), P(SZ_16M), UNB, P(SZ_16M), true);
	unsigned long leaf = oomhook_effective_protection(P(SZ_128M),
				P(SZ_128M), ULONG_MAX / 2, parent, P(SZ_128M),
				true);

	KUNIT_EXPECT_EQ(test, parent, P(SZ_16M));
	KUNIT_EXPECT_LE(test, leaf, parent);
}

/* A pre-order walk of memory cgroups, as (level, classify node) pairs. */
struct unit_step {
	int level;
	struct oomhook_unit_node n;
	const char *name;
};

#define LIVE	.online = true, .populated = true

static void unit_add(char *out, const char *name, size_t size)
{
	size_t len = strlen(out);

	snprintf(out + len, size - len, "%s ", name);
}

/* Feed a walk through the rules; returns the units, space-separated. */
static void units_of(const struct unit_step *steps, int nr, char *out,
		     size_t size)
{
	struct oomhook_leaf leaf = { };
	const char *pend = NULL;
	int i, skip = -1;

	out[0] = '\0';
	for (i = 0; i < nr; i++) {
		const struct unit_step *s = &steps[i];

		if (skip >= 0 && s->level > skip)
			continue;
		skip = -1;
		if (!s->n.online || !s->n.populated) {
			skip = s->level;
			continue;
		}
		if (oomhook_leaf_visit(&leaf, s->level))
			unit_add(out, pend, size);
		switch (oomhook_unit_classify(&s->n)) {
		case OOMHOOK_UNIT_SKIP:
			skip = s->level;
			break;
		case OOMHOOK_UNIT_WHOLE:
			unit_add(out, s->name, size);
			skip = s->level;
			break;
		case OOMHOOK_UNIT_LEAF:
			pend = s->name;
			leaf.pending = true;
			leaf.level = s->level;
			break;
		}
	}
	if (oomhook_leaf_visit(&leaf, 0))
		unit_add(out, pend, size);
}

static void rank_units(struct kunit *test)
{
	/*
	 * / -> x (its child y has no memory controller: not in the walk),
	 *      a -> a1, a2 (empty), a3 (removed)
	 *      g (oom.group) -> g1
	 *      o (omit) -> o1
	 *      e (empty) -> e1
	 */
	static const struct unit_step walk[] = {
		{ 0, { LIVE, .root = true }, "/" },
		{ 1, { LIVE }, "/x" },
		{ 1, { LIVE }, "/a" },
		{ 2, { LIVE }, "/a/a1" },
		{ 2, { .online = true }, "/a/a2" },
		{ 2, { .populated = true }, "/a/a3" },
		{ 1, { LIVE, .oom_group = true }, "/g" },
		{ 2, { LIVE }, "/g/g1" },
		{ 1, { LIVE, .omit = true }, "/o" },
		{ 2, { LIVE }, "/o/o1" },
		{ 1, { .online = true }, "/e" },
		{ 2, { LIVE }, "/e/e1" },
	};
	char out[128];

	units_of(walk, ARRAY_SIZE(walk), out, sizeof(out));
	KUNIT_EXPECT_STREQ(test, out, "/x /a/a1 /g ");
}

/* A parent whose only memory children are empty is a unit itself. */
static void rank_units_empty_children(struct kunit *test)
{
	static const struct unit_step walk[] = {
		{ 0, { LIVE, .root = true }, "/" },
		{ 1, { LIVE }, "/p" },
		{ 2, { .online = true }, "/p/c" },
		{ 1, { LIVE, .oom_group = true, .root = true }, "/r" },
	};
	char out[64];

	units_of(walk, ARRAY_SIZE(walk), out, sizeof(out));
	/* .root with oom.group is no whole unit: the root never is. */
	KUNIT_EXPECT_STREQ(test, out, "/p /r ");
}

struct marker_case {
	const char *name;
	unsigned int user, trusted;
	bool root_owned;
	bool marked;
	enum oomhook_class class;
};

#define M(x)	BIT(OOMHOOK_MARKER_##x)

static const struct marker_case marker_cases[] = {
	{ "nothing", 0, 0, true, false },
	{ "user.omit on a root-owned cgroup", M(OMIT), 0, true, true,
	  OOMHOOK_CLASS_OMIT },
	{ "user.omit on a user-owned cgroup does not count (A2)", M(OMIT), 0,
	  false, false },
	{ "user.avoid on a user-owned cgroup does not count", M(AVOID), 0,
	  false, false },
	{ "trusted.omit counts on a user-owned cgroup", 0, M(OMIT), false, true,
	  OOMHOOK_CLASS_OMIT },
	{ "trusted.prefer on a user-owned one", 0, M(PREFER), false, true,
	  OOMHOOK_CLASS_PREFER },
	{ "omit wins over avoid", M(AVOID), M(OMIT), true, true,
	  OOMHOOK_CLASS_OMIT },
	{ "avoid wins over prefer", M(PREFER) | M(AVOID), 0, true, true,
	  OOMHOOK_CLASS_AVOID },
	{ "a user's prefer does not mix with root's avoid", M(PREFER),
	  M(AVOID), false, true, OOMHOOK_CLASS_AVOID },
};

static void rank_markers(struct kunit *test)
{
	enum oomhook_class class;
	int i;

	for (i = 0; i < ARRAY_SIZE(marker_cases); i++) {
		const struct marker_case *c = &marker_cases[i];
		bool marked;

		class = OOMHOOK_CLASS_NORMAL;
		marked = oomhook_marker_class(c->user, c->trusted, c->root_owned,
					      &class);
		KUNIT_EXPECT_EQ_MSG(test, marked, c->marked, "%s", c->name);
		if (marked && c->marked)
			KUNIT_EXPECT_EQ_MSG(test, class, c->class, "%s", c->name);
	}
}

/*
 * The cache's state: an unmarked cgroup takes its parent's class, a marked
 * one its own; a change of markers is a change of state (the selection is
 * made again), whatever the class inherited.
 */
static void rank_mark_state(struct kunit *test)
{
	u8 none = oomhook_mark_state(false, OOMHOOK_CLASS_NORMAL);
	u8 omit = oomhook_mark_state(true, OOMHOOK_CLASS_OMIT);
	u8 avoid = oomhook_mark_state(true, OOMHOOK_CLASS_AVOID);

	KUNIT_EXPECT_EQ(test, oomhook_mark_apply(none, OOMHOOK_CLASS_AVOID),
			OOMHOOK_CLASS_AVOID);
	KUNIT_EXPECT_EQ(test, oomhook_mark_apply(omit, OOMHOOK_CLASS_PREFER),
			OOMHOOK_CLASS_OMIT);
	KUNIT_EXPECT_EQ(test, oomhook_mark_apply(avoid, OOMHOOK_CLASS_NORMAL),
			OOMHOOK_CLASS_AVOID);
	/* A stale "unmarked" and a fresh omit differ: reselect. */
	KUNIT_EXPECT_NE(test, none, omit);
	KUNIT_EXPECT_NE(test, avoid, omit);
	/* An explicit "normal" marker is no marker. */
	KUNIT_EXPECT_EQ(test, oomhook_mark_state(false, OOMHOOK_CLASS_OMIT), 0);
}

static struct kunit_case oomhook_memcg_rank_cases[] = {
	KUNIT_CASE(rank_effective_protection),
	KUNIT_CASE(rank_protection_bounded_by_parent),
	KUNIT_CASE(rank_units),
	KUNIT_CASE(rank_units_empty_children),
	KUNIT_CASE(rank_markers),
	KUNIT_CASE(rank_mark_state),
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
