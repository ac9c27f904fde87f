// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the policy registry (module/registry.c): registration rules,
 * lookup, chain switching and the module references an active chain holds.
 * Runs against the live oomhook.ko; every case leaves the chain at "none"
 * and its policies unregistered.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>

#include "internal.h"

static int kt_handle(const struct oomhook_event *ev, struct oomhook_result *res)
{
	return 0;
}

static struct oomhook_policy kt_a = {
	.name = "kt_a", .owner = THIS_MODULE, .handle = kt_handle,
};

static struct oomhook_policy kt_b = {
	.name = "kt_b", .owner = THIS_MODULE, .handle = kt_handle,
};

static struct oomhook_policy kt_c = {
	.name = "kt_c", .owner = THIS_MODULE, .handle = kt_handle,
};

static int registry_init(struct kunit *test)
{
	char none[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX];

	/* Start from no active chain; the harness loads no other policy. */
	return oomhook_chain_set(none, 0, false);
}

static void registry_exit(struct kunit *test)
{
	char none[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX];

	oomhook_chain_set(none, 0, false);
}

static int set_chain(const char *text)
{
	char names[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX];
	int nr = oomhook_parse_chain(text, names);

	if (nr < 0)
		return nr;
	return oomhook_chain_set(names, nr, false);
}

static void registry_rules(struct kunit *test)
{
	struct oomhook_policy dup = kt_a, nohandle = kt_a, noowner = kt_a;
	struct oomhook_policy badname = kt_a, none = kt_a;

	nohandle.handle = NULL;
	strscpy(nohandle.name, "kt_nohandle", OOMHOOK_NAME_MAX);
	noowner.owner = NULL;
	strscpy(noowner.name, "kt_noowner", OOMHOOK_NAME_MAX);
	strscpy(badname.name, "Kt-Bad", OOMHOOK_NAME_MAX);
	strscpy(none.name, "none", OOMHOOK_NAME_MAX);

	KUNIT_ASSERT_EQ(test, oomhook_register_policy(&kt_a), 0);
	KUNIT_EXPECT_EQ(test, oomhook_register_policy(&dup), -EEXIST);
	KUNIT_EXPECT_EQ(test, oomhook_register_policy(&nohandle), -EINVAL);
	KUNIT_EXPECT_EQ(test, oomhook_register_policy(&noowner), -EINVAL);
	KUNIT_EXPECT_EQ(test, oomhook_register_policy(&badname), -EINVAL);
	KUNIT_EXPECT_EQ(test, oomhook_register_policy(&none), -EINVAL);
	oomhook_unregister_policy(&kt_a);
}

static void registry_lookup(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, set_chain("kt_a"), -ENOENT);
	KUNIT_ASSERT_EQ(test, oomhook_register_policy(&kt_a), 0);
	KUNIT_EXPECT_EQ(test, set_chain("kt_a"), 0);
	KUNIT_EXPECT_EQ(test, set_chain("none"), 0);
	oomhook_unregister_policy(&kt_a);
	/* Gone from lookup once unregistered. */
	KUNIT_EXPECT_EQ(test, set_chain("kt_a"), -ENOENT);
}

static void registry_chain(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct oomhook_chain *chain;
	int refs;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, oomhook_register_policy(&kt_a), 0);
	KUNIT_ASSERT_EQ(test, oomhook_register_policy(&kt_b), 0);
	KUNIT_ASSERT_EQ(test, oomhook_register_policy(&kt_c), 0);
	refs = module_refcount(THIS_MODULE);

	oomhook_policy_show(buf);
	KUNIT_EXPECT_STREQ(test, buf, "[none] kt_a kt_b kt_c\n");

	KUNIT_EXPECT_EQ(test, set_chain("kt_b,kt_a"), 0);
	oomhook_policy_show(buf);
	KUNIT_EXPECT_STREQ(test, buf, "[kt_b,kt_a] kt_c\n");
	/* Each active policy pins its module. */
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 2);

	chain = oomhook_chain_get();
	KUNIT_ASSERT_NOT_NULL(test, chain);
	KUNIT_EXPECT_EQ(test, chain->nr, 2);
	KUNIT_EXPECT_PTR_EQ(test, chain->policy[0], &kt_b);
	KUNIT_EXPECT_PTR_EQ(test, chain->policy[1], &kt_a);

	/* A switch does not wait for a decision holding the old chain. */
	KUNIT_EXPECT_EQ(test, set_chain("kt_c"), 0);
	oomhook_policy_show(buf);
	KUNIT_EXPECT_STREQ(test, buf, "[kt_c] kt_a kt_b\n");
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 3);
	oomhook_chain_put(chain);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);

	/* A chain naming an unknown policy changes nothing. */
	KUNIT_EXPECT_EQ(test, set_chain("kt_a,kt_nosuch"), -ENOENT);
	oomhook_policy_show(buf);
	KUNIT_EXPECT_STREQ(test, buf, "[kt_c] kt_a kt_b\n");
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);

	KUNIT_EXPECT_EQ(test, set_chain("none"), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs);
	KUNIT_EXPECT_NULL(test, oomhook_chain_get());
	oomhook_unregister_policy(&kt_c);
	oomhook_unregister_policy(&kt_b);
	oomhook_unregister_policy(&kt_a);
}

static struct kunit_case oomhook_registry_cases[] = {
	KUNIT_CASE(registry_rules),
	KUNIT_CASE(registry_lookup),
	KUNIT_CASE(registry_chain),
	{}
};

static struct kunit_suite oomhook_registry_suite = {
	.name = "oomhook_registry",
	.init = registry_init,
	.exit = registry_exit,
	.test_cases = oomhook_registry_cases,
};

kunit_test_suites(&oomhook_registry_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit suites for oomhook");
MODULE_AUTHOR("The oomhook developers");
MODULE_LICENSE("GPL");
