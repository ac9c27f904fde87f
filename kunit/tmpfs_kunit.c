// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the tmpfs policy's choice of files as pure functions over keys:
 * largest first, least recently used first, ties, files holding nothing,
 * and a bounded set that keeps the files that go first whatever the order
 * the walk meets them in.
 */
#include <kunit/test.h>
#include <linux/sizes.h>

#include "tmpfs.h"

#define KEY(b, t, i)	{ .bytes = (b), .used_ns = (t), .ino = (i) }

static const struct oomhook_tmpfs_key tmpfs_small_old = KEY(SZ_1M, 100, 1);
static const struct oomhook_tmpfs_key tmpfs_big_new = KEY(SZ_64M, 900, 2);
static const struct oomhook_tmpfs_key tmpfs_mid_mid = KEY(SZ_16M, 500, 3);

static void tmpfs_largest_first(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, oomhook_tmpfs_before(OOMHOOK_TMPFS_LARGEST,
						     &tmpfs_big_new,
						     &tmpfs_small_old));
	KUNIT_EXPECT_FALSE(test, oomhook_tmpfs_before(OOMHOOK_TMPFS_LARGEST,
						      &tmpfs_small_old,
						      &tmpfs_big_new));
}

static void tmpfs_lru_first(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, oomhook_tmpfs_before(OOMHOOK_TMPFS_LRU,
						     &tmpfs_small_old,
						     &tmpfs_big_new));
	KUNIT_EXPECT_FALSE(test, oomhook_tmpfs_before(OOMHOOK_TMPFS_LRU,
						      &tmpfs_big_new,
						      &tmpfs_small_old));
}

/* Equal sizes fall to age, equal ages to size, then the inode number. */
static void tmpfs_ties(struct kunit *test)
{
	struct oomhook_tmpfs_key a = KEY(SZ_4M, 10, 7), b = KEY(SZ_4M, 20, 5);
	struct oomhook_tmpfs_key c = KEY(SZ_8M, 10, 9), d = KEY(SZ_4M, 10, 8);

	KUNIT_EXPECT_TRUE(test, oomhook_tmpfs_before(OOMHOOK_TMPFS_LARGEST, &a, &b));
	KUNIT_EXPECT_TRUE(test, oomhook_tmpfs_before(OOMHOOK_TMPFS_LRU, &c, &a));
	KUNIT_EXPECT_TRUE(test, oomhook_tmpfs_before(OOMHOOK_TMPFS_LARGEST, &a, &d));
	KUNIT_EXPECT_FALSE(test, oomhook_tmpfs_before(OOMHOOK_TMPFS_LRU, &d, &a));
	KUNIT_EXPECT_FALSE(test, oomhook_tmpfs_before(OOMHOOK_TMPFS_LRU, &a, &a));
}

static void tmpfs_empty_file_refused(struct kunit *test)
{
	struct oomhook_tmpfs_set *set;
	struct oomhook_tmpfs_key empty = KEY(0, 0, 1);

	set = kunit_kzalloc(test, sizeof(*set), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_EXPECT_EQ(test, oomhook_tmpfs_offer(set, OOMHOOK_TMPFS_LRU, &empty), -1);
	KUNIT_EXPECT_EQ(test, set->nr, 0U);
}

static void tmpfs_sort_three(struct kunit *test)
{
	const struct oomhook_tmpfs_key *in[] = {
		&tmpfs_small_old, &tmpfs_big_new, &tmpfs_mid_mid };
	unsigned int idx[OOMHOOK_TMPFS_SET_MAX];
	struct oomhook_tmpfs_set *set;
	int i;

	set = kunit_kzalloc(test, sizeof(*set), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, set);
	for (i = 0; i < ARRAY_SIZE(in); i++)
		KUNIT_EXPECT_EQ(test, oomhook_tmpfs_offer(set, OOMHOOK_TMPFS_LARGEST,
							  in[i]), i);
	oomhook_tmpfs_sort(set, OOMHOOK_TMPFS_LARGEST, idx);
	KUNIT_EXPECT_EQ(test, set->key[idx[0]].ino, 2UL);
	KUNIT_EXPECT_EQ(test, set->key[idx[1]].ino, 3UL);
	KUNIT_EXPECT_EQ(test, set->key[idx[2]].ino, 1UL);
	oomhook_tmpfs_sort(set, OOMHOOK_TMPFS_LRU, idx);
	KUNIT_EXPECT_EQ(test, set->key[idx[0]].ino, 1UL);
	KUNIT_EXPECT_EQ(test, set->key[idx[1]].ino, 3UL);
	KUNIT_EXPECT_EQ(test, set->key[idx[2]].ino, 2UL);
}

/* Multiplicative step through 1..N: a fixed, scrambled visiting order. */
#define TMPFS_FILES	500
#define TMPFS_STRIDE	263

/*
 * Offer more files than the set holds, in scrambled order: the set ends
 * with exactly the SET_MAX files that go first, sorted right.
 */
static void tmpfs_bounded_set(struct kunit *test)
{
	unsigned int idx[OOMHOOK_TMPFS_SET_MAX];
	struct oomhook_tmpfs_set *set;
	enum oomhook_tmpfs_order order;
	unsigned int i, n;

	set = kunit_kzalloc(test, sizeof(*set), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, set);
	for (order = OOMHOOK_TMPFS_LARGEST; order <= OOMHOOK_TMPFS_LRU; order++) {
		memset(set, 0, sizeof(*set));
		for (i = 0; i < TMPFS_FILES; i++) {
			struct oomhook_tmpfs_key k;

			n = (i * TMPFS_STRIDE) % TMPFS_FILES + 1;
			/* File n: n pages, last used at time TMPFS_FILES - n. */
			k = (struct oomhook_tmpfs_key)KEY((u64)n * SZ_4K,
							  TMPFS_FILES - n, n);
			oomhook_tmpfs_offer(set, order, &k);
		}
		KUNIT_ASSERT_EQ(test, set->nr, (unsigned int)OOMHOOK_TMPFS_SET_MAX);
		oomhook_tmpfs_sort(set, order, idx);
		/* Both orders agree here: the biggest files are the oldest. */
		for (i = 0; i < OOMHOOK_TMPFS_SET_MAX; i++)
			KUNIT_EXPECT_EQ(test, set->key[idx[i]].ino,
					(unsigned long)(TMPFS_FILES - i));
	}
}

static struct kunit_case oomhook_tmpfs_cases[] = {
	KUNIT_CASE(tmpfs_largest_first),
	KUNIT_CASE(tmpfs_lru_first),
	KUNIT_CASE(tmpfs_ties),
	KUNIT_CASE(tmpfs_empty_file_refused),
	KUNIT_CASE(tmpfs_sort_three),
	KUNIT_CASE(tmpfs_bounded_set),
	{}
};

static struct kunit_suite oomhook_tmpfs_suite = {
	.name = "oomhook_tmpfs",
	.test_cases = oomhook_tmpfs_cases,
};

kunit_test_suites(&oomhook_tmpfs_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit suite for oomhook's tmpfs policy");
MODULE_AUTHOR("The oomhook developers");
MODULE_LICENSE("GPL");
